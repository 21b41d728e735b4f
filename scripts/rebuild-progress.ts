/**
 * The recovery command's progress: a bar (cli-progress) on a terminal, plain lines otherwise (logs,
 * CI, a pipe), one every `every` entries and at the end.
 */
import { Presets, SingleBar } from 'cli-progress';
import type { EntryOutcome } from '../worker/rebuild';

export interface Progress {
  listed(total: number): void;
  entry(outcome: EntryOutcome): void;
  stop(): void;
}

export function rebuildProgress(stream: NodeJS.WriteStream, every = 100): Progress {
  return stream.isTTY ? barProgress(stream) : lineProgress(stream, every);
}

function barProgress(stream: NodeJS.WriteStream): Progress {
  const bar = new SingleBar({ stream, format: 'rebuilding the record [{bar}] {value}/{total} entries | {percentage}% | ETA {eta_formatted}', hideCursor: true }, Presets.shades_classic);
  let started = false;
  return {
    listed(total) {
      bar.start(total, 0);
      started = true;
    },
    entry() {
      bar.increment();
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}

function lineProgress(stream: NodeJS.WriteStream, every: number): Progress {
  let total = 0;
  let done = 0;
  return {
    listed(n) {
      total = n;
      stream.write(`rebuilding the record: ${total} entries in Temporal's visibility\n`);
    },
    entry(outcome) {
      done++;
      if (outcome.outcome === 'skipped') stream.write(`skipped ${outcome.entryId}: ${outcome.reason}\n`);
      if (done % every === 0 || done === total) stream.write(`progress: ${done}/${total} entries\n`);
    },
    stop() {},
  };
}
