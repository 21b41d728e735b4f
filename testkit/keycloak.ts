/**
 * Keycloak, the identity provider the sign-in tests run against: the pinned distribution from Maven
 * Central (org.keycloak:keycloak-quarkus-dist) unpacked once into the shared cache, started in dev
 * mode on loopback with the realm of deploy/keycloak/uep-realm.json imported. Starting it takes tens
 * of seconds on a loaded machine: a test run starts it once (test/api/sign-in.test.ts).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './ports';

export const KEYCLOAK_VERSION = '26.4.7';
export const KEYCLOAK_REALM = 'uep';
/** The master realm's admin of a test Keycloak (dev mode, loopback only): tests rotate keys with it. */
export const KEYCLOAK_TEST_ADMIN = { username: 'admin', password: 'uep-test-admin' };
export const KEYCLOAK_REALM_FILE = path.resolve(__dirname, '..', 'deploy', 'keycloak', 'uep-realm.json');
/** Keycloak 26 needs Java 21 or later; a machine's default java may be older. */
const JAVA_MIN = 21;

/** KEYCLOAK_JAVA_HOME, else the newest JDK under /usr/lib/jvm that is recent enough (by its release file). */
export function keycloakJavaHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KEYCLOAK_JAVA_HOME) return env.KEYCLOAK_JAVA_HOME;
  const jvms = existsSync('/usr/lib/jvm') ? readdirSync('/usr/lib/jvm') : [];
  const versions = jvms.flatMap((dir) => {
    const release = path.join('/usr/lib/jvm', dir, 'release');
    const major = existsSync(release) ? Number(/JAVA_VERSION="(\d+)/.exec(readFileSync(release, 'utf8'))?.[1]) : NaN;
    return major >= JAVA_MIN ? [{ home: path.join('/usr/lib/jvm', dir), major }] : [];
  });
  const newest = versions.sort((a, b) => b.major - a.major)[0];
  if (!newest) throw new Error(`Keycloak ${KEYCLOAK_VERSION} needs Java ${JAVA_MIN}+: install a JDK under /usr/lib/jvm or set KEYCLOAK_JAVA_HOME`);
  return newest.home;
}

export function keycloakHome(env: NodeJS.ProcessEnv = process.env): string {
  const root = env.UEP_CACHE_DIR ?? path.join(env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'uep-engine');
  return path.join(root, `keycloak-${KEYCLOAK_VERSION}`);
}

/** The unpacked distribution, fetched through Maven (which checks Central's checksums) when missing. */
export function ensureKeycloak(): string {
  const home = keycloakHome();
  if (existsSync(path.join(home, 'bin', 'kc.sh'))) return home;
  const work = mkdtempSync(path.join(tmpdir(), 'uep-keycloak-'));
  try {
    execFileSync(
      'mvn',
      ['-q', '-B', 'dependency:copy', `-Dartifact=org.keycloak:keycloak-quarkus-dist:${KEYCLOAK_VERSION}:zip`, `-DoutputDirectory=${work}`],
      { stdio: ['ignore', 'inherit', 'inherit'], cwd: work },
    );
    execFileSync('unzip', ['-q', path.join(work, `keycloak-quarkus-dist-${KEYCLOAK_VERSION}.zip`), '-d', work], { stdio: 'inherit' });
    const unpacked = readdirSync(work).find((f) => f.startsWith('keycloak-') && !f.endsWith('.zip'));
    if (!unpacked) throw new Error(`the Keycloak ${KEYCLOAK_VERSION} zip held no keycloak-* folder`);
    mkdirSync(path.dirname(home), { recursive: true });
    renameSync(path.join(work, unpacked), home);
    return home;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export interface RunningKeycloak {
  url: string;
  issuer: string;
  /** Undefined for a Keycloak this process did not start. */
  process: ChildProcess | undefined;
  startedInMs: number;
  stop(): Promise<void>;
}

/** Starts Keycloak in dev mode with the repo's realm; resolves when the realm's discovery answers. */
export async function startKeycloak(port: number, opts: { timeoutMs?: number } = {}): Promise<RunningKeycloak> {
  const home = ensureKeycloak();
  const data = mkdtempSync(path.join(tmpdir(), 'uep-keycloak-data-'));
  // --import-realm reads the distribution's data/import folder (a realm already there is kept)
  const importDir = path.join(home, 'data', 'import');
  mkdirSync(importDir, { recursive: true });
  // written aside, then renamed into place: a Keycloak starting beside this one never reads half a file
  const staged = path.join(home, 'data', `.uep-realm-${process.pid}-${port}.json`); // outside the folder Keycloak reads
  copyFileSync(KEYCLOAK_REALM_FILE, staged);
  renameSync(staged, path.join(importDir, 'uep-realm.json'));
  const started = Date.now();
  const child = spawn(
    path.join(home, 'bin', 'kc.sh'),
    ['start-dev', '--http-port', String(port), '--http-host', '127.0.0.1', '--import-realm', `--http-management-port=0`],
    {
      env: {
        ...process.env,
        JAVA_HOME: keycloakJavaHome(),
        // its own data folder: parallel runs never share an H2 database
        KC_DB_URL: `jdbc:h2:file:${path.join(data, 'keycloakdb')};NON_KEYWORDS=VALUE`,
        KC_LOG_LEVEL: 'warn',
        KC_BOOTSTRAP_ADMIN_USERNAME: KEYCLOAK_TEST_ADMIN.username,
        KC_BOOTSTRAP_ADMIN_PASSWORD: KEYCLOAK_TEST_ADMIN.password,
        KC_HEALTH_ENABLED: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const issuer = `${url}/realms/${KEYCLOAK_REALM}`;
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    }
    rmSync(data, { recursive: true, force: true });
  };
  const deadline = started + (opts.timeoutMs ?? 240_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Keycloak exited (${child.exitCode}) before it answered:\n${output}`);
    const ok = await fetch(`${issuer}/.well-known/openid-configuration`).then((r) => r.ok, () => false);
    if (ok) return { url, issuer, process: child, startedInMs: Date.now() - started, stop };
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error(`Keycloak did not answer within ${opts.timeoutMs ?? 240_000} ms:\n${output}`);
}

/**
 * The Keycloak a test file signs in at: a fresh one on a free port, or the one already running at
 * UEP_TEST_KEYCLOAK_URL (started with the same realm, e.g. by a previous `startKeycloak`), which
 * saves its start while working on the tests.
 */
export async function keycloakForTests(): Promise<RunningKeycloak> {
  const given = process.env.UEP_TEST_KEYCLOAK_URL;
  if (!given) return startKeycloak(await freePort());
  const url = given.replace(/\/$/, '');
  return { url, issuer: `${url}/realms/${KEYCLOAK_REALM}`, process: undefined, startedInMs: 0, stop: async () => undefined };
}

/** Gives the realm a new signing key, preferred from now on (a key rotation at the IdP); returns its kid. */
export async function rotateRealmKey(kc: Pick<RunningKeycloak, 'url'>): Promise<string> {
  const login = await fetch(`${kc.url}/realms/master/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'password', client_id: 'admin-cli', ...KEYCLOAK_TEST_ADMIN }),
  });
  const { access_token: admin } = (await login.json()) as { access_token: string };
  const headers = { authorization: `Bearer ${admin}`, 'content-type': 'application/json' };
  const realm = (await (await fetch(`${kc.url}/admin/realms/${KEYCLOAK_REALM}`, { headers })).json()) as { id: string };
  const added = await fetch(`${kc.url}/admin/realms/${KEYCLOAK_REALM}/components`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      name: `rotated-${Date.now()}`,
      providerId: 'rsa-generated',
      providerType: 'org.keycloak.keys.KeyProvider',
      parentId: realm.id,
      config: { priority: [String(1000 + (Date.now() % 100_000))], keySize: ['2048'], active: ['true'], enabled: ['true'], algorithm: ['RS256'] },
    }),
  });
  if (added.status !== 201) throw new Error(`Keycloak refused the new key: ${added.status} ${await added.text()}`);
  const keys = (await (await fetch(`${kc.url}/admin/realms/${KEYCLOAK_REALM}/keys`, { headers })).json()) as { active: Record<string, string> };
  const kid = keys.active.RS256;
  if (!kid) throw new Error('the realm has no active RS256 key');
  return kid;
}
