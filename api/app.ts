/**
 * The express app (no listen): logging with a request id, metrics, JSON bodies within the limit,
 * one router per resource, a 404 for everything else and the one error middleware.
 */
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { authMiddleware } from './auth';
import { consoleRouter } from './console';
import type { ApiConfig } from './config';
import type { RecordDb } from '../record/db';
import type { RecordNotices } from '../record/notices';
import type { AppContext } from './context';
import { errorMiddleware, notFoundHandler } from './errors';
import { entryReadsOf } from './entry-reads';
import { RecordCatchUp } from './record-catch-up';
import { recordWritesOf } from './record-writes';
import { createLogger, httpLogger } from './logging';
import { registerBusinessMetrics } from './business-metrics';
import { createMetrics } from './metrics';
import { auditRouter } from './routes/audit';
import { catalogueRouter } from './routes/catalogue';
import { claimsRouter } from './routes/claims';
import { noticeSettingsRouter } from './routes/notice-settings';
import { filesRouter } from './routes/files';
import { commentsRouter } from './routes/comments';
import { meetingsRouter } from './routes/meetings';
import { membersRouter } from './routes/members';
import { entriesRouter } from './routes/entries';
import { reportsRouter } from './routes/reports';
import { signOffsRouter } from './routes/sign-offs';
import { systemRouter } from './routes/system';
import type { EntryGateway } from './temporal/gateway';
import { loadTokenStore, type TokenStore } from './tokens';
import { OidcRelyingParty } from './oidc';
import { SessionStore } from './sessions';
import { createInboxFeed, type InboxFeed } from './inbox-feed';
import { signInRouter, tokenSignInRouter } from './sign-in';

export interface CreateAppOptions {
  gateway: EntryGateway;
  config: ApiConfig;
  record: RecordDb;
  /** The record's notices, where it delivers them (record/notices.ts); without them the API polls the record. */
  notices?: RecordNotices;
  /** Default: Date.now */
  now?: () => number;
  /** Default: loaded from AUTH_TOKENS_FILE / AUTH_TOKENS_JSON. */
  tokens?: TokenStore;
  logger?: Logger;
  /** Default: one on the record and its notices; the process closes it at shutdown to end the event streams. */
  inboxFeed?: InboxFeed;
}

export function createApp({ gateway, config, record, notices, now: givenNow, tokens, logger: given, inboxFeed }: CreateAppOptions): Express {
  const logger = given ?? createLogger(config);
  const now = givenNow ?? Date.now;
  // Single sign-on for the console, and OAuth access tokens for machines, when an IdP is set.
  const issuer = config.OIDC_ISSUER_URL;
  const rp = issuer ? new OidcRelyingParty({ ...config, OIDC_ISSUER_URL: issuer }) : undefined;
  const sessions = rp ? new SessionStore(record, { idleMs: config.SESSION_IDLE_MINUTES * 60_000, maxMs: config.SESSION_MAX_HOURS * 3_600_000 }) : undefined;
  const recordContext = { record, now, config };
  const ctx: AppContext = {
    gateway,
    reads: entryReadsOf(recordContext),
    writes: recordWritesOf(recordContext),
    config,
    catchUp: new RecordCatchUp(record, config.RECORD_CATCH_UP_MS, notices),
    inboxFeed: inboxFeed ?? createInboxFeed(record, notices, now, logger),
    now,
    logger,
    can: authMiddleware({ tokens: tokens ?? loadTokenStore(config), now, ...(sessions ? { sessions } : {}), ...(rp ? { rp } : {}) }),
  };
  const metrics = createMetrics();
  registerBusinessMetrics(metrics.registry, { ...ctx, record });

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // No ETag on JSON answers: nothing revalidates them, and hashing every answer was about 1% of the
  // API's CPU (docs/benchmarks.md). The console's static files keep theirs (express.static).
  app.set('etag', false);
  app.use(httpLogger(logger));
  app.use(metrics.middleware);

  app.use(rp && sessions ? signInRouter({ config, rp, sessions, now, logger, record }) : tokenSignInRouter());
  app.use(systemRouter(ctx, metrics.registry));
  app.use(entriesRouter(ctx));
  app.use(signOffsRouter(ctx));
  app.use(claimsRouter(ctx));
  app.use(noticeSettingsRouter(ctx));
  app.use(filesRouter(ctx));
  app.use(commentsRouter(ctx));
  app.use(auditRouter(ctx));
  app.use(reportsRouter(ctx));
  app.use(catalogueRouter(ctx));
  app.use(meetingsRouter(ctx));
  app.use(membersRouter(ctx));
  app.use(consoleRouter());

  app.use(notFoundHandler);
  app.use(errorMiddleware(logger));
  return app;
}
