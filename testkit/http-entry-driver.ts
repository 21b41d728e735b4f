/**
 * Drives one entry to completion through the HTTP API, as the bodies would: the Party submits
 * what a stage needs, the owning body records a passing decision. Every update's round trip is
 * timed; each answer (compact) says what to do next (one GET at the start). Answers are not
 * re-validated here (the API tests do that), so the client adds as little CPU as the floor's.
 */
import { ENDPOINTS, fillPath } from '../api/endpoints';
import type { EntryResponse, StartEntryRequest, UpdateResponse } from '../api/schemas';
import type { EntrySummary } from '../domain/types';
import { BODY, ENTRY_STATUS, STAGE_STATE } from '../domain/vocabulary';
import { openStages, passingOutcome } from './entry-driver';
import type { ApiStack } from './api-stack';
import { retryWhenBusy } from './retry-when-busy';
import { timed } from './timed';

class ServerBusy extends Error {}

/** Rounds (summary refreshes) an entry may take before the driver gives up. */
const MAX_ROUNDS = 60;

export interface DriveResult {
  updates: number;
  rounds: number;
  /** Where the last answer left the entry. */
  final: Pick<UpdateResponse, 'status' | 'headline'>;
}

function expectStatus(what: string, status: number, expected: number, text: string): void {
  if (status !== expected) throw new Error(`${what}: HTTP ${status} (expected ${expected}): ${text.slice(0, 500)}`);
}

export async function startEntryOverHttp(api: ApiStack, body: StartEntryRequest, latencies: number[]): Promise<void> {
  const r = await timed(latencies, () => api.request('POST', ENDPOINTS.startEntry.path, { token: api.tokenFor(BODY.OPS), body }));
  expectStatus(`start ${body.partyId}`, r.status, 201, r.text);
}

export async function getEntryOverHttp(api: ApiStack, partyId: string, latencies?: number[]): Promise<EntrySummary> {
  const get = () => api.request('GET', fillPath(ENDPOINTS.getEntry.path, partyId), { token: api.tokenFor(BODY.OPS) });
  const r = latencies ? await timed(latencies, get) : await get();
  expectStatus(`get ${partyId}`, r.status, 200, r.text);
  return (r.json as EntryResponse).entry;
}

/**
 * Acts on every open stage, round after round, until the entry is complete: the first summary
 * from one GET, then each update's compact answer says what is open next.
 * `retried` counts the updates sent again because the server was busy.
 */
export async function driveOverHttp(api: ApiStack, partyId: string, updateLatencies: number[], retried: { retries: number } = { retries: 0 }): Promise<DriveResult> {
  const summary = await getEntryOverHttp(api, partyId);
  let now: Pick<UpdateResponse, 'status' | 'headline' | 'openStages'> = { ...summary, openStages: openStages(summary) };
  let updates = 0;
  let rounds = 0;
  while (now.status === ENTRY_STATUS.IN_PROGRESS) {
    if (++rounds > MAX_ROUNDS) throw new Error(`${partyId} did not complete in ${MAX_ROUNDS} rounds: ${now.headline}`);
    const open = now.openStages;
    if (open.length === 0) throw new Error(`${partyId} awaits nobody: ${now.headline}`);
    for (const stage of open) {
      const where = { stage: stage.stage, ...(stage.role ? { role: stage.role } : {}) };
      const id = `${partyId}-${++updates}`;
      const [endpoint, token, body] =
        stage.state === STAGE_STATE.AWAITING_PARTY
          ? [ENDPOINTS.submitEvidence, api.tokenFor(BODY.PARTY, partyId), { submissionId: `sub-${id}`, ...where, reference: `doc-${id}` }]
          : [ENDPOINTS.recordDecision, api.tokenFor(stage.owner, partyId), { decisionId: `dec-${id}`, ...where, outcome: passingOutcome(summary, stage), evidence: `ev-${id}` }];
      // A 500/503 under load (Temporal busy) is retried with the same decision or submission id: safe by design.
      const r = await timed(updateLatencies, () =>
        retryWhenBusy(retried, (err) => err instanceof ServerBusy, async () => {
          const answer = await api.request('POST', fillPath(endpoint.path, partyId), { token, body });
          if (answer.status === 500 || answer.status === 503) throw new ServerBusy(answer.text);
          return answer;
        }),
      );
      expectStatus(`${endpoint.operationId} ${partyId} ${stage.stage}`, r.status, 200, r.text);
      now = r.json as UpdateResponse;
    }
  }
  return { updates, rounds, final: now };
}
