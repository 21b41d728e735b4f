/**
 * The outbox of notices to a person, drained by the worker: every PERSON_NOTICE_POLL_MS it reads
 * the notices not handed over yet (record/person-notices.ts) and starts, for each, the delivery
 * workflow every notice uses (noticeDeliveryWorkflow: the real mail and webhook delivery, retried)
 * with the notice's id as its workflow id. Temporal refuses a second workflow with that id and
 * the delivery stamps the notice in the record, so a notice is sent once however many workers
 * drain, and whether a drain dies before or after marking it handed over. A person on the daily
 * digest gets no mail for it (their digest lists what is assigned to them); their body's webhooks
 * still get the event. Why a poll in the worker and not a schedule: an idle look is one indexed
 * query and costs no Temporal action, and "at once" stays within seconds.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { NOTICE_CADENCE } from '../domain/person-notices';
import type { Notification } from '../domain/types';
import type { RecordDb } from '../record/db';
import { markPersonNoticeHandedOver, pendingPersonNotices, type PendingPersonNotice } from '../record/person-notices';
import { noticeDeliveryWorkflow } from '../workflows/reconcile-workflow';

const BATCH = 100;

/** The notice as delivery gets it: the person's address as the record knows it now, none for a digest reader. */
export function deliverable(p: PendingPersonNotice): Notification {
  const mailed = p.cadence === NOTICE_CADENCE.IMMEDIATE;
  return {
    ...p.notice,
    recipients: p.notice.recipients.map((r) => {
      if (r.kind !== 'PERSON') return r;
      const { email: given, ...person } = r;
      const email = mailed ? (given ?? p.email) : undefined;
      return email ? { ...person, email } : person;
    }),
  };
}

/** A person who chose to be told at once, but whose address the record does not know: the notice reaches only their body's webhooks. */
export interface Unmailable {
  notificationId: string;
  body: string;
  personId: string;
}

/**
 * One pass over the outbox: answers the ids it handed over. `onUnmailable` hears of each notice to a
 * person told at once whose address the record does not know (never quietly nothing).
 */
export async function drainPersonNotices(deps: { client: Client; db: RecordDb; taskQueue: string; now?: () => number; onUnmailable?: (u: Unmailable) => void }): Promise<string[]> {
  const now = deps.now ?? Date.now;
  const handed: string[] = [];
  for (const pending of await pendingPersonNotices(deps.db, BATCH)) {
    const notice = deliverable(pending);
    if (pending.cadence === NOTICE_CADENCE.IMMEDIATE) {
      for (const r of notice.recipients) {
        if (r.kind === 'PERSON' && !r.email) deps.onUnmailable?.({ notificationId: notice.id, body: r.body, personId: r.id });
      }
    }
    try {
      await deps.client.workflow.start(noticeDeliveryWorkflow, {
        workflowId: notice.id,
        taskQueue: deps.taskQueue,
        args: [notice],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    await markPersonNoticeHandedOver(deps.db, notice.id, pending.cadence, new Date(now()));
    handed.push(notice.id);
  }
  return handed;
}

export interface PersonNoticeDrain {
  /** Stops polling; resolves once a pass under way is done. */
  stop(): Promise<void>;
}

/** Drains the outbox every `intervalMs` until stopped; a failed pass is reported and the next one tries again. */
export function startPersonNoticeDrain(deps: { client: Client; db: RecordDb; taskQueue: string; intervalMs: number; onError: (err: unknown) => void; onUnmailable: (u: Unmailable) => void }): PersonNoticeDrain {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<void> = Promise.resolve();
  const tick = () => {
    pass = drainPersonNotices(deps)
      .then(() => undefined, deps.onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, deps.intervalMs);
      });
  };
  timer = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await pass;
    },
  };
}
