import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/**
 * The layers and the arrows allowed between them (docs/architecture.md). Each boundary is one
 * block below; test/ops/lint-boundaries.test.ts feeds a deliberate violation of each to ESLint
 * with this config and expects it to fail. Folder arrows use import-x/no-restricted-paths
 * (resolved paths); package rules use no-restricted-imports. The groups do not overlap, so no
 * block overrides another's options.
 */
const TOP = ['domain', 'workflows', 'activities', 'api', 'worker', 'config', 'record', 'scripts', 'bench', 'testkit', 'test'];
/** Zones that forbid imports from each listed top-level folder (relative to the repo root). */
const notFrom = (folders, message, extra = {}) => folders.map((f) => ({ from: `./${f}`, message, ...(extra[f] ?? {}) }));
const zonesFor = (target, zones) => zones.map((z) => ({ target, ...z }));
const noTemporalMessage = 'Only api/temporal/ (the gateway) and api/server.ts speak to Temporal; routers get a typed EntryGateway.';

const boundary = (name, files, { ignores = [], zones = [], paths = [], patterns = [] }) => ({
  name: `boundary: ${name}`,
  files,
  ignores,
  rules: {
    ...(zones.length ? { 'import-x/no-restricted-paths': ['error', { zones }] } : {}),
    ...(paths.length || patterns.length ? { 'no-restricted-imports': ['error', { paths, patterns }] } : {}),
  },
});

const BOUNDARIES = [
  boundary('domain is pure', ['domain/**/*.ts'], {
    zones: zonesFor('./domain', notFrom(TOP.filter((f) => f !== 'domain'), 'domain/ is pure: it imports nothing outside domain/.')),
    patterns: [{ regex: '^[^.]', message: 'domain/ is pure: no packages, no Node built-ins, nothing of Temporal.' }],
  }),
  boundary('workflows are deterministic and thin', ['workflows/**/*.ts'], {
    zones: zonesFor('./workflows', [
      { from: './activities', except: ['./types.ts'], message: 'Workflows import activity types only (activities/types.ts).' },
      ...notFrom(['api', 'worker', 'config', 'record', 'scripts', 'bench', 'testkit', 'test'], 'Workflow code imports only domain/, activities/types.ts and workflows/.'),
    ]),
    paths: nodeBuiltins.map((name) => ({ name, message: 'Workflow code runs in a deterministic sandbox: no Node built-ins.' })),
    patterns: [{ group: ['@temporalio/*', '!@temporalio/workflow', '!@temporalio/common'], message: 'Workflow code uses @temporalio/workflow (and common) only.' }],
  }),
  boundary('activities are effects, not orchestration', ['activities/**/*.ts'], {
    zones: zonesFor('./activities', notFrom(['workflows', 'api', 'worker', 'scripts', 'bench', 'testkit', 'test'], 'activities/ import only domain/, config/ and activities/.')),
  }),
  boundary('routers see two doors: the gateway and the reads', ['api/routes/**/*.ts'], {
    zones: zonesFor('./api/routes', [
      { from: './api/temporal', except: ['./gateway.ts'], message: 'Routers get the EntryGateway (api/temporal/gateway.ts) and nothing else of api/temporal/.' },
      ...notFrom(['workflows', 'activities', 'worker', 'scripts', 'bench', 'testkit', 'test'], 'Routers reach Temporal through ctx.gateway only.'),
      ...notFrom(['record'], 'Routers query through ctx.reads (api/entry-reads.ts) and change the record through ctx.writes (api/record-writes.ts), never the record itself.'),
    ]),
    patterns: [{ group: ['@temporalio/*', '@temporalio/**'], message: noTemporalMessage }],
  }),
  boundary('the rest of the API knows no Temporal', ['api/**/*.ts'], {
    ignores: ['api/routes/**', 'api/temporal/**', 'api/server.ts'],
    zones: zonesFor('./api', notFrom(['workflows', 'activities', 'worker', 'scripts', 'bench', 'testkit', 'test'], noTemporalMessage)),
    patterns: [{ group: ['@temporalio/*', '@temporalio/**'], message: noTemporalMessage }],
  }),
  boundary('the gateway and the API process stay in the API', ['api/temporal/**/*.ts', 'api/server.ts'], {
    zones: zonesFor('./api', notFrom(['activities', 'worker', 'scripts', 'bench', 'testkit', 'test'], 'The API runs no activities and no worker, and imports no tooling.')),
  }),
  boundary('the worker hosts, it does not serve', ['worker/**/*.ts'], {
    zones: zonesFor('./worker', notFrom(['api', 'scripts', 'bench', 'testkit', 'test'], 'worker/ imports workflows/, activities/, record/, domain/ and config/ only.')),
  }),
  boundary('the record is storage below the processes', ['record/**/*.ts'], {
    zones: zonesFor('./record', notFrom(['workflows', 'activities', 'api', 'worker', 'scripts', 'bench', 'testkit', 'test'], 'record/ imports only domain/, config/ and record/.')),
  }),
  boundary('config is a leaf', ['config/**/*.ts'], {
    zones: zonesFor('./config', notFrom(TOP.filter((f) => f !== 'config'), 'config/ imports nothing of the project.')),
  }),
  boundary('scripts never reach into bench/ or test/', ['scripts/**/*.ts'], {
    zones: zonesFor('./scripts', notFrom(['bench', 'test'], 'scripts/ share with tests through testkit/, never test/ or bench/.')),
  }),
  boundary('bench never reaches into test/', ['bench/**/*.ts'], {
    zones: zonesFor('./bench', notFrom(['test'], 'bench/ shares with tests through testkit/, never test/.')),
  }),
  boundary('the command line is a client of the API', ['cli/**/*.ts'], {
    zones: zonesFor('./cli', notFrom(TOP, 'cli/ speaks to the API over HTTP: it imports its OpenAPI types (console/src/openapi.d.ts) and nothing of the engine.')),
    patterns: [{ group: ['@temporalio/*', '@temporalio/**'], message: 'cli/ speaks to the API over HTTP, never to Temporal.' }],
  }),
  boundary('testkit serves tests, bench and scripts; it imports none of them', ['testkit/**/*.ts'], {
    zones: zonesFor('./testkit', notFrom(['test', 'bench', 'scripts'], 'testkit/ is what test/, bench/ and scripts/ share: it imports none of them.')),
  }),
  boundary('tests never reach into bench/', ['test/**/*.ts'], {
    zones: zonesFor('./test', notFrom(['bench'], 'test/ shares with bench/ through testkit/, never bench/.')),
  }),
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'console/dist/**', '.temporal/**', 'data/**', 'coverage/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.mjs', '*.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })] },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      // ignoreExternal: else the rule parses PGlite's bundle.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // SDK internals move between releases: one adapter in the API, plus the replay tests' history JSON.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@temporalio/*/lib/*', '@temporalio/*/lib/**'], message: 'SDK internals only behind config/sdk-internals.ts.' }] },
      ],
    },
  },
  { files: ['config/sdk-internals.ts', 'testkit/histories.ts', 'test/replay/**/*.ts'], rules: { '@typescript-eslint/no-restricted-imports': 'off' } },
  ...BOUNDARIES,
  { files: ['**/*.mjs', '**/*.js'], ...tseslint.configs.disableTypeChecked },
);
