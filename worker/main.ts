/**
 * The worker process: runtime telemetry (Prometheus metrics, structured logs), the connection,
 * the entry workflows and the notification activities. SIGTERM/SIGINT shut it down gracefully:
 * polling stops, in-flight tasks get WORKER_SHUTDOWN_GRACE to finish, then the process exits.
 */
import { DefaultLogger, NativeConnection, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { activityDepsFromConfig, createActivities } from '../activities';
import { refuseExampleValues } from '../config/example-values';
import { loadWorkerConfig, workerExampleValues } from './config';
import { createEntryWorker } from './create-worker';

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  refuseExampleValues(workerExampleValues(config), config.UEP_DEMO);
  Runtime.install({
    logger: new DefaultLogger(config.LOG_LEVEL),
    telemetryOptions: {
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }) },
      ...(config.WORKER_METRICS_ENABLED
        ? { metrics: { prometheus: { bindAddress: `${config.WORKER_METRICS_HOST}:${config.WORKER_METRICS_PORT}` }, globalTags: { service: 'uep-worker', build_id: config.WORKER_BUILD_ID } } }
        : {}),
    },
  });
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  try {
    const worker = await createEntryWorker(connection, config, createActivities(activityDepsFromConfig(config)));
    Runtime.instance().logger.info('worker started', {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      namespace: config.TEMPORAL_NAMESPACE,
      buildId: config.WORKER_BUILD_ID,
      metrics: config.WORKER_METRICS_ENABLED ? `http://${config.WORKER_METRICS_HOST}:${config.WORKER_METRICS_PORT}/metrics` : 'off',
    });
    await worker.run();
    Runtime.instance().logger.info('worker stopped cleanly');
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
