/**
 * npm run bench:files: a 50 MiB evidence file attached through the API process (as deployed, on a
 * real PostgreSQL record) and downloaded again, with the API's resident memory sampled every 20 ms
 * throughout. The target (issue 26): the API's RSS grows by less than 30 MiB, because the file
 * streams through in chunks and is never held whole. Prints a table and writes
 * bench/results/files-<time>.json with the machine it ran on.
 *   FILE_MB=50   the file's size
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../config/temporal-toolchain';
import { startEntry } from '../domain';
import { projectionOf } from '../domain/projection';
import { migrateRecord, openRecord } from '../record/db';
import { writeProjection } from '../record/write';
import { startRealPostgres } from '../testkit/postgres';
import { readRssBytes } from '../testkit/proc-stats';
import { startDevServer } from '../testkit/temporal';
import { startApiProcess } from './api-process';
import { loadAverage, machineInfo } from './machine';

const MIB = 1024 * 1024;
const FILE_MB = Number(process.env.FILE_MB ?? 50);
const TARGET_RSS_GROWTH_MIB = 30;
const PARTY = 'BENCH-FILES';

/** The API's RSS, sampled until stopped: the highest seen. */
function sampleRss(pid: number): { stop: () => number } {
  let peak = readRssBytes(pid) ?? 0;
  const timer = setInterval(() => (peak = Math.max(peak, readRssBytes(pid) ?? 0)), 20);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, readRssBytes(pid) ?? 0);
    },
  };
}

/** The file, made one MiB at a time: a PDF's start, then random bytes. */
function fileOf(mb: number): Buffer {
  return Buffer.concat([Buffer.from('%PDF-1.7\n'), ...Array.from({ length: mb }, () => randomBytes(MIB))]).subarray(0, mb * MIB);
}

async function main(): Promise<void> {
  const pg = await startRealPostgres();
  const env = await startDevServer();
  const dir = mkdtempSync(path.join(tmpdir(), 'uep-bench-files-'));
  const db = openRecord(pg.url);
  try {
    await migrateRecord(db);
    const started = startEntry({ partyId: PARTY, partyName: 'Bench Files Energy', cohort: 'SMALL_DOMESTIC_SUPPLIER', roles: ['IMPORT_SUPPLIER'], uepContact: { name: 'Ben', email: 'ben@files.example' }, startedBy: { body: 'OPS', id: 'bench' } }, Date.now());
    await writeProjection(db, projectionOf(started.state, { chainId: 'bench-files', runId: 'bench-files' }, Date.now(), started.state.audit, []));
    const api = await startApiProcess({ address: env.address, taskQueue: 'bench-files', namespace: 'default', rpcTimeoutMs: 5_000, partyIds: [PARTY], dir, recordUrl: pg.url });
    try {
      const token = api.tokenFor('PARTY', PARTY);
      const upload = (content: Buffer) =>
        fetch(`${api.baseUrl}/v1/entries/${PARTY}/files?stage=SECURITY_FIELDWORK&name=bench.pdf`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf' }, body: content });
      // warm: every code path loaded before the baseline is read
      const warm = await upload(fileOf(1));
      if (warm.status !== 201) throw new Error(`warm-up upload: ${warm.status} ${await warm.text()}`);
      await new Promise((resolve) => setTimeout(resolve, 500));

      const content = fileOf(FILE_MB);
      const sha256 = createHash('sha256').update(content).digest('hex');
      const baseline = readRssBytes(api.pid) ?? 0;
      const upSampler = sampleRss(api.pid);
      const upStart = performance.now();
      const res = await upload(content);
      const upMs = performance.now() - upStart;
      const upPeak = upSampler.stop();
      const kept = (await res.json()) as { id: string; sha256: string };
      if (res.status !== 201 || kept.sha256 !== sha256) throw new Error(`upload: ${res.status} ${JSON.stringify(kept)}`);

      const downSampler = sampleRss(api.pid);
      const downStart = performance.now();
      const down = await fetch(`${api.baseUrl}/v1/entries/${PARTY}/files/${kept.id}`, { headers: { authorization: `Bearer ${api.tokenFor('DCC')}` } });
      const hash = createHash('sha256');
      let bytes = 0;
      for await (const chunk of down.body as unknown as AsyncIterable<Uint8Array>) {
        hash.update(chunk);
        bytes += chunk.length;
      }
      const downMs = performance.now() - downStart;
      const downPeak = downSampler.stop();
      if (bytes !== content.length || hash.digest('hex') !== sha256) throw new Error('download: not the file that was attached');

      const growthMiB = (Math.max(upPeak, downPeak) - baseline) / MIB;
      const result = {
        at: new Date().toISOString(),
        machine: machineInfo(),
        loadAverage: loadAverage(),
        fileMiB: FILE_MB,
        api: { baselineRssMiB: baseline / MIB, uploadPeakRssMiB: upPeak / MIB, downloadPeakRssMiB: downPeak / MIB, rssGrowthMiB: growthMiB },
        upload: { ms: upMs, mibPerS: FILE_MB / (upMs / 1000) },
        download: { ms: downMs, mibPerS: FILE_MB / (downMs / 1000) },
        target: { rssGrowthMiBBelow: TARGET_RSS_GROWTH_MIB, met: growthMiB < TARGET_RSS_GROWTH_MIB },
      };
      const m = result.machine;
      console.log(`machine: ${m.cores} cores, ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}; load ${result.loadAverage.map((l) => l.toFixed(1)).join(' ')}`);
      console.log(`| ${FILE_MB} MiB evidence file | time | MiB/s | API peak RSS (MiB) |`);
      console.log('|---|---|---|---|');
      console.log(`| upload (201, SHA-256 checked) | ${upMs.toFixed(0)} ms | ${result.upload.mibPerS.toFixed(1)} | ${(upPeak / MIB).toFixed(1)} |`);
      console.log(`| download (byte for byte) | ${downMs.toFixed(0)} ms | ${result.download.mibPerS.toFixed(1)} | ${(downPeak / MIB).toFixed(1)} |`);
      console.log(`API RSS before: ${(baseline / MIB).toFixed(1)} MiB; growth at its peak: ${growthMiB.toFixed(1)} MiB (target < ${TARGET_RSS_GROWTH_MIB} MiB: ${result.target.met ? 'met' : 'MISSED'})`);
      const out = path.join(PROJECT_ROOT, 'bench', 'results', `files-${result.at.replace(/[:.]/g, '-')}.json`);
      writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
      console.log(`written: ${path.relative(PROJECT_ROOT, out)}`);
      if (!result.target.met) process.exitCode = 1;
    } finally {
      await api.close();
    }
  } finally {
    await db.destroy();
    await env.teardown();
    await pg.stop();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
