/**
 * The local identity provider as a process of its own (npm start supervises it): listens on
 * 127.0.0.1:LOCAL_IDP_PORT, logs one JSON line once it serves, and stops on SIGTERM/SIGINT.
 */
import { createServer } from 'node:http';
import { parseEnv } from '../../config/env';
import { createLogger } from '../../config/logging';
import { loadOrCreateKeys } from './keys';
import { createLocalIdp } from './provider';
import { localIdpEnvSchema } from './settings';

async function main(): Promise<void> {
  const settings = parseEnv(localIdpEnvSchema);
  const log = createLogger('local-idp', settings.LOG_LEVEL);
  const idp = createLocalIdp(settings, await loadOrCreateKeys(settings.LOCAL_IDP_KEYS_FILE), log);
  const server = createServer(idp.app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.LOCAL_IDP_PORT, '127.0.0.1', resolve);
  });
  // since the process started, module loading included
  log.info({ issuer: idp.issuer, startedInMs: Math.round(performance.now()) }, 'local identity provider serving');

  const stop = () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // orphaned (its parent killed): it must not go on holding the port
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop();
  }, 1000).unref();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
