import { Worker, type NativeConnection } from '@temporalio/worker';
import type { Duration } from '@temporalio/common';
import type { WorkerConfig } from './config';

/** How this worker names itself to Temporal (and how it finds itself among the pollers). */
export const workerIdentity = (config: Pick<WorkerConfig, 'WORKER_BUILD_ID'>) => `uep-worker@${config.WORKER_BUILD_ID}/${process.pid}`;

/** The engine's worker on its task queue: the entry workflows and the given activities. */
export async function createEntryWorker(
  connection: NativeConnection,
  config: WorkerConfig,
  activities: object,
): Promise<Worker> {
  const workflows = config.WORKFLOW_BUNDLE_PATH
    ? { workflowBundle: { codePath: config.WORKFLOW_BUNDLE_PATH } }
    : { workflowsPath: require.resolve('../workflows') };
  return Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    ...workflows,
    activities,
    identity: workerIdentity(config),
    maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentWorkflowTaskExecutions: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    shutdownGraceTime: config.WORKER_SHUTDOWN_GRACE as Duration,
  });
}
