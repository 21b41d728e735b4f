/**
 * The record every test worker writes to: one embedded PGlite for the whole jest run (started by
 * testkit/jest-global-record.mjs, its URL in UEP_TEST_RECORD_URL), or one per process elsewhere
 * (bench, fuzz), started on first use and stopped when the process exits.
 */
import { createRecordActivities } from '../activities/record';
import type { RecordActivities } from '../activities/types';
import { openRecord, type RecordDb } from '../record/db';
import { startPgliteServer } from './postgres';

export const TEST_RECORD_URL_ENV = 'UEP_TEST_RECORD_URL';

let shared: Promise<RecordDb> | undefined;

async function open(): Promise<RecordDb> {
  let url = process.env[TEST_RECORD_URL_ENV];
  if (!url) {
    const server = await startPgliteServer();
    process.once('exit', () => void server.stop());
    url = server.url;
  }
  return openRecord(url, { allowExitOnIdle: true, maxConnections: 4 });
}

export function sharedTestRecord(): Promise<RecordDb> {
  shared ??= open();
  return shared;
}

export async function testRecordActivities(): Promise<RecordActivities> {
  return createRecordActivities(await sharedTestRecord());
}
