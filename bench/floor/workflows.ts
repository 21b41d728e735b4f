/**
 * The floor: the least a Temporal workflow can do for the same traffic as an entry. It accepts
 * `steps` updates (each answered with a small result, like a sign-off) and then completes.
 */
import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

export const FLOOR_WORKFLOW_TYPE = 'floorWorkflow';

export interface FloorStepResult {
  step: number;
  done: boolean;
}

export const floorStepUpdate = defineUpdate<FloorStepResult, [string]>('floorStep');

export async function floorWorkflow(steps: number): Promise<number> {
  let taken = 0;
  setHandler(floorStepUpdate, () => {
    taken++;
    return { step: taken, done: taken >= steps };
  });
  await condition(() => taken >= steps);
  return taken;
}
