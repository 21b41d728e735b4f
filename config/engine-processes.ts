/**
 * How the API's process is started, wherever it is: the compose file, `npm run api`, `npm start`,
 * the local cluster and the benchmark (test/ops/compose.test.ts holds the first two to this).
 *
 * The API runs with a young generation of 2 MiB semi-spaces instead of V8's default (16 MiB on a
 * 64-bit machine). Its work is short requests, and an evidence file streamed through it leaves
 * 64 KiB buffers whose small JavaScript handles die young: with large semi-spaces the scavenges
 * that free them come seldom, and the buffers pile up. Measured with `BENCH_ONLY=files npm run
 * bench` on 2 idle cores: the API's RSS grew 114-128 MiB for a 50 MiB file up and down with the
 * default, 43-60 MiB with 2 MiB semi-spaces (the upload alone 13-27 MiB, under the bare node:http
 * floor's 26-31); the API's CPU per lifecycle rose about 5% (docs/benchmarks.md, "Evidence files").
 * The worker keeps the default: its throughput is what counts.
 */
export const API_SERVER = 'api/server.ts';

export const API_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];

/** node's arguments for the API (`entry`: api/server.ts, by whatever path the caller knows it), TypeScript through tsx. */
export const apiNodeArgs = (entry = API_SERVER): string[] => [...API_NODE_FLAGS, '--import', 'tsx', entry];
