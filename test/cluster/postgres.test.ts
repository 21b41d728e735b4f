/**
 * The cluster's PostgreSQL (scripts/cluster/postgres.ts) on its own, in seconds: it starts from a
 * clone as deep as a user may make one (its data folder's path longer than a Unix socket's 107
 * bytes), and when SIGKILLed its supervisor starts it again on the same data.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PG_PASSWORD, PG_USER, postgres, type Postgres } from '../../scripts/cluster/postgres';
import { lineLog } from '../../scripts/supervisor';
import { eventually } from '../../testkit/api-harness';
import { freePort } from '../../testkit/ports';

let root: string;
let pgServer: Postgres | undefined;
const lines: string[] = [];

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'uep-cluster-pg-'));
  chmodSync(root, 0o755); // a clone its unprivileged user can reach when run as root: the data stays in it
});

afterAll(async () => {
  await pgServer?.stop();
  rmSync(root, { recursive: true, force: true });
});

async function query(port: number, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: PG_USER, password: PG_PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    return (await client.query<Record<string, unknown>>(sql)).rows;
  } finally {
    await client.end();
  }
}

test('starts from a deep clone, and its supervisor brings it back on the same data after a SIGKILL', async () => {
  const clusterDir = path.join(root, 'a-folder-name-as-long-as-people-make-them', 'projects', 'uep-engine-with-a-long-name', 'data', 'cluster');
  mkdirSync(path.join(clusterDir, 'logs'), { recursive: true });
  const port = await freePort();
  const server = postgres({ clusterDir, port, logFile: path.join(clusterDir, 'logs', 'postgresql.log'), log: lineLog((l) => lines.push(l)) });
  pgServer = server;
  expect(server.dataDir).toBe(path.join(clusterDir, 'postgresql'));
  expect(path.join(server.dataDir, `.s.PGSQL.${port}`).length).toBeGreaterThan(107);
  await server.start();
  await query(port, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('before the crash')");

  const killed = server.pid()!;
  process.kill(killed, 'SIGKILL');
  const rows = await eventually(() => query(port, 'SELECT v FROM kept').catch(() => undefined), (r) => r !== undefined, 60_000);
  expect(rows).toEqual([{ v: 'before the crash' }]);
  expect(server.pid()).not.toBe(killed);
  expect(lines.join('\n')).toMatch(/postgresql exited unexpectedly; restarting it \(exit SIGKILL/);
  console.log(`cluster PostgreSQL from ${clusterDir}: ${lines.join('; ')}`);
}, 120_000);
