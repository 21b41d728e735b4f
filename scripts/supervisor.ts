/**
 * The child processes of `npm start` and `npm run cluster`, kept running the way a service
 * supervisor keeps them: a process that exits unasked is started again after a backoff (1 s,
 * doubling to 30 s; back to 1 s once it has stayed up a minute), and every exit and restart is
 * logged.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { PROJECT_ROOT } from '../config/temporal-toolchain';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** Where exits and restarts are reported (a pino logger is one). */
export interface SupervisorLog {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** Starts one run of the process; by default a child of this one writing to its terminal. */
export type Launch = (spec: ProcessSpec) => ChildProcess;

const inTerminal: Launch = (spec) => spawn(spec.command, spec.args, { cwd: PROJECT_ROOT, env: { ...process.env, ...spec.env }, stdio: ['ignore', 'inherit', 'inherit'] });

export interface Supervised {
  readonly name: string;
  /** The running process (a new one after each restart). */
  current(): ChildProcess;
  /** The current process has not exited (false while a restart waits out its backoff). */
  alive(): boolean;
  /** Resolves with a reason if the process exits before `markUp` is called (start-up failed). */
  readonly failedToStart: Promise<string>;
  /** From now on an exit means a restart, not a failed start. */
  markUp(): void;
  /**
   * A stop is under way (Ctrl-C reaches every process of the terminal's group at once): from now on
   * an exit is expected, restarts nothing and is no error.
   */
  expectExit(): void;
  /** `signal` (SIGTERM unless the program stops fast on another), SIGKILL after `graceMs`; no restart afterwards. */
  stop(graceMs: number, signal?: NodeJS.Signals): Promise<void>;
}

const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;
const STABLE_AFTER_MS = 60_000;

const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

function exited(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export function supervise(spec: ProcessSpec, log: SupervisorLog, start: Launch = inTerminal): Supervised {
  let child: ChildProcess;
  let up = false;
  let stopping = false;
  let backoffMs = FIRST_BACKOFF_MS;
  let restarts = 0;
  let reportFailedStart: (reason: string) => void = () => undefined;
  const failedToStart = new Promise<string>((resolve) => (reportFailedStart = resolve));

  const launch = () => {
    const startedAt = Date.now();
    child = start(spec);
    child.on('exit', (code, signal) => {
      if (stopping) return;
      const exit = signal ?? code;
      if (!up) {
        reportFailedStart(`${spec.name} exited (${String(exit)}) while starting`);
        return;
      }
      if (Date.now() - startedAt >= STABLE_AFTER_MS) backoffMs = FIRST_BACKOFF_MS;
      restarts++;
      log.error({ process: spec.name, exit, restartInMs: backoffMs, restarts }, `${spec.name} exited unexpectedly; restarting it`);
      const wait = backoffMs;
      backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
      void delay(wait).then(() => {
        if (stopping) return;
        launch();
        log.info({ process: spec.name, pid: child.pid, restarts }, `${spec.name} restarted`);
      });
    });
  };
  launch();

  return {
    name: spec.name,
    current: () => child,
    alive: () => !hasExited(child),
    failedToStart,
    markUp: () => void (up = true),
    expectExit: () => void (stopping = true),
    async stop(graceMs, signal = 'SIGTERM') {
      stopping = true;
      child.kill(signal);
      const done = await Promise.race([exited(child).then(() => true), delay(graceMs).then(() => false)]);
      if (!done) {
        child.kill('SIGKILL');
        await exited(child);
      }
    },
  };
}

/** A SupervisorLog writing plain lines ("history-1 restarted (pid 123, restarts 1)"). */
export function lineLog(write: (line: string) => void): SupervisorLog {
  const line = (fields: object, message: string) => {
    const detail = Object.entries(fields)
      .filter(([key]) => key !== 'process')
      .map(([key, value]) => `${key} ${String(value)}`);
    write(detail.length > 0 ? `${message} (${detail.join(', ')})` : message);
  };
  return { info: line, error: line };
}
