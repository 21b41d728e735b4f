/**
 * npm run record:reconcile: a reconcile pass now, beside the schedule's (uep-record-reconciler,
 * every RECONCILE_INTERVAL_MS): after terminating an entry's run in the Temporal UI, for example.
 * Triggers the schedule, so the pass runs on a worker like every other. Reads TEMPORAL_*.
 */
import { Client, Connection } from '@temporalio/client';
import { loadDotEnv } from '../config/dotenv';
import { parseEnv } from '../config/env';
import { temporalConnectionOptions, temporalEnvSchema } from '../config/temporal';
import { RECONCILE_SCHEDULE_ID, reconcileNow } from '../worker/reconcile-schedule';

async function main(): Promise<void> {
  loadDotEnv();
  const config = parseEnv(temporalEnvSchema);
  const connection = await Connection.connect(temporalConnectionOptions(config));
  try {
    await reconcileNow(new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }));
    console.log(`reconcile pass started (schedule ${RECONCILE_SCHEDULE_ID}: its runs are listed in the Temporal UI under Schedules)`);
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
