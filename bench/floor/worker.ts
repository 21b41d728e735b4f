/**
 * The floors' worker process: the same connection and worker tunables as the engine's worker
 * (worker/config.ts), running only the floor workflows and the equal-work activity.
 * FLOOR_WORKFLOWS_PATH names the generated module with the equal-work plan (./run.ts); without it
 * only the bare floor runs. Prints WORKER_READY_LINE when it polls.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Duration } from '@temporalio/common';
import { loadWorkerConfig } from '../../worker/config';
import path from 'node:path';
import { PROJECT_ROOT } from '../../config/temporal-toolchain';
import { WORKER_READY_LINE } from '../../testkit/worker-process';
import { equalWorkActivities } from './equal-work-activities';

const NODE_MODULES = path.join(PROJECT_ROOT, 'node_modules');

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  try {
    const worker = await Worker.create({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowsPath: process.env.FLOOR_WORKFLOWS_PATH ?? require.resolve('./workflows'),
      // The generated module lives in a temp folder: its imports resolve from the project's node_modules.
      bundlerOptions: {
        webpackConfigHook: (webpack) => ({ ...webpack, resolve: { ...webpack.resolve, modules: [...(webpack.resolve?.modules ?? ['node_modules']), NODE_MODULES] } }),
      },
      activities: equalWorkActivities,
      maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
      maxConcurrentWorkflowTaskExecutions: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
      shutdownGraceTime: config.WORKER_SHUTDOWN_GRACE as Duration,
    });
    console.log(WORKER_READY_LINE);
    await worker.run();
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
