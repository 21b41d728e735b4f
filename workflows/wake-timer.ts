import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';

/**
 * One durable timer for the entry's next wake-up instant. It is re-armed only when the instant
 * moves, so a sign-off that leaves the next reminder where it was costs no timer events.
 */
export class WakeTimer {
  private at: number | null = null;
  private scope: CancellationScope | undefined;
  private hasFired = false;

  /** Points the timer at `at` (epoch ms), or stops it (null). Same instant: nothing happens. */
  set(at: number | null): void {
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

  get fired(): boolean {
    return this.hasFired;
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
