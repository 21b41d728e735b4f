/**
 * The audit export streamed to a client that goes away mid-stream: the handler ends (and says so),
 * nothing waits on the gone client, and the next export is served in full.
 */
import { sql } from 'kysely';
import pino from 'pino';
import { Writable } from 'node:stream';
import { entryIdFor } from '../../domain';
import { BODY } from '../../domain/vocabulary';
import { startBodyAcceded } from '../../testkit/api-fixtures';
import { call, eventually, listenApp, type ListeningApp } from '../../testkit/api-harness';
import { sharedTestRecord } from '../../testkit/record';
import { useApiHarness } from '../../testkit/suites';
import { uniquePartyId } from '../../testkit/temporal';

const suite = useApiHarness();
/** A day of its own, long past: no other test exports it. Megabytes of records, more than the socket buffers hold. */
const DAY = '2001-02-03';
const COPIES = 6000;
const logged: { msg: string; records?: number; complete?: boolean }[] = [];
let app: ListeningApp;
let entryId: string;

beforeAll(async () => {
  const partyId = uniquePartyId('EXPORT');
  entryId = entryIdFor(partyId);
  const started = await call(suite.h.baseUrl, 'POST', '/v1/entries', { token: suite.h.tokenFor(BODY.OPS), body: startBodyAcceded(partyId) });
  expect(started.status).toBe(201);
  const record = await sharedTestRecord();
  await eventually(
    () => record.selectFrom('audit').select('seq').where('entry_id', '=', entryId).execute(),
    (rows) => rows.length > 0,
  );
  await sql`
    INSERT INTO audit (entry_id, seq, chain_id, chain_seq, record_key, at, action, principal_body, principal_id, record)
    SELECT entry_id, 100000 + g, chain_id, 100000 + g, 'export-test-copy:' || g, ${`${DAY}T00:00:00Z`}::timestamptz + g * interval '1 second',
           action, principal_body, principal_id, record || jsonb_build_object('comment', repeat('x', 1000))
    FROM audit, generate_series(1, ${COPIES}) AS g
    WHERE entry_id = ${entryId} AND seq = (SELECT min(seq) FROM audit WHERE entry_id = ${entryId})`.execute(record);
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logged.push(JSON.parse(line) as (typeof logged)[number]);
      done();
    },
  });
  app = await listenApp(suite.env.client, { TEMPORAL_TASK_QUEUE: suite.h.config.TEMPORAL_TASK_QUEUE }, suite.h.tokens, { logger: pino({ level: 'info' }, sink) });
});

// The copies stay (the audit trail is append-only): they are on a day no other test reads, of an entry of this test's own.
afterAll(() => app?.close());

const exportUrl = (format: string) => `${app.baseUrl}/v1/audit-export?from=${DAY}&to=${DAY}&format=${format}`;
const headers = () => ({ authorization: `Bearer ${suite.h.tokenFor(BODY.OPS)}` });

test.each(['ndjson', 'csv'])('a client that goes away mid-stream (%s) ends the export; the next one is served in full', async (format) => {
  const before = logged.length;
  const aborting = new AbortController();
  const answer = await fetch(exportUrl(format), { headers: headers(), signal: aborting.signal });
  expect(answer.status).toBe(200);
  const reader = answer.body!.getReader();
  await reader.read(); // the first lines, then the client is gone
  aborting.abort();
  await reader.cancel().catch(() => undefined);

  const ended = await eventually(
    async () => logged.slice(before).filter((l) => l.msg.startsWith('audit export ended')),
    (lines) => lines.length > 0,
  );
  expect(ended).toEqual([expect.objectContaining({ msg: 'audit export ended: the client went away', complete: false })]);
  expect(ended[0]!.records).toBeLessThan(COPIES);

  const full = await fetch(exportUrl(format), { headers: headers() });
  const lines = (await full.text()).split(format === 'csv' ? '\r\n' : '\n').filter(Boolean);
  expect([full.status, lines.length]).toEqual([200, format === 'csv' ? COPIES + 1 : COPIES]);
  expect(logged.slice(before).filter((l) => l.msg.startsWith('audit export ended')).at(-1)).toEqual(
    expect.objectContaining({ msg: 'audit export ended', records: COPIES, complete: true }),
  );
});
