/**
 * One entry from start to completion through the API only, every stage decided by the body that
 * owns it and every submission made by the Party. With UPDATE_API_WALKTHROUGH=1 the exchange is
 * written to docs/api-walkthrough.md as a curl-style transcript.
 */
import { writeFileSync } from 'node:fs';
import type { Middleware } from 'openapi-fetch';
import path from 'node:path';
import { AuditTrailResponse, EntryResponse, UpdateResponse } from '../../api/schemas';
import { getCatalogue, openStagesOf } from '../../domain';
import type { EntrySummary, StageSummary } from '../../domain/types';
import { AUDIT_ACTION } from '../../domain/types';
import { BODY, COHORT, ENTRY_STATUS, OUTCOME_EFFECT, STAGE_STATE, USER_ROLE, type Body } from '../../domain/vocabulary';
import { useApiHarness } from '../../testkit/suites';
import { daysFromToday } from '../../testkit/dates';
import { bearer, party, typedApi, type TypedApi } from '../../testkit/typed-api';

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

/** Each exchange written down as curl would make it, the caller's token by name. */
const bodiesSent = new Map<string, string>();
const transcribed: Middleware = {
  async onRequest({ request, id }) {
    bodiesSent.set(id, await request.clone().text());
  },
  async onResponse({ request, response, id }) {
    const body = bodiesSent.get(id);
    bodiesSent.delete(id);
    const who = suite.h.principalOf(request.headers.get('authorization')!.replace(/^Bearer /, '')).body;
    const url = new URL(request.url);
    const text = await response.clone().text();
    let json: unknown = undefined;
    try {
      json = JSON.parse(text) as unknown;
    } catch {
      // not JSON
    }
    const data = body ? ` \\\n  -H 'Content-Type: application/json' -d '${body}'` : '';
    transcript.push(
      `$ curl -s -X ${request.method} "$API${url.pathname}${url.search}" -H "Authorization: Bearer ${TOKEN_NAMES[who]}"${data}`,
      `# ${response.status}`,
      json !== undefined ? JSON.stringify(abbreviate(json), null, 2).replaceAll(suite.h.baseUrl, '$API') : text.trim(),
      '',
    );
  },
};
let api: TypedApi;
beforeAll(() => {
  api = typedApi(suite.h.baseUrl);
  api.use(transcribed);
});
/** The token of the body (for the Party, of the Party's contact). */
const as = (who: Body, partyId: string) => bearer(who === BODY.PARTY ? suite.h.partyToken(partyId) : suite.h.tokenFor(who));

function passingOutcome(summary: EntrySummary, stage: Pick<StageSummary, 'stage'>): string {
  const def = getCatalogue(summary.catalogueVersion).stages.find((s) => s.id === stage.stage);
  const outcome = def?.outcomes.find((o) => o.effect === OUTCOME_EFFECT.DONE && !o.sharedResourceOnly && !o.followUp);
  if (!outcome) throw new Error(`no passing outcome for ${stage.stage}`);
  return outcome.outcome;
}

test('one entry from start to completion, each stage by the right body', async () => {
  const partyId = 'WALK-ENERGY';
  const started = await api.POST('/v1/entries', {
    ...as(BODY.OPS, partyId),
    body: {
      partyId,
    partyName: 'Walkthrough Energy Ltd',
    cohort: COHORT.SMALL_NON_DOMESTIC_SUPPLIER,
    roles: [USER_ROLE.IMPORT_SUPPLIER],
    mandateDeadline: daysFromToday(3 * 365),
      uepContact: { name: 'Ada Lovelace', email: 'uep@walkthrough.example' },
    },
  });
  expect(started.response.status).toBe(201);

  const first = EntryResponse.parse((await api.GET('/v1/entries/{partyId}', { ...party(partyId), ...as(BODY.OPS, partyId) })).data).entry;
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
        ? await api.POST('/v1/entries/{partyId}/evidence', { ...party(partyId), ...as(BODY.PARTY, partyId), body: { submissionId: `sub-${n}`, ...where, reference: `DOC-${stage.stage}` } })
        : await api.POST('/v1/entries/{partyId}/decisions', {
            ...party(partyId),
            ...as(stage.owner, partyId),
            body: { decisionId: `dec-${n}`, ...where, outcome: passingOutcome(first, stage), evidence: `EV-${stage.stage}` },
          });
    expect(r.response.status).toBe(200);
    const update = UpdateResponse.parse(r.data);
    if (update.record.action === AUDIT_ACTION.DECISION) expect(update.record.principal.body).toBe(stage.owner);
    now = update;
  }
  const summary = EntryResponse.parse((await api.GET('/v1/entries/{partyId}', { ...party(partyId), ...as(BODY.OPS, partyId) })).data).entry;
  expect(summary.status).toBe(ENTRY_STATUS.COMPLETE);
  expect(summary.roleStages.every((r) => r.complete)).toBe(true);

  const trail = AuditTrailResponse.parse((await api.GET('/v1/entries/{partyId}/audit-trail', { ...party(partyId), ...as(BODY.SECAS, partyId) })).data);
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
