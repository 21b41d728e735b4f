/**
 * What `npm test` and `npm run bench` need of the machine is checked before they start, and said
 * in words with how to get it; a measurement whose later phase fails keeps what it measured.
 */
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MeasuredRun } from '../../testkit/measured-run';
import { CHROMIUM_PATH, describeMissing, missingPrerequisites, type Machine } from '../../testkit/prerequisites';

const machine = (over: Partial<Machine>): Machine => ({ exists: () => true, runs: () => true, debianPgBins: () => [], javaForKeycloak: () => '/usr/lib/jvm/jdk-25', ...over });

describe('prerequisites', () => {
  test('nothing missing: nothing said', () => {
    expect(missingPrerequisites(['chromium', 'postgresql'], machine({}))).toEqual([]);
  });

  test('no chromium: where it was looked for and how to get it', () => {
    const missing = missingPrerequisites(['chromium', 'postgresql'], machine({ exists: (f) => f !== CHROMIUM_PATH }));
    expect(missing.map((m) => m.what)).toEqual(['chromium']);
    expect(missing[0]!.advice).toContain(CHROMIUM_PATH);
    expect(missing[0]!.advice).toContain('apt-get install chromium');
    expect(missing[0]!.advice).toContain('CHROMIUM_PATH');
  });

  test("PostgreSQL installed off PATH (Debian's way): the line that puts it on PATH", () => {
    const missing = missingPrerequisites(['postgresql'], machine({ runs: () => false, debianPgBins: () => ['/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/17/bin'] }));
    expect(missing.map((m) => m.advice)).toEqual([expect.stringContaining('export PATH=/usr/lib/postgresql/17/bin:$PATH')]);
  });

  test('PostgreSQL not installed: how to install it; a check not asked for is not made', () => {
    const none = machine({ runs: () => false, exists: () => false });
    expect(missingPrerequisites(['postgresql'], none).map((m) => m.advice)).toEqual([expect.stringContaining('apt-get install postgresql')]);
    expect(missingPrerequisites([], none)).toEqual([]);
    const message = describeMissing(missingPrerequisites(['chromium', 'postgresql'], none), 'npm test');
    expect(message.split('\n')).toEqual([
      'npm test needs what this machine does not have:',
      expect.stringContaining('chromium'),
      expect.stringContaining('PostgreSQL'),
      expect.stringContaining('.ci/run'),
    ]);
  });
});

describe('what the sign-in and alert tests need', () => {
  test('no JDK 21+: Keycloak cannot run, and how to get one', () => {
    const missing = missingPrerequisites(['keycloak'], machine({ javaForKeycloak: () => undefined }));
    expect(missing.map((m) => m.what)).toEqual(['keycloak']);
    expect(missing[0]!.advice).toContain('Java 21 or newer');
    expect(missing[0]!.advice).toContain('KEYCLOAK_JAVA_HOME');
    expect(missing[0]!.advice).not.toContain('Maven');
  });

  test('Keycloak not fetched yet and no Maven: Maven asked for; once fetched, Maven is not needed', () => {
    const noMaven = (command: string) => command !== 'mvn';
    expect(missingPrerequisites(['keycloak'], machine({ exists: () => false, runs: noMaven })).map((m) => m.advice)).toEqual([expect.stringContaining('sudo apt-get install maven')]);
    expect(missingPrerequisites(['keycloak'], machine({ exists: () => true, runs: noMaven }))).toEqual([]);
  });

  test('no Go: promtool cannot be built, and how to get Go', () => {
    expect(missingPrerequisites(['go'], machine({ runs: (command) => command !== 'go' })).map((m) => m.advice)).toEqual([expect.stringContaining('apt-get install golang')]);
    expect(missingPrerequisites(['go'], machine({}))).toEqual([]);
  });
});

describe('a measurement in phases', () => {
  test('a later phase that fails leaves what the earlier phases measured, with the phase and why', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'uep-measured-')), 'results', 'run-partial.json');
    const run = new MeasuredRun<{ floor: number; engine: number; console: number }>();
    await expect(
      run.run(async () => {
        run.keep({ floor: await run.phase('floor', async () => 12) });
        run.keep({ engine: await run.phase('engine', async () => 34) });
        await run.phase('console', async () => {
          throw new Error('chromium is not at /usr/bin/chromium');
        });
      }, () => out),
    ).rejects.toThrow('chromium is not at /usr/bin/chromium');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({ floor: 12, engine: 34, failed: { phase: 'console', error: 'chromium is not at /usr/bin/chromium' } });
  });

  test('a run that succeeds writes no partial result', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'uep-measured-')), 'run-partial.json');
    const run = new MeasuredRun<{ floor: number }>();
    await run.run(async () => run.keep({ floor: await run.phase('floor', async () => 1) }), () => out);
    expect(existsSync(out)).toBe(false);
  });
});
