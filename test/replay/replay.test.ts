/**
 * Every committed history replays through the current workflow code without a determinism
 * error; a deliberately changed workflow is caught. No server is needed.
 */
import { Worker, type WorkflowBundle, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflows, entryWorkflowBundle } from '../../testkit/temporal';
import { HISTORIES_DIR } from '../../testkit/histories';
import { asList } from '../../activities/types';

const histories = readdirSync(HISTORIES_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ name: path.basename(file, '.json'), history: historyFromJSON(JSON.parse(readFileSync(path.join(HISTORIES_DIR, file), 'utf8'))) }));

let current: WorkflowBundle;
let changed: WorkflowBundleWithSourceMap;
beforeAll(async () => {
  current = await entryWorkflowBundle();
  changed = await bundleWorkflows(require.resolve('./changed-workflow'));
});

const SCENARIOS = ['full-lifecycle', 'rework-loops', 'deadline-amended', 'withdrawn', 'three-roles'];

// v1: before the keep-wake-timer patch; v2: after it; v3: after uep-rules-v2 (rules version 2, final summary as result);
// v4: after uep-party-notices (rules version 3, the Party's notices); v5: after lean-updates (compact
// update results, only changed search attributes upserted), without uep-party-notices; v6: after both;
// v7: after record-projection and cancel-as-withdrawal (the record by a local activity), without v4-v6's
// patches; v8: after all of them, with record-by-activity (the record by a regular activity) for v7's two;
// v9: after uep-party-breach-notice (rules version 4: the Party's breach notice, UepNextDeadline the wake-up instant);
// v10: after start-before-updates (the start's effects carried out before any update is handled), without
// v9's patch, with v10-reset-first-task: a run a reset to the first workflow task created, its updates
// reapplied there; v11: after both; v12: v8's and uep-catalogue-v2 (a start naming no catalogue version
// runs catalogue v2), without v9-v11's patches; v13: after all of them, with v13-rejected-reassessment: a
// security status REJECTED under catalogue v2 asking only for a new Response; v14: after uep-rejected-reassessment
// (rules version 5: REJECTED opens the booking, fieldwork and report again, a new assessment), with its own
// rejected-reassessment; v15: after uep-body-notices (rules version 6: a DECISION_DUE to the body whose
// decision a stage starts awaiting), with its own rejected-reassessment; v16: after uep-words (rules version 7:
// words, not codes, in the texts people read; the same commands), with its own rejected-reassessment; v17: after
// one-delivery-per-step (a step's notifications in one deliverNotifications activity), made beside v16 (neither has
// the other's); v18: after both; v19: after one-wake-timer (the wake-up timer re-armed only for an earlier instant).
const GENERATIONS = ['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8', 'v9', 'v10', 'v11', 'v12', 'v13', 'v14', 'v15', 'v16', 'v17', 'v18', 'v19'];
/** Which generations have each change (v4, v5 and v7 were made side by side: none has the others'; so were v9, v10 and v12; so were v16 and v17). */
const WITH_PARTY_NOTICES = ['v4', 'v6', 'v8', 'v9', 'v10', 'v11', 'v12', 'v13', 'v14', 'v15', 'v16', 'v17', 'v18', 'v19'];
const WITH_LEAN_UPDATES = ['v5', 'v6', 'v8', 'v9', 'v10', 'v11', 'v12', 'v13', 'v14', 'v15', 'v16', 'v17', 'v18', 'v19'];
const WITH_PARTY_BREACH_NOTICE = ['v9', 'v11', 'v13', 'v14', 'v15', 'v16', 'v17', 'v18', 'v19'];
const WITH_CATALOGUE_V2 = ['v12', 'v13', 'v14', 'v15', 'v16', 'v17', 'v18', 'v19'];
const WITH_REJECTED_REASSESSMENT = ['v14', 'v15', 'v16', 'v17', 'v18', 'v19'];
const WITH_BODY_NOTICES = ['v15', 'v16', 'v17', 'v18', 'v19'];
const WITH_WORDS = ['v16', 'v18', 'v19'];
const WITH_ONE_DELIVERY_PER_STEP = ['v17', 'v18', 'v19'];
const WITH_ONE_WAKE_TIMER = ['v19'];
/**
 * Which generations record a rules version's marker: a fresh entry records only its newest rules
 * version's (allowedRules asks the newest patch first), so v15's, under rules version 6 (which
 * includes version 5), and v17's carry uep-body-notices' alone, and v16's uep-words' alone.
 */
const MARKED_REJECTED_REASSESSMENT = ['v14'];
const MARKED_BODY_NOTICES = ['v15', 'v17'];
const generationOf = (name: string) => name.slice(0, name.indexOf('-'));

test('there are histories of every scenario from every generation of the workflow', () => {
  for (const generation of GENERATIONS) {
    expect(histories.map((h) => h.name)).toEqual(expect.arrayContaining(SCENARIOS.map((s) => `${generation}-${s}`)));
  }
});

test.each(histories.map((h) => [h.name, h.history] as const))('%s replays deterministically', async (name, history) => {
  await expect(Worker.runReplayHistory({ workflowBundle: current, replayName: name }, history)).resolves.toBeUndefined();
});

test.each(histories.map((h) => [h.name, h.history] as const))('a changed workflow is caught replaying %s', async (name, history) => {
  await expect(Worker.runReplayHistory({ workflowBundle: changed, replayName: name }, history)).rejects.toMatchObject({
    name: 'DeterminismViolationError',
  });
});

test('from v3 on, a closed entry ends with its final summary as the workflow result (v1, v2: none)', () => {
  const resultOf = (history: (typeof histories)[number]['history']): { status?: string } | null => {
    const done = history.events?.find((e) => e.workflowExecutionCompletedEventAttributes)?.workflowExecutionCompletedEventAttributes;
    const data = done?.result?.payloads?.[0]?.data;
    return data ? (JSON.parse(Buffer.from(data).toString('utf8')) as { status?: string }) : null;
  };
  // still running when captured
  const closed = histories.filter((h) => !h.name.endsWith('deadline-amended') && !h.name.endsWith('reset-first-task'));
  for (const { name, history } of closed) {
    const expected = !/^v[12]-/.test(name) ? (name.endsWith('withdrawn') ? 'WITHDRAWN' : 'COMPLETE') : undefined;
    expect([name, resultOf(history)?.status]).toEqual([name, expected]);
  }
});

type History = (typeof histories)[number]['history'];
const json = <T = unknown>(data: Uint8Array | null | undefined): T => (data ? JSON.parse(Buffer.from(data).toString('utf8')) : undefined) as T;
/** What the history handed to activities, in order: a step's notifications (one-delivery-per-step) one by one. */
const handedToActivities = <T>(history: History): T[] =>
  (history.events ?? []).flatMap((e) => (e.activityTaskScheduledEventAttributes?.input?.payloads ?? []).flatMap((p) => asList(json<T | T[]>(p.data))));

test('with lean-updates (v5, v6), an update answers in brief (no full summary); without it, with the full summary', () => {
  const answersOf = (history: History) =>
    (history.events ?? []).flatMap((e) => {
      const data = e.workflowExecutionUpdateCompletedEventAttributes?.outcome?.success?.payloads?.[0]?.data;
      return data ? [json<Record<string, unknown>>(data)] : [];
    });
  for (const { name, history } of histories) {
    const answers = answersOf(history);
    expect([name, answers.length > 0]).toEqual([name, true]);
    const compact = WITH_LEAN_UPDATES.includes(generationOf(name));
    for (const answer of answers) {
      expect([name, 'summary' in answer, typeof answer.version]).toEqual([name, !compact, compact ? 'number' : 'undefined']);
    }
  }
});

test('with lean-updates (v5, v6), an upsert carries only the search attributes whose values change', () => {
  for (const { name, history } of histories.filter((h) => WITH_LEAN_UPDATES.includes(generationOf(h.name)))) {
    const held = new Map<string, string>();
    const fieldsOf = (fields: Record<string, { data?: Uint8Array | null }> | null | undefined) =>
      Object.entries(fields ?? {}).map(([key, payload]) => [key, JSON.stringify(json(payload.data))] as const);
    for (const e of history.events ?? []) {
      for (const [key, value] of fieldsOf(e.workflowExecutionStartedEventAttributes?.searchAttributes?.indexedFields)) held.set(key, value);
      const upserted = fieldsOf(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields).filter(([key]) => key.startsWith('Uep'));
      for (const [key, value] of upserted) {
        expect([name, key, held.get(key) === value]).toEqual([name, key, false]);
        held.set(key, value);
      }
    }
  }
});

test('with uep-party-notices (v4, v6), the Party is told what it can act on (its start, its turn, a decision sending a stage back); without it, never', () => {
  const kindsSent = (history: History): string[] =>
    handedToActivities<{ kind: string }>(history).map((n) => n.kind);
  const PARTY_NOTICES = ['ENTRY_STARTED', 'SUBMISSION_DUE', 'DECISION_NEEDS_ACTION'];
  for (const { name, history } of histories) {
    const told = kindsSent(history).filter((k) => PARTY_NOTICES.includes(k));
    if (WITH_PARTY_NOTICES.includes(generationOf(name))) expect([name, told[0]]).toEqual([name, 'ENTRY_STARTED']);
    else expect([name, told]).toEqual([name, []]);
  }
  for (const generation of WITH_PARTY_NOTICES) {
    const rework = histories.find((h) => h.name === `${generation}-rework-loops`);
    expect(kindsSent(rework!.history).filter((k) => k === 'DECISION_NEEDS_ACTION')).toHaveLength(2); // the DEFERRED and the FAILED
  }
});

test('with uep-party-breach-notice (v9, v11, v13, v14, v15, v16, v17, v18, v19), the Party gets its own breach notice and UepNextDeadline holds wake-up instants (09:00 reminders)', () => {
  const scheduled = (history: History) =>
    handedToActivities<{ id?: string }>(history).map((n) => n.id ?? '');
  for (const { name, history } of histories.filter((h) => h.name.endsWith('deadline-amended'))) {
    const partyBreach = scheduled(history).filter((id) => id.includes(':MANDATE_BREACH:party:'));
    expect([name, partyBreach.length]).toEqual([name, WITH_PARTY_BREACH_NOTICE.includes(generationOf(name)) ? 1 : 0]);
  }
  for (const { name, history } of histories.filter((h) => WITH_PARTY_BREACH_NOTICE.includes(generationOf(h.name)))) {
    const hours = (history.events ?? []).flatMap((e) => {
      const field = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.UepNextDeadline;
      const value = field ? json<string | null>(field.data) : null;
      return value ? [new Date(value).getUTCHours()] : [];
    });
    expect([name, hours.some((h) => h === 9)]).toEqual([name, true]);
  }
});

test('with uep-catalogue-v2 (v12, v13, v14, v15, v16, v17, v18, v19), an entry whose start names no catalogue version runs catalogue v2; before it, v1', () => {
  const PATCH_MARKER = 'uep-catalogue-v2';
  for (const { name, history } of histories) {
    const start = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data;
    expect([name, json<{ start: { catalogueVersion?: string } }>(start).start.catalogueVersion]).toEqual([name, undefined]);
    const marked = (history.events ?? []).some((e) => JSON.stringify(json(e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data) ?? '').includes(PATCH_MARKER));
    const activityInputs = (history.events ?? []).map((e) => Buffer.from(e.activityTaskScheduledEventAttributes?.input?.payloads?.[0]?.data ?? []).toString('utf8')).join('\n');
    const v2 = WITH_CATALOGUE_V2.includes(generationOf(name));
    expect([name, marked, activityInputs.includes('SECURITY_FIELDWORK')]).toEqual([name, v2, v2]);
  }
});

test('with uep-rejected-reassessment (v14, v15, v16, v17, v18, v19), a security status REJECTED under catalogue v2 opens the booking, fieldwork and report again; before it (v13), only a new Response was asked for', () => {
  const PATCH_MARKER = 'uep-rejected-reassessment';
  const rejected = histories.filter((h) => h.name.endsWith('-rejected-reassessment'));
  expect(rejected.map((h) => h.name)).toEqual(['v13-rejected-reassessment', 'v14-rejected-reassessment', 'v15-rejected-reassessment', 'v16-rejected-reassessment', 'v17-rejected-reassessment', 'v18-rejected-reassessment', 'v19-rejected-reassessment']);
  for (const { name, history } of histories) {
    const marked = (history.events ?? []).some((e) => JSON.stringify(json(e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data) ?? '').includes(PATCH_MARKER));
    expect([name, marked]).toEqual([name, MARKED_REJECTED_REASSESSMENT.includes(generationOf(name))]);
  }
  for (const { name, history } of rejected) {
    const reassessed = WITH_REJECTED_REASSESSMENT.includes(generationOf(name));
    const decisions = (history.events ?? []).flatMap((e) => {
      const input = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input;
      return input?.name === 'recordDecision' ? [json<{ stage: string; outcome: string }>(input.args?.payloads?.[0]?.data)] : [];
    });
    const on = (stage: string) => decisions.filter((d) => d.stage === stage).map((d) => d.outcome);
    expect([name, on('SECURITY_ASSESSMENT')]).toEqual([name, ['REJECTED', 'APPROVED']]);
    expect([name, on('SECURITY_FIELDWORK')]).toEqual([name, reassessed ? ['REPORT_ISSUED', 'REPORT_ISSUED'] : ['REPORT_ISSUED']]);
    const told = handedToActivities<{ kind: string; body?: string }>(history);
    const needsAction = told.filter((n) => n.kind === 'DECISION_NEEDS_ACTION').map((n) => n.body ?? '');
    expect([name, needsAction.length, needsAction.some((b) => b.includes('It starts over from User Security Assessment: booking'))]).toEqual([name, 1, reassessed]);
  }
});

test('with uep-body-notices (v15, v16, v17, v18, v19), each stage attempt awaiting a body\'s decision tells that body once (DECISION_DUE); before it, never', () => {
  const PATCH_MARKER = 'uep-body-notices';
  const OWNER: Record<string, string> = {
    ACCESSION: 'SECAS',
    ID_ALLOCATION: 'SECAS',
    SECURITY_FIELDWORK: 'SECAS',
    PRIVACY_FIELDWORK: 'SECAS',
    UEP_COMPLETION: 'SECAS',
    SECURITY_ASSESSMENT: 'SEC_PANEL',
    PRIVACY_ASSESSMENT: 'SEC_PANEL',
    CREDIT_COVER: 'DCC',
    DCC_GATEWAY: 'DCC',
    SMKI_SREPT: 'DCC',
    USER_ID: 'DCC',
    UEPT: 'DCC',
  };
  for (const { name, history } of histories) {
    const marked = (history.events ?? []).some((e) => JSON.stringify(json(e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data) ?? '').includes(PATCH_MARKER));
    const due = (history.events ?? [])
      .flatMap((e) => handedToActivities<{ id: string; kind: string; stage?: string; recipients: unknown }>({ events: [e] }))
      .filter((n) => n.kind === 'DECISION_DUE');
    const told = WITH_BODY_NOTICES.includes(generationOf(name));
    expect([name, marked, due.length > 0]).toEqual([name, MARKED_BODY_NOTICES.includes(generationOf(name)), told]);
    expect([name, new Set(due.map((n) => n.id)).size]).toEqual([name, due.length]);
    for (const n of due) expect([name, n.id, n.recipients]).toEqual([name, n.id, [{ kind: 'BODY', body: OWNER[n.stage ?? ''] }]]);
  }
  // the accession, the first thing awaited, is told to SECAS at the start
  for (const generation of WITH_BODY_NOTICES) {
    const full = histories.find((h) => h.name === `${generation}-full-lifecycle`);
    const first = handedToActivities<{ id: string }>(full!.history).map((n) => n.id);
    expect(first.slice(0, 2).map((id) => id.split(':').slice(1).join(':'))).toEqual(['ENTRY_STARTED', 'DECISION_DUE:ACCESSION:a1']);
  }
});

test('with one-delivery-per-step (v17, v18, v19), the notifications of a step go to delivery in one activity (the start: the Party\'s ENTRY_STARTED and SECAS\'s DECISION_DUE together); before it, one activity each', () => {
  const PATCH_MARKER = 'one-delivery-per-step';
  for (const { name, history } of histories) {
    const marked = (history.events ?? []).some((e) => JSON.stringify(json(e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data) ?? '').includes(PATCH_MARKER));
    const deliveries = (history.events ?? []).flatMap((e) => {
      const scheduled = e.activityTaskScheduledEventAttributes;
      const type = scheduled?.activityType?.name ?? '';
      return type.startsWith('deliverNotification') ? [{ type, notifications: asList(json<{ id: string } | Array<{ id: string }>>(scheduled?.input?.payloads?.[0]?.data)) }] : [];
    });
    const batched = WITH_ONE_DELIVERY_PER_STEP.includes(generationOf(name));
    expect([name, marked, [...new Set(deliveries.map((d) => d.type))]]).toEqual([name, batched, [batched ? 'deliverNotifications' : 'deliverNotification']]);
    if (!batched) for (const d of deliveries) expect([name, d.notifications.length]).toEqual([name, 1]);
    // each notification handed over once, whichever way
    const ids = deliveries.flatMap((d) => d.notifications.map((n) => n.id));
    expect([name, new Set(ids).size]).toEqual([name, ids.length]);
  }
  for (const generation of WITH_ONE_DELIVERY_PER_STEP) {
    const full = histories.find((h) => h.name === `${generation}-full-lifecycle`)!.history;
    const batches = (full.events ?? []).flatMap((e) => (e.activityTaskScheduledEventAttributes?.activityType?.name === 'deliverNotifications' ? [json<Array<{ id: string }>>(e.activityTaskScheduledEventAttributes.input?.payloads?.[0]?.data)] : []));
    expect(batches[0]!.map((n) => n.id.split(':').slice(1).join(':'))).toEqual(['ENTRY_STARTED', 'DECISION_DUE:ACCESSION:a1']);
    // fewer activities than notifications: the lifecycle's steps that tell two people tell them in one
    expect(batches.length).toBeLessThan(batches.flat().length);
  }
});

test('with uep-words (v16, v18, v19), the notices are written in words, not codes, and are the same notices as v15\'s: the same ids in the same order', () => {
  const PATCH_MARKER = 'uep-words';
  const CODES = /\b(ACCESSION|ID_ALLOCATION|SECURITY_ASSESSMENT|SECURITY_FIELDWORK|PRIVACY_FIELDWORK|PRIVACY_ASSESSMENT|CREDIT_COVER|DCC_GATEWAY|SMKI_SREPT|USER_ID|UEPT|UEP_COMPLETION|[A-Z]+_SUPPLIER|OTHER_USER|SEC_PANEL)\b|\d{4}-\d{2}-\d{2}/;
  const notices = (history: History) =>
    handedToActivities<{ id?: string; subject?: string }>(history).filter((n) => n.subject !== undefined);
  for (const { name, history } of histories) {
    const marked = (history.events ?? []).some((e) => JSON.stringify(json(e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data) ?? '').includes(PATCH_MARKER));
    const inWords = WITH_WORDS.includes(generationOf(name));
    expect([name, marked]).toEqual([name, inWords]);
    const subjects = notices(history).map((n) => n.subject ?? '');
    expect([name, subjects.length > 0]).toEqual([name, true]);
    // before v16 the subjects name stages and roles by their codes, and dates in ISO
    expect([name, subjects.filter((s) => CODES.test(s)).length > 0]).toEqual([name, !inWords]);
  }
  // the text is all that changed: each scenario sends the same notices, by id, in the same order (entry ids differ per run)
  const withoutEntry = (id = '') => id.slice(id.indexOf(':') + 1);
  for (const scenario of [...SCENARIOS, 'rejected-reassessment']) {
    const [before, after] = ['v15', 'v16'].map((g) => histories.find((h) => h.name === `${g}-${scenario}`)?.history);
    expect([scenario, notices(after!).map((n) => withoutEntry(n.id))]).toEqual([scenario, notices(before!).map((n) => withoutEntry(n.id))]);
  }
});

test('with one-wake-timer (v19), the wake-up timer is re-armed only for an earlier instant: a timer is cancelled only for one firing before it, and fewer are started than v18 started for the same scenario', () => {
  const PATCH_MARKER = 'one-wake-timer';
  const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(t?.seconds ?? 0) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6);
  const timersOf = (history: History) => {
    const events = history.events ?? [];
    const started = events.flatMap((e) => (e.timerStartedEventAttributes ? [{ id: Number(e.eventId), task: Number(e.timerStartedEventAttributes.workflowTaskCompletedEventId), firesAt: ms(e.eventTime) + ms(e.timerStartedEventAttributes.startToFireTimeout) }] : []));
    const cancelled = events.flatMap((e) => (e.timerCanceledEventAttributes ? [{ started: Number(e.timerCanceledEventAttributes.startedEventId), task: Number(e.timerCanceledEventAttributes.workflowTaskCompletedEventId) }] : []));
    return { started, cancelled };
  };
  for (const { name, history } of histories) {
    const marked = (history.events ?? []).some((e) => JSON.stringify(json(e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data) ?? '').includes(PATCH_MARKER));
    const lazy = WITH_ONE_WAKE_TIMER.includes(generationOf(name));
    expect([name, marked]).toEqual([name, lazy]);
    if (!lazy) continue;
    const { started, cancelled } = timersOf(history);
    for (const c of cancelled) {
      const was = started.find((s) => s.id === c.started);
      const replacement = started.find((s) => s.task === c.task);
      expect([name, replacement !== undefined && was !== undefined && replacement.firesAt < was.firesAt]).toEqual([name, true]);
    }
  }
  for (const scenario of [...SCENARIOS, 'rejected-reassessment']) {
    const [before, after] = ['v18', 'v19'].map((g) => timersOf(histories.find((h) => h.name === `${g}-${scenario}`)!.history).started.length);
    expect([scenario, after! <= before!]).toEqual([scenario, true]);
  }
  // the scenarios whose sign-offs keep moving the next instant later: fewer than two thirds of the timers
  for (const scenario of ['rework-loops', 'three-roles', 'rejected-reassessment']) {
    const [before, after] = ['v18', 'v19'].map((g) => timersOf(histories.find((h) => h.name === `${g}-${scenario}`)!.history).started.length);
    expect([scenario, after! * 1.5 < before!]).toEqual([scenario, true]);
  }
});
