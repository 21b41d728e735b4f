/**
 * `npm run fuzz`: property-based fuzzing of the HTTP API with schemathesis (PyPI), from the API's
 * own /openapi.json, against a real dev server, worker and app (the API as `npm run api` builds
 * it, with its default TEMPORAL_RPC_TIMEOUT_MS). Two passes: every operation with an OPS token,
 * then the sign-off operations with a SECAS token (OPS may not sign off). Fails on any 5xx and on
 * any response that breaks its documented schema, status codes or content type. Bounded:
 * FUZZ_MAX_EXAMPLES cases per operation (default 25), a fixed FUZZ_SEED (default 1) so a run can
 * be repeated, and FUZZ_MAX_TIME seconds per pass (default 90; the stateful phase fills it).
 *
 * schemathesis lives in a private virtualenv (.temporal/fuzz-venv, git-ignored), installed on
 * first use with the pinned version below.
 */
import '../testkit/quiet-runtime';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseEnv } from '../config/env';
import { apiEnvSchema } from '../api/config';
import { ENDPOINTS } from '../api/endpoints';
import { startApiStack } from '../testkit/api-stack';
import { BODY } from '../domain/vocabulary';
import { recordingActivities } from '../testkit/api-harness';
import { createTestWorker, startDevServer, uniqueTaskQueue } from '../testkit/temporal';
import { PROJECT_ROOT } from '../config/temporal-toolchain';

export const SCHEMATHESIS_VERSION = '4.32.5';
export const FUZZ_VENV = path.join(PROJECT_ROOT, '.temporal', 'fuzz-venv');
const SCHEMATHESIS = path.join(FUZZ_VENV, 'bin', 'schemathesis');
const REPORT_DIR = path.join(PROJECT_ROOT, '.temporal', 'fuzz-report');

/** What a response must satisfy: no server error, and what the document promises. */
export const FUZZ_CHECKS = ['not_a_server_error', 'response_schema_conformance', 'status_code_conformance', 'content_type_conformance'];

const fuzzEnvSchema = z.object({
  FUZZ_MAX_EXAMPLES: z.coerce.number().int().min(1).default(25),
  FUZZ_SEED: z.coerce.number().int().default(1),
  FUZZ_MAX_TIME: z.coerce.number().int().min(10).default(90),
  /** Extra arguments for `schemathesis run`, space-separated (e.g. "--phases fuzzing"). */
  FUZZ_ARGS: z.string().default(''),
});

function installedVersion(): string | undefined {
  if (!existsSync(SCHEMATHESIS)) return undefined;
  try {
    return /version ([\d.]+)/.exec(execFileSync(SCHEMATHESIS, ['--version'], { encoding: 'utf8' }))?.[1];
  } catch {
    return undefined;
  }
}

function ensureSchemathesis(): void {
  if (installedVersion() === SCHEMATHESIS_VERSION) return;
  console.error(`installing schemathesis==${SCHEMATHESIS_VERSION} into ${path.relative(PROJECT_ROOT, FUZZ_VENV)}`);
  if (!existsSync(path.join(FUZZ_VENV, 'bin', 'pip'))) execFileSync('python3', ['-m', 'venv', FUZZ_VENV], { stdio: 'inherit' });
  execFileSync(path.join(FUZZ_VENV, 'bin', 'pip'), ['install', '--quiet', `schemathesis==${SCHEMATHESIS_VERSION}`], { stdio: 'inherit' });
}

function run(cmd: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, NO_COLOR: '1' } });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** The sign-off operations (decisions, evidence, claims, files, comments), fuzzed again with a body that may sign off. */
const SIGN_OFF_PATHS = [ENDPOINTS.recordDecision.path, ENDPOINTS.submitEvidence.path, ENDPOINTS.setClaim.path, ENDPOINTS.attachFile.path, ENDPOINTS.addComment.path].map((p) => p.replace(/:(\w+)/g, '{$1}'));

async function main(): Promise<number> {
  const config = parseEnv(fuzzEnvSchema);
  ensureSchemathesis();
  const started = Date.now();
  const env = await startDevServer();
  const taskQueue = uniqueTaskQueue('fuzz');
  const worker = await createTestWorker(env, { taskQueue, activities: recordingActivities([]) });
  const running = worker.run();
  const api = await startApiStack(env.client, {
    taskQueue,
    namespace: env.namespace ?? 'default',
    rpcTimeoutMs: apiEnvSchema.parse({}).TEMPORAL_RPC_TIMEOUT_MS,
  });
  try {
    const pass = (token: string, extra: string[]) =>
      run(SCHEMATHESIS, [
        'run',
        `${api.baseUrl}/openapi.json`,
        '--header', `Authorization: Bearer ${token}`,
        '--checks', FUZZ_CHECKS.join(','),
        '--max-examples', String(config.FUZZ_MAX_EXAMPLES),
        '--seed', String(config.FUZZ_SEED),
        '--max-time', String(config.FUZZ_MAX_TIME),
        '--request-timeout', '15',
        '--generation-database', 'none',
        '--workers', '2',
        '--no-color',
        '--report', 'junit',
        '--report-dir', REPORT_DIR,
        ...extra,
        ...config.FUZZ_ARGS.split(' ').filter(Boolean),
      ]);
    // schemathesis 4.32.5's coverage phase crashes inside the tool on this document now and then
    // (a KeyError in its coverage module; "AST constructor recursion depth mismatch" under
    // hypothesis 6 on Python 3.11), which would fail CI for no fault of the API: both passes run
    // the other phases. The stateful phase is what found the compliance-report 503.
    // The fuzzed API has no identity provider and no mail relay, so an invitation is refused by
    // design with 503 INVITATIONS_UNAVAILABLE, which the server-error check would flag;
    // test/api/party-people.test.ts drives invitations on a stack that has both.
    const ops = await pass(api.tokenFor(BODY.OPS), ['--phases', 'examples,fuzzing,stateful', '--exclude-operation-id', ENDPOINTS.inviteToParty.operationId]);
    const signOffs = await pass(api.tokenFor(BODY.SECAS), [...SIGN_OFF_PATHS.flatMap((p) => ['--include-path', p]), '--phases', 'examples,fuzzing']);
    const code = ops || signOffs;
    console.error(
      `schemathesis ${SCHEMATHESIS_VERSION}: OPS pass exit ${ops}, SECAS sign-off pass exit ${signOffs}, ${Math.round((Date.now() - started) / 1000)} s (JUnit in ${path.relative(PROJECT_ROOT, REPORT_DIR)})`,
    );
    return code;
  } finally {
    await api.close();
    worker.shutdown();
    await running;
    await env.teardown();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
