/**
 * A time-skipped entry with the real notification activities: each mandate reminder reaches a
 * real SMTP server when its day comes, not before, once.
 */
import { entryIdFor } from '../../domain';
import { startEntryWorkflow } from '../../testkit/entry-driver';
import { terminateWhenIdle, uniquePartyId, uniqueTaskQueue } from '../../testkit/temporal';
import { SECAS_MAIL } from './fixtures';
import { startedByOps, useMailSuite } from './mail-suite';

const DAY = 86_400_000;
const HOUR = 3_600_000;

const suite = useMailSuite();

test('mandate reminders arrive by email on their days, each once', async () => {
  const taskQueue = uniqueTaskQueue('mail');
  const partyId = uniquePartyId('MAIL');
  const worker = await suite.mailingWorker(taskQueue);
  const t0 = await suite.env.currentTimeMs();
  const deadline = new Date(t0 + 40 * DAY).toISOString().slice(0, 10);
  const dueMs = (k: number) => Date.parse(`${deadline}T09:00:00Z`) - k * DAY;
  const reminderId = (k: number) => `${entryIdFor(partyId)}:MANDATE_REMINDER:d${k}:v1`;

  await worker.runUntil(async () => {
    const handle = await startEntryWorkflow(suite.env.client, taskQueue, startedByOps(partyId, 'Mailed Energy Ltd', { name: 'Mo Contact', email: 'mo@mailed.example' }, { mandateDeadline: deadline }));
    try {
      for (const k of [30, 14, 7]) {
        // An hour before the reminder is due: nothing yet. Two hours later: there, to both recipients.
        await suite.env.sleep(dueMs(k) - HOUR - (await suite.env.currentTimeMs()));
        expect(suite.smtp.forNotification(reminderId(k))).toEqual([]);
        await suite.env.sleep(2 * HOUR);
        const mails = await suite.smtp.waitFor((m) => m.notificationId === reminderId(k), { count: 2, timeoutMs: 15_000 });
        expect(mails.flatMap((m) => m.envelopeTo).sort()).toEqual(['mo@mailed.example', SECAS_MAIL]);
        expect(mails[0]!.subject).toContain(`${k} days`);
        expect(mails[0]!.attachments.some((a) => a.contentType.startsWith('text/calendar'))).toBe(true);
      }
    } finally {
      await terminateWhenIdle(handle);
    }
  });
  // One message per reminder and recipient, and no copy of any.
  const reminders = suite.smtp.messages.filter((m) => m.notificationId?.includes(':MANDATE_REMINDER:'));
  const expected = [30, 14, 7].flatMap((k) => [`${reminderId(k)} mo@mailed.example`, `${reminderId(k)} ${SECAS_MAIL}`]);
  expect(reminders.map((m) => `${m.notificationId} ${m.envelopeTo.join(',')}`).sort()).toEqual(expected.sort());
  expect(suite.smtp.duplicates()).toEqual([]);
});
