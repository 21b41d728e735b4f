import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';

/**
 * One durable timer for the entry's next wake-up instant. set() re-arms it only when the instant
 * moves, so a sign-off that leaves the next reminder where it was costs no timer events; aim()
 * re-arms it only when the instant moves earlier, so a sign-off that moves it later costs none
 * either (the armed timer then fires early, and is re-armed once, for the instant due then).
 */
export class WakeTimer {
  /** The instant the armed (or spent, unconsumed) timer fires at. */
  private at: number | null = null;
  /** The instant last asked for: `at`, or (aim() only) a later one. */
  private wanted: number | null = null;
  private scope: CancellationScope | undefined;
  private hasFired = false;

  /** Points the timer at `at` (epoch ms), or stops it (null). Same instant: nothing happens. */
  set(at: number | null): void {
    this.wanted = at;
    if (at === this.at) return;
    this.scope?.cancel();
    this.scope = undefined;
    this.hasFired = false;
    this.at = at;
    if (at === null) return;
    const scope = new CancellationScope();
    this.scope = scope;
    scope
      .run(() => sleep(Math.max(1, at - Date.now()), { summary: 'next reminder or deadline' }))
      .then(
        () => {
          if (this.scope === scope) this.hasFired = true;
        },
        (err: unknown) => {
          if (!isCancellation(err)) throw err;
        },
      );
  }

  /**
   * Asks to wake at `at` (epoch ms; null: nothing to wake for). A timer armed for an earlier
   * instant is kept, and fires early: consumeDue() then answers false, and the next aim() arms
   * the one timer for the instant wanted then. A new timer is started only for an earlier instant,
   * or when none is armed.
   */
  aim(at: number | null): void {
    if (this.at !== null && !this.hasFired && (at === null || at > this.at)) {
      this.wanted = at;
      return;
    }
    this.set(at);
  }

  get fired(): boolean {
    return this.hasFired;
  }

  /**
   * True once after the timer fired for the instant last asked for (what consume() answers, for a
   * timer set() or aim()ed at the instant wanted), or fired with that instant passed by then (a
   * task handled late); false, and the timer spent, when it fired early because aim() was since
   * asked for a later instant (or none).
   */
  consumeDue(): boolean {
    const due = this.at === this.wanted || (this.wanted !== null && Date.now() >= this.wanted);
    return this.consume() && due;
  }

  /** True once after the timer fired; the timer is then spent until set() again. */
  consume(): boolean {
    if (!this.hasFired) return false;
    this.hasFired = false;
    this.at = null;
    this.scope = undefined;
    return true;
  }
}
