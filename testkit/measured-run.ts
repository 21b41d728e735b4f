/**
 * A long measurement in phases (the bench) that keeps what it has measured: each phase's figures
 * are kept as they come, and when a later phase fails, what the earlier ones measured is written
 * out, with the phase that failed and why, before the failure goes on.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Failure {
  phase: string;
  error: string;
}

export class MeasuredRun<R extends object> {
  private current = 'set-up';
  readonly measured: Partial<R> = {};

  constructor(private readonly log: (msg: string) => void = () => undefined) {}

  /** Runs one phase; what it answers is its own to keep (keep()). */
  async phase<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.current = name;
    this.log(name);
    return fn();
  }

  keep(figures: Partial<R>): void {
    Object.assign(this.measured, figures);
  }

  /**
   * Runs the whole measurement; when it fails, writes what was measured so far to `partialPath`
   * (as `{ ...measured, failed: { phase, error } }`), says where, and fails with the same error.
   */
  async run(body: () => Promise<void>, partialPath: () => string): Promise<void> {
    try {
      await body();
    } catch (err) {
      const failed: Failure = { phase: this.current, error: err instanceof Error ? err.message : String(err) };
      const out = partialPath();
      mkdirSync(path.dirname(out), { recursive: true });
      writeFileSync(out, JSON.stringify({ ...this.measured, failed }, null, 2));
      this.log(`the ${failed.phase} phase failed: wrote what was measured before it to ${path.relative(process.cwd(), out)}`);
      throw err;
    }
  }
}
