/**
 * The live inbox (GET /v1/inbox/events): a body's open stream is told its inbox's count when it
 * opens and again within 2 s of a stage arriving in or leaving that inbox, without asking; another
 * body's stream is not told; only OPS follows another body's inbox, and a Party none.
 */
import { ErrorResponse, InboxEvent, InboxSignal, UpdateResponse, type InboxResponse } from '../../api/schemas';
import { BODY, STAGE, type Body } from '../../domain/vocabulary';
import { startBody } from '../../testkit/api-fixtures';
import { call } from '../../testkit/api-harness';
import { openEventStream, type OpenedStream } from '../../testkit/event-stream';
import { useApiHarness } from '../../testkit/suites';
import { uniquePartyId } from '../../testkit/temporal';

const suite = useApiHarness();
const opened: OpenedStream[] = [];
afterAll(() => opened.forEach((s) => s.close()));


async function follow(token: string, query = ''): Promise<OpenedStream> {
  const stream = await openEventStream(suite.h.baseUrl, `/v1/inbox/events${query}`, { token });
  opened.push(stream);
  return stream;
}

/** The next event, checked against the contract (InboxEvent, its data an InboxSignal). */
async function nextSignal(stream: OpenedStream, timeoutMs = 2_000): Promise<InboxSignal> {
  const event = InboxEvent.parse(await stream.next(timeoutMs));
  return InboxSignal.parse(JSON.parse(event.data));
}

const inboxCount = async (body: Exclude<Body, 'PARTY'>) => (await call<InboxResponse>(suite.h.baseUrl, 'GET', '/v1/inbox', { token: suite.h.tokenFor(body) })).json.items.length;

test('work arriving reaches the open inbox within 2 s, its count the inbox’s; another body’s stream hears nothing', async () => {
  const secas = await follow(suite.h.tokenFor(BODY.SECAS));
  const dcc = await follow(suite.h.tokenFor(BODY.DCC));
  expect(secas.headers.get('content-type')).toContain('text/event-stream');
  const before = await nextSignal(secas);
  expect([before.body, before.count]).toEqual([BODY.SECAS, await inboxCount(BODY.SECAS)]);
  const dccBefore = await nextSignal(dcc);
  expect(dccBefore.body).toBe(BODY.DCC);

  // a new entry's accession awaits SECAS
  const partyId = uniquePartyId('LIVE');
  expect((await call(suite.h.baseUrl, 'POST', '/v1/entries', { token: suite.h.tokenFor(BODY.OPS), body: startBody(partyId) })).status).toBe(201);
  const recorded = Date.now(); // a start answers once the record holds it
  const arrived = await nextSignal(secas, 2_000);
  const delayMs = Date.now() - recorded;
  expect(arrived.count).toBe(before.count + 1);
  expect(arrived.count).toBe(await inboxCount(BODY.SECAS));
  expect(delayMs).toBeLessThan(2_000);
  await expect(dcc.next(1_000)).rejects.toThrow('no event within');

  // SECAS decides it: the accession leaves SECAS's inbox, and its stream is told (whatever of SECAS's follows it)
  const decided = await call(suite.h.baseUrl, 'POST', `/v1/entries/${partyId}/decisions`, {
    token: suite.h.tokenFor(BODY.SECAS),
    body: { decisionId: 'live-1', stage: STAGE.ACCESSION, outcome: 'ACCEDED', evidence: 'EV-1' },
  });
  expect(decided.status).toBe(200);
  const after = UpdateResponse.parse(decided.json);
  const told = await nextSignal(secas, 2_000);
  expect(told.count).toBe(await inboxCount(BODY.SECAS));
  expect(told.count).toBe(before.count + (after.awaitedBodies.includes(BODY.SECAS) ? 1 : 0));
});

test('OPS follows any body’s inbox or every body’s; a body follows only its own, a Party none, in words', async () => {
  const opsOfDcc = await follow(suite.h.tokenFor(BODY.OPS), '?body=DCC');
  expect((await nextSignal(opsOfDcc)).body).toBe(BODY.DCC);
  const opsOfAll = await follow(suite.h.tokenFor(BODY.OPS));
  const all = await nextSignal(opsOfAll);
  expect(all.body).toBeNull();
  expect(all.count).toBe((await call<InboxResponse>(suite.h.baseUrl, 'GET', '/v1/inbox', { token: suite.h.tokenFor(BODY.OPS) })).json.items.length);

  const other = await follow(suite.h.tokenFor(BODY.DCC), '?body=SECAS');
  expect([other.status, ErrorResponse.parse(other.json).error.message]).toEqual([403, "Only OPS reads another body's inbox"]);
  const party = await follow(suite.h.partyToken(uniquePartyId('LIVE-P')));
  expect([party.status, ErrorResponse.parse(party.json).error.message]).toEqual([403, "A Party may not follow a body's inbox live"]);
  const bad = await follow(suite.h.tokenFor(BODY.OPS), '?body=NOBODY');
  expect(bad.status).toBe(400);
});
