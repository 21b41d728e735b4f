/** Saves entry histories for the replay tests (only when UEP_CAPTURE_HISTORIES=1). */
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const HISTORIES_DIR = path.resolve(__dirname, '../replay/histories');

export async function captureHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (process.env.UEP_CAPTURE_HISTORIES !== '1') return;
  const history = await handle.fetchHistory();
  mkdirSync(HISTORIES_DIR, { recursive: true });
  writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), historyToJSON(history));
}
