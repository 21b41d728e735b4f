/**
 * The evidence files part of `npm run bench` (alone: `npm run bench:files` or BENCH_ONLY=files): an
 * evidence file attached through the API process (as deployed, on a real PostgreSQL record) and
 * downloaded again, with the process's resident memory sampled every 20 ms.
 * The target (issue 26): the API's RSS grows by less than 30 MiB for a 50 MiB file, because the
 * file streams through in chunks and is never held whole. Measured in the same run:
 *   - the floor: a bare node:http server (bench/floor/file-stream-server.ts) hashing the same upload
 *     and streaming the same download from disk, i.e. what Node's own streaming costs here;
 *   - the engine with a file BOUND_FACTOR times larger: memory that does not grow with the file is
 *     the garbage collector's room, not the file held.
 * Each transfer runs in a fresh process, warmed by a 1 MiB upload and download.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
import { nodeArgs } from '../testkit/worker-process';
import { startApiProcess } from './api-process';

const MIB = 1024 * 1024;
const PARTY = 'BENCH-FILES';
const FLOOR_SERVER = path.join(__dirname, 'floor', 'file-stream-server.ts');

/** A process that keeps and serves files: the API, or the bare floor. */
interface FileService {
  pid: number;
  upload(content: Buffer): Promise<Response>;
  download(fileId: string): Promise<Response>;
  close(): Promise<void>;
}

export interface Transfer {
  service: 'floor' | 'engine';
  fileMiB: number;
  upload: { ms: number; mibPerS: number };
  download: { ms: number; mibPerS: number };
  rssBeforeMiB: number;
  uploadPeakRssMiB: number;
  downloadPeakRssMiB: number;
  rssGrowthMiB: number;
}

/** The process's RSS, sampled until stopped: the highest seen. */
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

async function hashOf(res: Response): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** Uploads `content` and downloads it again, checked byte for byte, sampling the service's RSS. */
async function transfer(service: FileService, content: Buffer): Promise<Omit<Transfer, 'service'>> {
  const roundTrip = async (file: Buffer) => {
    const res = await service.upload(file);
    const kept = (await res.json()) as { id: string; sha256: string };
    const sha256 = createHash('sha256').update(file).digest('hex');
    if (res.status !== 201 || kept.sha256 !== sha256) throw new Error(`upload: ${res.status} ${JSON.stringify(kept)}`);
    return { kept, sha256 };
  };
  // warm: every code path of both ways loaded before the baseline is read
  const warm = await roundTrip(content.subarray(0, MIB));
  await hashOf(await service.download(warm.kept.id));
  await new Promise((resolve) => setTimeout(resolve, 500));

  const before = readRssBytes(service.pid) ?? 0;
  const upSampler = sampleRss(service.pid);
  const upStart = performance.now();
  const { kept, sha256 } = await roundTrip(content);
  const upMs = performance.now() - upStart;
  const upPeak = upSampler.stop();

  const downSampler = sampleRss(service.pid);
  const downStart = performance.now();
  const down = await service.download(kept.id);
  const got = await hashOf(down);
  const downMs = performance.now() - downStart;
  const downPeak = downSampler.stop();
  if (down.status !== 200 || got.bytes !== content.length || got.sha256 !== sha256) throw new Error('download: not the file that was attached');

  const mib = content.length / MIB;
  return {
    fileMiB: mib,
    upload: { ms: upMs, mibPerS: mib / (upMs / 1000) },
    download: { ms: downMs, mibPerS: mib / (downMs / 1000) },
    rssBeforeMiB: before / MIB,
    uploadPeakRssMiB: upPeak / MIB,
    downloadPeakRssMiB: downPeak / MIB,
    rssGrowthMiB: (Math.max(upPeak, downPeak) - before) / MIB,
  };
}

/** The bare server, serving prefixes of `fileOnDisk`: a download's id is its length. */
async function startFloor(fileOnDisk: string): Promise<FileService> {
  const child = spawn(process.execPath, nodeArgs(FLOOR_SERVER), { cwd: PROJECT_ROOT, env: { ...process.env, FLOOR_FILE: fileOnDisk }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      const ready = /ready (\d+)/.exec(d.toString());
      if (ready?.[1]) resolve(ready[1]);
    });
    child.once('exit', (code) => reject(new Error(`the floor server exited (${code})`)));
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    pid: child.pid ?? 0,
    upload: async (content) => {
      const res = await fetch(base, { method: 'POST', body: content });
      // the floor keeps nothing: the download of what was sent is the same prefix of the file on disk
      const { sha256 } = (await res.json()) as { sha256: string };
      return new Response(JSON.stringify({ id: String(content.length), sha256 }), { status: res.status });
    },
    download: (fileId) => fetch(`${base}/?bytes=${fileId}`),
    close: async () => {
      child.kill();
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

export interface FilesResult {
  /** The file's size, and the larger one's multiple */
  fileMiB: number;
  boundFactor: number;
  transfers: Transfer[];
  /** The engine's RSS growth for the file, and the floor's */
  engineGrowthMiB: number;
  floorGrowthMiB: number;
  /** The engine's growth for the larger file minus its growth for the file */
  largerFileExtraMiB: number;
}

export async function runEvidenceFiles(opts: { fileMb: number; boundFactor: number; log: (msg: string) => void }): Promise<FilesResult> {
  const { fileMb, boundFactor } = opts;
  const largest = fileMb * boundFactor;
  // one file made once, a PDF's start then random bytes; each transfer sends a prefix of it
  const file = Buffer.concat([Buffer.from('%PDF-1.7\n'), ...Array.from({ length: largest }, () => randomBytes(MIB))]).subarray(0, largest * MIB);
  const dir = mkdtempSync(path.join(tmpdir(), 'uep-bench-files-'));
  const fileOnDisk = path.join(dir, 'file.pdf');
  writeFileSync(fileOnDisk, file);
  const pg = await startRealPostgres();
  const env = await startDevServer();
  const db = openRecord(pg.url);
  const transfers: Transfer[] = [];
  try {
    await migrateRecord(db);
    const started = startEntry({ partyId: PARTY, partyName: 'Bench Files Energy', cohort: 'SMALL_DOMESTIC_SUPPLIER', roles: ['IMPORT_SUPPLIER'], uepContact: { name: 'Ben', email: 'ben@files.example' }, startedBy: { body: 'OPS', id: 'bench' } }, Date.now());
    await writeProjection(db, projectionOf(started.state, { chainId: 'bench-files', runId: 'bench-files' }, Date.now(), started.state.audit, []));

    const startEngine = async (): Promise<FileService> => {
      const api = await startApiProcess({
        address: env.address,
        taskQueue: 'bench-files',
        namespace: 'default',
        rpcTimeoutMs: 5_000,
        partyIds: [PARTY],
        dir,
        recordUrl: pg.url,
        env: { EVIDENCE_FILE_MAX_MB: String(largest + 1) },
      });
      return {
        pid: api.pid,
        upload: (content) =>
          fetch(`${api.baseUrl}/v1/entries/${PARTY}/files?stage=SECURITY_FIELDWORK&name=bench.pdf`, { method: 'POST', headers: { authorization: `Bearer ${api.tokenFor('PARTY', PARTY)}`, 'content-type': 'application/pdf' }, body: content }),
        download: (fileId) => fetch(`${api.baseUrl}/v1/entries/${PARTY}/files/${fileId}`, { headers: { authorization: `Bearer ${api.tokenFor('DCC')}` } }),
        close: () => api.close(),
      };
    };
    const runs: Array<[Transfer['service'], () => Promise<FileService>, number]> = [
      ['floor', () => startFloor(fileOnDisk), fileMb],
      ['engine', startEngine, fileMb],
      ['floor', () => startFloor(fileOnDisk), largest],
      ['engine', startEngine, largest],
    ];
    for (const [service, start, mb] of runs) {
      opts.log(`files: ${service}, ${mb} MiB`);
      const running = await start();
      try {
        transfers.push({ service, ...(await transfer(running, file.subarray(0, mb * MIB))) });
      } finally {
        await running.close();
      }
    }
  } finally {
    await db.destroy();
    await env.teardown();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  const growth = (service: Transfer['service'], mb: number) => transfers.find((t) => t.service === service && t.fileMiB === mb)?.rssGrowthMiB ?? NaN;
  return {
    fileMiB: fileMb,
    boundFactor,
    transfers,
    engineGrowthMiB: growth('engine', fileMb),
    floorGrowthMiB: growth('floor', fileMb),
    largerFileExtraMiB: growth('engine', largest) - growth('engine', fileMb),
  };
}
