/**
 * The console for real: a Temporal dev server, a worker running the entry workflow, the API
 * serving the freshly built console on a free port, and a token per body (and per Party).
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { buildConsole, builtConsole, type ConsoleBuild } from '../console/build';
import { BODY } from '../domain/vocabulary';
import { startHarness, type Harness, type HarnessOptions } from './api-harness';
import type { Tokens } from './console-fixtures';
import { startDevServer } from './temporal';

export interface ConsoleStack {
  env: TestWorkflowEnvironment;
  harness: Harness;
  baseUrl: string;
  tokens: Tokens;
  build: ConsoleBuild;
  close(): Promise<void>;
}

/** rpcTimeoutMs: the API's bound on Temporal calls (the bench fills the server with a thousand starts). */
export async function startConsoleStack(opts: Pick<HarnessOptions, 'rpcTimeoutMs' | 'settings' | 'now' | 'notificationActivities'> = {}): Promise<ConsoleStack> {
  // under jest, built once for the run (testkit/jest-global-console.mjs): a rebuild here would empty it under the files beside
  const build = process.env.UEP_TEST_CONSOLE_BUILT ? builtConsole() : await buildConsole();
  const env = await startDevServer();
  const harness = await startHarness(env, opts);
  const tokens: Tokens = {
    ops: harness.tokenFor(BODY.OPS),
    dcc: harness.tokenFor(BODY.DCC),
    panel: harness.tokenFor(BODY.SEC_PANEL),
    secas: harness.tokenFor(BODY.SECAS),
    party: (partyId) => harness.partyToken(partyId),
  };
  return {
    env,
    harness,
    baseUrl: harness.baseUrl,
    tokens,
    build,
    async close() {
      await harness.close();
      await env.teardown();
    },
  };
}
