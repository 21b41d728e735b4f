/**
 * Read your own write: a start answers once the record holds the new run, an accepted update
 * once the record holds it, so a read that follows sees it; past RECORD_CATCH_UP_MS they answer
 * anyway (reads then fall back to the workflow or show the previous state until the record
 * catches up). Every request waiting at a moment is checked by one small query (the entries'
 * as-of, chain and status, no state) every 25 ms.
 */
import { entryIdFor } from '../domain';
import type { AuditRecord } from '../domain/types';
import { ENTRY_STATUS } from '../domain/vocabulary';
import type { RecordDb } from '../record/db';
import { recordedMarks, type RecordedMark } from '../record/read';
import type { AppContext } from './context';

const CHECK_EVERY_MS = 25;

interface Waiter {
  entryId: string;
  holds: (mark: RecordedMark) => boolean;
  /** Past this (epoch ms) a failed check answers false. */
  until: number;
  settle: (held: boolean) => void;
  fail: (err: unknown) => void;
}

/** The waiters of one record, checked together. */
class CatchUp {
  private waiting: Waiter[] = [];
  private scheduled = false;

  constructor(private readonly db: RecordDb) {}

  wait(entryId: string, holds: Waiter['holds'], boundMs: number): Promise<boolean> {
    return new Promise((settle, fail) => {
      this.waiting.push({ entryId, holds, until: Date.now() + boundMs, settle, fail });
      // the first check right away, as the next ones, for everyone waiting by then
      if (!this.scheduled) this.schedule(0);
    });
  }

  private schedule(ms: number): void {
    this.scheduled = true;
    setTimeout(() => void this.check(), ms);
  }

  private async check(): Promise<void> {
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
    this.scheduled = false;
    if (this.waiting.length > 0) this.schedule(CHECK_EVERY_MS);
  }
}

const catchUps = new WeakMap<RecordDb, CatchUp>();

function awaitRecorded(ctx: AppContext, partyId: string, holds: Waiter['holds']): Promise<boolean> {
  let catchUp = catchUps.get(ctx.record);
  if (!catchUp) catchUps.set(ctx.record, (catchUp = new CatchUp(ctx.record)));
  return catchUp.wait(entryIdFor(partyId), holds, ctx.config.RECORD_CATCH_UP_MS);
}

/** Waits until the record holds the run just started; false past the bound. */
export function awaitRecordedRun(ctx: AppContext, partyId: string, runId: string): Promise<boolean> {
  return awaitRecorded(ctx, partyId, (mark) => mark.chainId === runId);
}

/** Waits until the record holds the entry as of an accepted update; false past the bound. */
export function awaitRecordedUpdate(ctx: AppContext, partyId: string, record: AuditRecord): Promise<boolean> {
  const at = Date.parse(record.at);
  return awaitRecorded(ctx, partyId, (mark) => mark.asOf.getTime() >= at || mark.status === ENTRY_STATUS.CLOSED_OUTSIDE_ENGINE);
}
