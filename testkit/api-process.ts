/**
 * The API as a process of its own (`node --import tsx api/server.ts`, in demo mode) on a free port,
 * for the tests that need the real entry point: its settings from the environment, its output kept
 * for diagnostics, stopped by SIGTERM as a platform would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { PROJECT_ROOT } from '../config/temporal-toolchain';
import { freePort } from './ports';
import { testRecordUrl } from './record';

export interface ApiProcess {
  child: ChildProcess;
  baseUrl: string;
  /** Output so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, and resolves once the process has exited (at once if it already has). */
  stop(): Promise<void>;
}

/** Spawns the API with `env` added to its demo settings (port, record, PATH); it is not waited for. */
export async function spawnApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/server.ts'], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', UEP_DEMO: 'true', API_PORT: String(port), RECORD_DATABASE_URL: await testRecordUrl(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return {
    child,
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
