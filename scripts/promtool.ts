/**
 * promtool, Prometheus's rule checker and unit-test runner, built from the official Prometheus
 * source with `go install` at the pinned version (once; later runs reuse the cache, like the
 * Temporal server's build in scripts/cluster/server-build.ts). Run as a script it builds or finds
 * the binary and prints where: `npm run promtool:build`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { GO_TOOLCHAIN } from './cluster/versions';

/** The Prometheus module's tag for Prometheus 3.16.0 (its Go module versions are v0.<major><minor>.<patch>). */
export const PROMETHEUS_MODULE_VERSION = 'v0.316.0';
export const PROMETHEUS_MODULE = 'github.com/prometheus/prometheus';

export function promtoolCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const root = env.UEP_CACHE_DIR ?? path.join(env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'uep-engine');
  return path.join(root, `promtool-${PROMETHEUS_MODULE_VERSION}`);
}

export interface Promtool {
  path: string;
  /** How long the build took, or undefined when the cache was warm. */
  builtInMs?: number;
}

/** Builds into a scratch folder and renames it into place, so an interrupted build is never taken for a finished one. */
export function ensurePromtool(log: (line: string) => void = console.log): Promtool {
  const dir = promtoolCacheDir();
  const binary = path.join(dir, 'bin', 'promtool');
  if (existsSync(binary)) return { path: binary };
  const started = Date.now();
  const scratch = path.join(dir, `bin.partial-${process.pid}`);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  log(`building promtool (Prometheus ${PROMETHEUS_MODULE_VERSION}) with ${GO_TOOLCHAIN} (minutes, once) ...`);
  const result = spawnSync('go', ['install', `${PROMETHEUS_MODULE}/cmd/promtool@${PROMETHEUS_MODULE_VERSION}`], {
    env: { ...process.env, GOTOOLCHAIN: GO_TOOLCHAIN, GOBIN: scratch },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.error) throw new Error(`cannot run go (${result.error.message}): install Go (https://go.dev/dl/) to build promtool`);
  if (result.status !== 0) {
    log(result.stderr);
    throw new Error(`go install ${PROMETHEUS_MODULE}/cmd/promtool failed (exit ${result.status})`);
  }
  rmSync(path.join(dir, 'bin'), { recursive: true, force: true });
  renameSync(scratch, path.join(dir, 'bin'));
  return { path: binary, builtInMs: Date.now() - started };
}

if (require.main === module) {
  const started = Date.now();
  const built = ensurePromtool();
  const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
  console.log(built.builtInMs === undefined ? `promtool ${PROMETHEUS_MODULE_VERSION}: cached at ${built.path} (warm: ${took})` : `promtool ${PROMETHEUS_MODULE_VERSION}: built from source into ${built.path} (cold: ${took})`);
}
