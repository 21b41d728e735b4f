/** Every endpoint against a real dev server and worker: entries, sign-offs, search, audit, inbox, report. */
import { type StartEntryRequest, EntryListResponse, EntryResponse, ErrorResponse, InboxResponse, StartEntryResponse, UpdateResponse, AuditTrailResponse, ComplianceReport } from '../../api/schemas';
import { AUDIT_ACTION } from '../../domain/types';
import { openStagesOf } from '../../domain';
import { CURRENT_CALENDAR_VERSION } from '../../domain/calendar';
import { CALENDARS } from '../../domain/calendar-data';
import { BODY, COHORT, ENTRY_STATUS, STAGE, STAGE_STATE, USER_ROLE } from '../../domain/vocabulary';
import { uniquePartyId } from '../../testkit/temporal';
import { startBody, startBodyAcceded } from '../../testkit/api-fixtures';
import { daysFromToday } from '../../testkit/dates';
import { call, eventually } from '../../testkit/api-harness';
import { useApiHarness } from '../../testkit/suites';
import { bearer, party, refusalOf, type Schemas } from '../../testkit/typed-api';
import type { operations } from '../../console/src/openapi';

const suite = useApiHarness();
let ops: string;
let secas: string;
let dcc: string;
let panel: string;

beforeAll(async () => {
  ops = suite.h.tokenFor(BODY.OPS);
  secas = suite.h.tokenFor(BODY.SECAS);
  dcc = suite.h.tokenFor(BODY.DCC);
  panel = suite.h.tokenFor(BODY.SEC_PANEL);
});

/** A refusal in the one error shape, with this status and code. */
const expectError = (r: Parameters<typeof refusalOf>[0], status: number, code: string) => expect(refusalOf(r)).toEqual({ status, code });

async function started(partyId = uniquePartyId(), body?: StartEntryRequest, overrides: Partial<StartEntryRequest> = {}): Promise<string> {
  body ??= startBodyAcceded(partyId, overrides);
  const r = await suite.api.POST('/v1/entries', { ...bearer(ops), body });
  expect(r.response.status).toBe(201);
  return partyId;
}

describe('start and read', () => {
  test('POST /v1/entries starts an entry: 201, Location, links to itself and the Temporal UI', async () => {
    const partyId = uniquePartyId();
    const r = await suite.api.POST('/v1/entries', { ...bearer(ops), body: startBody(partyId) });
    expect(r.response.status).toBe(201);
    const body = StartEntryResponse.parse(r.data);
    expect(body).toMatchObject({ entryId: `uep-${partyId}`, partyId, status: ENTRY_STATUS.IN_PROGRESS });
    expect(r.response.headers.get('location')).toBe(`${suite.h.baseUrl}/v1/entries/${partyId}`);
    expect(body.links.self).toBe(`${suite.h.baseUrl}/v1/entries/${partyId}`);
    expect(body.links.temporalUi).toBe(`${suite.h.config.TEMPORAL_UI_URL}/namespaces/default/workflows/uep-${partyId}`);

    expect(body.warnings).toEqual([]);

    const desc = await suite.env.client.workflow.getHandle(`uep-${partyId}`).describe();
    expect(desc.taskQueue).toBe(suite.h.config.TEMPORAL_TASK_QUEUE);
    // only facts that never change: no headline beside the live details to go stale
    expect(await desc.staticSummary()).toBe(`UEP Party ${partyId} (${partyId}), cohort SMALL_NON_DOMESTIC_SUPPLIER, roles sought at start: IMPORT_SUPPLIER`);
    expect(await desc.staticDetails()).toBeUndefined();
  });

  test('a start whose default mandate deadline is long past (ELECTRICITY_DNO: 2018-01-21) is refused unless confirmed, and then says so in warnings', async () => {
    const partyId = uniquePartyId();
    const { mandateDeadline: _given, ...body } = startBody(partyId, { cohort: COHORT.ELECTRICITY_DNO, roles: [USER_ROLE.ELECTRICITY_DISTRIBUTOR] });
    const unconfirmed = await suite.api.POST('/v1/entries', { ...bearer(ops), body });
    expectError(unconfirmed, 422, 'INVALID_DEADLINE');
    expect(ErrorResponse.parse(unconfirmed.error).error.message).toContain("The electricity DNO cohort's default mandate deadline is 21 Jan 2018, already passed");
    const r = await suite.api.POST('/v1/entries', { ...bearer(ops), body: { ...body, confirmPastDefaultDeadline: true } });
    expect(r.response.status).toBe(201);
    const answer = StartEntryResponse.parse(r.data);
    expect(answer.warnings.map((w) => w.code)).toEqual(['MANDATE_DEADLINE_PASSED']);
    expect(answer.warnings[0]?.message).toContain("The electricity DNO cohort's default mandate deadline, 21 Jan 2018, has already passed: the entry starts in breach");
    expect(answer.headline).toContain('IN BREACH');
    const explicit = await suite.api.POST('/v1/entries', { ...bearer(ops), body: startBody(uniquePartyId(), { cohort: COHORT.ELECTRICITY_DNO, roles: [USER_ROLE.ELECTRICITY_DISTRIBUTOR], mandateDeadline: null }) });
    expect(StartEntryResponse.parse(explicit.data).warnings).toEqual([]);
  });

  test('a second start of a running entry is 409 and starts nothing; a new entry may start after a closed one', async () => {
    const partyId = await started();
    const again = await suite.api.POST('/v1/entries', { ...bearer(ops), body: startBodyAcceded(partyId) });
    expectError(again, 409, 'ENTRY_ALREADY_STARTED');
    expect(again.response.headers.get('location')).toBe(`${suite.h.baseUrl}/v1/entries/${partyId}`); // the running entry
    const runs = await eventually(
      async () => {
        const list: string[] = [];
        for await (const w of suite.env.client.workflow.list({ query: `WorkflowId = 'uep-${partyId}'` })) list.push(w.runId);
        return list;
      },
      (l) => l.length >= 1,
    );
    expect(runs).toHaveLength(1);

    expect((await suite.api.POST('/v1/entries/{partyId}/withdrawal', { ...party(partyId), ...bearer(ops), body: { reason: 'duplicate application' } })).response.status).toBe(200);
    // the workflow closes once its last notifications are out
    await suite.env.client.workflow.getHandle(`uep-${partyId}`).result();
    const restart = await suite.api.POST('/v1/entries', { ...bearer(ops), body: startBodyAcceded(partyId) });
    expect(restart.response.status).toBe(201);
    const status = EntryResponse.parse((await suite.api.GET('/v1/entries/{partyId}', { ...party(partyId), ...bearer(ops) })).data);
    expect(status.entry.status).toBe(ENTRY_STATUS.IN_PROGRESS);
  });

  test('a start the domain refuses is 422 and starts nothing', async () => {
    const partyId = uniquePartyId();
    const r = await suite.api.POST('/v1/entries', {
      ...bearer(ops),
      body: startBody(partyId, { completedStages: [{ stage: STAGE.UEPT, outcome: 'PASSED', at: '2026-01-05' }] }),
    });
    expectError(r, 422, 'ROLE_REQUIRED');
    expectError(await suite.api.GET('/v1/entries/{partyId}', { ...party(partyId), ...bearer(ops) }), 404, 'NOT_FOUND');
  });

  test('a start with a mandate deadline beyond the calendar\'s data is 422 in words and starts nothing', async () => {
    const { lastYear } = CALENDARS[CURRENT_CALENDAR_VERSION]!;
    const beyond = `${lastYear + 1}-03-31`;
    const partyId = uniquePartyId('CAL');
    const r = await suite.api.POST('/v1/entries', { ...bearer(ops), body: startBody(partyId, { mandateDeadline: beyond }) });
    expectError(r, 422, 'INVALID_DEADLINE');
    expect(ErrorResponse.parse(r.error).error.message).toContain(`The mandate deadline ${beyond} is outside the working-day calendar`);
    expect(ErrorResponse.parse(r.error).error.message).toContain(`from 2015 to ${lastYear} only, so the working days to it cannot be counted`);
    expectError(await suite.api.GET('/v1/entries/{partyId}', { ...party(partyId), ...bearer(ops) }), 404, 'NOT_FOUND');
  });

  test("an amendment to a deadline beyond the calendar's data is 422 in words and changes nothing", async () => {
    const { lastYear } = CALENDARS[CURRENT_CALENDAR_VERSION]!;
    const beyond = `${lastYear + 1}-03-31`;
    const partyId = await started();
    const before = EntryResponse.parse((await suite.api.GET('/v1/entries/{partyId}', { ...party(partyId), ...bearer(ops) })).data);
    const r = await suite.api.PUT('/v1/entries/{partyId}/mandate-deadline', { ...party(partyId), ...bearer(ops), body: { deadline: beyond, reason: 'a consultation' } });
    expectError(r, 422, 'INVALID_DEADLINE');
    expect(ErrorResponse.parse(r.error).error.message).toContain(`The mandate deadline ${beyond} is outside the working-day calendar`);
    const after = EntryResponse.parse((await suite.api.GET('/v1/entries/{partyId}', { ...party(partyId), ...bearer(ops) })).data);
    expect(after.entry.mandateDeadline).toBe(before.entry.mandateDeadline);
    const trail = AuditTrailResponse.parse((await suite.api.GET('/v1/entries/{partyId}/audit-trail', { ...party(partyId), ...bearer(ops) })).data);
    expect(trail.records.filter((rec) => rec.action === AUDIT_ACTION.DEADLINE_AMENDED)).toEqual([]);
  });

  test('GET /v1/entries/:partyId answers the status query with links; unknown party is 404', async () => {
    const partyId = await started();
    const r = await suite.api.GET('/v1/entries/{partyId}', { ...party(partyId), ...bearer(dcc) });
    expect(r.response.status).toBe(200);
    const body = EntryResponse.parse(r.data);
    expect(body.entry.partyId).toBe(partyId);
    expect(body.entry.partyStages.find((s) => s.stage === STAGE.ACCESSION)?.state).toBe(STAGE_STATE.DONE);
    expect(body.links.temporalUi).toContain(`uep-${partyId}`);
    expectError(await suite.api.GET('/v1/entries/{partyId}', { ...party(uniquePartyId('NOPE')), ...bearer(ops) }), 404, 'NOT_FOUND');
  });
});

describe('sign-offs', () => {
  test('a decision by the owning body is recorded with the authenticated principal', async () => {
    const partyId = await started();
    const r = await suite.api.POST('/v1/entries/{partyId}/decisions', {
      ...party(partyId),
      ...bearer(secas),
      body: { decisionId: 'd-idalloc-1', stage: STAGE.ID_ALLOCATION, outcome: 'ALLOCATED', evidence: 'ID-RANGE-77' },
    });
    expect(r.response.status).toBe(200);
    const body = UpdateResponse.parse(r.data);
    expect(body.record).toMatchObject({ action: AUDIT_ACTION.DECISION, principal: { body: BODY.SECAS, id: 'secas-officer' }, outcome: 'ALLOCATED' });
    expect(body.duplicate).toBe(false);
    expect(body.stage).toMatchObject({ stage: STAGE.ID_ALLOCATION, owner: BODY.SECAS, state: STAGE_STATE.DONE, outcome: 'ALLOCATED' });
    expect(body.links.self).toBe(`${suite.h.baseUrl}/v1/entries/${partyId}`);
    // the compact answer: no full summary in it, and it agrees with the entry read right after
    expect(Object.keys(r.data as object).sort()).toEqual(['awaitedBodies', 'duplicate', 'headline', 'links', 'openStages', 'record', 'stage', 'status', 'version']);
    const entry = EntryResponse.parse((await suite.api.GET('/v1/entries/{partyId}', { ...party(partyId), ...bearer(ops) })).data).entry;
    const trail = AuditTrailResponse.parse((await suite.api.GET('/v1/entries/{partyId}/audit-trail', { ...party(partyId), ...bearer(ops) })).data);
    expect(body).toMatchObject({ status: entry.status, headline: entry.headline, awaitedBodies: entry.awaitedBodies, version: trail.records.length });
    expect(body.openStages.map((s) => [s.stage, s.role, s.state, s.awaiting])).toEqual(
      openStagesOf(entry).map((s) => [s.stage, s.role, s.state, s.awaiting]),
    );
  });

  test('the same decisionId twice: the same answer, one audit record', async () => {
    const partyId = await started();
    const decision = { decisionId: 'd-same-1', stage: STAGE.ID_ALLOCATION, outcome: 'ALLOCATED', evidence: 'ID-RANGE-1' };
    const first = await suite.api.POST('/v1/entries/{partyId}/decisions', { ...party(partyId), ...bearer(secas), body: decision });
    const second = await suite.api.POST('/v1/entries/{partyId}/decisions', { ...party(partyId), ...bearer(secas), body: decision });
    expect(first.response.status).toBe(200);
    expect(second.response.status).toBe(200);
    expect(UpdateResponse.parse(second.data).record).toEqual(UpdateResponse.parse(first.data).record);
    const trail = AuditTrailResponse.parse((await suite.api.GET('/v1/entries/{partyId}/audit-trail', { ...party(partyId), ...bearer(ops) })).data);
    expect(trail.records.filter((rec) => rec.id === 'd-same-1')).toHaveLength(1);

    const reused = await suite.api.POST('/v1/entries/{partyId}/decisions', { ...party(partyId), ...bearer(secas), body: { ...decision, evidence: 'OTHER' } });
    expectError(reused, 409, 'ID_REUSED');
  });

  test('refusals map to one table: wrong body 403, not awaiting 409, unknown outcome 422, not applicable 422', async () => {
    const partyId = await started();
    const decide = (token: string, body: Schemas['DecisionRequest']) => suite.api.POST('/v1/entries/{partyId}/decisions', { ...party(partyId), ...bearer(token), body });
    expectError(await decide(dcc, { decisionId: 'x1', stage: STAGE.ID_ALLOCATION, outcome: 'ALLOCATED', evidence: 'e' }), 403, 'WRONG_BODY');
    expectError(await decide(panel, { decisionId: 'x2', stage: STAGE.SECURITY_ASSESSMENT, outcome: 'APPROVED', evidence: 'e' }), 409, 'NOT_AWAITING');
    expectError(await decide(secas, { decisionId: 'x3', stage: STAGE.ID_ALLOCATION, outcome: 'PASSED', evidence: 'e' }), 422, 'UNKNOWN_OUTCOME');
    expectError(
      await decide(panel, { decisionId: 'x4', stage: STAGE.PRIVACY_ASSESSMENT, role: USER_ROLE.IMPORT_SUPPLIER, outcome: 'APPROVED', evidence: 'e' }),
      422,
      'STAGE_NOT_APPLICABLE',
    );
    expectError(await decide(dcc, { decisionId: 'x5', stage: STAGE.USER_ID, outcome: 'ACCEPTED', evidence: 'e' }), 422, 'ROLE_REQUIRED');
    expectError(await suite.api.POST('/v1/entries/{partyId}/decisions', { ...party(uniquePartyId('NOPE')), ...bearer(secas), body: { decisionId: 'x6', stage: STAGE.ID_ALLOCATION, outcome: 'ALLOCATED', evidence: 'e' } }), 404, 'NOT_FOUND');
  });

  test('evidence from the Party (and SECAS on its behalf) moves the stage to awaiting decision; idempotent by submissionId', async () => {
    const partyId = await started();
    const asParty = suite.h.partyToken(partyId);
    const submission = { submissionId: 's-sec-1', stage: STAGE.SECURITY_FIELDWORK, reference: 'FUSA-BOOKING-2026' };
    const r = await suite.api.POST('/v1/entries/{partyId}/evidence', { ...party(partyId), ...bearer(asParty), body: submission });
    expect(r.response.status).toBe(200);
    const body = UpdateResponse.parse(r.data);
    expect(body.record).toMatchObject({ action: AUDIT_ACTION.SUBMISSION, principal: { body: BODY.PARTY, id: `contact@${partyId}` } });
    // catalogue v2: the Party books the assessment; SECAS records the User CIO's report
    expect(body.stage).toMatchObject({ stage: STAGE.SECURITY_FIELDWORK, state: STAGE_STATE.AWAITING_DECISION, awaiting: BODY.SECAS });
    const again = await suite.api.POST('/v1/entries/{partyId}/evidence', { ...party(partyId), ...bearer(asParty), body: submission });
    expect(UpdateResponse.parse(again.data).record).toEqual(body.record);

    const bySecas = await suite.api.POST('/v1/entries/{partyId}/evidence', { ...party(partyId), ...bearer(secas), body: { submissionId: 's-cc-1', stage: STAGE.CREDIT_COVER, reference: 'CREDIT-LODGED' } });
    expect(bySecas.response.status).toBe(200);
    expect(UpdateResponse.parse(bySecas.data).record.principal).toEqual({ body: BODY.SECAS, id: 'secas-officer', name: 'Test person secas-officer' });
  });

  test('mandate deadline amendment, role added, withdrawal; a closed entry answers 409 ENTRY_CLOSED', async () => {
    const partyId = await started();
    const amendedTo = daysFromToday(3 * 365);
    const amend = await suite.api.PUT('/v1/entries/{partyId}/mandate-deadline', { ...party(partyId), ...bearer(secas), body: { deadline: amendedTo, reason: 'Panel consultation outcome' } });
    expect(amend.response.status).toBe(200);
    expect(UpdateResponse.parse(amend.data)).toMatchObject({ record: { action: AUDIT_ACTION.DEADLINE_AMENDED, deadline: amendedTo }, stage: null, status: ENTRY_STATUS.IN_PROGRESS });
    const entryNow = async () => EntryResponse.parse((await suite.api.GET('/v1/entries/{partyId}', { ...party(partyId), ...bearer(ops) })).data).entry;
    expect((await entryNow()).mandateDeadline).toBe(amendedTo);
    expectError(await suite.api.PUT('/v1/entries/{partyId}/mandate-deadline', { ...party(partyId), ...bearer(ops), body: { deadline: amendedTo, reason: 'again' } }), 422, 'INVALID_DEADLINE');

    const role = await suite.api.POST('/v1/entries/{partyId}/roles', { ...party(partyId), ...bearer(suite.h.partyToken(partyId)), body: { role: USER_ROLE.GAS_SUPPLIER } });
    expect(role.response.status).toBe(200);
    expect(UpdateResponse.parse(role.data).record).toMatchObject({ action: AUDIT_ACTION.ROLE_ADDED, role: USER_ROLE.GAS_SUPPLIER });
    expect((await entryNow()).roles).toEqual([USER_ROLE.IMPORT_SUPPLIER, USER_ROLE.GAS_SUPPLIER]);
    expectError(await suite.api.POST('/v1/entries/{partyId}/roles', { ...party(partyId), ...bearer(ops), body: { role: USER_ROLE.GAS_SUPPLIER } }), 409, 'ROLE_ALREADY_SOUGHT');

    const withdrawn = await suite.api.POST('/v1/entries/{partyId}/withdrawal', { ...party(partyId), ...bearer(ops), body: { reason: 'left the market' } });
    expect(UpdateResponse.parse(withdrawn.data)).toMatchObject({ status: ENTRY_STATUS.WITHDRAWN, openStages: [], awaitedBodies: [] });
    const late = await suite.api.POST('/v1/entries/{partyId}/roles', { ...party(partyId), ...bearer(ops), body: { role: USER_ROLE.OTHER_USER } });
    expectError(late, 409, 'ENTRY_CLOSED');
    expect(ErrorResponse.parse(late.error).error.message).toBe('The entry was withdrawn: it takes no more changes');
    expectError(
      await suite.api.POST('/v1/entries/{partyId}/decisions', { ...party(partyId), ...bearer(secas), body: { decisionId: 'late-1', stage: STAGE.ID_ALLOCATION, outcome: 'ALLOCATED', evidence: 'e' } }),
      409,
      'ENTRY_CLOSED',
    );
    // still readable once closed
    expect(EntryResponse.parse((await suite.api.GET('/v1/entries/{partyId}', { ...party(partyId), ...bearer(ops) })).data).entry.status).toBe(ENTRY_STATUS.WITHDRAWN);
  });

  test('an entry closed outside the engine answers ENTRY_CLOSED in those words, with how Temporal closed it', async () => {
    const partyId = await started();
    await suite.env.client.workflow.getHandle(`uep-${partyId}`).terminate('closed by hand');
    const late = await suite.api.POST('/v1/entries/{partyId}/decisions', { ...party(partyId), ...bearer(secas), body: { decisionId: 'after-terminate', stage: STAGE.ID_ALLOCATION, outcome: 'ALLOCATED', evidence: 'e' } });
    expectError(late, 409, 'ENTRY_CLOSED');
    expect(ErrorResponse.parse(late.error).error.message).toBe('The entry was closed outside the engine (terminated in Temporal): it takes no more changes');
  });
});

describe('audit trail', () => {
  test('JSON and CSV; the principal is the authenticated one; CSV is escaped against formulas', async () => {
    const partyId = await started();
    await suite.api.POST('/v1/entries/{partyId}/decisions', {
      ...party(partyId),
      ...bearer(secas),
      body: { decisionId: 'd-csv-1', stage: STAGE.ID_ALLOCATION, outcome: 'ALLOCATED', evidence: '=HYPERLINK("x")', comment: 'line one\nline "two", three' },
    });
    const json = AuditTrailResponse.parse((await suite.api.GET('/v1/entries/{partyId}/audit-trail', { ...party(partyId), ...bearer(ops) })).data);
    // STARTED, then one STARTED record per stage done before the start (accession), then the decision
    expect(json.records.map((r) => [r.action, r.stage])).toEqual([
      [AUDIT_ACTION.STARTED, undefined],
      [AUDIT_ACTION.STARTED, STAGE.ACCESSION],
      [AUDIT_ACTION.DECISION, STAGE.ID_ALLOCATION],
    ]);
    expect(json.records[0]?.principal).toEqual({ body: BODY.OPS, id: 'ops-officer', name: 'Test person ops-officer' });

    const csv = await suite.api.GET('/v1/entries/{partyId}/audit-trail.csv', { ...party(partyId), ...bearer(ops), parseAs: 'text' });
    expect(csv.response.status).toBe(200);
    expect(csv.response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.data!.split('\r\n')[0]).toBe('"seq","at","action","principalBody","principalId","principalName","id","stage","role","outcome","evidence","reference","comment","reason","previousDeadline","deadline","assignee","previousAssignee","email","subject"');
    expect(csv.data!).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv.data!).toContain('"line one\nline ""two"", three"');
    expect(csv.data!).toContain('"SECAS","secas-officer","Test person secas-officer","d-csv-1"');
  });
});

describe('search', () => {
  test('filters by status, awaited body, role, cohort, flags, deadline range and name words; pages with a token', async () => {
    const tag = uniquePartyId('S').slice(2);
    const [deadlineA, dayAfterA, deadlineB] = [daysFromToday(900), daysFromToday(901), daysFromToday(1000)];
    const a = await started(`A-${tag}`, startBodyAcceded(`A-${tag}`, { partyName: `Alpha ${tag} Energy`, cohort: COHORT.ELECTRICITY_DNO, roles: [USER_ROLE.ELECTRICITY_DISTRIBUTOR], mandateDeadline: deadlineA }));
    const b = await started(`B-${tag}`, startBody(`B-${tag}`, { partyName: `Beta ${tag} Gas`, cohort: COHORT.GAS_TRANSPORTER, roles: [USER_ROLE.GAS_TRANSPORTER], mandateDeadline: deadlineB }));
    const c = await started(`C-${tag}`, startBody(`C-${tag}`, { partyName: `Gamma ${tag} Gas`, cohort: COHORT.GAS_TRANSPORTER, roles: [USER_ROLE.GAS_TRANSPORTER], mandateDeadline: null }));
    type Query = NonNullable<operations['listEntries']['parameters']['query']>;
    const list = async (query: Query) => EntryListResponse.parse((await suite.api.GET('/v1/entries', { params: { query }, ...bearer(ops) })).data);
    const ids = async (query: Query = {}) => (await list({ partyName: tag, ...query })).items.map((i) => i.partyId).sort();

    await eventually(() => ids(), (x) => x.length === 3);
    expect(await ids()).toEqual([a, b, c].sort());
    expect(await ids({ partyName: `gas ${tag}` })).toEqual([b, c].sort());
    expect(await ids({ cohort: COHORT.ELECTRICITY_DNO })).toEqual([a]);
    expect(await ids({ role: USER_ROLE.GAS_TRANSPORTER })).toEqual([b, c].sort());
    expect(await ids({ awaitedBody: BODY.PARTY })).toEqual([a]);
    expect(await ids({ awaitedBody: BODY.SECAS })).toEqual([a, b, c].sort());
    expect(await ids({ status: ENTRY_STATUS.IN_PROGRESS, atRisk: 'false', inBreach: 'false' })).toEqual([a, b, c].sort());
    expect(await ids({ atRisk: 'true' })).toEqual([]);
    expect(await ids({ mandateDeadlineFrom: deadlineA, mandateDeadlineTo: deadlineA })).toEqual([a]);
    expect(await ids({ mandateDeadlineFrom: dayAfterA })).toEqual([b]);

    const page1 = await list({ partyName: tag, limit: 2 });
    expect(page1.items).toHaveLength(2);
    expect(page1.nextPageToken).not.toBeNull();
    expect(page1.links.next).toContain('pageToken=');
    // the next page as the answer links to it
    const page2 = EntryListResponse.parse((await call(page1.links.next!, 'GET', '', { token: ops })).json);
    expect([...page1.items, ...page2.items].map((i) => i.partyId).sort()).toEqual([a, b, c].sort());
    expectError(await suite.api.GET('/v1/entries', { params: { query: { partyName: 'other', limit: 2, pageToken: page1.nextPageToken! } }, ...bearer(ops) }), 400, 'VALIDATION_FAILED');

    // a Party sees only itself
    const own = EntryListResponse.parse((await suite.api.GET('/v1/entries', { params: { query: { partyName: tag } }, ...bearer(suite.h.partyToken(a)) })).data);
    expect(own.items.map((i) => i.partyId)).toEqual([a]);
  });

  test('a calendar date has one shape (YYYY-MM-DD): mandateDeadline in the list, the entry and the report', async () => {
    const deadline = daysFromToday(1000);
    const partyId = await started(uniquePartyId('DATE'), undefined, { mandateDeadline: deadline });
    const listed = await eventually(
      async () => EntryListResponse.parse((await suite.api.GET('/v1/entries', { params: { query: { partyName: partyId, limit: 100 } }, ...bearer(ops) })).data),
      (l) => l.items.some((i) => i.partyId === partyId),
    );
    const item = listed.items.find((i) => i.partyId === partyId);
    const entry = EntryResponse.parse((await suite.api.GET('/v1/entries/{partyId}', { ...party(partyId), ...bearer(ops) })).data).entry;
    const row = ComplianceReport.parse((await suite.api.GET('/v1/reports/compliance', { ...bearer(ops) })).data).rows.find((r) => r.partyId === partyId);
    expect({ list: item?.mandateDeadline, entry: entry.mandateDeadline, report: row?.mandateDeadline }).toEqual({ list: deadline, entry: deadline, report: deadline });
  });

  test('hostile names are stored as given and searched safely by their words', async () => {
    const tag = uniquePartyId('H').slice(2);
    const hostile = `O'Brien "Zeta" \\ ${tag} %_* AND 1=1 -- ; DROP TABLE executions; NEAR( ) ^ \n é`;
    const partyId = await started(`H-${tag}`, startBodyAcceded(`H-${tag}`, { partyName: hostile }));
    const found = await eventually(
      async () => EntryListResponse.parse((await suite.api.GET('/v1/entries', { params: { query: { partyName: hostile } }, ...bearer(ops) })).data),
      (l) => l.items.length === 1,
    );
    expect(found.items.map((i) => [i.partyId, i.partyName])).toEqual([[partyId, hostile]]);
    const none = await suite.api.GET('/v1/entries', { params: { query: { partyName: `' OR 1=1 OR '` } }, ...bearer(ops) });
    expect(none.response.status).toBe(200);
    expect(EntryListResponse.parse(none.data).items.map((i) => i.partyId)).not.toContain(partyId);
    expectError(await suite.api.GET('/v1/entries', { params: { query: { partyName: `'"\\*` } }, ...bearer(ops) }), 400, 'VALIDATION_FAILED');
    expect(EntryResponse.parse((await suite.api.GET('/v1/entries/{partyId}', { ...party(partyId), ...bearer(ops) })).data).entry.partyName).toBe(hostile.trim());
  });
});

describe('inbox and compliance report', () => {
  test("an inbox lists the stages awaiting the caller's body across entries, oldest SLA due first", async () => {
    const p1 = await started();
    const p2 = await started();
    const inbox = await eventually(
      async () => InboxResponse.parse((await suite.api.GET('/v1/inbox', { ...bearer(dcc) })).data),
      (i) => [p1, p2].every((p) => i.items.some((it) => it.partyId === p)),
    );
    expect(inbox.body).toBe(BODY.DCC);
    const mine = inbox.items.filter((i) => [p1, p2].includes(i.partyId));
    expect(mine.map((i) => i.stage)).toEqual([STAGE.DCC_GATEWAY, STAGE.DCC_GATEWAY]);
    expect(inbox.items.every((i) => i.awaiting === BODY.DCC)).toBe(true);
    const due = inbox.items.map((i) => i.dueBy ?? '9999-12-31');
    expect([...due].sort()).toEqual(due);
    expect(mine[0]?.links.temporalUi).toContain('uep-');

    const partyInbox = InboxResponse.parse((await suite.api.GET('/v1/inbox', { ...bearer(suite.h.partyToken(p1)) })).data);
    expect(new Set(partyInbox.items.map((i) => i.partyId))).toEqual(new Set([p1]));
    // catalogue v2: the security assessment's booking, and SREPT (not gated on the DCC Gateway)
    expect(partyInbox.items.map((i) => i.stage).sort()).toEqual([STAGE.CREDIT_COVER, STAGE.SECURITY_FIELDWORK, STAGE.SMKI_SREPT]);

    const opsView = InboxResponse.parse((await suite.api.GET('/v1/inbox', { params: { query: { body: BODY.SECAS } }, ...bearer(ops) })).data);
    expect(opsView.items.every((i) => i.awaiting === BODY.SECAS)).toBe(true);
    expectError(await suite.api.GET('/v1/inbox', { params: { query: { body: BODY.SECAS } }, ...bearer(dcc) }), 403, 'FORBIDDEN');
  });

  test('the compliance report covers every entry against its mandate, as JSON and CSV', async () => {
    const [onTrack, late, none] = [uniquePartyId('R'), uniquePartyId('R'), uniquePartyId('R')] as [string, string, string];
    await started(onTrack, startBodyAcceded(onTrack, { mandateDeadline: daysFromToday(3 * 365) }));
    // A month from today: far too soon for what remains (at risk), but not yet passed (in breach).
    await started(late, startBodyAcceded(late, { mandateDeadline: daysFromToday(30) }));
    await started(none, startBodyAcceded(none, { cohort: COHORT.OTHER, mandateDeadline: null }));
    const report = await eventually(
      async () => ComplianceReport.parse((await suite.api.GET('/v1/reports/compliance', { ...bearer(panel) })).data),
      (r) => [onTrack, late, none].every((p) => r.rows.some((row) => row.partyId === p)),
    );
    const row = (p: string) => report.rows.find((r) => r.partyId === p);
    expect(row(onTrack)?.compliance).toBe('ON_TRACK');
    expect(row(late)?.compliance).toBe('AT_RISK');
    expect(row(none)?.compliance).toBe('NO_MANDATE');
    expect(Object.values(report.totals).reduce((a, b) => a + b, 0)).toBe(report.rows.length);

    const csv = await suite.api.GET('/v1/reports/compliance.csv', { ...bearer(secas), parseAs: 'text' });
    expect(csv.response.status).toBe(200);
    expect(csv.data!.split('\r\n')[0]).toContain('"partyId","partyName","cohort","status"');
    expect(csv.data!).toContain(`"${late}"`);
  });
});
