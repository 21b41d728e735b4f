/**
 * The API's only door to Temporal: one named operation per thing the API asks of an entry. The
 * routers get an EntryGateway and never a client; the update definitions, the workflow type, the
 * search attributes and Temporal's errors stay behind this door (lint keeps it so). Every call is
 * bounded by TEMPORAL_RPC_TIMEOUT_MS: a gRPC deadline, an abort signal, and a timer as the last
 * word, so an unreachable server is a 503 within the bound and never a hang.
 */
import { ScheduleNotFoundError, WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, type UpdateDefinition } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { checkRetry, ENTRY_STATUS, entryChangeOf, entryClosedWords, entryIdFor, startEntry, summarise } from '../../domain';
import { REFUSAL, type AuditRecord, type EntryCommand, type EntrySummary, type StartEntryInput } from '../../domain/types';
import * as messages from '../../workflows/messages';
import { encodeSearchAttributes } from '../../workflows/search-attributes';
import { refusalError, temporalUnavailable } from '../errors';
import { fromTemporal } from './errors';
import { isChannelReady, msOf } from '../../config/sdk-internals';
import { RECONCILE_SCHEDULE_ID } from '../../config/temporal';

/** What an accepted command answers: its record, whether it was a retry, and the change in brief (domain's EntryChange). */
export type UpdateAnswer = messages.EntryUpdateResult;

export interface StartedEntry {
  entryId: string;
  runId: string;
  headline: string;
}

export interface EntryGateway {
  readonly namespace: string;
  start(input: StartEntryInput): Promise<StartedEntry>;
  status(partyId: string): Promise<EntrySummary>;
  auditTrail(partyId: string): Promise<AuditRecord[]>;
  decide(partyId: string, request: messages.RecordDecisionRequest): Promise<UpdateAnswer>;
  submit(partyId: string, request: messages.SubmitEvidenceRequest): Promise<UpdateAnswer>;
  amendDeadline(partyId: string, request: messages.AmendMandateDeadlineRequest): Promise<UpdateAnswer>;
  addRole(partyId: string, request: messages.AddUserRoleRequest): Promise<UpdateAnswer>;
  withdraw(partyId: string, request: messages.WithdrawRequest): Promise<UpdateAnswer>;
  /**
   * Hands a saved version of the meeting calendar to Temporal: starts its push workflow, which
   * sends it to the running entries (workflows/meetings-push-workflow.ts). Answers whether Temporal
   * took the start within the bound (a push of that version already started counts as taken), and
   * never throws: a version not handed over is the reconciler's to push.
   */
  startMeetingsPush(request: messages.MeetingsPushInput): Promise<MeetingsPushStart>;
  /**
   * Readiness's questions to Temporal: does it answer for the namespace (timed), and which workers
   * poll the engine's task queue now (seen within POLLER_FRESH_MS).
   */
  readiness(now?: number): Promise<Readiness>;
  /**
   * Whether the connection to Temporal is up now: after a call found no answer in time, true means
   * the request reached Temporal and may have landed; false, that it could not be sent.
   */
  connected(): boolean;
  /** The reconciler's Temporal Schedule as it stands, or null when no worker has created it yet. */
  reconcileSchedule(): Promise<ReconcileScheduleState | null>;
}

export interface MeetingsPushStart {
  /** `uep-meetings-push-v<version>`: the push in the Temporal UI. */
  workflowId: string;
  started: boolean;
  /** Why Temporal did not take it (started false). */
  reason?: string;
}

export interface ReconcileScheduleState {
  /** When the schedule last started a pass (null: never). A pass still running makes it skip the next ones. */
  lastStartedAt: Date | null;
  /** Its interval (ms), as the workers set it. */
  everyMs: number | null;
  paused: boolean;
}

/** A poller last seen longer ago than this is a worker gone (a long poll lasts about a minute). */
export const POLLER_FRESH_MS = 2 * 60_000;

export interface Readiness {
  /** How long Temporal took to describe the namespace. */
  latencyMs: number;
  workflowPollers: number;
  activityPollers: number;
}

/**
 * A closed run as the record holds it: its audit trail and its summary as of now, when the record
 * has seen that run chain close (null otherwise). The record is asked first because a query to a
 * closed run makes a worker replay its whole history, one query at a time, and the SDK drops the
 * queries still waiting when it evicts the replayed run: a burst of changes sent to a closed entry
 * left some unanswered past the deadline (503) while the answer sat in the record.
 */
export type ClosedRunReader = (partyId: string, chainId: string) => Promise<{ trail: AuditRecord[]; summary: EntrySummary } | null>;

export interface GatewayConfig {
  TEMPORAL_NAMESPACE: string;
  TEMPORAL_TASK_QUEUE: string;
  TEMPORAL_RPC_TIMEOUT_MS: number;
}

export function createEntryGateway(client: Client, config: GatewayConfig, closedRuns: ClosedRunReader = async () => null): EntryGateway {
  const ms = config.TEMPORAL_RPC_TIMEOUT_MS;

  /** The call within the bound, unmapped (for the callers that look at Temporal's own error). */
  async function boundedRaw<T>(fn: () => Promise<T>): Promise<T> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(temporalUnavailable(`Temporal did not answer within ${ms} ms`));
      }, ms);
    });
    const call = client.withAbortSignal(controller.signal, () => client.withDeadline(Date.now() + ms, fn));
    call.catch(() => undefined); // settled by the race; never an unhandled rejection
    try {
      return await Promise.race([call, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function bounded<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await boundedRaw(fn);
    } catch (err) {
      throw fromTemporal(err);
    }
  }

  const handleFor = (partyId: string): WorkflowHandle => client.workflow.getHandle(entryIdFor(partyId));
  const status = (partyId: string) => bounded(() => handleFor(partyId).query(messages.getStatusQuery));
  const auditTrail = (partyId: string) => bounded(() => handleFor(partyId).query(messages.getAuditTrailQuery));

  /**
   * No update id is derived from a decision or submission id: Temporal would answer a reused
   * update id with its cached first result, whatever the request now says and however the entry
   * has moved since. Every call reaches the workflow, where the domain's one rule
   * (domain/retries.ts) answers a retry with `duplicate: true` and the entry as it is now, and a
   * reuse with ID_REUSED. A closed entry takes no update: a retry of a command it recorded is
   * answered from its audit trail by the same rule; anything else is ENTRY_CLOSED.
   */
  async function update<Req>(partyId: string, definition: UpdateDefinition<messages.EntryUpdateAnswer, [Req]>, request: Req, command: EntryCommand): Promise<UpdateAnswer> {
    const handle = handleFor(partyId);
    try {
      const answer = await boundedRaw(() => handle.executeUpdate(definition, { args: [request] }));
      return messages.isLegacyUpdateResult(answer) ? await fromLegacy(partyId, answer) : answer;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw fromTemporal(err);
      const closed = await boundedRaw(() => handle.describe()).then(
        (d) => ({ temporalStatus: d.status.name, chainId: d.raw.workflowExecutionInfo?.firstRunId ?? '' }),
        () => ({ temporalStatus: 'RUNNING', chainId: '' }),
      );
      if (closed.temporalStatus === 'RUNNING') throw fromTemporal(err);
      // A run the engine closed completed, after handing the record its last change; any other
      // end (terminated, timed out, failed) was Temporal's, and the record may lack the last change.
      const recorded = closed.temporalStatus === 'COMPLETED' ? await closedRuns(partyId, closed.chainId) : null;
      const trail = recorded?.trail ?? (await auditTrail(partyId));
      const summary = () => (recorded ? Promise.resolve(recorded.summary) : status(partyId));
      const retry = checkRetry(trail, command);
      if (retry.kind === 'duplicate') return entryChangeOf(await summary(), retry.record, true, trail.length);
      if (retry.kind === 'reused') throw refusalError(retry.refusal.code, retry.refusal.message);
      const how = closed.temporalStatus === 'COMPLETED' ? (await summary()).status : ENTRY_STATUS.CLOSED_OUTSIDE_ENGINE;
      throw refusalError(REFUSAL.ENTRY_CLOSED, entryClosedWords(how, closed.temporalStatus));
    }
  }

  /** A worker not yet upgraded answers the full summary: the same brief is read from it. */
  async function fromLegacy(partyId: string, answer: messages.LegacyEntryUpdateResult): Promise<UpdateAnswer> {
    const version = answer.duplicate ? (await auditTrail(partyId)).length : answer.record.seq;
    return entryChangeOf(answer.summary, answer.record, answer.duplicate, version);
  }

  return {
    namespace: config.TEMPORAL_NAMESPACE,

    /**
     * The initial search attributes and the headline come from the same pure domain function
     * the workflow runs, so the entry is findable from its first moment.
     */
    async start(input) {
      const entryId = entryIdFor(input.partyId);
      const now = Date.now();
      const initial = startEntry(input, now);
      const headline = summarise(initial.state, now).headline;
      const typedSearchAttributes = encodeSearchAttributes(initial.effects.searchAttributes).filter(
        (pair): pair is typeof pair & { value: NonNullable<typeof pair.value> } => pair.value !== null,
      );
      const args: [messages.EntryWorkflowInput] = [{ start: input }];
      const handle = await bounded(() =>
        client.workflow.start(messages.ENTRY_WORKFLOW_TYPE, {
          workflowId: entryId,
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          args,
          workflowIdConflictPolicy: 'FAIL',
          workflowIdReusePolicy: 'ALLOW_DUPLICATE',
          typedSearchAttributes,
          // Only facts that never change: the live state is in the current details and the result.
          staticSummary: `UEP ${input.partyName} (${input.partyId}), cohort ${input.cohort}, roles sought at start: ${input.roles.join(', ')}`.slice(0, 400),
        }),
      );
      return { entryId, runId: handle.firstExecutionRunId, headline };
    },
    status,
    auditTrail,
    decide: (partyId, request) => update(partyId, messages.recordDecisionUpdate, request, { type: 'RECORD_DECISION', ...request }),
    submit: (partyId, request) => update(partyId, messages.submitEvidenceUpdate, request, { type: 'SUBMIT_EVIDENCE', ...request }),
    amendDeadline: (partyId, request) => update(partyId, messages.amendMandateDeadlineUpdate, request, { type: 'AMEND_DEADLINE', ...request }),
    addRole: (partyId, request) => update(partyId, messages.addUserRoleUpdate, request, { type: 'ADD_ROLE', ...request }),
    withdraw: (partyId, request) => update(partyId, messages.withdrawUpdate, request, { type: 'WITHDRAW', ...request }),
    /**
     * REJECT_DUPLICATE: the version is new (the record's key took it in this request), so a push of
     * it can only have been started by a reconcile pass in between, and that one is the push.
     */
    async startMeetingsPush(request) {
      const workflowId = messages.meetingsPushWorkflowId(request.version);
      const args: [messages.MeetingsPushInput] = [request];
      try {
        await boundedRaw(() =>
          client.workflow.start(messages.MEETINGS_PUSH_WORKFLOW_TYPE, {
            workflowId,
            taskQueue: config.TEMPORAL_TASK_QUEUE,
            args,
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
            staticSummary: `Meeting calendar version ${request.version} to the running entries`,
          }),
        );
        return { workflowId, started: true };
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: true };
        return { workflowId, started: false, reason: err instanceof Error ? err.message : String(err) };
      }
    },
    connected: () => isChannelReady(client.connection),
    /** Temporal keeps a gone poller listed for minutes: only the ones seen lately count. */
    async readiness(now = Date.now()) {
      const started = performance.now();
      await bounded(() => client.workflowService.describeNamespace({ namespace: config.TEMPORAL_NAMESPACE }));
      const latencyMs = Math.round(performance.now() - started);
      const { TaskQueueType } = temporal.api.enums.v1;
      const fresh = async (taskQueueType: temporal.api.enums.v1.TaskQueueType) => {
        const response = await bounded(() =>
          client.workflowService.describeTaskQueue({ namespace: config.TEMPORAL_NAMESPACE, taskQueue: { name: config.TEMPORAL_TASK_QUEUE }, taskQueueType }),
        );
        return response.pollers.filter((p) => (msOf(p.lastAccessTime) ?? 0) > now - POLLER_FRESH_MS).length;
      };
      const [workflowPollers, activityPollers] = await Promise.all([fresh(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW), fresh(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)]);
      return { latencyMs, workflowPollers, activityPollers };
    },

    async reconcileSchedule() {
      try {
        const described = await boundedRaw(() => client.schedule.getHandle(RECONCILE_SCHEDULE_ID).describe());
        const taken = described.info.recentActions.map((a) => a.takenAt.getTime());
        return {
          lastStartedAt: taken.length > 0 ? new Date(Math.max(...taken)) : null,
          everyMs: described.spec.intervals?.[0]?.every ?? null,
          paused: described.state.paused,
        };
      } catch (err) {
        if (err instanceof ScheduleNotFoundError) return null;
        throw fromTemporal(err);
      }
    },
  };
}
