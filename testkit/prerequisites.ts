/**
 * What the tests and the bench need of the machine beyond `npm ci`: Debian's chromium (the
 * console's end-to-end tests and benchmark), PostgreSQL's server binaries on PATH (the record's
 * tests on a real server, the cluster), Java 21+ and Maven (Keycloak, the sign-in tests' IdP,
 * fetched from Maven Central once) and Go (promtool for the alert rules' tests, built once).
 * `.ci/run` installs them; elsewhere `npm test` and `npm run bench` check them first and say what
 * is missing and how to get it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { keycloakHome, keycloakJavaHome, KEYCLOAK_VERSION } from './keycloak';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where Debian installs PostgreSQL's server binaries: off PATH. */
const DEBIAN_PG_ROOT = '/usr/lib/postgresql';

export type Prerequisite = 'chromium' | 'postgresql' | 'keycloak' | 'go';

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
  /** A JDK recent enough for Keycloak, or undefined. */
  javaForKeycloak(): string | undefined;
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
  javaForKeycloak: () => {
    try {
      return keycloakJavaHome();
    } catch {
      return undefined;
    }
  },
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
  if (needed.includes('keycloak')) {
    const lacking: string[] = [];
    if (!machine.javaForKeycloak()) lacking.push('Java 21 or newer under /usr/lib/jvm (Debian/Ubuntu: sudo apt-get install openjdk-21-jdk-headless), or KEYCLOAK_JAVA_HOME naming one');
    const fetched = machine.exists(path.join(keycloakHome(), 'bin', 'kc.sh'));
    if (!fetched && !machine.runs('mvn', ['--version'])) lacking.push('Maven, to fetch it from Maven Central once (sudo apt-get install maven)');
    if (lacking.length > 0) missing.push({ what: 'keycloak', advice: `Keycloak ${KEYCLOAK_VERSION} (the sign-in tests' identity provider) needs ${lacking.join(', and ')}.` });
  }
  if (needed.includes('go') && !machine.runs('go', ['version'])) {
    missing.push({ what: 'go', advice: 'Go is not on PATH: promtool (the alert rules\' tests) is built once from the Prometheus source with it (Debian/Ubuntu: sudo apt-get install golang).' });
  }
  return missing;
}

/** The message a person reads when something is missing: one line each, then how CI gets them. */
export function describeMissing(missing: readonly Missing[], forWhat: string): string {
  return [`${forWhat} needs what this machine does not have:`, ...missing.map((m) => `  - ${m.advice}`), 'bash .ci/run installs them (as root) and runs every check CI runs.'].join('\n');
}
