/**
 * npm run bench:files: the evidence files part of `npm run bench` alone (bench/files-run.ts), with
 * its table, its target and the machine; writes bench/results/files-<time>.json.
 *   FILE_MB=50   the file's size;  BOUND_FACTOR=4   the larger file's multiple
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../config/temporal-toolchain';
import { runEvidenceFiles } from './files-run';
import { loadAverage, machineInfo } from './machine';
import { filesTable, filesTarget } from './report';

async function main(): Promise<void> {
  const files = await runEvidenceFiles({ fileMb: Number(process.env.FILE_MB ?? 50), boundFactor: Number(process.env.BOUND_FACTOR ?? 4), log: (msg) => process.stderr.write(`${msg}\n`) });
  const result = { at: new Date().toISOString(), machine: machineInfo(), loadAverage: loadAverage(), files, target: filesTarget(files) };
  const m = result.machine;
  console.log(`machine: ${m.cores} cores, ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}; load ${result.loadAverage.map((l) => l.toFixed(1)).join(' ')}`);
  console.log([...filesTable(files), `target: ${result.target.target}: ${result.target.met ? 'met' : 'MISSED'} (${result.target.value})`].join('\n'));
  const out = path.join(PROJECT_ROOT, 'bench', 'results', `files-${result.at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`written: ${path.relative(PROJECT_ROOT, out)}`);
  if (!result.target.met) process.exitCode = 1;
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
