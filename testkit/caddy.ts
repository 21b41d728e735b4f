/**
 * Caddy (the binary of scripts/toolchain-requirements.txt) run for a test: the project's own
 * deploy/Caddyfile or one a test writes, on free loopback-chosen ports, with its data (certificates,
 * its local CA) in a temp folder. Stops with the test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CADDY, requireBinary } from '../config/temporal-toolchain';
import { eventually } from './api-harness';
import { freePort } from './ports';


/** The admin endpoint answers 200 (node:http: fetch's Sec-Fetch-Mode makes Caddy check an origin). */
function adminAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    get({ host: '127.0.0.1', port, path: '/config/' }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    }).on('error', () => resolve(false));
  });
}

export interface RunningCaddy {
  httpPort: number;
  httpsPort: number;
  /** XDG_DATA_HOME: Caddy's local CA root is at caddy/pki/authorities/local/root.crt under it. */
  dataDir: string;
  output: () => string;
  stop: () => Promise<void>;
}

/** Runs `caddy run` on a Caddyfile; the environment fills its {$PLACEHOLDERS}. Ready once the admin endpoint answers. */
export async function startCaddy(caddyfile: string, env: Record<string, string> = {}): Promise<RunningCaddy> {
  const [httpPort, httpsPort, adminPort] = [await freePort(), await freePort(), await freePort()];
  const home = mkdtempSync(path.join(tmpdir(), 'uep-caddy-'));
  let log = '';
  const child: ChildProcess = spawn(requireBinary(CADDY), ['run', '--adapter', 'caddyfile', '--config', caddyfile], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: home,
      XDG_DATA_HOME: path.join(home, 'data'),
      XDG_CONFIG_HOME: path.join(home, 'config'),
      CADDY_HTTP_PORT: String(httpPort),
      CADDY_HTTPS_PORT: String(httpsPort),
      CADDY_ADMIN: `127.0.0.1:${adminPort}`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(home, { recursive: true, force: true });
  };
  try {
    const ready = await eventually(
      async () => child.exitCode === null && (await adminAnswers(adminPort)),
      (up) => up || child.exitCode !== null,
      30_000,
    );
    if (!ready) throw new Error(`caddy did not start (exit code ${child.exitCode}):\n${log}`);
  } catch (err) {
    await stop();
    throw err;
  }
  return { httpPort, httpsPort, dataDir: path.join(home, 'data'), output: () => log, stop };
}
