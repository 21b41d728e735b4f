/* global process, URL */
/**
 * jest globalSetup / globalTeardown: one embedded record (record/embedded-main.ts, in memory,
 * migrated) for the whole run; its URL reaches the tests in UEP_TEST_RECORD_URL.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const EMBEDDED_MAIN = fileURLToPath(new URL('../record/embedded-main.ts', import.meta.url));
let child;

export async function setup() {
  if (process.env.UEP_TEST_RECORD_URL) return;
  child = spawn(process.execPath, ['--import', 'tsx', EMBEDDED_MAIN], {
    env: { ...process.env, UEP_RECORD_DIR: '', RECORD_PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const [line] = await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`the embedded record exited with ${code} before it was ready`);
    }),
  ]);
  lines.close();
  process.env.UEP_TEST_RECORD_URL = JSON.parse(line).url;
}

export async function teardown() {
  if (!child || child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}
