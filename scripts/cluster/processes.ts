/**
 * Child processes of the cluster, started for the supervisor (scripts/supervisor.ts): each one's
 * output goes to its own log file, it dies with this process (prctl PDEATHSIG through setpriv, so
 * a crashed script or test leaves nothing behind), and it runs in its own process group, so a
 * terminal's Ctrl-C reaches only the script, which stops them in order.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import type { Launch } from '../supervisor';

/** Root runs PostgreSQL (which refuses root) as this unprivileged user. */
export const UNPRIVILEGED_USER = { name: 'nobody', group: 'nogroup' };
export const isRoot = () => process.getuid?.() === 0;

/** setpriv: no extra process in between (the child's pid is the program's own). */
function wrapped(command: string, args: string[], asUnprivileged: boolean): [string, string[]] {
  const ids = asUnprivileged && isRoot() ? ['--reuid', UNPRIVILEGED_USER.name, '--regid', UNPRIVILEGED_USER.group, '--clear-groups'] : [];
  return ['setpriv', [...ids, '--pdeathsig', 'KILL', command, ...args]];
}

/** A launch for the supervisor: each run appends its output to `logFile`. */
export function logged(logFile: string, opts: { cwd?: string; unprivileged?: boolean } = {}): Launch {
  return (spec) => {
    const fd = openSync(logFile, 'a');
    const [command, args] = wrapped(spec.command, spec.args, opts.unprivileged ?? false);
    try {
      return spawn(command, args, { cwd: opts.cwd, env: { ...process.env, ...spec.env }, stdio: ['ignore', fd, fd], detached: true });
    } finally {
      closeSync(fd);
    }
  };
}

/** Runs a command to completion; its output is returned, or thrown with the command when it fails. */
export function runToEnd(command: string, args: string[], opts: { env?: NodeJS.ProcessEnv; unprivileged?: boolean; input?: string; cwd?: string } = {}): string {
  const [cmd, argv] = wrapped(command, args, opts.unprivileged ?? false);
  const result = spawnSync(cmd, argv, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, encoding: 'utf8', input: opts.input ?? '' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
  return result.stdout + result.stderr;
}
