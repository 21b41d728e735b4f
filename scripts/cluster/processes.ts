/**
 * Child processes of the cluster: each one's output goes to its own log file, it dies with this
 * process (prctl PDEATHSIG through setpriv, so a crashed test leaves nothing behind), and it can
 * be stopped gracefully or SIGKILLed like a crash. Each runs in its own process group, so a
 * terminal's Ctrl-C reaches only the script, which stops them in order.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';

export interface ServiceProcess {
  name: string;
  pid: number;
  child: ChildProcess;
  exited: Promise<number | NodeJS.Signals | null>;
  alive(): boolean;
  /** Sends signal, waits for the exit (SIGKILL after graceMs). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

/** Root runs PostgreSQL (which refuses root) as this unprivileged user. */
export const UNPRIVILEGED_USER = { name: 'nobody', group: 'nogroup' };
export const isRoot = () => process.getuid?.() === 0;

/** setpriv: no extra process in between (the child's pid is the program's own). */
function wrapped(command: string, args: string[], asUnprivileged: boolean): [string, string[]] {
  const ids = asUnprivileged && isRoot() ? ['--reuid', UNPRIVILEGED_USER.name, '--regid', UNPRIVILEGED_USER.group, '--clear-groups'] : [];
  return ['setpriv', [...ids, '--pdeathsig', 'KILL', command, ...args]];
}

export function startProcess(opts: { name: string; command: string; args: string[]; logFile: string; env?: NodeJS.ProcessEnv; cwd?: string; unprivileged?: boolean }): ServiceProcess {
  const fd = openSync(opts.logFile, 'a');
  const [command, args] = wrapped(opts.command, opts.args, opts.unprivileged ?? false);
  const child = spawn(command, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${opts.name}`);
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    name: opts.name,
    pid: child.pid,
    child,
    exited,
    alive,
    async stop(signal = 'SIGTERM', graceMs = 30_000) {
      if (!alive()) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a command to completion; its output is returned, or thrown with the command when it fails. */
export function runToEnd(command: string, args: string[], opts: { env?: NodeJS.ProcessEnv; unprivileged?: boolean; input?: string } = {}): string {
  const [cmd, argv] = wrapped(command, args, opts.unprivileged ?? false);
  const result = spawnSync(cmd, argv, { env: { ...process.env, ...opts.env }, encoding: 'utf8', input: opts.input ?? '' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
  return result.stdout + result.stderr;
}
