/**
 * The one place that says which Temporal server the cluster runs. docker-compose.yml pins
 * temporalio/server and temporalio/admin-tools to the same version (test/ops/compose.test.ts
 * fails when they drift apart).
 */
import { homedir } from 'node:os';
import path from 'node:path';

export const TEMPORAL_SERVER_VERSION = '1.30.9';
/** The Go toolchain that builds it (go downloads it through GOTOOLCHAIN when the local go is older). */
export const GO_TOOLCHAIN = 'go1.27.3';
export const SERVER_MODULE = 'go.temporal.io/server';

/** Built binaries and schema files, outside the clone so every worktree and CI run shares them. */
export function serverCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const root = env.UEP_CACHE_DIR ?? path.join(env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'uep-engine');
  return path.join(root, `temporal-v${TEMPORAL_SERVER_VERSION}`);
}
