/**
 * Run by connection-loss.test.ts as a process of its own (an unhandled 'error' ends the process,
 * as it would end the worker or the API): the server ends a connection the record holds between
 * two queries, then the record answers the next query.
 */
import { sql } from 'kysely';
import { openRecord } from '../../record/db';
import { exitWhenDone } from '../../scripts/exit-when-done';

async function main(url: string): Promise<void> {
  const db = openRecord(url, { maxConnections: 2 });
  const admin = openRecord(url, { maxConnections: 1 });
  await db.connection().execute(async (conn) => {
    const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(conn);
    await sql`select pg_terminate_backend(${rows[0]?.pid})`.execute(admin);
    await new Promise((resolve) => setTimeout(resolve, 500)); // the server's FATAL 57P01 arrives while no query runs
  });
  const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db);
  console.log(`next query answered ${rows[0]?.one}`);
  await admin.destroy();
  await db.destroy();
}

exitWhenDone(() => main(process.argv[2] ?? ''));
