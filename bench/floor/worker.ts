/**
 * The floor's worker process: the same connection and worker tunables as the engine's worker
 * (worker/config.ts), running only the floor workflow. Prints WORKER_READY_LINE when it polls.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Duration } from '@temporalio/common';
import { loadWorkerConfig } from '../../worker/config';
import { WORKER_READY_LINE } from '../worker-process';

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  try {
    const worker = await Worker.create({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowsPath: require.resolve('./workflows'),
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
