/**
 * npm start: the whole system on one machine. The Temporal dev server (Web UI, SQLite in the
 * data folder) unless TEMPORAL_ADDRESS names a running server, then the worker and the API.
 * Ctrl-C (SIGINT) or SIGTERM stops all of it and waits for every child to exit.
 */
import { Connection } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { parseEnv, port } from '../config/env';
import { DEFAULT_NAMESPACE } from '../config/temporal';
import { searchAttributeCliPairs } from '../workflows/search-attributes';
import { buildConsole } from './build-console';
import { ensureSearchAttributes } from './search-attributes';
import { ensureLocalTokens } from './local-tokens';
import { startLocalMailSink } from './local-mail-sink';
import { PROJECT_ROOT, TEMPORAL_CLI, requireBinary } from './temporal-toolchain';

const localEnvSchema = z.object({
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default(DEFAULT_NAMESPACE),
  TEMPORAL_PORT: port(7233),
  TEMPORAL_UI_PORT: port(8233),
  API_PORT: port(3000),
  /** Where the worker sends mail; unset: a local sink writes every message to <data>/mail. */
  SMTP_URL: z.string().optional(),
  LOCAL_SMTP_PORT: port(1025),
  UEP_DATA_DIR: z.string().default(path.join(PROJECT_ROOT, 'data')),
});

const children: ChildProcess[] = [];
let stopping = false;

function start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(command, args, { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); stopping everything`);
      void stop(1);
    }
  });
  children.push(child);
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Stops the API and worker first, the Temporal server last, each given time to finish. */
async function stop(code: number): Promise<never> {
  stopping = true;
  for (const child of [...children].reverse()) {
    child.kill('SIGTERM');
    const done = await Promise.race([exited(child).then(() => true), delay(35_000).then(() => false)]);
    if (!done) child.kill('SIGKILL');
  }
  process.exit(code);
}

async function connectWhenReady(address: string, timeoutMs: number): Promise<Connection> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await Connection.connect({ address, connectTimeout: 1000 });
    } catch (err) {
      if (Date.now() > until) throw err;
      await delay(250);
    }
  }
}

async function main(): Promise<void> {
  const env = parseEnv(localEnvSchema);
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  // the console as the sources are now (served by the API at /app)
  await buildConsole();

  let address = env.TEMPORAL_ADDRESS;
  let uiUrl = process.env.TEMPORAL_UI_URL;
  if (!address) {
    mkdirSync(env.UEP_DATA_DIR, { recursive: true });
    address = `127.0.0.1:${env.TEMPORAL_PORT}`;
    uiUrl = `http://127.0.0.1:${env.TEMPORAL_UI_PORT}`;
    const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(env.TEMPORAL_PORT), '--ui-port', String(env.TEMPORAL_UI_PORT)];
    args.push('--db-filename', path.join(env.UEP_DATA_DIR, 'temporal.sqlite'), '--namespace', env.TEMPORAL_NAMESPACE, '--log-level', 'error');
    for (const { name, type } of searchAttributeCliPairs()) args.push('--search-attribute', `${name}=${type}`);
    start('temporal', requireBinary(TEMPORAL_CLI), args, {});
  }
  const connection = await connectWhenReady(address, 30_000);
  const added = await ensureSearchAttributes(connection, env.TEMPORAL_NAMESPACE);
  if (added.length > 0) console.log(`registered search attributes: ${added.join(', ')}`);
  await connection.close();

  const tokensFile = ensureLocalTokens(env.UEP_DATA_DIR);
  let smtpUrl = env.SMTP_URL;
  let mailNote = smtpUrl ?? '';
  if (!smtpUrl) {
    const sink = await startLocalMailSink(env.UEP_DATA_DIR, env.LOCAL_SMTP_PORT);
    smtpUrl = sink.url;
    mailNote = `${sink.dir} (every message as an .eml file)`;
  }
  const shared = {
    TEMPORAL_ADDRESS: address,
    TEMPORAL_NAMESPACE: env.TEMPORAL_NAMESPACE,
    ...(uiUrl ? { TEMPORAL_UI_URL: uiUrl } : {}),
    API_PUBLIC_URL: `http://127.0.0.1:${env.API_PORT}`,
  };
  // node itself (not the tsx wrapper) so that SIGTERM reaches the process and it shuts down gracefully
  start('worker', process.execPath, ['--import', 'tsx', 'worker/main.ts'], { ...shared, SMTP_URL: smtpUrl });
  start('api', process.execPath, ['--import', 'tsx', 'api/server.ts'], { ...shared, API_PORT: String(env.API_PORT), AUTH_TOKENS_FILE: tokensFile });

  console.log(
    [
      '',
      'UEP engine running:',
      `  Console         http://127.0.0.1:${env.API_PORT}/app  (sign in with a dev token)`,
      `  API             http://127.0.0.1:${env.API_PORT}  (docs: /docs, OpenAPI: /openapi.json)`,
      `  Temporal Web UI ${uiUrl ?? '(external server)'}`,
      `  Temporal gRPC   ${address}`,
      `  Dev tokens      ${path.join(env.UEP_DATA_DIR, 'dev-tokens.txt')}`,
      `  Mail            ${mailNote}`,
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  void stop(1);
});
