/** What every router is built with. */
import type { Client } from '@temporalio/client';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { ApiConfig } from './config';
import type { Action } from './permissions';

export interface AppContext {
  client: Client;
  config: ApiConfig;
  logger: Logger;
  /** The auth middleware for one action (api/auth.ts). */
  can: (action: Action) => RequestHandler;
}
