/**
 * A deliberately non-deterministic edit of the entry workflow: the same code with one extra
 * timer first. Replaying any committed history through it must fail.
 */
import { sleep } from '@temporalio/workflow';
import { entryWorkflow as current } from '../../workflows/entry-workflow';
import type { EntryWorkflowInput } from '../../workflows/messages';

export async function entryWorkflow(input: EntryWorkflowInput): ReturnType<typeof current> {
  await sleep('1 minute');
  return current(input);
}
