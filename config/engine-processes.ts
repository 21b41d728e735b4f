/**
 * How the API's process is started, wherever it is: the compose file, `npm run api`, `npm start`,
 * the local cluster and the benchmark (test/ops/compose.test.ts holds the first two to this).
 *
 * The API runs with V8's default young generation. Smaller semi-spaces (`--max-semi-space-size=2`)
 * were tried on 2026-12-08 and not kept: they free a streamed evidence file's dead 64 KiB buffers
 * sooner (the API's RSS growth for a 50 MiB file up and down 114-128 MiB -> 43-84 MiB, still over the
 * 30 MiB target), but cost every request: the API's CPU per lifecycle 42-46 ms -> 49-50 ms (+12%,
 * N=100, idle, alternated runs), against issue 29's target of 35 ms. docs/benchmarks.md,
 * "Evidence files", has the runs.
 */
export const API_SERVER = 'api/server.ts';

/** None: see above. An operator whose API streams many large files can add --max-semi-space-size=2 through NODE_OPTIONS. */
export const API_NODE_FLAGS: readonly string[] = [];

/** node's arguments for the API (`entry`: api/server.ts, by whatever path the caller knows it), TypeScript through tsx. */
export const apiNodeArgs = (entry = API_SERVER): string[] => [...API_NODE_FLAGS, '--import', 'tsx', entry];
