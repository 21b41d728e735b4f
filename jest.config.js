/* global module, process, require, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports -- jest reads this file as CommonJS */
const { globSync, readFileSync } = require('node:fs');
const path = require('node:path');

const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }];
/** ESM-only packages (the OpenID Connect client and its JOSE library), compiled to CommonJS for jest like our own code. */
const ESM_ONLY = ['openid-client', 'oauth4webapi', 'jose'];
const swcJs = ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } }];
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc, [`/node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`]: swcJs },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'json'],
};

const TEMPORAL_DIRS = ['workflows', 'api', 'replay', 'e2e', 'activities', 'ops', 'record'];

/**
 * Test files run side by side (maxWorkers below), each with its own Temporal server and ports, each
 * jest worker with its own embedded record (testkit/jest-global-record.mjs). A file that must have
 * the machine to itself says so in its opening comment with a line `@runs-alone <why>`; those run
 * one at a time, before or after the others (testkit/jest-alone-runner.mjs).
 */
const RUNS_ALONE = /^\s*\*\s*@runs-alone\s+\S/m;
const runsAlone = (file) => RUNS_ALONE.test(readFileSync(path.join(__dirname, file), 'utf8').slice(0, 4000));
const aloneFiles = TEMPORAL_DIRS.flatMap((dir) => globSync(`test/${dir}/**/*.test.ts`, { cwd: __dirname })).filter(runsAlone).sort();
const temporal = { ...common, testMatch: TEMPORAL_DIRS.map((dir) => `<rootDir>/test/${dir}/**/*.test.ts`), setupFiles: ['<rootDir>/testkit/quiet-runtime.ts'] };
const ALONE_RUNNER = '<rootDir>/testkit/jest-alone-runner.mjs';

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...common, displayName: 'domain', testMatch: ['<rootDir>/test/domain/**/*.test.ts'] },
    { ...temporal, displayName: 'temporal', testPathIgnorePatterns: ['/node_modules/', ...aloneFiles.map((f) => `<rootDir>/${f}$`)] },
    ...(aloneFiles.length > 0 ? [{ ...temporal, displayName: 'alone', testMatch: aloneFiles.map((f) => `<rootDir>/${f}`), runner: ALONE_RUNNER }] : []),
    // Minutes long (real processes killed and restarted): only with UEP_FAULT_TESTS=1, i.e.
    // `npm run test:faults`; never part of a plain `jest` / `npm test`.
    ...(process.env.UEP_FAULT_TESTS === '1'
      ? [{ ...common, displayName: 'faults', testMatch: ['<rootDir>/test/faults/**/*.test.ts'], setupFiles: ['<rootDir>/testkit/quiet-runtime.ts'], runner: ALONE_RUNNER }]
      : []),
    // A PostgreSQL-backed Temporal cluster built from source (npm run cluster): only with
    // UEP_CLUSTER_TESTS=1, i.e. `npm run test:cluster`.
    ...(process.env.UEP_CLUSTER_TESTS === '1'
      ? [{ ...common, displayName: 'cluster', testMatch: ['<rootDir>/test/cluster/**/*.test.ts'], setupFiles: ['<rootDir>/testkit/quiet-runtime.ts'], runner: ALONE_RUNNER }]
      : []),
  ],
  globalSetup: '<rootDir>/testkit/jest-global-setup.mjs',
  globalTeardown: '<rootDir>/testkit/jest-global-teardown.mjs',
  // Most files wait on servers (Temporal, PostgreSQL, chromium, Keycloak), so more files than cores
  // overlap well; UEP_TEST_WORKERS (or jest's --maxWorkers / -i) changes it.
  maxWorkers: Number(process.env.UEP_TEST_WORKERS || 3),
  // A test that times out can leave its worker polling a server already torn down; jest would then
  // wait on it forever after the run instead of reporting the failure.
  forceExit: true,
  testTimeout: 120_000,
  collectCoverageFrom: ['domain/**/*.ts'],
};
