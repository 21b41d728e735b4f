/* global process, URL */
/**
 * jest globalSetup / globalTeardown: one embedded record (record/embedded-main.ts, in memory,
 * migrated) per jest worker, so that the test files running side by side never see each other's
 * entries in the views across entries (the inbox, the compliance report, the entry list): a file
 * sees only what it and the files before it in its worker wrote, as in a run one file at a time.
 * Their URLs reach the tests in UEP_TEST_RECORD_URLS (testkit/record.ts picks its worker's).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const EMBEDDED_MAIN = fileURLToPath(new URL('../record/embedded-main.ts', import.meta.url));
const children = [];

async function startRecord() {
  const child = spawn(process.execPath, ['--import', 'tsx', EMBEDDED_MAIN], {
    env: { ...process.env, UEP_RECORD_DIR: '', RECORD_PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout });
  const [line] = await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`the embedded record exited with ${code} before it was ready`);
    }),
  ]);
  lines.close();
  return JSON.parse(line).url;
}

export async function setup(globalConfig) {
  if (process.env.UEP_TEST_RECORD_URL || process.env.UEP_TEST_RECORD_URLS) return;
  const workers = Math.max(1, globalConfig?.maxWorkers ?? 1);
  const urls = await Promise.all(Array.from({ length: workers }, startRecord));
  process.env.UEP_TEST_RECORD_URLS = urls.join(' ');
}

export async function teardown() {
  await Promise.all(
    children
      .filter((child) => child.exitCode === null)
      .map((child) => {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        return exited;
      }),
  );
}
