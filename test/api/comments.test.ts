/**
 * A stage's thread (POST /v1/entries/{partyId}/comments): the Party and a body comment on a stage,
 * each comment a COMMENTED record of the audit trail with who, when and the text; a retry adds
 * nothing; a stage the entry does not have, a closed entry and another Party are refused in words.
 */
import { CommentResponse, ErrorResponse } from '../../api/schemas';
import { AUDIT_ACTION } from '../../domain/types';
import { BODY, STAGE, USER_ROLE } from '../../domain/vocabulary';
import { startBody } from '../../testkit/api-fixtures';
import { useApiHarness } from '../../testkit/suites';
import { uniquePartyId } from '../../testkit/temporal';
import { bearer, party, trailOf, typedApi, type Schemas } from '../../testkit/typed-api';

const suite = useApiHarness();
const comment = (partyId: string, token: string, body: Schemas['CommentRequest']) => suite.api.POST('/v1/entries/{partyId}/comments', { ...party(partyId), ...bearer(token), body });
const thread = async (partyId: string) => (await trailOf(typedApi(suite.h.baseUrl, suite.h.tokenFor(BODY.OPS)), partyId)).filter((r) => r.action === AUDIT_ACTION.COMMENTED);

test('the Party and SECAS talk in a stage’s thread, in the audit trail; a retry adds nothing', async () => {
  const partyId = uniquePartyId('TALK');
  expect((await suite.api.POST('/v1/entries', { ...bearer(suite.h.tokenFor(BODY.OPS)), body: startBody(partyId) })).response.status).toBe(201);
  const asked = await comment(partyId, suite.h.partyToken(partyId), { commentId: 'p-1', stage: STAGE.ACCESSION, text: 'Is the signed Accession Agreement enough, or do you need the board minute too?' });
  expect(asked.response.status).toBe(201);
  const first = CommentResponse.parse(asked.data);
  expect([first.duplicate, first.record.action, first.record.principal.body, first.record.stage]).toEqual([false, AUDIT_ACTION.COMMENTED, BODY.PARTY, STAGE.ACCESSION]);
  const again = await comment(partyId, suite.h.partyToken(partyId), { commentId: 'p-1', stage: STAGE.ACCESSION, text: 'Is the signed Accession Agreement enough, or do you need the board minute too?' });
  expect([again.response.status, CommentResponse.parse(again.data)]).toEqual([201, { record: first.record, duplicate: true }]);
  expect((await comment(partyId, suite.h.tokenFor(BODY.SECAS), { commentId: 's-1', stage: STAGE.ACCESSION, text: 'The agreement is enough.' })).response.status).toBe(201);
  expect((await comment(partyId, suite.h.tokenFor(BODY.DCC), { commentId: 'd-1', stage: STAGE.UEPT, role: USER_ROLE.IMPORT_SUPPLIER, text: 'Test slots open in March.' })).response.status).toBe(201);

  expect((await thread(partyId)).map((r) => [r.principal.body, r.stage, r.role, r.comment])).toEqual([
    [BODY.PARTY, STAGE.ACCESSION, undefined, 'Is the signed Accession Agreement enough, or do you need the board minute too?'],
    [BODY.SECAS, STAGE.ACCESSION, undefined, 'The agreement is enough.'],
    [BODY.DCC, STAGE.UEPT, USER_ROLE.IMPORT_SUPPLIER, 'Test slots open in March.'],
  ]);
});

test('a stage the entry lacks, a closed entry and another Party are refused in words, and nothing is added', async () => {
  const partyId = uniquePartyId('TALK-R');
  expect((await suite.api.POST('/v1/entries', { ...bearer(suite.h.tokenFor(BODY.OPS)), body: startBody(partyId) })).response.status).toBe(201);
  const lacking = await comment(partyId, suite.h.tokenFor(BODY.DCC), { commentId: 'x-1', stage: STAGE.UEPT, role: USER_ROLE.GAS_SUPPLIER, text: 'Hello' });
  expect([lacking.response.status, ErrorResponse.parse(lacking.error).error.message]).toEqual([422, `Party ${partyId}'s entry has no User Entry Process Tests for the Gas Supplier role: nothing was kept.`]);
  const other = await comment(partyId, suite.h.partyToken(uniquePartyId('TALK-O')), { commentId: 'x-2', stage: STAGE.ACCESSION, text: 'Hello' });
  expect([other.response.status, ErrorResponse.parse(other.error).error.code]).toEqual([403, 'NOT_OWN_PARTY']);
  expect((await suite.api.POST('/v1/entries/{partyId}/withdrawal', { ...party(partyId), ...bearer(suite.h.tokenFor(BODY.OPS)), body: { reason: 'test' } })).response.status).toBe(200);
  const closed = await comment(partyId, suite.h.tokenFor(BODY.SECAS), { commentId: 'x-3', stage: STAGE.ACCESSION, text: 'Hello' });
  expect([closed.response.status, ErrorResponse.parse(closed.error).error.code]).toEqual([409, 'ENTRY_CLOSED']);
  // text PostgreSQL cannot keep (the API fuzzing found a NUL answered 500): refused as input, like any bad field
  for (const bad of ['before\u0000after', 'lone \ud800 surrogate']) {
    const refused = await comment(partyId, suite.h.tokenFor(BODY.SECAS), { commentId: 'x-4', stage: STAGE.ACCESSION, text: bad });
    expect([refused.response.status, ErrorResponse.parse(refused.error).error.details[0]?.message]).toEqual([400, 'must not contain a NUL character or a lone surrogate']);
  }
  expect(await thread(partyId)).toEqual([]);
});
