/* global module, process */
/** @type {import('jest').Config} */
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

module.exports = {
  projects: [
    { ...common, displayName: 'domain', testMatch: ['<rootDir>/test/domain/**/*.test.ts'] },
    {
      ...common,
      displayName: 'temporal',
      testMatch: [
        '<rootDir>/test/workflows/**/*.test.ts',
        '<rootDir>/test/api/**/*.test.ts',
        '<rootDir>/test/replay/**/*.test.ts',
        '<rootDir>/test/e2e/**/*.test.ts',
        '<rootDir>/test/activities/**/*.test.ts',
        '<rootDir>/test/ops/**/*.test.ts',
        '<rootDir>/test/record/**/*.test.ts',
      ],
      setupFiles: ['<rootDir>/testkit/quiet-runtime.ts'],
    },
    // Minutes long (real processes killed and restarted): only with UEP_FAULT_TESTS=1, i.e.
    // `npm run test:faults`; never part of a plain `jest` / `npm test`.
    ...(process.env.UEP_FAULT_TESTS === '1'
      ? [{ ...common, displayName: 'faults', testMatch: ['<rootDir>/test/faults/**/*.test.ts'], setupFiles: ['<rootDir>/testkit/quiet-runtime.ts'] }]
      : []),
    // A PostgreSQL-backed Temporal cluster built from source (npm run cluster): only with
    // UEP_CLUSTER_TESTS=1, i.e. `npm run test:cluster`.
    ...(process.env.UEP_CLUSTER_TESTS === '1'
      ? [{ ...common, displayName: 'cluster', testMatch: ['<rootDir>/test/cluster/**/*.test.ts'], setupFiles: ['<rootDir>/testkit/quiet-runtime.ts'] }]
      : []),
  ],
  globalSetup: '<rootDir>/testkit/jest-global-setup.mjs',
  globalTeardown: '<rootDir>/testkit/jest-global-teardown.mjs',
  maxWorkers: 1,
  // A test that times out can leave its worker polling a server already torn down; jest would then
  // wait on it forever after the run instead of reporting the failure.
  forceExit: true,
  testTimeout: 120_000,
  collectCoverageFrom: ['domain/**/*.ts'],
};
