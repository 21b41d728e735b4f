/**
 * The equal-work floor: a workflow that asks of Temporal what an engine lifecycle asks (a plan
 * read off the engine's own history, ./work-plan.ts) and does nothing else. Per step it records
 * the same patch markers, upserts the same search attributes, starts activities with the same
 * input and result sizes, heartbeating where the engine's do (not awaited by the update, as the
 * engine's notifications), starts and
 * cancels the same timers, and answers an update result of the same size.
 *
 * The plan is known only once the engine has run, so the floor worker bundles a generated module
 * that calls equalWorkFloorFor(plan) (./run.ts, writeFloorWorkflows).
 */
import {
  CancellationScope,
  condition,
  defineQuery,
  defineUpdate,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { NOTIFICATION_ACTIVITY_OPTIONS, RECORD_ACTIVITY_OPTIONS } from '../../activities/types';
import { padTo, paddedString, searchAttributePair, type StepWork, type WorkPlan } from './work-plan';

export const EQUAL_WORK_WORKFLOW_TYPE = 'equalWorkFloor';

export interface EqualWorkStepResult {
  step: number;
  done: boolean;
  pad: string;
}

export const equalWorkStepUpdate = defineUpdate<EqualWorkStepResult, [string]>('equalWorkStep');
export const equalWorkStatusQuery = defineQuery<string>('equalWorkStatus');

export interface EqualWorkActivityInput {
  resultBytes: number;
  /** scheduled with a heartbeat timeout, as the engine's notification activity is (its record hand-over is not) */
  heartbeats: boolean;
  pad: string;
}

export interface EqualWorkActivities {
  /** Answers `resultBytes` of JSON. */
  equalWorkActivity(input: EqualWorkActivityInput): Promise<{ pad: string }>;
}

// The engine's options for each kind of activity: a heartbeat timeout only where it heartbeats.
const heartbeating = proxyActivities<EqualWorkActivities>(NOTIFICATION_ACTIVITY_OPTIONS).equalWorkActivity;
const quiet = proxyActivities<EqualWorkActivities>(RECORD_ACTIVITY_OPTIONS).equalWorkActivity;

export function equalWorkFloorFor(plan: WorkPlan) {
  return async function equalWorkFloor(_input: string): Promise<{ steps: number; pad: string }> {
    const timers: CancellationScope[] = [];
    const activities = new Set<Promise<unknown>>();
    let taken = 0;

    function perform(step: StepWork): void {
      for (const id of step.patches) patched(id);
      for (let i = 0; i < step.timersCanceled; i++) timers.shift()?.cancel();
      for (const attributes of step.upserts) upsertSearchAttributes(attributes.map(searchAttributePair));
      for (const a of step.activities) {
        const start = a.heartbeats ? heartbeating : quiet;
        const running = start(padTo({ resultBytes: a.resultBytes, heartbeats: a.heartbeats }, a.inputBytes)).finally(() => activities.delete(running));
        activities.add(running);
      }
      for (const ms of step.timersStarted) {
        const scope = new CancellationScope();
        timers.push(scope);
        scope.run(() => sleep(ms)).catch((err: unknown) => {
          if (!isCancellation(err)) throw err;
        });
      }
    }

    setHandler(equalWorkStepUpdate, () => {
      const step = plan.updates[taken];
      if (!step) throw new Error(`the plan has ${plan.updates.length} updates`);
      taken++;
      perform(step);
      return padTo({ step: taken, done: taken >= plan.updates.length }, step.resultBytes);
    });
    setHandler(equalWorkStatusQuery, () => paddedString(plan.statusBytes));

    perform(plan.start);
    await condition(() => taken >= plan.updates.length);
    while (activities.size > 0) await Promise.all(activities);
    return padTo({ steps: taken }, plan.resultBytes);
  };
}
