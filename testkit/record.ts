/**
 * The record a test writes to: under jest, its worker's embedded PGlite (one per jest worker,
 * started by testkit/jest-global-record.mjs, their URLs in UEP_TEST_RECORD_URLS), or the one in
 * UEP_TEST_RECORD_URL when set; elsewhere (bench, fuzz) one per process, started on first use and
 * stopped when the process exits.
 */
import { openRecord, type RecordDb } from '../record/db';
import { startPgliteServer } from './postgres';

export const TEST_RECORD_URL_ENV = 'UEP_TEST_RECORD_URL';
const TEST_RECORD_URLS_ENV = 'UEP_TEST_RECORD_URLS';

let sharedUrl: Promise<string> | undefined;
let shared: Promise<RecordDb> | undefined;

/** This jest worker's record (JEST_WORKER_ID counts from 1; a file run in jest's own process is worker 1). */
function workersRecordUrl(): string | undefined {
  const urls = process.env[TEST_RECORD_URLS_ENV]?.split(' ').filter(Boolean) ?? [];
  if (urls.length === 0) return undefined;
  const worker = Math.max(1, Number(process.env.JEST_WORKER_ID) || 1);
  return urls[(worker - 1) % urls.length];
}

async function start(): Promise<string> {
  const url = process.env[TEST_RECORD_URL_ENV] || workersRecordUrl();
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
