/**
 * Every committed history replays through the current workflow code without a determinism
 * error; a deliberately changed workflow is caught. No server is needed.
 */
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflows, entryWorkflowBundle } from '../../testkit/temporal';
import { HISTORIES_DIR } from '../../testkit/histories';

const histories = readdirSync(HISTORIES_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ name: path.basename(file, '.json'), history: historyFromJSON(JSON.parse(readFileSync(path.join(HISTORIES_DIR, file), 'utf8'))) }));

let current: WorkflowBundleWithSourceMap;
let changed: WorkflowBundleWithSourceMap;
beforeAll(async () => {
  current = await entryWorkflowBundle();
  changed = await bundleWorkflows(require.resolve('./changed-workflow'));
});

const SCENARIOS = ['full-lifecycle', 'rework-loops', 'deadline-amended', 'withdrawn', 'three-roles'];

// v1: before the keep-wake-timer patch; v2: after it; v3: after uep-rules-v2 (rules version 2, final summary as result);
// v4: after uep-party-notices (rules version 3, the Party's notices)
const GENERATIONS = ['v1', 'v2', 'v3', 'v4'];

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
  const closed = histories.filter((h) => !h.name.endsWith('deadline-amended')); // that one is still running when captured
  for (const { name, history } of closed) {
    const expected = name.startsWith('v1-') || name.startsWith('v2-') ? undefined : name.endsWith('withdrawn') ? 'WITHDRAWN' : 'COMPLETE';
    expect([name, resultOf(history)?.status]).toEqual([name, expected]);
  }
});

test('from v4 on, the Party is told what it can act on (its start, its turn, a decision sending a stage back); before, never', () => {
  const kindsSent = (history: (typeof histories)[number]['history']): string[] =>
    (history.events ?? []).flatMap((e) =>
      (e.activityTaskScheduledEventAttributes?.input?.payloads ?? []).map((p) => (JSON.parse(Buffer.from(p.data ?? new Uint8Array()).toString('utf8')) as { kind: string }).kind),
    );
  const PARTY_NOTICES = ['ENTRY_STARTED', 'SUBMISSION_DUE', 'DECISION_NEEDS_ACTION'];
  for (const { name, history } of histories) {
    const told = kindsSent(history).filter((k) => PARTY_NOTICES.includes(k));
    if (name.startsWith('v4-')) expect([name, told[0]]).toEqual([name, 'ENTRY_STARTED']);
    else expect([name, told]).toEqual([name, []]);
  }
  const rework = histories.find((h) => h.name === 'v4-rework-loops');
  expect(kindsSent(rework!.history).filter((k) => k === 'DECISION_NEEDS_ACTION')).toHaveLength(2); // the DEFERRED and the FAILED
});
