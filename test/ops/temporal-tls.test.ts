/**
 * The engine reaches a Temporal server over TLS (mTLS here) with an API key, from the settings of
 * config/temporal.ts that the worker and the API share. The server is a real Temporal dev server
 * behind Caddy, which terminates TLS (server certificate, client certificates required and checked
 * against the test's CA) and requires the API key, proxying gRPC to the dev server on loopback.
 * The real worker process and the real API process connect through it; /readyz answering 200
 * shows both did (the API reaches Temporal, and sees the worker polling).
 */
import { Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { temporalConnectionOptions, temporalEnvSchema } from '../../config/temporal';
import { ENGINE_WORKER_ENTRY, startWorkerProcess, type WorkerProcess } from '../../testkit/worker-process';
import { eventually } from '../../testkit/api-harness';
import { spawnApiProcess, type ApiProcess } from '../../testkit/api-process';
import { startCaddy, type RunningCaddy } from '../../testkit/caddy';
import { makeTestPki, type TestPki } from '../../testkit/pki';
import { testRecordUrl } from '../../testkit/record';
import { startDevServer, uniqueTaskQueue } from '../../testkit/temporal';

const API_KEY = 'test-api-key-3f9a1c';

let env: TestWorkflowEnvironment;
let pki: TestPki;
let caddy: RunningCaddy;
let tlsAddress: string;
let worker: WorkerProcess | undefined;
let api: ApiProcess | undefined;

/** The settings a deployment would put in its environment. */
const tlsEnv = () => ({
  TEMPORAL_ADDRESS: tlsAddress,
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.ca,
  TEMPORAL_TLS_SERVER_NAME: 'localhost',
  TEMPORAL_TLS_CLIENT_CERT_PATH: pki.clientCert,
  TEMPORAL_TLS_CLIENT_KEY_PATH: pki.clientKey,
  TEMPORAL_API_KEY: API_KEY,
});

/** Connects and makes one call; resolves with the error message, or 'ok'. */
async function tryConnect(options: Parameters<typeof Connection.connect>[0]): Promise<string> {
  try {
    const connection = await Connection.connect({ ...options, connectTimeout: 5_000 });
    try {
      await connection.withDeadline(Date.now() + 5_000, () => connection.workflowService.getSystemInfo({}));
      return 'ok';
    } finally {
      await connection.close();
    }
  } catch (err) {
    return (err as Error).message || String(err);
  }
}

beforeAll(async () => {
  env = await startDevServer();
  pki = makeTestPki();
  const caddyfile = path.join(pki.dir, 'Caddyfile');
  writeFileSync(
    caddyfile,
    `{
	admin {$CADDY_ADMIN}
	http_port {$CADDY_HTTP_PORT}
	https_port {$CADDY_HTTPS_PORT}
	skip_install_trust
}

:{$CADDY_HTTPS_PORT} {
	tls ${pki.serverCert} ${pki.serverKey} {
		client_auth {
			mode require_and_verify
			trust_pool file ${pki.ca}
		}
	}
	@no_api_key not header Authorization "Bearer ${API_KEY}"
	respond @no_api_key 401
	reverse_proxy h2c://${env.address}
}
`,
  );
  caddy = await startCaddy(caddyfile);
  tlsAddress = `127.0.0.1:${caddy.httpsPort}`;
});

afterAll(async () => {
  await api?.stop();
  await worker?.kill('SIGTERM');
  await caddy?.stop();
  await env?.teardown();
});

describe('Temporal client settings (config/temporal.ts)', () => {
  test('turn into the same connection options for the worker and the API; TLS is implied by any of them', () => {
    const options = temporalConnectionOptions(temporalEnvSchema.parse(tlsEnv()));
    expect(options).toMatchObject({ address: tlsAddress, apiKey: API_KEY, tls: { serverNameOverride: 'localhost' } });
    expect(Object.keys(options.tls as object).sort()).toEqual(['clientCertPair', 'serverNameOverride', 'serverRootCACertificate']);
    expect(temporalConnectionOptions(temporalEnvSchema.parse({ TEMPORAL_API_KEY: 'k' })).tls).toBe(true);
    expect(temporalConnectionOptions(temporalEnvSchema.parse({ TEMPORAL_TLS: 'true' })).tls).toBe(true);
    expect(temporalConnectionOptions(temporalEnvSchema.parse({})).tls).toBeUndefined();
    expect(() => temporalConnectionOptions(temporalEnvSchema.parse({ TEMPORAL_TLS_CLIENT_CERT_PATH: pki.clientCert }))).toThrow(/set both \(mTLS\) or neither/);
    expect(() => temporalConnectionOptions(temporalEnvSchema.parse({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: '/nonexistent/ca.pem' }))).toThrow(
      /TEMPORAL_TLS_SERVER_CA_CERT_PATH: cannot read \/nonexistent\/ca.pem/,
    );
  });

  test('a connection with them succeeds; plain, without a client certificate or without the API key it fails', async () => {
    const options = temporalConnectionOptions(temporalEnvSchema.parse(tlsEnv()));
    expect(await tryConnect(options)).toBe('ok');
    expect(await tryConnect({ address: tlsAddress })).not.toBe('ok');
    const { clientCertPair: _dropped, ...noClientCert } = options.tls as Exclude<typeof options.tls, boolean | undefined>;
    expect(await tryConnect({ ...options, tls: noClientCert })).not.toBe('ok');
    const { apiKey: _key, ...noApiKey } = options;
    expect(await tryConnect(noApiKey)).not.toBe('ok');
  });

  test('the worker process and the API process connect over TLS: /readyz sees the worker polling', async () => {
    const taskQueue = uniqueTaskQueue('tls');
    worker = await startWorkerProcess({
      entry: ENGINE_WORKER_ENTRY,
    // It bundles the workflows at start (webpack): slow on a loaded machine.
    readyTimeoutMs: 120_000,
      env: { ...tlsEnv(), TEMPORAL_TASK_QUEUE: taskQueue, WORKER_METRICS_ENABLED: 'false', LOG_LEVEL: 'INFO', RECORD_DATABASE_URL: await testRecordUrl() },
    });
    const started = await spawnApiProcess({ TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'warn', ...tlsEnv() });
    api = started;
    const ready = await eventually(
      () => fetch(`${started.baseUrl}/readyz`).then((r) => r.status, () => 0),
      (status) => status === 200 || started.child.exitCode !== null,
      60_000,
    );
    expect({ ready, apiLog: ready === 200 ? '' : started.output() }).toEqual({ ready: 200, apiLog: '' });
  }, 240_000);
});
