/** What every router is built with. */
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { ApiConfig } from './config';
import type { Action } from './permissions';
import type { EntryGateway } from './temporal/gateway';

export interface AppContext {
  /** The only door to Temporal. */
  gateway: EntryGateway;
  config: ApiConfig;
  logger: Logger;
  /** The auth middleware for one action (api/auth.ts). */
  can: (action: Action) => RequestHandler;
}
