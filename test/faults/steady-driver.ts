/**
 * Drives entries to completion through faults, as a careful client would: every submission and
 * decision has a stable id (= its Temporal update id) and is retried with that same id until it
 * is answered, so a crash between "accepted" and "answered" can neither lose nor double it. A
 * refusal is never retried: it means the engine lost track of where the entry stood.
 */
import { WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { entryIdFor } from '../../domain';
import { REFUSAL } from '../../domain/types';
import { BODY, ENTRY_STATUS, STAGE_STATE } from '../../domain/vocabulary';
import { ENTRY_WORKFLOW_TYPE, getStatusQuery, recordDecisionUpdate, submitEvidenceUpdate, type EntryUpdateAnswer, type EntryUpdateResult, type EntryWorkflowInput } from '../../workflows/messages';
import { startBody } from '../../testkit/api-fixtures';
import { compactResult, openStages, passingOutcome, principalFor } from '../../testkit/entry-driver';

const REFUSAL_CODES = new Set<string>(Object.values(REFUSAL));
const MAX_ROUNDS = 60;
const RETRY_PAUSE_MS = 300;

export class RefusedError extends Error {}

/** What a driven entry sent and had accepted: update ids, in order. */
export interface DrivenEntry {
  partyId: string;
  accepted: string[];
  retries: number;
  /** Where the last answer left the entry. */
  final: Pick<EntryUpdateResult, 'status' | 'headline'>;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function refusalOf(err: unknown): string | undefined {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type && REFUSAL_CODES.has(err.cause.type)) {
    return `${err.cause.type}: ${err.cause.message}`;
  }
  return undefined;
}

/** Retries fn until it succeeds or deadline passes; a refusal ends it at once. */
export async function untilAnswered<T>(what: string, deadline: number, fn: () => Promise<T>, onRetry: () => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const refusal = refusalOf(err);
      if (refusal) throw new RefusedError(`${what} refused: ${refusal}`);
      if (Date.now() > deadline) throw new Error(`${what}: no answer after ${attempt} attempts: ${String(err)}`);
      onRetry();
      await pause(RETRY_PAUSE_MS);
    }
  }
}

/** Starts an entry with the client (USE_EXISTING makes the start itself safe to retry). */
export async function startEntryResiliently(client: Client, taskQueue: string, partyId: string, deadline: number): Promise<WorkflowHandle> {
  const args: [EntryWorkflowInput] = [{ start: { ...startBody(partyId), startedBy: principalFor(BODY.OPS, '') } }];
  return untilAnswered(`start ${partyId}`, deadline, () =>
    client.workflow.start(ENTRY_WORKFLOW_TYPE, { taskQueue, workflowId: entryIdFor(partyId), args, workflowIdConflictPolicy: 'USE_EXISTING' }),
  () => undefined);
}

export async function driveResiliently(handle: WorkflowHandle, partyId: string, deadline: number, onAccepted: () => void = () => undefined): Promise<DrivenEntry> {
  const accepted: string[] = [];
  let retries = 0;
  const retried = () => void retries++;
  const summary = await untilAnswered(`status ${partyId}`, deadline, () => handle.query(getStatusQuery), retried);
  let now: Pick<EntryUpdateResult, 'status' | 'headline' | 'openStages'> = { ...summary, openStages: openStages(summary) };
  let n = 0;
  for (let round = 0; now.status === ENTRY_STATUS.IN_PROGRESS; round++) {
    if (round >= MAX_ROUNDS) throw new Error(`${partyId} did not complete in ${MAX_ROUNDS} rounds: ${now.headline}`);
    for (const stage of now.openStages) {
      const where = { stage: stage.stage, ...(stage.role ? { role: stage.role } : {}) };
      const id = `${partyId}.${++n}`;
      const send = (): Promise<EntryUpdateAnswer> =>
        stage.state === STAGE_STATE.AWAITING_PARTY
          ? handle.executeUpdate(submitEvidenceUpdate, {
              args: [{ submissionId: id, ...where, reference: `doc-${id}`, principal: principalFor(BODY.PARTY, partyId) }],
              updateId: id,
            })
          : handle.executeUpdate(recordDecisionUpdate, {
              args: [{ decisionId: id, ...where, outcome: passingOutcome(summary, stage), evidence: `ev-${id}`, principal: principalFor(stage.owner, partyId) }],
              updateId: id,
            });
      const result = await untilAnswered(`${stage.stage} ${id}`, deadline, send, retried);
      accepted.push(id);
      onAccepted();
      now = compactResult(result);
    }
  }
  return { partyId, accepted, retries, final: now };
}
