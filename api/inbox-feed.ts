/**
 * The live inbox: each open `GET /v1/inbox/events` stream is told its inbox's count when it opens
 * and again whenever that inbox changes. One read of every inbox's counts (record/inbox-counts.ts)
 * serves every stream of the process. It runs on the record's notices (a change noticed is read
 * after INBOX_FEED_SETTLE_MS, so a burst of writes is one read), and every POLL_MS where notices do not arrive
 * (the embedded record, or while their connection is down); with notices live, every LIVE_POLL_MS
 * too, for the day's turn (what is overdue) and for a write committed while they were down.
 */
import { toDate } from '../domain/dates';
import type { Logger } from 'pino';
import type { Body } from '../domain/vocabulary';
import type { RecordDb } from '../record/db';
import { inboxCounts, type InboxCount } from '../record/inbox-counts';
import type { InboxSignal } from './schemas';
import type { RecordNotices } from '../record/notices';

/** The pause after a notice before the read: a burst of writes is one read. */
export const INBOX_FEED_SETTLE_MS = 100;
const POLL_MS = 1_000;
const LIVE_POLL_MS = 30_000;

/** What a stream is told: its inbox's size now (body null: every body's inbox, for OPS). */
export type { InboxSignal };

interface Listener {
  body: Body | null;
  send: (signal: InboxSignal) => void;
  end: () => void;
  /** What it was last told (count, overdue and mark), so it is told only of a change. */
  told?: string;
}

export interface InboxFeedOptions {
  notices?: RecordNotices | undefined;
  now: () => number;
  pollMs?: number;
  onError?: (err: unknown) => void;
}

export class InboxFeed {
  private readonly listeners = new Set<Listener>();
  private timer: NodeJS.Timeout | undefined;
  private dueAt = 0;
  private reading: Promise<void> | undefined;
  private again = false;
  private live = false;

  constructor(
    private readonly db: RecordDb,
    private readonly opts: InboxFeedOptions,
  ) {
    opts.notices?.subscribe({
      mark: () => this.soon(INBOX_FEED_SETTLE_MS),
      live: () => {
        this.live = true;
      },
      lost: () => {
        this.live = false;
        this.soon(0);
      },
    });
  }

  /** Tells `send` of its inbox now and of every change; answers the unsubscribe. `end` is called if the feed closes first. */
  subscribe(body: Body | null, send: (signal: InboxSignal) => void, end: () => void): () => void {
    const listener: Listener = { body, send, end };
    this.listeners.add(listener);
    this.soon(0);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  /** Ends every stream (the server is shutting down). */
  close(): void {
    this.stop();
    for (const l of [...this.listeners]) l.end();
    this.listeners.clear();
  }

  private stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** A read within `ms`, unless one is due sooner. */
  private soon(ms: number): void {
    if (this.listeners.size === 0) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    const at = Date.now() + ms;
    if (this.timer && this.dueAt <= at) return;
    clearTimeout(this.timer);
    this.dueAt = at;
    this.timer = setTimeout(() => void this.read(), ms);
    this.timer.unref();
  }

  private async read(): Promise<void> {
    this.timer = undefined;
    this.reading = (async () => {
      try {
        const counts = await inboxCounts(this.db, toDate(this.opts.now()));
        for (const l of this.listeners) tell(l, counts);
      } catch (err) {
        this.opts.onError?.(err);
      }
    })();
    await this.reading;
    this.reading = undefined;
    const next = this.again ? 0 : this.live ? LIVE_POLL_MS : (this.opts.pollMs ?? POLL_MS);
    this.again = false;
    this.soon(next);
  }
}

/** Tells the listener its inbox's size if it changed since it was last told. */
function tell(l: Listener, counts: InboxCount[]): void {
  const mine = l.body === null ? counts : counts.filter((c) => c.awaiting === l.body);
  const count = mine.reduce((n, c) => n + c.count, 0);
  const overdue = mine.reduce((n, c) => n + c.overdue, 0);
  const told = `${count}|${overdue}|${mine.map((c) => `${c.awaiting}:${c.mark}`).join(',')}`;
  if (told === l.told) return;
  l.told = told;
  l.send({ body: l.body, count, overdue });
}

/** The API process's feed: a failed read is logged and tried again at the next. */
export function createInboxFeed(db: RecordDb, notices: RecordNotices | undefined, now: () => number, logger: Logger): InboxFeed {
  return new InboxFeed(db, { notices, now, onError: (err) => logger.warn({ err }, 'the live inbox could not read the record; trying again') });
}
