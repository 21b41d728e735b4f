/** A process's resident memory and CPU time, read from Linux's /proc (undefined once it is gone). */
import { readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_S = 100;

function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Resident set size now, in bytes. */
export const readRssBytes = (pid: number) => statusField(pid, 'VmRSS');
/** Peak resident set size so far, in bytes. */
export const readPeakRssBytes = (pid: number) => statusField(pid, 'VmHWM');

export interface ProcStat {
  comm: string;
  ppid: number;
  /** utime + stime */
  cpuMs: number;
  /** CPU of its children that have exited and been waited for (cutime + cstime) */
  childrenCpuMs: number;
}

/** A process's or a thread's `/proc/.../stat`; undefined once it is gone. */
export function readProcStat(statPath: string): ProcStat | undefined {
  let stat: string;
  try {
    stat = readFileSync(statPath, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid ...": after the comm, state is field 0, ppid 1, utime 11, stime 12, cutime 13, cstime 14
  const close = stat.lastIndexOf(') ');
  const f = stat.slice(close + 2).split(' ').map(Number);
  const ms = (ticks: number) => (ticks * 1000) / CLOCK_TICKS_PER_S;
  return { comm: stat.slice(stat.indexOf('(') + 1, close), ppid: f[1]!, cpuMs: ms(f[11]! + f[12]!), childrenCpuMs: ms(f[13]! + f[14]!) };
}

export const readCpuMs = (pid: number): number | undefined => readProcStat(`/proc/${pid}/stat`)?.cpuMs;
