/**
 * The official Temporal server and its SQL schema tool, built from source with `go install` at
 * the pinned version (once; later runs reuse the cache), and the PostgreSQL schema files copied
 * beside them from the Go module cache, so a warm cache needs no Go at all.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { GO_TOOLCHAIN, SERVER_MODULE, TEMPORAL_SERVER_VERSION, serverCacheDir } from './versions';

export interface ServerBinaries {
  server: string;
  sqlTool: string;
  /** schema/postgresql/v12 of the server module: temporal/ and visibility/ */
  schemaDir: string;
  /** How long the build took, or undefined when the cache was warm. */
  builtInMs?: number;
}

function binaries(dir: string): ServerBinaries {
  return { server: path.join(dir, 'bin', 'server'), sqlTool: path.join(dir, 'bin', 'sql'), schemaDir: path.join(dir, 'schema') };
}

function go(args: string[], env: NodeJS.ProcessEnv, log: (line: string) => void): string {
  const result = spawnSync('go', args, { env: { ...process.env, GOTOOLCHAIN: GO_TOOLCHAIN, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error) throw new Error(`cannot run go (${result.error.message}): install Go (https://go.dev/dl/) or use docker-compose.yml`);
  if (result.status !== 0) {
    log(result.stderr);
    throw new Error(`go ${args.join(' ')} failed (exit ${result.status})`);
  }
  return result.stdout.trim();
}

const AT = `@v${TEMPORAL_SERVER_VERSION}`;

/**
 * Builds into a scratch folder and renames it into place, so an interrupted build is never
 * taken for a finished one. The schema files come from the module go just downloaded.
 */
export function ensureServerBinaries(log: (line: string) => void = console.log): ServerBinaries {
  const dir = serverCacheDir();
  const found = binaries(dir);
  let builtInMs: number | undefined;
  if (!existsSync(found.server) || !existsSync(found.sqlTool)) {
    const started = Date.now();
    const scratch = path.join(dir, `bin.partial-${process.pid}`);
    rmSync(scratch, { recursive: true, force: true });
    mkdirSync(scratch, { recursive: true });
    log(`building the Temporal server v${TEMPORAL_SERVER_VERSION} and its schema tool with ${GO_TOOLCHAIN} (several minutes, once) ...`);
    go(['install', `${SERVER_MODULE}/cmd/server${AT}`, `${SERVER_MODULE}/cmd/tools/sql${AT}`], { GOBIN: scratch }, log);
    rmSync(path.join(dir, 'bin'), { recursive: true, force: true });
    renameSync(scratch, path.join(dir, 'bin'));
    builtInMs = Date.now() - started;
  }
  if (!existsSync(path.join(found.schemaDir, 'temporal', 'versioned'))) {
    go(['mod', 'download', `${SERVER_MODULE}${AT}`], { GOFLAGS: '-mod=mod' }, log);
    const moduleDir = path.join(go(['env', 'GOMODCACHE'], {}, log), `${SERVER_MODULE}${AT}`);
    cpSync(path.join(moduleDir, 'schema', 'postgresql', 'v12'), found.schemaDir, { recursive: true });
  }
  return { ...found, ...(builtInMs === undefined ? {} : { builtInMs }) };
}
