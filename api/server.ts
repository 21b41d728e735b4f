/**
 * The API process: parse the config, connect to Temporal, build the app, listen. On SIGTERM or
 * SIGINT: stop accepting connections, let in-flight requests finish (bounded), close the Temporal
 * connection, exit.
 */
import { Client, Connection } from '@temporalio/client';
import { loadDotEnv } from '../config/dotenv';
import { createApp } from './app';
import { openRecord } from '../record/db';
import { followRecordNotices } from '../record/notices';
import { refuseExampleValues } from '../config/example-values';
import { temporalConnectionOptions } from '../config/temporal';
import { apiExampleValues, loadApiConfig } from './config';
import { createApiServer } from './http-server';
import { createInboxFeed } from './inbox-feed';
import { createEntryGateway } from './temporal/gateway';
import { closedRunsInRecord } from './record-reads';
import { createLogger } from './logging';
import { followTokenFile, loadTokenStore } from './tokens';

/** In-flight requests get this long after a shutdown signal before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadApiConfig();
  refuseExampleValues(apiExampleValues(config), config.UEP_DEMO);
  const logger = createLogger(config);
  const connection = await Connection.connect({ ...temporalConnectionOptions(config), connectTimeout: config.TEMPORAL_RPC_TIMEOUT_MS });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const record = openRecord(config.RECORD_DATABASE_URL, { maxConnections: config.RECORD_POOL_SIZE });
  const notices = followRecordNotices(config.RECORD_DATABASE_URL, record, logger);
  const tokens = loadTokenStore(config);
  // Minted, revoked or edited tokens apply without a restart: on a change of the file, or SIGHUP.
  const following = config.AUTH_TOKENS_FILE ? followTokenFile(tokens, config.AUTH_TOKENS_FILE, { info: (m) => logger.info(m), error: (m) => logger.error(m) }) : undefined;
  process.on('SIGHUP', () => following?.reload());
  const inboxFeed = createInboxFeed(record, notices, Date.now, logger);
  const app = createApp({ gateway: createEntryGateway(client, config, closedRunsInRecord(record)), config, record, notices, logger, tokens, inboxFeed });
  const server = createApiServer(app);

  await new Promise<void>((resolve) => server.listen(config.API_PORT, config.API_HOST, resolve));
  logger.info({ host: config.API_HOST, port: config.API_PORT, temporal: config.TEMPORAL_ADDRESS }, 'UEP API listening');

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    const force = setTimeout(() => {
      logger.warn('in-flight requests did not finish in time; closing');
      server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    inboxFeed.close(); // the live inboxes' streams end; their browsers connect again to another instance
    server.close((err) => {
      clearTimeout(force);
      if (err) logger.error({ err }, 'server close failed');
      Promise.all([connection.close(), notices.close().then(() => record.destroy())])
        .catch((closeErr: unknown) => logger.error({ err: closeErr }, 'Temporal connection close failed'))
        .finally(() => {
          logger.info('stopped');
          logger.flush();
          process.exit(err ? 1 : 0);
        });
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
