/**
 * Temporal resets an entry's run (the Web UI's Reset, `temporal workflow reset`), on a real dev
 * server, with the worker's real record activities and the Party's notices mailed to a real SMTP
 * catcher: the record keeps every decision either run took, once, numbered on from its last row,
 * with a RUN_RESET row; the entry's answer says the run was reset; OPS's notice is due; the
 * search attributes say what the entry says; the Party's mailbox gets nothing twice.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import Long from 'long';
import { randomUUID } from 'node:crypto';
import { activityDepsFromConfig, createActivities, notificationEnvSchema } from '../../activities';
import { stampingDeliveries } from '../../activities/record';
import { parseEnv } from '../../config/env';
import { entryIdFor, notificationIds, type StartEntryInput } from '../../domain';
import { AUDIT_ACTION, NOTIFICATION_KIND, type EntrySummary } from '../../domain/types';
import { BODY, STAGE_STATE } from '../../domain/vocabulary';
import type { RecordDb } from '../../record/db';
import { openRecord } from '../../record/db';
import { getRecordedEntry, recordedAuditTrail, undeliveredResetNotices } from '../../record/read';
import { startPgliteServer } from '../../testkit/postgres';
import { rebuildRecord } from '../../worker/rebuild';
import { startBody } from '../../testkit/api-fixtures';
import { eventually } from '../../testkit/api-harness';
import { useApiHarness, useOwnWorker } from '../../testkit/suites';
import { openStages, passingOutcome, principalFor, startEntryWorkflow } from '../../testkit/entry-driver';
import { captureHistory } from '../../testkit/histories';
import { sharedTestRecord } from '../../testkit/record';
import { startSmtpCatcher, type SmtpCatcher } from '../../testkit/smtp-catcher';
import { createTestWorker, uniquePartyId, uniqueTaskQueue } from '../../testkit/temporal';
import { entryOf, trailOf, typedApi } from '../../testkit/typed-api';
import { reconcilePass } from '../../worker/reconciler';
import { SEARCH_ATTRIBUTE } from '../../workflows/search-attributes';
import { getAuditTrailQuery, getStatusQuery, recordDecisionUpdate, submitEvidenceUpdate } from '../../workflows/messages';

const EVENT = temporal.api.enums.v1.EventType;
const EXCLUDE = temporal.api.enums.v1.ResetReapplyExcludeType;

let smtp: SmtpCatcher;
let db: RecordDb;
let taskQueue: string;

// declared first so that they run before the dev server and the API are stopped
const ownWorker = useOwnWorker();
afterAll(async () => {
  await smtp?.stop();
});
const suite = useApiHarness();

beforeAll(async () => {
  smtp = await startSmtpCatcher();
  db = await sharedTestRecord();
  taskQueue = uniqueTaskQueue('reset');
  const config = parseEnv(notificationEnvSchema, {
    SMTP_URL: smtp.url,
    MAIL_FROM: 'UEP engine <uep-engine@uep.example>',
    NOTIFY_ROUTES_JSON: JSON.stringify({ SECAS: { email: ['secas@uep.example'] }, DCC: { email: ['dcc@uep.example'] }, OPS: { email: ['ops@uep.example'] } }),
  });
  // the worker's activities as worker/main.ts composes them: every delivery stamped in the record
  const worker = await createTestWorker(suite.env, { taskQueue, activities: stampingDeliveries(db, createActivities(activityDepsFromConfig(config))) });
  ownWorker.run(worker);
});

/** The API as OPS. */
const api = () => typedApi(suite.h.baseUrl, suite.h.tokenFor(BODY.OPS));

function startInput(partyId: string): StartEntryInput {
  const { uepContact, ...body } = startBody(partyId, { uepContact: { name: 'UEP Lead', email: `uep@${partyId.toLowerCase()}.example` } });
  return { ...body, uepContact, startedBy: principalFor(BODY.OPS, partyId) };
}

/** One decision on the first open stage a body (not the Party) owns, the Party's submission first where none is; answers its id. */
async function decideNext(handle: WorkflowHandle, tag: string): Promise<string> {
  let summary: EntrySummary = await handle.query(getStatusQuery);
  if (!openStages(summary).some((s) => s.state !== STAGE_STATE.AWAITING_PARTY)) {
    const stage = openStages(summary)[0]!;
    const submissionId = `s-${tag}-${randomUUID().slice(0, 6)}`;
    await handle.executeUpdate(submitEvidenceUpdate, {
      args: [{ submissionId, stage: stage.stage, ...(stage.role ? { role: stage.role } : {}), reference: `doc-${submissionId}`, principal: principalFor(BODY.PARTY, summary.partyId) }],
      updateId: submissionId,
    });
    summary = await handle.query(getStatusQuery);
  }
  const stage = openStages(summary).find((s) => s.state !== STAGE_STATE.AWAITING_PARTY);
  if (!stage) throw new Error(`no stage awaits a body: ${summary.headline}`);
  const decisionId = `${tag}-${randomUUID().slice(0, 6)}`;
  await handle.executeUpdate(recordDecisionUpdate, {
    args: [
      {
        decisionId,
        stage: stage.stage,
        ...(stage.role ? { role: stage.role } : {}),
        outcome: passingOutcome(summary, stage),
        evidence: `EV-${decisionId}`,
        principal: principalFor(stage.owner, summary.partyId),
      },
    ],
    updateId: decisionId,
  });
  return decisionId;
}

/** The workflow task completed just before the update `updateId` was accepted: resetting to it rewinds that update and all after. */
async function pointBefore(handle: WorkflowHandle, updateId: string): Promise<number> {
  const events = (await handle.fetchHistory()).events ?? [];
  const accepted = events.find((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId === updateId);
  if (!accepted) throw new Error(`update ${updateId} not in the history`);
  const completed = events.filter((e) => e.eventType === EVENT.EVENT_TYPE_WORKFLOW_TASK_COMPLETED && Number(e.eventId) < Number(accepted.eventId)).at(-1);
  return Number(completed!.eventId);
}

async function firstWorkflowTask(handle: WorkflowHandle): Promise<number> {
  const events = (await handle.fetchHistory()).events ?? [];
  return Number(events.find((e) => e.eventType === EVENT.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)!.eventId);
}

/** `temporal workflow reset --event-id <eventId> [--reapply-exclude All]`: answers the new run's id. */
async function reset(handle: WorkflowHandle, eventId: number, reapply: boolean): Promise<string> {
  const { runId } = await handle.describe();
  const answer = await suite.env.client.workflowService.resetWorkflowExecution({
    namespace: suite.env.namespace ?? 'default',
    workflowExecution: { workflowId: handle.workflowId, runId },
    reason: 'test reset',
    workflowTaskFinishEventId: Long.fromNumber(eventId),
    requestId: randomUUID(),
    ...(reapply ? {} : { resetReapplyExcludeTypes: [EXCLUDE.RESET_REAPPLY_EXCLUDE_TYPE_SIGNAL, EXCLUDE.RESET_REAPPLY_EXCLUDE_TYPE_UPDATE] }),
  });
  return (answer as temporal.api.workflowservice.v1.IResetWorkflowExecutionResponse).runId!;
}

/** The entry's search attributes as Temporal holds them, once they say what the workflow's state says. */
/** A keyword list is a set to visibility: its order means nothing. */
const asSet = (values: readonly string[] | undefined) => [...new Set(values ?? [])].sort();

async function searchAttributesAgree(handle: WorkflowHandle) {
  return eventually(
    async () => {
      const summary: EntrySummary = await handle.query(getStatusQuery);
      const { typedSearchAttributes } = await handle.describe();
      return {
        held: { openStages: asSet(typedSearchAttributes.get(SEARCH_ATTRIBUTE.openStages)), awaitedBodies: asSet(typedSearchAttributes.get(SEARCH_ATTRIBUTE.awaitedBodies)) },
        wanted: { openStages: asSet(openStages(summary).map((s) => s.stage)), awaitedBodies: asSet(summary.awaitedBodies) },
      };
    },
    ({ held, wanted }) => JSON.stringify(held) === JSON.stringify(wanted),
    20_000,
  ).catch(async () => {
    const { typedSearchAttributes } = await handle.describe();
    return { held: { openStages: asSet(typedSearchAttributes.get(SEARCH_ATTRIBUTE.openStages)), awaitedBodies: asSet(typedSearchAttributes.get(SEARCH_ATTRIBUTE.awaitedBodies)) } };
  });
}

/** The Party's mail so far: every notification id once. */
function partyMail(partyId: string) {
  const mine = smtp.messages.filter((m) => m.envelopeTo.includes(`uep@${partyId.toLowerCase()}.example`));
  return { ids: mine.map((m) => m.notificationId), mine };
}

async function resetTest(reapply: boolean) {
  const partyId = uniquePartyId(reapply ? 'RESET' : 'RESET-NOREAPPLY');
  const entryId = entryIdFor(partyId);
  const handle = await startEntryWorkflow(suite.env.client, taskQueue, startInput(partyId));
  const before: string[] = [];
  for (const i of [1, 2, 3]) before.push(await decideNext(handle, `d${i}`));
  const oldRun = (await handle.describe()).runId;
  await eventually(() => trailOf(api(), partyId), (t) => before.every((id) => t.some((r) => r.id === id)), 20_000);
  await smtp.waitFor((m) => m.notificationId === notificationIds.entryStarted(entryId), { timeoutMs: 20_000 });

  // rewind past the three decisions, then two new ones
  const newRun = await reset(handle, await pointBefore(handle, before[0]!), reapply);
  const current = suite.env.client.workflow.getHandle(entryId);
  if (reapply) await eventually(() => current.query(getAuditTrailQuery), (t) => before.every((id) => t.some((r) => r.id === id)), 20_000);
  const after = [await decideNext(current, 'n1'), await decideNext(current, 'n2')];

  const trail = await eventually(() => trailOf(api(), partyId), (t) => after.every((id) => t.some((r) => r.id === id)), 20_000);
  const decisions = trail.filter((r) => r.action === AUDIT_ACTION.DECISION).map((r) => r.id);
  expect(decisions).toEqual([...before, ...after]);
  expect(trail.map((r) => r.seq)).toEqual(trail.map((_, i) => i + 1));
  const resets = trail.filter((r) => r.action === AUDIT_ACTION.RUN_RESET);
  expect(resets).toEqual([expect.objectContaining({ runId: newRun, previousRunId: oldRun, principal: { body: BODY.OPS, id: 'temporal' } })]);
  // the reset row comes after what the rewound run recorded and before what the new run did
  const seqOf = (id: string) => trail.find((r) => r.id === id)!.seq;
  expect(resets[0]!.seq).toBeGreaterThan(seqOf(before[2]!));
  expect(resets[0]!.seq).toBeLessThan(seqOf(after[0]!));

  // the entry's answer says so; OPS's notice is due (the reconciler's pass hands it to delivery)
  const answer = await entryOf(api(), partyId);
  expect(answer.reset).toMatchObject({ runId: newRun });
  expect(answer.reset!.note).toContain('reset in Temporal');
  const notices = await undeliveredResetNotices(db, new Date(0));
  expect(notices.filter((n) => n.entryId === entryId)).toEqual([
    expect.objectContaining({ id: notificationIds.runReset(entryId, newRun), kind: NOTIFICATION_KIND.ENTRY_RUN_RESET, recipients: [{ kind: 'BODY', body: BODY.OPS }] }),
  ]);
  // the run the reset terminated is not closed outside the engine
  expect((await reconcilePass(suite.env.client, db)).closed.filter((c) => c.entryId === entryId)).toEqual([]);
  expect((await entryOf(api(), partyId)).entry.status).toBe('IN_PROGRESS');
  expect(oldRun).not.toBe(newRun);

  // the search attributes say what the entry says
  const sa = await searchAttributesAgree(current);
  expect(sa.held).toEqual((sa as { wanted?: unknown }).wanted ?? 'the search attributes never agreed with the workflow');
  return { entryId, trail };
}

test('a reset rewinding three decisions, updates reapplied: the record keeps all five decisions once, with a RUN_RESET row, continuous seqs', async () => {
  await resetTest(true);
});

test('the same reset with reapply excluded (--reapply-exclude All): the rewound decisions stay in the record, the new ones are appended; a rebuild writes the same trail, then changes nothing', async () => {
  const { entryId, trail } = await resetTest(false);

  // npm run record:rebuild into an empty record: the same records in the same order (the reset
  // found in Temporal, as the reconciler would), then a second run leaves them as they are
  const server = await startPgliteServer();
  const rebuilt = openRecord(server.url, { allowExitOnIdle: true, maxConnections: 1 });
  try {
    const opts = { concurrency: 2, queryTimeoutMs: 10_000 };
    const first = await rebuildRecord(suite.env.client, rebuilt, opts);
    expect(first.skipped).toEqual([]);
    const shape = (records: { seq: number; action: string; id?: string | undefined }[]) => records.map((r) => [r.seq, r.action, r.id ?? null]);
    const again = await recordedAuditTrail(rebuilt, entryId);
    expect(shape(again)).toEqual(shape(trail));
    expect(typeof again.find((r) => r.action === AUDIT_ACTION.RUN_RESET)?.previousRunId).toBe('string');
    const second = await rebuildRecord(suite.env.client, rebuilt, opts);
    expect([second.written, second.skipped]).toEqual([0, []]);
    expect(await recordedAuditTrail(rebuilt, entryId)).toEqual(again);
    expect((await getRecordedEntry(rebuilt, entryId))?.status).toBe('IN_PROGRESS');
  } finally {
    await rebuilt.destroy();
    await server.stop();
  }
});

test('a plain reset to the first workflow task: search attributes as the entry stands, and the Party gets no mail twice', async () => {
  const partyId = uniquePartyId('RESET-FIRST');
  const entryId = entryIdFor(partyId);
  const handle = await startEntryWorkflow(suite.env.client, taskQueue, startInput(partyId));
  const decided = [await decideNext(handle, 'd1'), await decideNext(handle, 'd2')];
  await eventually(() => trailOf(api(), partyId), (t) => decided.every((id) => t.some((r) => r.id === id)), 20_000);
  await smtp.waitFor((m) => m.notificationId === notificationIds.entryStarted(entryId), { timeoutMs: 20_000 });
  const sentBefore = partyMail(partyId).ids;
  expect(sentBefore.length).toBeGreaterThan(0);

  const newRun = await reset(handle, await firstWorkflowTask(handle), true);
  const current = suite.env.client.workflow.getHandle(entryId);
  await eventually(() => current.query(getAuditTrailQuery), (t) => decided.every((id) => t.some((r) => r.id === id)), 20_000);
  await eventually(() => entryOf(api(), partyId), (a) => a.reset?.runId === newRun, 20_000);

  const sa = await searchAttributesAgree(current);
  expect(sa.held).toEqual((sa as { wanted?: unknown }).wanted ?? 'the search attributes never agreed with the workflow');

  // every delivery the new run handed over is done, then the mailbox holds each notice once
  await eventually(async () => (await current.describe()).raw.pendingActivities?.length ?? 0, (n) => n === 0, 30_000);
  const { ids } = partyMail(partyId);
  expect(ids.length).toBeGreaterThanOrEqual(sentBefore.length);
  expect(ids).toEqual([...new Set(ids)]);
  const trail = await trailOf(api(), partyId);
  expect(trail.filter((r) => r.action === AUDIT_ACTION.STARTED)).toHaveLength(1);
  expect(trail.filter((r) => r.action === AUDIT_ACTION.DECISION).map((r) => r.id)).toEqual(decided);
  // the new run's history (its updates reapplied in its first workflow task) replays: test/replay
  await captureHistory(current, 'reset-first-task');
});
