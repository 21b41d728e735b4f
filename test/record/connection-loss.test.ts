/**
 * PostgreSQL ending a connection the record holds (a restart, an administrator's terminate)
 * fails at most the query on it: the process lives on and the next query reconnects. Before the
 * record's pool listened on every client, it ended the worker (found by the cluster's PostgreSQL
 * restart under load).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startRecordServer, type RecordServer } from '../../testkit/postgres';

let server: RecordServer;

beforeAll(async () => {
  server = await startRecordServer('postgresql');
}, 180_000);

afterAll(() => server?.stop());

test('the server ending a checked-out connection between queries does not end the process', () => {
  const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'connection-loss-child.ts'), server.url], { encoding: 'utf8', timeout: 60_000 });
  expect({ status: child.status, stdout: child.stdout.trim(), stderr: child.stderr.includes("Unhandled 'error' event") }).toEqual({
    status: 0,
    stdout: 'next query answered 1',
    stderr: false,
  });
}, 90_000);
