/**
 * What the tests and the bench need of the machine beyond `npm ci`: Debian's chromium (the
 * console's end-to-end tests and benchmark) and PostgreSQL's server binaries on PATH (the record's
 * tests on a real server, the cluster). `.ci/run` installs both; elsewhere `npm test` and
 * `npm run bench` check them first and say what is missing and how to get it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where Debian installs PostgreSQL's server binaries: off PATH. */
const DEBIAN_PG_ROOT = '/usr/lib/postgresql';

export type Prerequisite = 'chromium' | 'postgresql';

export interface Missing {
  what: Prerequisite;
  /** What it is and how to get it, in a sentence or two. */
  advice: string;
}

export interface Machine {
  exists(file: string): boolean;
  /** Whether a command runs from PATH. */
  runs(command: string, args: string[]): boolean;
  /** Debian's PostgreSQL bin folders (newest last). */
  debianPgBins(): string[];
}

export const THIS_MACHINE: Machine = {
  exists: existsSync,
  runs: (command, args) => spawnSync(command, args, { stdio: 'ignore' }).status === 0,
  debianPgBins: () =>
    existsSync(DEBIAN_PG_ROOT)
      ? readdirSync(DEBIAN_PG_ROOT)
          .sort((a, b) => Number(a) - Number(b))
          .map((v) => path.join(DEBIAN_PG_ROOT, v, 'bin'))
          .filter((bin) => existsSync(path.join(bin, 'initdb')))
      : [],
};

export function missingPrerequisites(needed: readonly Prerequisite[], machine: Machine = THIS_MACHINE): Missing[] {
  const missing: Missing[] = [];
  if (needed.includes('chromium') && !machine.exists(CHROMIUM_PATH)) {
    missing.push({
      what: 'chromium',
      advice: `chromium is not at ${CHROMIUM_PATH}: install it (Debian/Ubuntu: sudo apt-get install chromium), or set CHROMIUM_PATH to a chromium or Chrome binary.`,
    });
  }
  if (needed.includes('postgresql') && !machine.runs('initdb', ['--version'])) {
    const bin = machine.debianPgBins().at(-1);
    missing.push({
      what: 'postgresql',
      advice: bin
        ? `PostgreSQL's server binaries (initdb, pg_ctl, postgres) are installed but not on PATH: export PATH=${bin}:$PATH`
        : "PostgreSQL's server binaries (initdb, pg_ctl, postgres) are not installed: sudo apt-get install postgresql, then put them on PATH (Debian: export PATH=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1):$PATH).",
    });
  }
  return missing;
}

/** The message a person reads when something is missing: one line each, then how CI gets them. */
export function describeMissing(missing: readonly Missing[], forWhat: string): string {
  return [`${forWhat} needs what this machine does not have:`, ...missing.map((m) => `  - ${m.advice}`), 'bash .ci/run installs both (as root) and runs every check CI runs.'].join('\n');
}
