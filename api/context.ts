/** What every router is built with. */
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { ApiConfig } from './config';
import type { Action } from './permissions';
import type { EntryReads } from './entry-reads';
import type { InboxFeed } from './inbox-feed';
import type { RecordCatchUp } from './record-catch-up';
import type { RecordWrites } from './record-writes';
import type { EntryGateway } from './temporal/gateway';

export interface AppContext {
  /** The only door to Temporal: every command of an entry goes through it. */
  gateway: EntryGateway;
  /** The door for queries: every read answers from the record (PostgreSQL). */
  reads: EntryReads;
  /** What changes in the record itself: a Party's people, the meeting calendar. */
  writes: RecordWrites;
  config: ApiConfig;
  /** Read your own write: waits until the record holds a start or an accepted update. */
  catchUp: RecordCatchUp;
  /** The live inbox: tells each open event stream of its inbox's changes. */
  inboxFeed: InboxFeed;
  /** The API's clock: time-dependent fields are computed as of it. */
  now: () => number;
  logger: Logger;
  /** The auth middleware for one action (api/auth.ts). */
  can: (action: Action) => RequestHandler;
}
