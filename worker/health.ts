/**
 * The worker's health, as its container healthcheck reads it: a file whose modification time is
 * refreshed only while Temporal lists this worker among the pollers of its task queue (workflow
 * and activity). So a fresh file proves the worker reached Temporal and polls, whether or not
 * metrics are on; a worker that lost Temporal (or stopped polling) lets it go stale.
 * The healthcheck (docker-compose.yml) is `node -e` with HEALTH_CHECK_SCRIPT below.
 */
import { temporal } from '@temporalio/proto';
import type { NativeConnection } from '@temporalio/worker';
import { rmSync, writeFileSync } from 'node:fs';
import { msOf } from '../config/sdk-internals';

/** The file is stale after this many refresh intervals without a confirmed poll. */
export const STALE_AFTER_INTERVALS = 3;

/**
 * What the compose healthcheck runs (`node -e`, in the worker container): exit 0 when the health
 * file was refreshed within STALE_AFTER_INTERVALS intervals. Kept here, next to the writer.
 */
export const HEALTH_CHECK_SCRIPT =
  "const s=require('fs').statSync(process.env.WORKER_HEALTH_FILE,{throwIfNoEntry:false});" +
  `process.exit(s&&Date.now()-s.mtimeMs<${STALE_AFTER_INTERVALS}*Number(process.env.WORKER_HEALTH_INTERVAL_MS)?0:1)`;

export interface HealthFileOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  identity: string;
  file: string;
  intervalMs: number;
  onError?: (err: unknown) => void;
}

/** Starts refreshing the health file; the returned function stops and removes it. */
export function startHealthFile(opts: HealthFileOptions): () => void {
  const { TaskQueueType } = temporal.api.enums.v1;
  const polling = async (taskQueueType: temporal.api.enums.v1.TaskQueueType): Promise<boolean> => {
    const response = await opts.connection.withDeadline(Date.now() + opts.intervalMs, () =>
      opts.connection.workflowService.describeTaskQueue({ namespace: opts.namespace, taskQueue: { name: opts.taskQueue }, taskQueueType }),
    );
    const since = Date.now() - STALE_AFTER_INTERVALS * opts.intervalMs - 90_000; // a long poll lasts about a minute
    return response.pollers.some((p) => p.identity === opts.identity && (msOf(p.lastAccessTime) ?? 0) > since);
  };
  let stopped = false;
  const refresh = async () => {
    try {
      const [workflow, activity] = await Promise.all([polling(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW), polling(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)]);
      if (workflow && activity && !stopped) writeFileSync(opts.file, JSON.stringify({ at: new Date().toISOString(), taskQueue: opts.taskQueue, identity: opts.identity }) + '\n');
    } catch (err) {
      opts.onError?.(err);
    }
  };
  void refresh();
  const timer = setInterval(() => void refresh(), opts.intervalMs);
  return () => {
    stopped = true;
    clearInterval(timer);
    rmSync(opts.file, { force: true });
  };
}
