/**
 * One entry from start to completion through the API only, every stage decided by the body that
 * owns it and every submission made by the Party. With UPDATE_API_WALKTHROUGH=1 the exchange is
 * written to docs/api-walkthrough.md as a curl-style transcript.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { AuditTrailResponse, EntryResponse, UpdateResponse } from '../../api/schemas';
import { getCatalogue, openStagesOf } from '../../domain';
import type { EntrySummary, StageSummary } from '../../domain/types';
import { AUDIT_ACTION } from '../../domain/types';
import { BODY, COHORT, ENTRY_STATUS, OUTCOME_EFFECT, STAGE_STATE, USER_ROLE, type Body } from '../../domain/vocabulary';

import { call, type Answer, type CallOptions } from '../../testkit/api-harness';
import { useApiHarness } from '../../testkit/suites';
import { daysFromToday } from '../../testkit/dates';

const suite = useApiHarness();

const transcript: string[] = [];
const TOKEN_NAMES: Partial<Record<Body, string>> = { DCC: '$DCC_TOKEN', SEC_PANEL: '$PANEL_TOKEN', SECAS: '$SECAS_TOKEN', PARTY: '$PARTY_TOKEN', OPS: '$OPS_TOKEN' };

function abbreviate(json: unknown): unknown {
  if (!json || typeof json !== 'object') return json;
  const o = json as Record<string, unknown>;
  const entry = o.entry as EntrySummary | undefined;
  if (entry) {
    return { ...o, entry: { status: entry.status, headline: entry.headline, awaitedBodies: entry.awaitedBodies, '...': '(full summary elided)' } };
  }
  return json;
}

async function api(who: Body, method: string, p: string, body?: unknown, partyId?: string): Promise<Answer> {
  const token = who === BODY.PARTY ? suite.h.partyToken(partyId!) : suite.h.tokenFor(who);
  const opts: CallOptions = { token, ...(body !== undefined ? { body } : {}) };
  const r = await call(suite.h.baseUrl, method, p, opts);
  const data = body !== undefined ? ` \\\n  -H 'Content-Type: application/json' -d '${JSON.stringify(body)}'` : '';
  transcript.push(
    `$ curl -s -X ${method} "$API${p}" -H "Authorization: Bearer ${TOKEN_NAMES[who]}"${data}`,
    `# ${r.status}`,
    r.json !== undefined ? JSON.stringify(abbreviate(r.json), null, 2).replaceAll(suite.h.baseUrl, '$API') : r.text.trim(),
    '',
  );
  return r;
}

function passingOutcome(summary: EntrySummary, stage: Pick<StageSummary, 'stage'>): string {
  const def = getCatalogue(summary.catalogueVersion).stages.find((s) => s.id === stage.stage);
  const outcome = def?.outcomes.find((o) => o.effect === OUTCOME_EFFECT.DONE && !o.sharedResourceOnly && !o.followUp);
  if (!outcome) throw new Error(`no passing outcome for ${stage.stage}`);
  return outcome.outcome;
}

test('one entry from start to completion, each stage by the right body', async () => {
  const partyId = 'WALK-ENERGY';
  const started = await api(BODY.OPS, 'POST', '/v1/entries', {
    partyId,
    partyName: 'Walkthrough Energy Ltd',
    cohort: COHORT.SMALL_NON_DOMESTIC_SUPPLIER,
    roles: [USER_ROLE.IMPORT_SUPPLIER],
    mandateDeadline: daysFromToday(3 * 365),
    uepContact: { name: 'Ada Lovelace', email: 'uep@walkthrough.example' },
  });
  expect(started.status).toBe(201);

  const first = EntryResponse.parse((await api(BODY.OPS, 'GET', `/v1/entries/${partyId}`)).json).entry;
  // each update's compact answer says what is open next; the full entry is read again at the end
  let now: Pick<UpdateResponse, 'status' | 'openStages'> = { status: first.status, openStages: openStagesOf(first) };
  let n = 0;
  while (now.status === ENTRY_STATUS.IN_PROGRESS) {
    expect(n++).toBeLessThan(40);
    expect(now.openStages.length).toBeGreaterThan(0);
    const stage = now.openStages[0]!;
    const where = { stage: stage.stage, ...(stage.role ? { role: stage.role } : {}) };
    const r =
      stage.state === STAGE_STATE.AWAITING_PARTY
        ? await api(BODY.PARTY, 'POST', `/v1/entries/${partyId}/evidence`, { submissionId: `sub-${n}`, ...where, reference: `DOC-${stage.stage}` }, partyId)
        : await api(stage.owner, 'POST', `/v1/entries/${partyId}/decisions`, {
            decisionId: `dec-${n}`,
            ...where,
            outcome: passingOutcome(first, stage),
            evidence: `EV-${stage.stage}`,
          });
    expect(r.status).toBe(200);
    const update = UpdateResponse.parse(r.json);
    if (update.record.action === AUDIT_ACTION.DECISION) expect(update.record.principal.body).toBe(stage.owner);
    now = update;
  }
  const summary = EntryResponse.parse((await api(BODY.OPS, 'GET', `/v1/entries/${partyId}`)).json).entry;
  expect(summary.status).toBe(ENTRY_STATUS.COMPLETE);
  expect(summary.roleStages.every((r) => r.complete)).toBe(true);

  const trail = AuditTrailResponse.parse((await api(BODY.SECAS, 'GET', `/v1/entries/${partyId}/audit-trail`)).json);
  expect(trail.records.some((r) => r.action === AUDIT_ACTION.ROLE_COMPLETE)).toBe(true);
  const decisions = trail.records.filter((r) => r.action === AUDIT_ACTION.DECISION);
  expect(new Set(decisions.map((d) => d.principal.body))).toEqual(new Set([BODY.SECAS, BODY.SEC_PANEL, BODY.DCC]));

  if (process.env.UPDATE_API_WALKTHROUGH === '1') {
    const doc = [
      '# API walkthrough: one entry from start to completion',
      '',
      'Recorded by `test/api/walkthrough.test.ts` against a real Temporal dev server and worker',
      '(`UPDATE_API_WALKTHROUGH=1 npx jest test/api/walkthrough.test.ts`). Tokens are minted with',
      '`scripts/tokens.ts`; each call uses the token of the body that owns the step. Each update',
      'answers in brief (what to render and what is open next); the full entry is one `GET` away.',
      'Entry summaries of the `GET`s are abbreviated here; the API returns them in full.',
      '',
      '```console',
      ...transcript,
      '```',
      '',
    ].join('\n');
    writeFileSync(path.resolve(__dirname, '../../docs/api-walkthrough.md'), doc);
  }
});
