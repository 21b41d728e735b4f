/** What the numbers were measured on: cores, memory, Node, Temporal CLI/server and SDK versions. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findBinary, PROJECT_ROOT, TEMPORAL_CLI, TEMPORAL_TEST_SERVER_VERSION } from '../config/temporal-toolchain';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
  temporalCli: string;
  temporalTestServer: string;
  temporalSdk: string;
}

function sdkVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'node_modules', '@temporalio', 'worker', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

function cliVersion(): string {
  const cli = findBinary(TEMPORAL_CLI);
  if (!cli) return 'not found';
  try {
    return execFileSync(cli, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch {
    return `unknown (${cli})`;
  }
}

export function machineInfo(): MachineInfo {
  return {
    cores: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    temporalCli: cliVersion(),
    temporalTestServer: TEMPORAL_TEST_SERVER_VERSION,
    temporalSdk: sdkVersion(),
  };
}

/** The 1, 5 and 15 minute load averages (as `uptime` prints them): how busy the machine was. */
export function loadAverage(): number[] {
  return os.loadavg().map((x) => Math.round(x * 100) / 100);
}
