/**
 * The worker process: runtime telemetry (Prometheus metrics, pino JSON logs), the connection,
 * the entry workflows, the notification activities and the record's activity (PostgreSQL), the
 * meeting calendar's push, and the reconciler's workflow and activity, whose Temporal Schedule it
 * ensures at start; the daily digest's (its schedule ensured at start too) and the drain of the
 * record's outbox of notices to a person (a poll while the worker runs).
 * SIGTERM/SIGINT shut it down gracefully: polling stops, in-flight tasks get
 * WORKER_SHUTDOWN_GRACE to finish, then the process exits.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { activityDepsFromConfig, createActivities } from '../activities';
import { createRecordActivities, stampingDeliveries } from '../activities/record';
import { loadDotEnv } from '../config/dotenv';
import { openRecord } from '../record/db';
import { refuseExampleValues } from '../config/example-values';
import { createLogger, pinoTemporalLogger } from '../config/logging';
import { temporalConnectionOptions } from '../config/temporal';
import { loadWorkerConfig, prometheusExporter, workerExampleValues } from './config';
import { createEntryWorker, workerIdentity } from './create-worker';
import { startHealthFile } from './health';
import { createMeetingsPushActivities } from './meetings-push';
import { ensureReconcileSchedule, RECONCILE_SCHEDULE_ID } from './reconcile-schedule';
import { createReconcilerActivities } from './reconciler';
import { createDigestActivities } from '../activities/digests';
import { notificationSettings } from '../activities/config';
import { DIGEST_SCHEDULE_ID, ensureDigestSchedule } from './digest-schedule';
import { startPersonNoticeDrain } from './person-notices';

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadWorkerConfig();
  refuseExampleValues(workerExampleValues(config), config.UEP_DEMO);
  const log = createLogger('uep-worker', config.LOG_LEVEL);
  // The SDK's own lines, the workflows' and the activities' (their `log`) all end up here. With
  // forwarding on, the runtime's logger holds each line 100 ms or more to sort it among Core's, so
  // the process's own lines go to `log` directly: "worker started" is out before polling begins.
  Runtime.install({
    logger: pinoTemporalLogger(log),
    telemetryOptions: {
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }) },
      ...(config.WORKER_METRICS_ENABLED
        ? { metrics: { prometheus: prometheusExporter(config), globalTags: { service: 'uep-worker', build_id: config.WORKER_BUILD_ID } } }
        : {}),
    },
  });
  const deps = activityDepsFromConfig(config);
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  const record = openRecord(config.RECORD_DATABASE_URL, { maxConnections: config.RECORD_POOL_SIZE });
  const clientConnection = await Connection.connect(temporalConnectionOptions(config));
  try {
    const client = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE });
    const activities = {
      ...stampingDeliveries(record, createActivities(deps)),
      ...createRecordActivities(record),
      ...createReconcilerActivities({ client, db: record }),
      ...createMeetingsPushActivities({ client, db: record }),
      ...createDigestActivities({
        db: record,
        mailer: deps.notifications.mailer,
        mailFrom: deps.notifications.mailFrom,
        links: notificationSettings(config).links,
        timeZone: config.DIGEST_TIME_ZONE,
      }),
    };
    const worker = await createEntryWorker(connection, config, activities);
    const schedule = await ensureReconcileSchedule(client, { taskQueue: config.TEMPORAL_TASK_QUEUE, intervalMs: config.RECONCILE_INTERVAL_MS });
    const digestSchedule = await ensureDigestSchedule(client, { taskQueue: config.TEMPORAL_TASK_QUEUE, time: config.DIGEST_TIME, timeZone: config.DIGEST_TIME_ZONE });
    log.info(
      {
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        namespace: config.TEMPORAL_NAMESPACE,
        buildId: config.WORKER_BUILD_ID,
        metrics: config.WORKER_METRICS_ENABLED ? `http://${config.WORKER_METRICS_HOST}:${config.WORKER_METRICS_PORT}/metrics` : 'off',
        reconcileSchedule: { id: RECONCILE_SCHEDULE_ID, everyMs: config.RECONCILE_INTERVAL_MS, ensured: schedule },
        digestSchedule: { id: DIGEST_SCHEDULE_ID, at: `${config.DIGEST_TIME} ${config.DIGEST_TIME_ZONE}`, ensured: digestSchedule },
      },
      'worker started',
    );
    const stopHealth = config.WORKER_HEALTH_FILE
      ? startHealthFile({
          connection,
          namespace: config.TEMPORAL_NAMESPACE,
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          identity: workerIdentity(config),
          file: config.WORKER_HEALTH_FILE,
          intervalMs: config.WORKER_HEALTH_INTERVAL_MS,
          onError: (err) => {
            log.warn({ error: String(err) }, 'health check against Temporal failed');
          },
        })
      : undefined;
    const drain = startPersonNoticeDrain({
      client,
      db: record,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      intervalMs: config.PERSON_NOTICE_POLL_MS,
      onError: (err) => log.warn({ error: String(err) }, 'handing notices to a person to delivery failed: the next pass tries again'),
      onUnmailable: (u) => log.warn(u, 'a notice to a person told at once, whose email the record does not know: only their body\'s webhooks hear of it (they sign in to the console once, or the assignment names their email)'),
    });
    try {
      await worker.run();
    } finally {
      stopHealth?.();
      await drain.stop();
    }
    log.info('worker stopped cleanly');
  } finally {
    deps.notifications.mailer.close?.(); // the SMTP pool's open connections
    await clientConnection.close();
    await connection.close();
    await record.destroy();
  }
}

main().catch((err: unknown) => {
  createLogger('uep-worker', 'error', true).fatal({ err }, 'worker failed');
  process.exit(1);
});
