/* global process, URL */
/**
 * jest globalSetup: the web console built once for the whole run, before any test file starts.
 * Each console stack used to rebuild it, and a rebuild empties console/dist first: a test file
 * running beside it then found no console ("The console is not built here") for a second or two.
 * UEP_TEST_CONSOLE_BUILT tells testkit/console-stack.ts to use the build as it is.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const BUILD = fileURLToPath(new URL('../scripts/build-console.ts', import.meta.url));

export async function setup() {
  if (process.env.UEP_TEST_CONSOLE_BUILT) return;
  const child = spawn(process.execPath, ['--import', 'tsx', BUILD], { stdio: ['ignore', 'ignore', 'inherit'] });
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`building the console for the tests exited with ${code}`);
  process.env.UEP_TEST_CONSOLE_BUILT = '1';
}
