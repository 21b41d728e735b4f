/**
 * Every layer boundary of docs/architecture.md is kept by a lint rule: a deliberate violation of
 * each, linted with the repository's real ESLint config, fails with the boundary's rule, and an
 * allowed import at the same place passes (so the rule is not simply failing everything).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

interface Message {
  ruleId: string | null;
  message: string;
}

const PATHS = 'import-x/no-restricted-paths';
const IMPORTS = 'no-restricted-imports';
const SDK_INTERNALS = '@typescript-eslint/no-restricted-imports';

/** [boundary, file the import is written in, a forbidden import, the rule that must refuse it] */
const VIOLATIONS: [string, string, string, string][] = [
  ['domain is pure: no Node built-ins', 'domain/probe.ts', "import { readFileSync } from 'node:fs';", IMPORTS],
  ['domain is pure: no packages', 'domain/probe.ts', "import { z } from 'zod';", IMPORTS],
  ['domain is pure: nothing of Temporal', 'domain/probe.ts', "import { defineQuery } from '@temporalio/workflow';", IMPORTS],
  ['domain is pure: no other layer', 'domain/probe.ts', "import { ENTRY_WORKFLOW_TYPE } from '../workflows/messages';", PATHS],
  ['workflows: no Node built-ins', 'workflows/probe.ts', "import { randomUUID } from 'node:crypto';", IMPORTS],
  ['workflows: activity types only', 'workflows/probe.ts', "import { createNotificationActivities } from '../activities/notifications';", PATHS],
  ['workflows: no client or worker SDK', 'workflows/probe.ts', "import { Client } from '@temporalio/client';", IMPORTS],
  ['workflows: no API, worker or config', 'workflows/probe.ts', "import { loadApiConfig } from '../api/config';", PATHS],
  ['workflows: no record', 'workflows/probe.ts', "import { openRecord } from '../record/db';", PATHS],
  ['activities: no workflows', 'activities/probe.ts', "import { entryWorkflow } from '../workflows/entry-workflow';", PATHS],
  ['routers: no workflow messages', 'api/routes/probe.ts', "import { recordDecisionUpdate } from '../../workflows/messages';", PATHS],
  ['routers: no Temporal SDK', 'api/routes/probe.ts', "import { WorkflowNotFoundError } from '@temporalio/client';", IMPORTS],
  ['routers: nothing of api/temporal but the gateway', 'api/routes/probe.ts', "import { fromTemporal } from '../temporal/errors';", PATHS],
  ['routers: no record, only its reads', 'api/routes/probe.ts', "import { auditBetween } from '../../record/read';", PATHS],
  ['routers: no record types either', 'api/routes/probe.ts', "import type { RecordDb } from '../../record/db';", PATHS],
  ['the rest of the API: no Temporal SDK', 'api/probe.ts', "import { Client } from '@temporalio/client';", IMPORTS],
  ['the rest of the API: no workflows', 'api/probe.ts', "import { SEARCH_ATTRIBUTE } from '../workflows/search-attributes';", PATHS],
  ['the gateway: no testkit', 'api/temporal/probe.ts', "import { createTestWorker } from '../../testkit/temporal';", PATHS],
  ['SDK internals only behind the adapter', 'api/temporal/probe.ts', "import { optionalTsToMs } from '@temporalio/common/lib/time';", SDK_INTERNALS],
  ['the worker: no API', 'worker/probe.ts', "import { createApp } from '../api/app';", PATHS],
  ['the record: no workflows', 'record/probe.ts', "import { ENTRY_WORKFLOW_TYPE } from '../workflows/messages';", PATHS],
  ['the record: no activities', 'record/probe.ts', "import { createNotificationActivities } from '../activities/notifications';", PATHS],
  ['the record: no API', 'record/probe.ts', "import { createApp } from '../api/app';", PATHS],
  ['the record: no worker', 'record/probe.ts', "import { listEntryRuns } from '../worker/rebuild';", PATHS],
  ['the record: no tooling', 'record/probe.ts', "import { startDevServer } from '../testkit/temporal';", PATHS],
  ['config is a leaf', 'config/probe.ts', "import { BODY } from '../domain/vocabulary';", PATHS],
  ['scripts: no test/', 'scripts/probe.ts', "import { PATCH } from '../test/replay/changed-workflow';", PATHS],
  ['scripts: no bench/', 'scripts/probe.ts', "import { summarize } from '../bench/stats';", PATHS],
  ['bench: no test/', 'bench/probe.ts', "import { PATCH } from '../test/replay/changed-workflow';", PATHS],
  ['testkit: no test/', 'testkit/probe.ts', "import { PATCH } from '../test/replay/changed-workflow';", PATHS],
  ['testkit: no bench/', 'testkit/probe.ts', "import { summarize } from '../bench/stats';", PATHS],
  ['testkit: no scripts/', 'testkit/probe.ts', "import { assertPortsFree } from '../scripts/local-ports';", PATHS],
  ['tests: no bench/', 'test/probe.ts', "import { summarize } from '../bench/stats';", PATHS],
  ['cli: nothing of the engine', 'cli/probe.ts', "import { BODY } from '../domain/vocabulary';", PATHS],
  ['cli: no Temporal SDK', 'cli/probe.ts', "import { Client } from '@temporalio/client';", IMPORTS],
];

/** [file, an import the architecture allows there] */
const ALLOWED: [string, string][] = [
  ['domain/probe.ts', "import { BODY } from './vocabulary';"],
  ['workflows/probe.ts', "import { condition } from '@temporalio/workflow';\nimport type { NotificationActivities } from '../activities/types';\nimport { BODY } from '../domain/vocabulary';"],
  ['activities/probe.ts', "import { BODY } from '../domain/vocabulary';\nimport { writeProjection } from '../record/write';"],
  ['api/routes/probe.ts', "import type { EntryGateway } from '../temporal/gateway';\nimport type { EntryReads } from '../entry-reads';\nimport { BODY } from '../../domain/vocabulary';"],
  ['api/probe.ts', "import { createEntryGateway } from './temporal/gateway';\nimport { recordLagMs } from '../record/read';"],
  ['api/temporal/probe.ts', "import { Client } from '@temporalio/client';\nimport { ENTRY_WORKFLOW_TYPE } from '../../workflows/messages';"],
  ['config/sdk-internals.ts', "import { optionalTsToMs } from '@temporalio/common/lib/time';"],
  ['worker/probe.ts', "import { entryWorkflow } from '../workflows';\nimport { openRecord } from '../record/db';"],
  ['config/probe.ts', "import { z } from 'zod';"],
  ['record/probe.ts', "import { sql } from 'kysely';\nimport { BODY } from '../domain/vocabulary';\nimport { parseEnv } from '../config/env';\nimport { openRecord } from './db';"],
  ['scripts/probe.ts', "import { startDevServer } from '../testkit/temporal';"],
  ['bench/probe.ts', "import { startDevServer } from '../testkit/temporal';"],
  ['testkit/probe.ts', "import { BODY } from '../domain/vocabulary';\nimport { PROJECT_ROOT } from '../config/temporal-toolchain';"],
  ['test/probe.ts', "import { startDevServer } from '../testkit/temporal';\nimport { assertPortsFree } from '../scripts/local-ports';"],
  ['cli/probe.ts', "import type { paths } from '../console/src/openapi';\nimport { apiClient } from './client';"],
];

/** Each probe exports what it imports, so no unrelated rule (unused variables) speaks. */
const codeOf = (imports: string) => {
  const named = (kind: 'type ' | '') => [...imports.matchAll(new RegExp(`import ${kind}\\{ (\\w+) \\}`, 'g'))].map((m) => m[1]);
  const types = named('type ');
  return `${imports}\nexport const used = [${named('').join(', ')}];\n${types.length ? `export type Used = [${types.join(', ')}];\n` : ''}`;
};

function lint(probes: { filePath: string; code: string }[]): Promise<{ filePath: string; messages: Message[] }[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, 'lint-probe.ts')], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as { filePath: string; messages: Message[] }[]) : reject(new Error(`lint probe exited ${code}: ${err}`))));
    child.stdin.end(JSON.stringify(probes));
  });
}

let violations: Message[][];
let allowed: Message[][];

beforeAll(async () => {
  const results = await lint([
    ...VIOLATIONS.map(([, filePath, imports]) => ({ filePath, code: codeOf(imports) })),
    ...ALLOWED.map(([filePath, imports]) => ({ filePath, code: codeOf(imports) })),
  ]);
  violations = results.slice(0, VIOLATIONS.length).map((r) => r.messages);
  allowed = results.slice(VIOLATIONS.length).map((r) => r.messages);
});

test.each(VIOLATIONS.map((v, i) => [v[0], v[1], v[3], i] as const))('%s: a violation in %s fails %s', (_name, _file, rule, i) => {
  expect(violations[i]!.map((m) => m.ruleId)).toContain(rule);
});

test.each(ALLOWED.map((a, i) => [a[0], i] as const))('an allowed import in %s passes', (_file, i) => {
  expect(allowed[i]).toEqual([]);
});
