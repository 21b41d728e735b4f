/**
 * The daily digest, started by the Temporal Schedule `uep-notice-digest` at DIGEST_TIME in
 * DIGEST_TIME_ZONE (worker/digest-schedule.ts): who chose the digest, then one workflow per person
 * whose id names the person and the day. Temporal refuses a second workflow with that id, and the
 * record keeps which digests went out, so a person gets one digest a day however often the
 * schedule's run is retried or triggered by hand.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/common';
import { ParentClosePolicy, proxyActivities, startChild } from '@temporalio/workflow';
import { DIGEST_ACTIVITY_OPTIONS, RECONCILE_ACTIVITY_OPTIONS, type DigestActivities, type DigestRecipient, type DigestReport } from '../activities/types';

const { digestRecipients } = proxyActivities<DigestActivities>(RECONCILE_ACTIVITY_OPTIONS);
const { sendNoticeDigest } = proxyActivities<DigestActivities>(DIGEST_ACTIVITY_OPTIONS);

/** `uep-digest:2026-12-08:DCC:dana`: one per person and day. */
export const personDigestWorkflowId = (day: string, person: DigestRecipient) => `uep-digest:${day}:${person.body}:${person.id}`;

export interface DigestRunResult {
  day: string;
  /** The people whose digest this run started (those already started that day are not listed). */
  started: string[];
}

export async function noticeDigestWorkflow(): Promise<DigestRunResult> {
  // the workflow's clock is the instant its first task ran: the same on every replay and retry
  const { day, people } = await digestRecipients(Date.now());
  const started: string[] = [];
  for (const person of people) {
    const workflowId = personDigestWorkflowId(day, person);
    try {
      await startChild(personDigestWorkflow, {
        workflowId,
        args: [person, day],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
      started.push(workflowId);
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
  return { day, started };
}

/** One person's digest of one day. */
export async function personDigestWorkflow(person: DigestRecipient, day: string): Promise<DigestReport> {
  return sendNoticeDigest(person, day);
}
