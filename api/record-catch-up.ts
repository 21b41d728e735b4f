/**
 * Read your own write: a start answers once the record holds the new run, an accepted update
 * once the record holds it, so a read that follows sees it; past RECORD_CATCH_UP_MS they answer
 * anyway (reads then fall back to the workflow or show the previous state until the record
 * catches up).
 *
 * Where the record's notices arrive (record/notices.ts: a real PostgreSQL), a wait ends on the
 * notice of the write it waits for, and the latest noticed mark of each entry answers a wait that
 * starts after its write. Otherwise (the embedded record, or while the notices' connection is
 * down) every request waiting at a moment is checked by one small query (the entries' as-of,
 * chain and status, no state) every 25 ms; with notices live that check still runs now and then,
 * for a write committed while they were down.
 */
import { entryIdFor, isClosedOutsideEngine } from '../domain';
import type { AuditRecord } from '../domain/types';
import type { RecordDb } from '../record/db';
import type { RecordNotices } from '../record/notices';
import { recordedMarks, type RecordedMark } from '../record/read';

const CHECK_EVERY_MS = 25;
const CHECK_WHILE_LIVE_MS = 250;
/** Entries whose latest noticed mark is kept (the oldest noticed is forgotten first). */
const NOTICED_KEPT = 10_000;

interface Waiter {
  entryId: string;
  holds: (mark: RecordedMark) => boolean;
  /** Past this (epoch ms) a failed check answers false. */
  until: number;
  settle: (held: boolean) => void;
  fail: (err: unknown) => void;
}

export class RecordCatchUp {
  private waiting: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private dueAt = 0;
  private checking = false;
  private live = false;
  private readonly noticed = new Map<string, RecordedMark>();

  constructor(
    private readonly db: RecordDb,
    private readonly boundMs: number,
    notices?: RecordNotices,
  ) {
    notices?.subscribe({
      mark: (entryId, mark) => this.onMark(entryId, mark),
      live: () => {
        this.live = true;
      },
      lost: () => {
        this.live = false;
        this.noticed.clear();
        clearTimeout(this.timer);
        this.timer = undefined;
        this.reschedule();
      },
    });
  }

  /** How waits end now: on the record's notices, or by polling it. */
  get mode(): 'NOTICES' | 'POLLING' {
    return this.live ? 'NOTICES' : 'POLLING';
  }

  /** Waits until the record holds the run just started; false past the bound. */
  awaitRun(partyId: string, runId: string): Promise<boolean> {
    return this.wait(entryIdFor(partyId), (mark) => mark.chainId === runId);
  }

  /** Waits until the record holds the entry as of an accepted update; false past the bound. */
  awaitUpdate(partyId: string, record: AuditRecord): Promise<boolean> {
    const at = Date.parse(record.at);
    return this.wait(entryIdFor(partyId), (mark) => mark.asOf.getTime() >= at || isClosedOutsideEngine(mark.status));
  }

  private wait(entryId: string, holds: Waiter['holds']): Promise<boolean> {
    const known = this.live ? this.noticed.get(entryId) : undefined;
    if (known && holds(known)) return Promise.resolve(true);
    return new Promise((settle, fail) => {
      this.waiting.push({ entryId, holds, until: Date.now() + this.boundMs, settle, fail });
      this.reschedule();
    });
  }

  private onMark(entryId: string, mark: RecordedMark): void {
    this.noticed.delete(entryId);
    this.noticed.set(entryId, mark);
    if (this.noticed.size > NOTICED_KEPT) this.noticed.delete(this.noticed.keys().next().value!);
    if (!this.waiting.some((w) => w.entryId === entryId)) return;
    this.waiting = this.waiting.filter((w) => {
      if (w.entryId !== entryId || !w.holds(mark)) return true;
      w.settle(true);
      return false;
    });
  }

  /**
   * The next check. Polling: at once for whoever starts waiting when none is due, then every
   * 25 ms while anyone waits. Notices live: within 250 ms, or at the first waiter's bound if sooner.
   */
  private reschedule(soonest = 0): void {
    if (this.checking || this.waiting.length === 0) return;
    const now = Date.now();
    let at: number;
    if (this.live) at = Math.min(now + CHECK_WHILE_LIVE_MS, ...this.waiting.map((w) => w.until));
    else if (this.timer) return;
    else at = now + soonest;
    if (this.timer && this.dueAt <= at) return;
    clearTimeout(this.timer);
    this.dueAt = at;
    this.timer = setTimeout(() => void this.check(), Math.max(0, at - now));
  }

  private async check(): Promise<void> {
    this.timer = undefined;
    this.checking = true;
    const batch = this.waiting;
    this.waiting = [];
    try {
      const marks = await recordedMarks(this.db, [...new Set(batch.map((w) => w.entryId))]);
      const now = Date.now();
      for (const w of batch) {
        const mark = marks.get(w.entryId);
        if (mark && w.holds(mark)) w.settle(true);
        else if (now >= w.until) w.settle(false);
        else this.waiting.push(w);
      }
    } catch (err) {
      for (const w of batch) w.fail(err);
    }
    this.checking = false;
    this.reschedule(CHECK_EVERY_MS);
  }
}
