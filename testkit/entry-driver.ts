/** Drives an entry through its stages the way the bodies would: the Party submits, the owner decides. */
import type { Client, WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { entryIdFor, getCatalogue, openStagesOf, type StartEntryInput } from '../domain';
import type { EntrySummary, StageBrief, StageSummary } from '../domain/types';
import { BODY, ENTRY_STATUS, OUTCOME_EFFECT, STAGE_STATE, type Principal } from '../domain/vocabulary';
import { entryWorkflow } from '../workflows';
import { getStatusQuery, isLegacyUpdateResult, recordDecisionUpdate, submitEvidenceUpdate, type EntryUpdateAnswer, type EntryUpdateResult } from '../workflows/messages';

/** Starts the entry workflow of `start.partyId` on `taskQueue`, as the gateway starts it. */
export function startEntryWorkflow(client: Client, taskQueue: string, start: StartEntryInput): Promise<WorkflowHandleWithFirstExecutionRunId<typeof entryWorkflow>> {
  return client.workflow.start(entryWorkflow, { taskQueue, workflowId: entryIdFor(start.partyId), args: [{ start }] });
}

export function principalFor(body: Principal['body'], partyId: string): Principal {
  return body === BODY.PARTY ? { body, id: `contact@${partyId}`, partyId } : { body, id: `${body.toLowerCase()}-officer` };
}

/** The stages awaiting someone now (the domain's read-model rule). */
export const openStages = (summary: EntrySummary): StageSummary[] => openStagesOf(summary);

/** The first outcome that completes the stage (no Shared Resource-only outcomes). */
export function passingOutcome(entry: Pick<EntrySummary, 'catalogueVersion'>, stage: Pick<StageBrief, 'stage'>): string {
  const def = getCatalogue(entry.catalogueVersion).stages.find((s) => s.id === stage.stage);
  const outcome = def?.outcomes.find((o) => o.effect === OUTCOME_EFFECT.DONE && !o.sharedResourceOnly);
  if (!outcome) throw new Error(`no passing outcome for ${stage.stage}`);
  return outcome.outcome;
}

/** This code's workflow answers every update with the compact result; the legacy one here is a defect. */
export function compactResult(answer: EntryUpdateAnswer): EntryUpdateResult {
  if (isLegacyUpdateResult(answer)) throw new Error('the workflow answered an update with the legacy full summary');
  return answer;
}

let counter = 0;
const nextId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}`;

/** Moves one open stage one step: a submission if the Party is awaited, else a passing decision. */
export async function actOn(
  handle: WorkflowHandle,
  summary: Pick<EntrySummary, 'partyId' | 'catalogueVersion'>,
  stage: StageBrief,
  outcome?: string,
): Promise<EntryUpdateResult> {
  const where = { stage: stage.stage, ...(stage.role ? { role: stage.role } : {}) };
  if (stage.state === STAGE_STATE.AWAITING_PARTY) {
    const id = nextId('sub');
    return compactResult(
      await handle.executeUpdate(submitEvidenceUpdate, {
        args: [{ submissionId: id, ...where, reference: `doc-${id}`, principal: principalFor(BODY.PARTY, summary.partyId) }],
        updateId: id,
      }),
    );
  }
  const id = nextId('dec');
  return compactResult(
    await handle.executeUpdate(recordDecisionUpdate, {
      args: [{ decisionId: id, ...where, outcome: outcome ?? passingOutcome(summary, stage), evidence: `ev-${id}`, principal: principalFor(stage.owner, summary.partyId) }],
      updateId: id,
    }),
  );
}

/**
 * Acts on every open stage until the entry is complete, calling `between` after each round
 * (e.g. to let time pass on the time-skipping server). Returns the final summary.
 */
export async function driveToCompletion(
  handle: WorkflowHandle,
  between: (round: number) => Promise<void> = async () => undefined,
): Promise<EntrySummary> {
  let summary = await handle.query(getStatusQuery);
  for (let round = 0; summary.status === ENTRY_STATUS.IN_PROGRESS; round++) {
    if (round > 60) throw new Error(`entry did not complete: ${summary.headline}`);
    for (const stage of openStages(summary)) await actOn(handle, summary, stage);
    await between(round);
    summary = await handle.query(getStatusQuery);
  }
  return summary;
}
