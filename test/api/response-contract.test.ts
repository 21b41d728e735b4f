/** The contract check every `call` makes (testkit/response-contract.ts) catches an answer that drifted from its schema. */
import { contractProblem } from '../../testkit/response-contract';

const JSON_TYPE = 'application/json; charset=utf-8';

test('an inbox answer missing a documented field, or an error without its shape, is caught; a good one and a CSV pass', () => {
  expect(contractProblem('GET', '/v1/inbox?body=DCC', 200, JSON_TYPE, { body: 'DCC', items: [] })).toBeUndefined();
  expect(contractProblem('GET', '/v1/inbox', 200, JSON_TYPE, { body: 'DCC', items: [{ partyId: 'P1' }] })).toMatch(/^GET \/v1\/inbox answered 200 with JSON that is not its documented InboxResponse: items\.0\.partyName: /);
  expect(contractProblem('PUT', '/v1/entries/P1/claim', 409, JSON_TYPE, { error: 'nope' })).toMatch(/^PUT \/v1\/entries\/P1\/claim answered 409 with JSON that is not its documented ErrorResponse/);
  expect(contractProblem('GET', '/v1/entries/P1/audit-trail.csv', 200, 'text/csv', undefined)).toBeUndefined();
});
