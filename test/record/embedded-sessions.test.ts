/**
 * The embedded record shared by several connections at once (the worker's and the API's pools):
 * every client's queries with parameters and its transactions run whole, never interleaved with
 * another client's (PGlite serves one session at a time).
 */
import { Pool } from 'pg';
import { startPgliteServer, type RecordServer } from '../../testkit/postgres';

let record: RecordServer;
let pool: Pool;
beforeAll(async () => {
  record = await startPgliteServer();
  pool = new Pool({ connectionString: record.url, max: 4 });
  await pool.query('CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL)');
  await pool.query('INSERT INTO counter SELECT g, 0 FROM generate_series(0, 9) g');
});
afterAll(async () => {
  await pool?.end();
  await record?.stop();
});

test('four connections, 1,200 queries with parameters and transactions at once: none fails, no increment is lost', async () => {
  const failures: string[] = [];
  const increments = 400;
  await Promise.all(
    Array.from({ length: 3 * increments }, async (_, i) => {
      try {
        if (i % 3 !== 0) {
          const { rows } = await pool.query<{ n: number }>('SELECT n FROM counter WHERE id = $1', [i % 10]);
          expect(rows).toHaveLength(1);
          return;
        }
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query('UPDATE counter SET n = n + $1 WHERE id = $2', [1, i % 10]);
          await client.query('COMMIT');
        } finally {
          client.release();
        }
      } catch (err) {
        failures.push((err as Error).message);
      }
    }),
  );
  expect([...new Set(failures)]).toEqual([]);
  const { rows } = await pool.query<{ total: string }>('SELECT sum(n) AS total FROM counter');
  expect(Number(rows[0]!.total)).toBe(increments);
});
