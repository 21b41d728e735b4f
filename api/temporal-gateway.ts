/**
 * Every Temporal call the API makes, each bounded by TEMPORAL_RPC_TIMEOUT_MS: a gRPC deadline, an
 * abort signal, and a timer as the last word, so an unreachable server is a 503 within the bound
 * and never a hang.
 */
import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import type { UpdateDefinition } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { checkRetry, entryIdFor, startEntry, summarise } from '../domain';
import { REFUSAL, type AuditRecord, type EntryCommand, type EntrySearchAttributes, type EntrySummary, type StartEntryInput } from '../domain/types';
import type { Body, Cohort, EntryStatus, StageId, UserRole } from '../domain/vocabulary';
import {
  ENTRY_WORKFLOW_TYPE,
  getAuditTrailQuery,
  getStatusQuery,
  type EntryUpdateResult,
  type EntryWorkflowInput,
} from '../workflows/messages';
import { SEARCH_ATTRIBUTE, toSearchAttributeUpdates } from '../workflows/search-attributes';
import type { AppContext } from './context';
import { refusalError, temporalUnavailable } from './errors';
import { decodePageToken, encodePageToken } from './page-token';

export async function bounded<T>(ctx: AppContext, fn: () => Promise<T>): Promise<T> {
  const ms = ctx.config.TEMPORAL_RPC_TIMEOUT_MS;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(temporalUnavailable(`Temporal did not answer within ${ms} ms`));
    }, ms);
  });
  const call = ctx.client.withAbortSignal(controller.signal, () => ctx.client.withDeadline(Date.now() + ms, fn));
  call.catch(() => undefined); // settled by the race; never an unhandled rejection
  try {
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function handleFor(ctx: AppContext, partyId: string): WorkflowHandle {
  return ctx.client.workflow.getHandle(entryIdFor(partyId));
}

export function queryStatus(ctx: AppContext, partyId: string): Promise<EntrySummary> {
  return bounded(ctx, () => handleFor(ctx, partyId).query(getStatusQuery));
}

export function queryAuditTrail(ctx: AppContext, partyId: string): Promise<AuditRecord[]> {
  return bounded(ctx, () => handleFor(ctx, partyId).query(getAuditTrailQuery));
}

/**
 * Runs an update on the party's entry. No update id is derived from a decision or submission id:
 * Temporal would answer a reused update id with its cached first result, whatever the request
 * now says and however the entry has moved since. Every call reaches the workflow, where the
 * domain's one rule (domain/retries.ts) answers a retry with `duplicate: true` and the entry as
 * it is now, and a reuse with ID_REUSED. A closed entry takes no update: a retry of a command it
 * recorded is answered from its audit trail by the same rule; anything else is ENTRY_CLOSED.
 */
export async function runUpdate<Req>(
  ctx: AppContext,
  partyId: string,
  update: UpdateDefinition<EntryUpdateResult, [Req]>,
  request: Req,
  command: EntryCommand,
): Promise<EntryUpdateResult> {
  const handle = handleFor(ctx, partyId);
  try {
    return await bounded(ctx, () => handle.executeUpdate(update, { args: [request] }));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      const closed = await bounded(ctx, () => handle.describe()).then(
        (d) => d.status.name !== 'RUNNING',
        () => false,
      );
      if (closed) return answerClosed(ctx, partyId, command);
    }
    throw err;
  }
}

async function answerClosed(ctx: AppContext, partyId: string, command: EntryCommand): Promise<EntryUpdateResult> {
  const retry = checkRetry(await queryAuditTrail(ctx, partyId), command);
  if (retry.kind === 'duplicate') return { record: retry.record, duplicate: true, summary: await queryStatus(ctx, partyId) };
  if (retry.kind === 'reused') throw refusalError(retry.refusal.code, retry.refusal.message);
  throw refusalError(REFUSAL.ENTRY_CLOSED, 'The entry is closed (complete or withdrawn)');
}

export interface StartedEntry {
  entryId: string;
  runId: string;
  headline: string;
}

/**
 * Starts the entry workflow. The initial search attributes and the headline come from the same
 * pure domain function the workflow runs, so the entry is findable from its first moment.
 */
export async function startEntryWorkflow(ctx: AppContext, input: StartEntryInput): Promise<StartedEntry> {
  const entryId = entryIdFor(input.partyId);
  const now = Date.now();
  const initial = startEntry(input, now);
  const headline = summarise(initial.state, now).headline;
  const typedSearchAttributes = toSearchAttributeUpdates(initial.effects.searchAttributes).filter(
    (pair): pair is typeof pair & { value: NonNullable<typeof pair.value> } => pair.value !== null,
  );
  const args: [EntryWorkflowInput] = [{ start: input }];
  const handle = await bounded(ctx, () =>
    ctx.client.workflow.start(ENTRY_WORKFLOW_TYPE, {
      workflowId: entryId,
      taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
      args,
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      typedSearchAttributes,
      // Only facts that never change: the live state is in the current details and the result.
      staticSummary: `UEP ${input.partyName} (${input.partyId}), cohort ${input.cohort}, roles sought at start: ${input.roles.join(', ')}`.slice(0, 400),
    }),
  );
  return { entryId, runId: handle.firstExecutionRunId, headline };
}

/**
 * What visibility holds about one entry: its search attributes (the identifying ones may lag just
 * after a start) and its times.
 */
export type VisibleEntry = Omit<EntrySearchAttributes, 'partyName' | 'cohort' | 'status'> & {
  entryId: string;
  partyName: string | null;
  cohort: Cohort | null;
  status: EntryStatus | null;
  startedAt: string | null;
  closedAt: string | null;
};

export interface EntryPage {
  entries: VisibleEntry[];
  /** Temporal's opaque token bound to the query (api/page-token.ts), or null on the last page */
  nextPageToken: string | null;
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
const isoOf = (d: Date | undefined) => (d === undefined ? null : d.toISOString());

/**
 * One page of a visibility query. The raw ListWorkflowExecutions call: the SDK's
 * `client.workflow.list()` iterates every page itself and exposes no page token.
 */
export async function listEntryPage(ctx: AppContext, query: string, pageSize: number, pageToken?: string): Promise<EntryPage> {
  const nextPageToken = pageToken ? decodePageToken(query, pageToken) : undefined;
  const response = await bounded(ctx, () =>
    ctx.client.workflowService.listWorkflowExecutions({ namespace: ctx.config.TEMPORAL_NAMESPACE, query, pageSize, nextPageToken }),
  );
  const entries = response.executions.map((raw): VisibleEntry => {
    const sa = decodeTypedSearchAttributes(raw.searchAttributes?.indexedFields);
    const entryId = raw.execution?.workflowId ?? '';
    return {
      entryId,
      partyId: sa.get(SEARCH_ATTRIBUTE.partyId) ?? '',
      partyName: sa.get(SEARCH_ATTRIBUTE.partyName) ?? null,
      cohort: (sa.get(SEARCH_ATTRIBUTE.cohort) as Cohort | undefined) ?? null,
      roles: (sa.get(SEARCH_ATTRIBUTE.roles) as UserRole[] | undefined) ?? [],
      status: (sa.get(SEARCH_ATTRIBUTE.status) as EntryStatus | undefined) ?? null,
      awaitedBodies: (sa.get(SEARCH_ATTRIBUTE.awaitedBodies) as Body[] | undefined) ?? [],
      openStages: (sa.get(SEARCH_ATTRIBUTE.openStages) as StageId[] | undefined) ?? [],
      mandateDeadline: isoOf(sa.get(SEARCH_ATTRIBUTE.mandateDeadline))?.slice(0, 10) ?? null,
      nextDeadline: isoOf(sa.get(SEARCH_ATTRIBUTE.nextDeadline)),
      atRisk: sa.get(SEARCH_ATTRIBUTE.atRisk) ?? false,
      inBreach: sa.get(SEARCH_ATTRIBUTE.inBreach) ?? false,
      startedAt: iso(optionalTsToMs(raw.startTime)),
      closedAt: iso(optionalTsToMs(raw.closeTime)),
    };
  });
  const token = response.nextPageToken;
  return { entries, nextPageToken: token && token.length > 0 ? encodePageToken(query, token) : null };
}

/** Every entry matching the query, page after page, up to `max`. */
export async function listAllEntries(ctx: AppContext, query: string, max: number): Promise<{ entries: VisibleEntry[]; truncated: boolean }> {
  const entries: VisibleEntry[] = [];
  let token: string | undefined;
  do {
    const page = await listEntryPage(ctx, query, Math.min(1000, max - entries.length), token);
    entries.push(...page.entries);
    token = page.nextPageToken ?? undefined;
  } while (token && entries.length < max);
  return { entries, truncated: token !== undefined };
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
 * Readiness's questions to Temporal: does it answer (the namespace, timed), and which workers poll
 * the engine's task queue now (workflow and activity pollers seen within POLLER_FRESH_MS; Temporal
 * keeps a gone poller listed for minutes).
 */
export async function temporalReadiness(ctx: AppContext, now = Date.now()): Promise<Readiness> {
  const started = performance.now();
  await bounded(ctx, () => ctx.client.workflowService.describeNamespace({ namespace: ctx.config.TEMPORAL_NAMESPACE }));
  const latencyMs = Math.round(performance.now() - started);
  const { TaskQueueType } = temporal.api.enums.v1;
  const fresh = async (taskQueueType: temporal.api.enums.v1.TaskQueueType) => {
    const response = await bounded(ctx, () =>
      ctx.client.workflowService.describeTaskQueue({ namespace: ctx.config.TEMPORAL_NAMESPACE, taskQueue: { name: ctx.config.TEMPORAL_TASK_QUEUE }, taskQueueType }),
    );
    return response.pollers.filter((p) => (optionalTsToMs(p.lastAccessTime) ?? 0) > now - POLLER_FRESH_MS).length;
  };
  const [workflowPollers, activityPollers] = await Promise.all([fresh(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW), fresh(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)]);
  return { latencyMs, workflowPollers, activityPollers };
}

/** Status queries in flight at once for the inbox and the report. */
export const STATUS_QUERY_CONCURRENCY = 8;

/** Runs fn over items with at most `limit` at a time, keeping order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  });
  await Promise.all(lanes);
  return results;
}
