/**
 * The record's notices and the API's read-your-write wait on them: on a real PostgreSQL every
 * committed change of an entry's row reaches the listener with its mark, a wait ends on its
 * write's notice (or on the last notice, for a wait that starts after its write) without a query,
 * and a lost listener connection comes back. The embedded PGlite delivers no notices across its
 * clients: the listener says so and the wait polls.
 *
 * @runs-alone its bound is half a second (a notice told within 0.5 s of its write): other files
 * running beside it on two cores pushed that past the bound (551 ms).
 */
import { sql } from 'kysely';
import { InboxFeed, type InboxSignal } from '../../api/inbox-feed';
import { RecordCatchUp } from '../../api/record-catch-up';
import { BODY } from '../../domain/vocabulary';
import { applyCommand, startEntry, type EntryState } from '../../domain';
import type { AuditRecord, EntryCommand } from '../../domain/types';
import { openRecord, type RecordDb } from '../../record/db';
import { followRecordNotices, type RecordNotices } from '../../record/notices';
import { projectionOf } from '../../domain/projection';
import type { RecordedMark } from '../../record/read';
import { markClosedOutsideEngine, writeProjection } from '../../record/write';
import { changeClaim } from '../../record/stage-claims';
import type { RecordServer } from '../../testkit/postgres';
import { useMigratedRecord } from '../../testkit/suites';

const T0 = Date.parse('2026-11-02T10:00:00Z');
const OPS = { body: 'OPS', id: 'ops-1' } as const;

/** An entry as the workflow hands it over: started, then one decision an hour later. */
function entryOf(partyId: string, chainId: string) {
  const started = startEntry(
    { partyId, partyName: `Party ${partyId}`, cohort: 'SMALL_NON_DOMESTIC_SUPPLIER', roles: ['IMPORT_SUPPLIER'], uepContact: { name: 'Ann', email: 'ann@acme.example' }, startedBy: OPS },
    T0,
  );
  const run = { chainId, runId: chainId };
  const start = projectionOf(started.state, run, T0, started.state.audit, started.effects.notifications);
  const command: EntryCommand = { type: 'WITHDRAW', reason: 'test', principal: OPS };
  const after = applyCommand(started.state, command, T0 + 3_600_000);
  if (!after.ok) throw new Error(`refused: ${after.refusal.code}`);
  const state: EntryState = after.state;
  const update = projectionOf(state, run, T0 + 3_600_000, state.audit.slice(started.state.audit.length), after.effects.notifications);
  return { start, update, updateRecord: state.audit.at(-1) as AuditRecord };
}

function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => (condition() ? resolve() : Date.now() > end ? reject(new Error(`timed out: ${what}`)) : setTimeout(tick, 10));
    tick();
  });
}

interface Heard {
  notices: RecordNotices;
  marks: { entryId: string; mark: RecordedMark }[];
  events: string[];
  logged: string[];
}

function listen(server: RecordServer, db: RecordDb): Heard {
  const heard: Heard = { notices: undefined as never, marks: [], events: [], logged: [] };
  heard.notices = followRecordNotices(server.url, db, { info: (m) => heard.logged.push(m), warn: (m) => heard.logged.push(m) });
  heard.notices.subscribe({
    mark: (entryId, mark) => heard.marks.push({ entryId, mark }),
    live: () => heard.events.push('live'),
    lost: () => heard.events.push('lost'),
  });
  return heard;
}

describe('on a real PostgreSQL', () => {
  const record = useMigratedRecord('postgresql', { maxConnections: 4 });
  let heard: Heard;

  beforeAll(async () => {
    heard = listen(record.server, record.db);
    await until(() => heard.notices.live, 'the listener live');
  });

  afterAll(() => heard?.notices.close());

  test('every committed change of an entry row reaches the listener with its mark; a write that changes nothing is not announced', async () => {
    const { start, update } = entryOf('NTC001', 'chain-ntc001');
    heard.marks.length = 0;
    await sql`select pg_notify('uep_entry_recorded', 'not a notice of the trigger')`.execute(record.db); // ignored
    await writeProjection(record.db, start);
    await writeProjection(record.db, start); // the same state again: no row changes
    await markClosedOutsideEngine(record.db, { entryId: start.entryId, runId: 'chain-ntc001', temporalStatus: 'TERMINATED', closedAt: new Date(T0 + 7_200_000) });
    await writeProjection(record.db, update); // behind the closure outside the engine: refused, no row changes
    await until(() => heard.marks.length >= 2, 'two notices');
    await new Promise((r) => setTimeout(r, 200)); // nothing more comes
    expect(heard.marks).toEqual([
      { entryId: start.entryId, mark: { chainId: 'chain-ntc001', asOf: new Date(T0), status: 'IN_PROGRESS' } },
      { entryId: start.entryId, mark: { chainId: 'chain-ntc001', asOf: new Date(T0), status: 'CLOSED_OUTSIDE_ENGINE' } },
    ]);
    expect(heard.logged).toEqual([expect.stringContaining("the record's notices arrive")]);
  });

  test('a wait ends on its write\'s notice, and one that starts after its write on the last notice, without a query', async () => {
    // the catch-up's record is on a port nothing listens on: any query it made would fail the wait
    const unreachable = openRecord('postgres://uep@127.0.0.1:1/none');
    const catchUp = new RecordCatchUp(unreachable, 60_000, heard.notices);
    expect(catchUp.mode).toBe('NOTICES');
    const { start, update, updateRecord } = entryOf('NTC002', 'chain-ntc002');

    const run = catchUp.awaitRun('NTC002', 'chain-ntc002');
    await writeProjection(record.db, start);
    await expect(run).resolves.toBe(true);

    await writeProjection(record.db, update);
    await until(() => heard.marks.some((m) => m.mark.status === 'WITHDRAWN' && m.entryId === start.entryId), 'the update noticed');
    await expect(catchUp.awaitUpdate('NTC002', updateRecord)).resolves.toBe(true);
    // and a wait nothing announces falls to the check, which asks the record
    await expect(catchUp.awaitRun('NTC002', 'another-chain')).rejects.toThrow('ECONNREFUSED');
    await unreachable.destroy();
  });

  test('the live inbox reads the record on its notices: a stage arriving in SECAS\'s inbox, claimed, then leaving it, is told within half a second, not at the next poll (30 s while notices arrive)', async () => {
    const feed = new InboxFeed(record.db, { notices: heard.notices, now: () => T0 });
    const told: InboxSignal[] = [];
    const stop = feed.subscribe(BODY.SECAS, (signal) => told.push(signal), () => undefined);
    try {
      await until(() => told.length === 1, 'the count when the stream opens');
      const before = told[0]!.count;
      const { start, update } = entryOf('NTC004', 'chain-ntc004'); // its accession awaits SECAS, until the withdrawal
      let written = Date.now();
      await writeProjection(record.db, start);
      await until(() => told.length === 2, 'the arrival told', 500);
      const arrivedMs = Date.now() - written;
      expect(told[1]).toEqual({ body: BODY.SECAS, count: before + 1, overdue: told[0]!.overdue });
      // an officer claims it: the claim's trigger announces it, and the inbox (same count) is told
      written = Date.now();
      const secas = { body: BODY.SECAS, id: 'secas-1', name: 'Sue' };
      expect((await changeClaim(record.db, { partyId: 'NTC004', stage: 'ACCESSION', role: '' }, secas, secas, false, new Date())).outcome).toBe('CHANGED');
      await until(() => told.length === 3, 'the claim told', 500);
      expect(told[2]).toEqual(told[1]);
      expect(Date.now() - written).toBeLessThan(500);
      written = Date.now();
      await writeProjection(record.db, update);
      await until(() => told.length === 4, 'the leaving told', 500);
      expect(told[3]!.count).toBe(before);
      expect(arrivedMs).toBeLessThan(500);
      expect(Date.now() - written).toBeLessThan(500);
    } finally {
      stop();
      feed.close();
    }
  });

  test('a listener whose connection the server ends comes back, and waits poll meanwhile', async () => {
    heard.events.length = 0;
    const catchUp = new RecordCatchUp(record.db, 60_000, heard.notices);
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where query = ${'LISTEN uep_entry_recorded'}`.execute(record.db);
    await until(() => heard.events.includes('lost'), 'the loss noticed');
    expect(catchUp.mode).toBe('POLLING');
    const { start, update } = entryOf('NTC003', 'chain-ntc003');
    const run = catchUp.awaitRun('NTC003', 'chain-ntc003');
    await writeProjection(record.db, start);
    await expect(run).resolves.toBe(true);
    await until(() => heard.notices.live, 'the listener live again');
    expect(catchUp.mode).toBe('NOTICES');
    expect(heard.events).toEqual(['lost', 'live']);
    expect(heard.logged.slice(1)).toEqual([expect.stringContaining('lost the connection'), expect.stringContaining("the record's notices arrive")]);

    heard.marks.length = 0;
    await writeProjection(record.db, update);
    await until(() => heard.marks.length === 1, 'a notice after the reconnect');
  }, 30_000);
});

describe('on the embedded PGlite', () => {
  const record = useMigratedRecord('pglite', { maxConnections: 4 });

  test('the listener finds no notices arrive and says so; waits poll the record', async () => {
    const heard = listen(record.server, record.db);
    await until(() => heard.logged.length > 0, 'the listener gives up', 15_000);
    expect(heard.logged).toEqual([expect.stringContaining('the record delivers no notices')]);
    expect(heard.notices.live).toBe(false);

    const catchUp = new RecordCatchUp(record.db, 60_000, heard.notices);
    expect(catchUp.mode).toBe('POLLING');
    const { start, update, updateRecord } = entryOf('NTC101', 'chain-ntc101');
    const run = catchUp.awaitRun('NTC101', 'chain-ntc101');
    await writeProjection(record.db, start);
    await expect(run).resolves.toBe(true);
    await writeProjection(record.db, update);
    await expect(catchUp.awaitUpdate('NTC101', updateRecord)).resolves.toBe(true);
    expect(heard.marks).toEqual([]);
    await heard.notices.close();
  }, 30_000);
});
