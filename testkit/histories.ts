/**
 * Saves entry histories for the replay tests, only when UEP_CAPTURE_HISTORIES names the
 * generation (e.g. UEP_CAPTURE_HISTORIES=v3): files are `<generation>-<name>.json`. A new
 * generation is added beside the old ones after a patched() change; old ones are never replaced.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const HISTORIES_DIR = path.resolve(__dirname, '../test/replay/histories');

export async function captureHistory(handle: WorkflowHandle, name: string): Promise<void> {
  const generation = process.env.UEP_CAPTURE_HISTORIES;
  if (!generation) return;
  const history = await handle.fetchHistory();
  mkdirSync(HISTORIES_DIR, { recursive: true });
  writeFileSync(path.join(HISTORIES_DIR, `${generation}-${name}.json`), historyToJSON(history));
}
