/* global process, URL */
/**
 * jest globalSetup / globalTeardown: the entry workflows bundled once for the whole run (webpack,
 * about 2 s of CPU each time) instead of once in every test file that starts a worker; the file's
 * path reaches the tests in UEP_TEST_WORKFLOW_BUNDLE (testkit/temporal.ts: entryWorkflowBundle).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BUILD = fileURLToPath(new URL('../scripts/build-workflow-bundle.ts', import.meta.url));
let dir;

export async function setup() {
  if (process.env.UEP_TEST_WORKFLOW_BUNDLE) return;
  dir = mkdtempSync(path.join(tmpdir(), 'uep-test-bundle-'));
  const file = path.join(dir, 'workflow-bundle.js');
  const child = spawn(process.execPath, ['--import', 'tsx', BUILD, file], { stdio: ['ignore', 'ignore', 'inherit'] });
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`bundling the workflows for the tests exited with ${code}`);
  process.env.UEP_TEST_WORKFLOW_BUNDLE = file;
}

export async function teardown() {
  if (dir) rmSync(dir, { recursive: true, force: true });
}
