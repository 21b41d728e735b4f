/**
 * The record's notices: every committed change of an entry's row, with its mark, announced on
 * ENTRY_NOTICE_CHANNEL (migration 0005). followRecordNotices listens on a connection of its own and
 * counts as live only once a probe notice sent through another connection has reached it: the
 * embedded PGlite serves all clients in one session, and a pooler in transaction mode drops
 * LISTEN, so neither delivers notices, and both stay on polling. A lost connection is opened again.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import type { RecordDb } from './db';
import type { RecordedMark } from './read';

export const ENTRY_NOTICE_CHANNEL = 'uep_entry_recorded';

/** How long the probe notice may take before the listener gives up on notices. */
const PROBE_TIMEOUT_MS = 5_000;
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 10_000;

export interface RecordNoticeHandlers {
  /** An entry's row as just committed. */
  mark(entryId: string, mark: RecordedMark): void;
  /** Notices arrive from now on. */
  live(): void;
  /** Notices may be missed from now on (until live() again). */
  lost(): void;
}

export interface RecordNotices {
  /** Whether notices arrive now. */
  readonly live: boolean;
  /** Tells `handlers` of every notice from now on, and at once whether notices are live. */
  subscribe(handlers: RecordNoticeHandlers): void;
  close(): Promise<void>;
}

export interface NoticeLog {
  info(msg: string): void;
  warn(msg: string): void;
}

interface NoticePayload {
  entryId: string;
  chainId: string;
  asOf: string;
  status: string;
  probe?: string;
}

export function followRecordNotices(url: string, db: RecordDb, log: NoticeLog): RecordNotices {
  const subscribers = new Set<RecordNoticeHandlers>();
  let live = false;
  let closed = false;
  let client: pg.Client | undefined;
  let retryMs = RECONNECT_MIN_MS;
  let retry: NodeJS.Timeout | undefined;
  let probe: { token: string; timer: NodeJS.Timeout } | undefined;

  const setLive = (now: boolean) => {
    if (live === now) return;
    live = now;
    for (const h of subscribers) {
      if (now) h.live();
      else h.lost();
    }
  };

  const onNotice = (msg: pg.Notification) => {
    if (msg.channel !== ENTRY_NOTICE_CHANNEL || !msg.payload) return;
    let notice: NoticePayload;
    try {
      notice = JSON.parse(msg.payload) as NoticePayload;
    } catch {
      return; // not the trigger's (anyone may NOTIFY a channel): thrown here, it would end the process
    }
    if (notice.probe !== undefined) {
      if (notice.probe !== probe?.token) return;
      clearTimeout(probe.timer);
      probe = undefined;
      retryMs = RECONNECT_MIN_MS;
      log.info("the record's notices arrive: read-your-write waits end on them");
      setLive(true);
      return;
    }
    const mark = { asOf: new Date(notice.asOf), chainId: notice.chainId, status: notice.status };
    for (const h of subscribers) h.mark(notice.entryId, mark);
  };

  const reconnectLater = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, retryMs);
    retryMs = Math.min(retryMs * 2, RECONNECT_MAX_MS);
  };

  /** Forgets the connection `c` if it is still the current one, and ends it. */
  const drop = async (c: pg.Client): Promise<void> => {
    if (client !== c) return;
    client = undefined;
    if (probe) clearTimeout(probe.timer);
    probe = undefined;
    setLive(false);
    c.removeAllListeners();
    c.on('error', () => undefined);
    await c.end().catch(() => undefined);
  };

  const lose = (c: pg.Client) => {
    if (client !== c) return;
    if (live) log.warn("lost the connection that hears the record's notices: read-your-write waits poll until it is back");
    void drop(c);
    reconnectLater();
  };

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString: url });
    client = c;
    c.on('notification', onNotice);
    c.on('error', () => lose(c));
    c.on('end', () => lose(c));
    try {
      await c.connect();
      await c.query(`LISTEN ${ENTRY_NOTICE_CHANNEL}`);
      if (client !== c) return;
      const token = randomUUID();
      probe = { token, timer: setTimeout(() => void giveUp(c), PROBE_TIMEOUT_MS) };
      // through the record's pool, not this connection: only a notice that crossed sessions counts
      await sql`select pg_notify(${ENTRY_NOTICE_CHANNEL}, ${JSON.stringify({ probe: token })})`.execute(db);
    } catch {
      lose(c);
    }
  }

  /** No probe came back: this record does not deliver notices (see above); waits poll instead. */
  async function giveUp(c: pg.Client): Promise<void> {
    if (client !== c) return;
    log.info('the record delivers no notices (an embedded record, or a pooler without LISTEN): read-your-write waits poll it');
    // PGlite's one session would otherwise go on announcing to whichever client runs a query
    await c.query('UNLISTEN *').catch(() => undefined);
    await drop(c);
  }

  void connect();

  return {
    get live() {
      return live;
    },
    subscribe(h) {
      subscribers.add(h);
      if (live) h.live();
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      if (client) await drop(client);
    },
  };
}
