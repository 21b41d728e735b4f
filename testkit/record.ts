/**
 * The record every test worker writes to: one embedded PGlite for the whole jest run (started by
 * testkit/jest-global-record.mjs, its URL in UEP_TEST_RECORD_URL), or one per process elsewhere
 * (bench, fuzz), started on first use and stopped when the process exits.
 */
import { openRecord, type RecordDb } from '../record/db';
import { startPgliteServer } from './postgres';

export const TEST_RECORD_URL_ENV = 'UEP_TEST_RECORD_URL';

let sharedUrl: Promise<string> | undefined;
let shared: Promise<RecordDb> | undefined;

async function start(): Promise<string> {
  const url = process.env[TEST_RECORD_URL_ENV];
  if (url) return url;
  const server = await startPgliteServer();
  process.once('exit', () => void server.stop());
  return server.url;
}

/** The URL of the shared record (worker processes started by tests write to it). */
export function testRecordUrl(): Promise<string> {
  sharedUrl ??= start();
  return sharedUrl;
}

export function sharedTestRecord(): Promise<RecordDb> {
  shared ??= testRecordUrl().then((url) => openRecord(url, { allowExitOnIdle: true, maxConnections: 4 }));
  return shared;
}
