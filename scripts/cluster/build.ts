/**
 * Builds (or finds cached) the pinned Temporal server and schema tool; CI runs it as its own step
 * so the cold-cache cost shows apart from the tests.
 */
import { ensureServerBinaries } from './server-build';
import { serverCacheDir, TEMPORAL_SERVER_VERSION } from './versions';

const started = Date.now();
const binaries = ensureServerBinaries();
const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
console.log(
  binaries.builtInMs === undefined
    ? `Temporal server v${TEMPORAL_SERVER_VERSION}: cached in ${serverCacheDir()} (warm: ${took})`
    : `Temporal server v${TEMPORAL_SERVER_VERSION}: built from source into ${serverCacheDir()} (cold: ${took})`,
);
