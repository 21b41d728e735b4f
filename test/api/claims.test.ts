/**
 * Claims (PUT /v1/entries/{partyId}/claim): an officer claims a waiting stage, every officer of the
 * body sees who has it, a colleague's decision on it is refused in words and changes nothing until
 * they take it over, each change is in the audit trail, and the live inbox hears of it.
 */
import { mintToken } from '../../api/tokens';
import { ClaimResponse, EntryResponse, ErrorResponse, InboxEvent, InboxResponse, UpdateResponse } from '../../api/schemas';
import { AUDIT_ACTION } from '../../domain/types';
import { BODY, STAGE } from '../../domain/vocabulary';
import { startBody } from '../../testkit/api-fixtures';
import { call } from '../../testkit/api-harness';
import { openEventStream } from '../../testkit/event-stream';
import { useApiHarness } from '../../testkit/suites';
import { uniquePartyId } from '../../testkit/temporal';
import { bearer, party, trailOf, typedApi, type Schemas } from '../../testkit/typed-api';

const suite = useApiHarness();

/** A second SECAS officer, beside the harness's own. */
function secondSecasOfficer(): string {
  const { token, record } = mintToken({ body: BODY.SECAS, id: 'secas-officer-2', name: 'Sam Second' });
  suite.h.tokens.add(record);
  return token;
}

const claim = (partyId: string, token: string, body: Schemas['ClaimRequest']) => suite.api.PUT('/v1/entries/{partyId}/claim', { ...party(partyId), ...bearer(token), body });
const inboxItem = async (partyId: string, token: string) =>
  InboxResponse.parse((await suite.api.GET('/v1/inbox', bearer(token))).data).items.find((i) => i.partyId === partyId && i.stage === STAGE.ACCESSION);
const trail = (partyId: string) => trailOf(typedApi(suite.h.baseUrl, suite.h.tokenFor(BODY.OPS)), partyId);

test('a claim is seen by a second officer, whose decision is refused in words and changes nothing until they take it over', async () => {
  const first = suite.h.tokenFor(BODY.SECAS);
  const second = secondSecasOfficer();
  const firstName = suite.h.principalOf(first).name!;
  const partyId = uniquePartyId('CLAIM');
  expect((await suite.api.POST('/v1/entries', { ...bearer(suite.h.tokenFor(BODY.OPS)), body: startBody(partyId) })).response.status).toBe(201);
  expect((await inboxItem(partyId, second))?.claim).toBeNull();

  const claimed = await claim(partyId, first, { stage: STAGE.ACCESSION });
  expect(claimed.response.status).toBe(200);
  const answer = ClaimResponse.parse(claimed.data);
  expect([answer.changed, answer.claim?.claimant, answer.record?.action]).toEqual([true, { id: 'secas-officer', name: firstName }, AUDIT_ACTION.CLAIMED]);
  // the same claim again writes nothing
  const again = ClaimResponse.parse((await claim(partyId, first, { stage: STAGE.ACCESSION })).data);
  expect([again.changed, again.record]).toEqual([false, null]);

  // the second officer sees who has it, in the inbox and on the entry
  const entry = EntryResponse.parse((await suite.api.GET('/v1/entries/{partyId}', { ...party(partyId), ...bearer(second) })).data);
  expect(entry.claims).toEqual([{ stage: STAGE.ACCESSION, claim: answer.claim }]);
  expect((await inboxItem(partyId, second))?.claim).toEqual({ claimant: { id: 'secas-officer', name: firstName }, claimedBy: { id: 'secas-officer', name: firstName }, claimedAt: answer.claim!.claimedAt });

  // and is refused, in words, with nothing changed
  const trailBefore = await trail(partyId);
  const refused = await suite.api.POST('/v1/entries/{partyId}/decisions', {
    ...party(partyId),
    ...bearer(second),
    body: { decisionId: 'claim-d1', stage: STAGE.ACCESSION, outcome: 'ACCEDED', evidence: 'EV-1' },
  });
  expect(refused.response.status).toBe(409);
  const error = ErrorResponse.parse(refused.error).error;
  expect(error.code).toBe('CLAIMED_BY_OTHER');
  expect(error.message).toMatch(new RegExp(`^Accession to the SEC is with ${firstName} \\(SECAS\\), who has had it since \\d{1,2} \\w{3} \\d{4} at \\d{2}:\\d{2} UTC: ask them, or take it over\\.$`));
  expect(await trail(partyId)).toEqual(trailBefore);
  expect((await claim(partyId, second, { stage: STAGE.ACCESSION })).response.status).toBe(409);

  // taking it over, then handing it back to the first officer, then the first decides
  const taken = ClaimResponse.parse((await claim(partyId, second, { stage: STAGE.ACCESSION, takeOver: true })).data);
  expect([taken.claim?.claimant.id, taken.record?.previousAssignee?.id]).toEqual(['secas-officer-2', 'secas-officer']);
  const assigned = ClaimResponse.parse((await claim(partyId, second, { stage: STAGE.ACCESSION, assignee: { id: 'secas-officer', name: firstName } })).data);
  expect([assigned.claim?.claimant.id, assigned.claim?.claimedBy.id]).toEqual(['secas-officer', 'secas-officer-2']);
  const decided = await suite.api.POST('/v1/entries/{partyId}/decisions', {
    ...party(partyId),
    ...bearer(first),
    body: { decisionId: 'claim-d2', stage: STAGE.ACCESSION, outcome: 'ACCEDED', evidence: 'EV-2' },
  });
  expect(decided.response.status).toBe(200);
  UpdateResponse.parse(decided.data);

  // the claim ended with the wait: nothing waits to be claimed
  expect(EntryResponse.parse((await suite.api.GET('/v1/entries/{partyId}', { ...party(partyId), ...bearer(second) })).data).claims).toEqual([]);
  const after = await claim(partyId, first, { stage: STAGE.ACCESSION });
  expect([after.response.status, ErrorResponse.parse(after.error).error.code]).toEqual([409, 'NOT_AWAITING']);

  const claims = (await trail(partyId)).filter((r) => r.action === AUDIT_ACTION.CLAIMED || r.action === AUDIT_ACTION.DECISION);
  expect(claims.map((r) => [r.action, r.principal.id, r.assignee?.id, r.previousAssignee?.id])).toEqual([
    [AUDIT_ACTION.CLAIMED, 'secas-officer', 'secas-officer', undefined],
    [AUDIT_ACTION.CLAIMED, 'secas-officer-2', 'secas-officer-2', 'secas-officer'],
    [AUDIT_ACTION.CLAIMED, 'secas-officer-2', 'secas-officer', 'secas-officer-2'],
    [AUDIT_ACTION.DECISION, 'secas-officer', undefined, undefined],
  ]);
  // and in the CSV, with names
  const csv = await suite.api.GET('/v1/entries/{partyId}/audit-trail.csv', { ...party(partyId), ...bearer(suite.h.tokenFor(BODY.OPS)), parseAs: 'text' });
  expect(csv.data).toContain(`"CLAIMED","SECAS","secas-officer-2","Sam Second","","ACCESSION","","","","","","","","","${firstName} (secas-officer)","Sam Second (secas-officer-2)"`);
});

test('a claim is released back to the queue; another body, and a stage with the Party, are refused in words', async () => {
  const secas = suite.h.tokenFor(BODY.SECAS);
  const partyId = uniquePartyId('CLAIM-R');
  expect((await suite.api.POST('/v1/entries', { ...bearer(suite.h.tokenFor(BODY.OPS)), body: startBody(partyId) })).response.status).toBe(201);
  const dcc = await claim(partyId, suite.h.tokenFor(BODY.DCC), { stage: STAGE.ACCESSION });
  expect([dcc.response.status, ErrorResponse.parse(dcc.error).error.message]).toEqual([403, 'Accession to the SEC is waiting on SECAS, not the DCC: only its officers claim it.']);

  expect((await claim(partyId, secas, { stage: STAGE.ACCESSION })).response.status).toBe(200);
  const released = ClaimResponse.parse((await claim(partyId, secas, { stage: STAGE.ACCESSION, assignee: null })).data);
  expect([released.claim, released.record?.action, released.record?.previousAssignee?.id]).toEqual([null, AUDIT_ACTION.RELEASED, 'secas-officer']);
  expect((await inboxItem(partyId, secas))?.claim).toBeNull();

  const unknown = await call(suite.h.baseUrl, 'PUT', `/v1/entries/${partyId}/claim`, { token: secas, body: { stage: 'NOPE' } }); // a stage the document does not know, sent raw
  expect(unknown.status).toBe(400);
});

test("the live inbox hears of a claim within 2 s: a colleague's open inbox shows who has it", async () => {
  const secas = suite.h.tokenFor(BODY.SECAS);
  const partyId = uniquePartyId('CLAIM-L');
  expect((await suite.api.POST('/v1/entries', { ...bearer(suite.h.tokenFor(BODY.OPS)), body: startBody(partyId) })).response.status).toBe(201);
  const stream = await openEventStream(suite.h.baseUrl, '/v1/inbox/events', { token: secondSecasOfficer() });
  try {
    InboxEvent.parse(await stream.next(2_000));
    // until the entry's start has settled: a second with nothing new
    for (let quiet = false; !quiet; ) quiet = await stream.next(1_000).then(() => false, () => true);
    expect((await claim(partyId, secas, { stage: STAGE.ACCESSION })).response.status).toBe(200);
    InboxEvent.parse(await stream.next(2_000));
  } finally {
    stream.close();
  }
});
