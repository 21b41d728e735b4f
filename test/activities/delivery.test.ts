/**
 * deliverNotification through a real Temporal dev server and worker, against a real SMTP server
 * and a real HTTP receiver on loopback: content, signatures, retries, deduplication, permanent
 * failures, and the heartbeat details that let a retry skip what was already delivered.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ActivityFailure, ApplicationFailure, type WorkflowHandle, WorkflowFailedError } from '@temporalio/client';
import type { ActivityOptions } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, type LogEntry, Runtime, Worker, bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { createActivities } from '../../activities';
import type { NotificationRoutes } from '../../activities/config';
import { createSmtpTransport } from '../../activities/email';
import type { DeliveryProgress } from '../../activities/notifications';
import { DELIVERY_STATUS, type DeliveryReport, NOTIFICATION_ERROR, TARGET_STATUS } from '../../activities/types';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { WEBHOOK_HEADER } from '../../activities/webhook-signature';
import type { Notification } from '../../domain/types';
import { BODY } from '../../domain/vocabulary';
import { TEMPORAL_CLI, serverExecutable } from '../../config/temporal-toolchain';
import { type SmtpCatcher, startSmtpCatcher } from '../../testkit/smtp-catcher';
import { type WebhookReceiver, startWebhookReceiver } from '../../testkit/webhook-receiver';
import { deliverNotificationWorkflow, deliverNotificationsWorkflow } from './deliver-workflow';
import { JO_MAIL, SECAS_MAIL, SECRET, mandateReminder } from './fixtures';

const logs: LogEntry[] = [];
try {
  Runtime.install({ logger: new DefaultLogger('INFO', (entry) => void logs.push(entry)) });
} catch {
  // a runtime is already installed in this process: log assertions are skipped
}

/** Retries in milliseconds instead of seconds, so a test sees several attempts. */
const FAST_RETRY: ActivityOptions = { retry: { initialInterval: '200 ms', backoffCoefficient: 2, maximumInterval: '1 second' } };
const MAIL_FROM = 'UEP engine <uep-engine@uep.example>';
const SAMPLES_DIR = process.env.UEP_SAMPLES_DIR;

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundle;
let smtp: SmtpCatcher;
let hook: WebhookReceiver;
const extraReceivers: WebhookReceiver[] = [];

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createLocal({ server: { executable: serverExecutable(TEMPORAL_CLI) } });
  bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('./deliver-workflow'), logger: new DefaultLogger('WARN') });
  smtp = await startSmtpCatcher();
  hook = await startWebhookReceiver({ secret: SECRET });
});

afterEach(async () => {
  smtp.clear();
  hook.clear();
  await smtp.up();
  await Promise.all(extraReceivers.splice(0).map((r) => r.stop()));
});

afterAll(async () => {
  await smtp?.stop();
  await hook?.stop();
  await env?.teardown();
});

const defaultRoutes = (): NotificationRoutes => ({
  SECAS: { email: [SECAS_MAIL], webhooks: [{ url: hook.url, secret: SECRET, name: 'secas-hook' }] },
});

interface RunOptions {
  routes?: NotificationRoutes;
  overrides?: ActivityOptions;
  targetTimeoutMs?: number;
  during?: (handle: WorkflowHandle<typeof deliverNotificationWorkflow>) => Promise<void>;
}

function deliveryWorker(taskQueue: string, opts: Pick<RunOptions, 'routes' | 'targetTimeoutMs'>): Promise<Worker> {
  return Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities: createActivities({
      notifications: {
        mailer: createSmtpTransport({ smtpUrl: smtp.url, timeoutMs: opts.targetTimeoutMs ?? 5_000, poolSize: 4 }),
        routes: opts.routes ?? defaultRoutes(),
        mailFrom: MAIL_FROM,
        links: { apiPublicUrl: 'https://uep.example/api', consolePublicUrl: 'https://uep.example/app', temporalUi: { TEMPORAL_UI_URL: 'http://127.0.0.1:8233', TEMPORAL_NAMESPACE: 'default' } },
        targetTimeoutMs: opts.targetTimeoutMs ?? 5_000,
      },
    }),
  });
}

async function run(notification: Notification, opts: RunOptions = {}): Promise<DeliveryReport> {
  const taskQueue = `notify-${randomUUID()}`;
  const worker = await deliveryWorker(taskQueue, opts);
  return worker.runUntil(async () => {
    const handle = await env.client.workflow.start(deliverNotificationWorkflow, {
      taskQueue,
      workflowId: `deliver-${randomUUID()}`,
      args: [notification, opts.overrides ?? FAST_RETRY],
    });
    await opts.during?.(handle);
    return handle.result();
  });
}

/** Polls the workflow until its pending activity has reached `attempt`. */
async function untilAttempt(handle: WorkflowHandle, attempt: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const d = await handle.describe();
    const current = d.raw.pendingActivities?.[0]?.attempt ?? 0;
    if (current >= attempt) return;
    if (Date.now() > deadline) throw new Error(`activity still at attempt ${current} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const byTarget = (report: DeliveryReport) => Object.fromEntries(report.targets.map((t) => [t.target, t]));

/** A mandate reminder whose Party contact's address the mail server refuses for good (550), the webhook answering `hookStatus`. */
async function runWithJoRefused(hookStatus: number): Promise<{ n: Notification; report: DeliveryReport }> {
  const n = mandateReminder();
  smtp.rejectRecipient(JO_MAIL);
  hook.respondWith(hookStatus);
  return { n, report: await run(n) };
}

describe('deliverNotification on a real worker', () => {
  test('a reminder reaches the contact and SECAS by email (text, HTML, .ics) and by signed webhook, once each', async () => {
    const n = mandateReminder();
    const report = await run(n);

    expect(report).toMatchObject({ notificationId: n.id, status: DELIVERY_STATUS.DELIVERED, attempts: 1 });
    expect(report.targets.map((t) => [t.target, t.status])).toEqual([
      [`email:${JO_MAIL}`, TARGET_STATUS.DELIVERED],
      [`email:${SECAS_MAIL}`, TARGET_STATUS.DELIVERED],
      [`webhook:${hook.url}`, TARGET_STATUS.DELIVERED],
    ]);

    const mails = smtp.forNotification(n.id);
    expect(mails).toHaveLength(2);
    expect(mails.map((m) => m.envelopeTo[0]).sort()).toEqual([JO_MAIL, SECAS_MAIL].sort());
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(2);
    const mail = mails.find((m) => m.envelopeTo[0] === JO_MAIL)!;
    expect(mail.messageId).toMatch(/^<uep-P\d+X-MANDATE_REMINDER-30d-v1\.[0-9a-f]{16}@uep\.example>$/);
    expect(mail.headers.to).toBe('Jo Bloggs <jo.bloggs@ambrose.example>');
    expect(mail.headers['auto-submitted']).toBe('auto-generated');
    expect(mail.subject).toBe(`[UEP] ${n.subject}`);
    expect(mail.text).toContain(`Party:    Ambrose Energy Ltd (${n.partyId})`);
    expect(mail.text).toContain('Stage:    Security assessment');
    expect(mail.text).toContain('Role:     Import supplier');
    expect(mail.text).toContain('Awaiting: the Party (Ambrose Energy Ltd)');
    expect(mail.text).toContain('Deadline: Friday 12 June 2026: 21 working days (30 calendar days) left');
    // the Party's mail links to the entry's console page: never the token-gated API, never the Temporal UI
    expect(mail.text).toContain(`https://uep.example/app/entries/${n.partyId}`);
    expect(mail.html).toContain(`<a href="https://uep.example/app/entries/${n.partyId}">Open the entry</a>`);
    expect(mail.raw).not.toContain('/v1/entries');
    expect(mail.raw).not.toContain('127.0.0.1:8233');
    expect(mail.html).toContain('Friday 12 June 2026: 21 working days (30 calendar days) left');
    expect(mail.attachments).toHaveLength(1);
    const ics = mail.attachments[0]!;
    expect(ics.filename).toBe('uep-deadline.ics');
    expect(ics.contentType).toMatch(/^text\/calendar/);
    expect(ics.body).toContain('BEGIN:VEVENT');
    expect(ics.body).toContain('DTSTART;VALUE=DATE:20260612');
    expect(ics.body).toContain('DTEND;VALUE=DATE:20260613');
    expect(ics.body).toMatch(/UID:[0-9a-f]{32}@uep-engine/);
    const unfolded = ics.body.replace(/\r?\n[ \t]/g, '');
    expect(unfolded).toContain('SUMMARY:UEP deadline: Ambrose Energy Ltd: Security assessment (Import supplier)');
    expect(unfolded).toContain(`URL;VALUE=URI:https://uep.example/app/entries/${n.partyId}`);
    expect(ics.body).toContain('METHOD:PUBLISH'); // as the part's Content-Type says
    expect(ics.body).toContain('TRIGGER:-PT15H');

    expect(hook.requests).toHaveLength(1);
    const req = hook.requests[0]!;
    expect(req.verified).toEqual({ ok: true });
    expect(req.method).toBe('POST');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers[WEBHOOK_HEADER.ID]).toBe(n.id);
    expect(req.headers[WEBHOOK_HEADER.ATTEMPT]).toBe('1');
    // a receiver verifies with the Standard Webhooks package's own verifier
    expect(new Webhook(SECRET).verify(req.rawBody, req.headers as Record<string, string>)).toEqual(req.json);
    expect(() => new Webhook(SECRET).verify(req.rawBody.replace('Ambrose', 'Ambrosia'), req.headers as Record<string, string>)).toThrow(WebhookVerificationError);
    expect(req.json).toEqual({
      id: n.id,
      type: 'uep.notification',
      kind: 'MANDATE_REMINDER',
      recipient: 'SECAS',
      entryId: n.entryId,
      party: { id: n.partyId, name: 'Ambrose Energy Ltd' },
      stage: 'SECURITY_ASSESSMENT',
      role: 'IMPORT_SUPPLIER',
      awaitedBody: 'PARTY',
      reference: null,
      deadline: '2026-06-12',
      workingDaysLeft: 21,
      calendarDaysLeft: 30,
      dueAt: n.dueAt,
      subject: n.subject,
      text: n.body,
      links: {
        entry: `https://uep.example/app/entries/${n.partyId}`,
        api: `https://uep.example/api/v1/entries/${n.partyId}`,
        temporalUi: `http://127.0.0.1:8233/namespaces/default/workflows/${n.entryId}`,
      },
    });

    if (SAMPLES_DIR) {
      mkdirSync(SAMPLES_DIR, { recursive: true });
      writeFileSync(path.join(SAMPLES_DIR, 'reminder.eml'), mail.raw);
      const head = Object.entries(req.headers).map(([k, v]) => `${k}: ${String(v)}`);
      writeFileSync(path.join(SAMPLES_DIR, 'webhook.http'), [`${req.method} ${req.path} HTTP/1.1`, ...head, '', req.rawBody].join('\n'));
    }
  });

  test('SMTP down, then up: each address gets the reminder once, and the webhook is not repeated', async () => {
    const n = mandateReminder();
    await smtp.down();
    const report = await run(n, {
      during: async (handle) => {
        await untilAttempt(handle, 3);
        await smtp.up();
      },
    });
    expect(report.status).toBe(DELIVERY_STATUS.DELIVERED);
    expect(report.attempts).toBeGreaterThanOrEqual(3);
    expect(smtp.forNotification(n.id)).toHaveLength(2);
    expect(smtp.duplicates()).toHaveLength(0);
    expect(hook.forId(n.id)).toHaveLength(1);
    const t = byTarget(report);
    expect(t[`webhook:${hook.url}`]?.attempt).toBe(1);
    expect(t[`email:${SECAS_MAIL}`]?.attempt).toBe(report.attempts);
  });

  test('a webhook answering 500 then 200 gets the same id twice, is delivered once, and the emails are not resent', async () => {
    const n = mandateReminder();
    hook.respondWith(500);
    const report = await run(n);
    expect(report).toMatchObject({ status: DELIVERY_STATUS.DELIVERED, attempts: 2 });
    const reqs = hook.forId(n.id);
    expect(reqs.map((r) => r.status)).toEqual([500, 200]);
    expect(reqs.map((r) => r.headers[WEBHOOK_HEADER.ATTEMPT])).toEqual(['1', '2']);
    expect(reqs.every((r) => r.verified?.ok)).toBe(true);
    expect(reqs.map((r) => (r.json as { id: string }).id)).toEqual([n.id, n.id]);
    expect(hook.unique()).toHaveLength(1);
    expect(smtp.forNotification(n.id)).toHaveLength(2);
    const t = byTarget(report);
    expect(t[`webhook:${hook.url}`]?.attempt).toBe(2);
    expect(t[`email:${SECAS_MAIL}`]?.attempt).toBe(1);
  });

  test('heartbeat details survive two retries on a real server: of nine targets only the failing one is retried', async () => {
    const flaky = await startWebhookReceiver({ secret: SECRET });
    extraReceivers.push(flaky);
    flaky.respondWith(500, 503);
    const emails = ['a@secas.example', 'b@secas.example', 'c@secas.example', 'ops1@uep.example', 'ops2@uep.example'];
    const routes: NotificationRoutes = {
      SECAS: {
        email: emails.slice(0, 3),
        webhooks: ['one', 'two', 'three'].map((p) => ({ url: `${hook.url}/${p}`, secret: SECRET })),
      },
      OPS: { email: emails.slice(3), webhooks: [{ url: flaky.url, secret: SECRET, name: 'flaky' }] },
    };
    const n = mandateReminder({ recipients: [{ kind: 'BODY', body: BODY.SECAS }, { kind: 'BODY', body: BODY.OPS }] });
    let recordedBetweenAttempts: DeliveryProgress | undefined;
    const report = await run(n, {
      routes,
      during: async (handle) => {
        // What the server holds for the retry: the details flushed with attempt 1's failure.
        await untilAttempt(handle, 2);
        const pending = (await handle.describe()).raw.pendingActivities?.[0];
        const payload = pending?.heartbeatDetails?.payloads?.[0];
        recordedBetweenAttempts = payload?.data ? (JSON.parse(Buffer.from(payload.data).toString('utf8')) as DeliveryProgress) : undefined;
      },
    });

    expect(Object.keys(recordedBetweenAttempts?.outcomes ?? {})).toHaveLength(8);
    expect(report).toMatchObject({ status: DELIVERY_STATUS.DELIVERED, attempts: 3 });
    expect(report.targets).toHaveLength(9);
    // Every target but the flaky one was delivered in attempt 1 and never again.
    for (const t of report.targets) expect(t.attempt).toBe(t.target === `webhook:${flaky.url}` ? 3 : 1);
    expect(smtp.forNotification(n.id).map((m) => m.envelopeTo[0]).sort()).toEqual([...emails].sort());
    expect(hook.forId(n.id).map((r) => r.path).sort()).toEqual(['/hook/one', '/hook/three', '/hook/two']);
    expect(flaky.forId(n.id).map((r) => r.status)).toEqual([500, 503, 200]);
  });

  test('permanent failures (SMTP 550, webhook 400) are recorded in the report and not retried', async () => {
    const { report } = await runWithJoRefused(400);
    expect(report).toMatchObject({ status: DELIVERY_STATUS.PARTIAL, attempts: 1 });
    const t = byTarget(report);
    expect(t[`email:${JO_MAIL}`]).toMatchObject({ status: TARGET_STATUS.FAILED_PERMANENT });
    expect(t[`email:${JO_MAIL}`]?.detail).toContain('550');
    expect(t[`webhook:${hook.url}`]).toMatchObject({ status: TARGET_STATUS.FAILED_PERMANENT, detail: expect.stringContaining('HTTP 400') as string });
    expect(t[`email:${SECAS_MAIL}`]?.status).toBe(TARGET_STATUS.DELIVERED);
    expect(smtp.rcptAttempts.filter((r) => r.address === JO_MAIL)).toHaveLength(1);
    expect(hook.requests).toHaveLength(1);
    if (logs.length) {
      expect(logs.some((l) => l.level === 'ERROR' && l.message.includes('failed permanently') && l.meta?.target === `webhook:${hook.url}`)).toBe(true);
    }
  });

  test('nothing deliverable: every target refused for good gives a FAILED report after one attempt', async () => {
    const n = mandateReminder({ recipients: [{ kind: 'PARTY_CONTACT', name: 'Nobody', email: 'not-an-address' }] });
    const report = await run(n);
    expect(report).toMatchObject({ status: DELIVERY_STATUS.FAILED, attempts: 1 });
    expect(report.targets[0]?.detail).toContain("invalid email address 'not-an-address'");
    expect(smtp.connections()).toBe(0);
  });

  test('a permanent and a transient failure together: the retry does not touch the permanently failed address', async () => {
    const { n, report } = await runWithJoRefused(502);
    expect(report).toMatchObject({ status: DELIVERY_STATUS.PARTIAL, attempts: 2 });
    expect(smtp.rcptAttempts.filter((r) => r.address === JO_MAIL)).toHaveLength(1);
    expect(smtp.forNotification(n.id)).toHaveLength(1);
    expect(hook.forId(n.id).map((r) => r.status)).toEqual([502, 200]);
  });

  test('a temporary SMTP reply (451 at DATA) is retried and the message arrives once', async () => {
    const n = mandateReminder();
    smtp.failNext(1, 451);
    const report = await run(n);
    expect(report).toMatchObject({ status: DELIVERY_STATUS.DELIVERED, attempts: 2 });
    expect(smtp.forNotification(n.id)).toHaveLength(2);
    expect(new Set(smtp.forNotification(n.id).map((m) => m.envelopeTo[0])).size).toBe(2);
  });

  test('a webhook that answers too late is retried; the receiver sees the same id twice and keeps one', async () => {
    const n = mandateReminder({ recipients: [{ kind: 'BODY', body: BODY.SECAS }] });
    hook.respondWith({ status: 200, delayMs: 1_500 });
    const report = await run(n, { targetTimeoutMs: 500 });
    expect(report).toMatchObject({ status: DELIVERY_STATUS.DELIVERED, attempts: 2 });
    await hook.waitFor((r) => r.id === n.id, { count: 2 });
    expect(hook.delivered().filter((r) => r.id === n.id)).toHaveLength(2);
    expect(hook.unique().filter((r) => r.id === n.id)).toHaveLength(1);
  });

  test('a stalled SMTP server (no greeting) times out, counts as transient, and the message arrives once', async () => {
    const n = mandateReminder({ recipients: [{ kind: 'PARTY_CONTACT', name: 'Jo Bloggs', email: JO_MAIL }] });
    smtp.stallNext(1, 2_000);
    const report = await run(n, { targetTimeoutMs: 500 });
    expect(report).toMatchObject({ status: DELIVERY_STATUS.DELIVERED, attempts: 2 });
    expect(smtp.forNotification(n.id)).toHaveLength(1);
  });

  test('a body with no route fails the attempt (NotificationUnrouted, retried); once a worker has its route the notice reaches it, the contact mailed once', async () => {
    const n = mandateReminder({ recipients: [{ kind: 'PARTY_CONTACT', name: 'Jo Bloggs', email: JO_MAIL }, { kind: 'BODY', body: BODY.DCC }] });
    const taskQueue = `notify-${randomUUID()}`;
    const handle = await env.client.workflow.start(deliverNotificationWorkflow, { taskQueue, workflowId: `deliver-${randomUUID()}`, args: [n, FAST_RETRY] });

    // The worker as misconfigured: SECAS routed, DCC not.
    const unconfigured = await deliveryWorker(taskQueue, {});
    await unconfigured.runUntil(async () => {
      await untilAttempt(handle, 2);
    });
    const pending = (await handle.describe()).raw.pendingActivities?.[0];
    expect(pending?.lastFailure?.applicationFailureInfo?.type).toBe(NOTIFICATION_ERROR.UNROUTED);
    expect(pending?.lastFailure?.message).toContain('no route configured for DCC');

    // The operator adds DCC's route and restarts the worker: the next attempt delivers to DCC only.
    const dccMail = 'uep@dcc.example';
    const configured = await deliveryWorker(taskQueue, { routes: { ...defaultRoutes(), DCC: { email: [dccMail], webhooks: [] } } });
    const report = await configured.runUntil(handle.result());
    expect(report.status).toBe(DELIVERY_STATUS.DELIVERED);
    const t = byTarget(report);
    expect(t[`email:${JO_MAIL}`]?.attempt).toBe(1);
    expect(t[`email:${dccMail}`]?.attempt).toBeGreaterThanOrEqual(2);
    expect(smtp.forNotification(n.id).map((m) => m.envelopeTo[0]).sort()).toEqual([JO_MAIL, dccMail]);
  });

  test("a step's two notifications in one activity: a webhook failing once retries only itself; each mail sent once, the reports in order", async () => {
    const first = mandateReminder({ id: `${mandateReminder().id}-first` });
    const second = mandateReminder({ id: `${mandateReminder().id}-second` });
    hook.respondWith(500); // the first webhook request, whichever notification's it is
    const taskQueue = `notify-${randomUUID()}`;
    const worker = await deliveryWorker(taskQueue, {});
    const reports = await worker.runUntil(
      env.client.workflow.execute(deliverNotificationsWorkflow, { taskQueue, workflowId: `deliver-${randomUUID()}`, args: [[first, second], FAST_RETRY] }),
    );
    expect(reports.map((r) => [r.notificationId, r.status, r.attempts])).toEqual([
      [first.id, DELIVERY_STATUS.DELIVERED, 2],
      [second.id, DELIVERY_STATUS.DELIVERED, 2],
    ]);
    for (const n of [first, second]) expect(smtp.forNotification(n.id).map((m) => m.envelopeTo[0]).sort()).toEqual([JO_MAIL, SECAS_MAIL].sort());
    const requests = [first, second].map((n) => hook.forId(n.id).map((r) => r.status));
    expect(requests.map((statuses) => statuses.join(',')).sort()).toEqual(['200', '500,200']);
    // the notification whose webhook was delivered at once is not sent again by the retry: all its targets at attempt 1
    const once = reports[requests[0]!.length === 1 ? 0 : 1]!;
    expect(once.targets.map((t) => t.attempt)).toEqual([1, 1, 1]);
  });

  test('a malformed notification fails at once with a non-retryable NotificationInvalid', async () => {
    const bad = { ...mandateReminder(), id: '' };
    const err: unknown = await run(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const activityFailure = (err as WorkflowFailedError).cause;
    expect(activityFailure).toBeInstanceOf(ActivityFailure);
    const cause = (activityFailure as ActivityFailure).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe(NOTIFICATION_ERROR.INVALID);
    expect((cause as ApplicationFailure).nonRetryable).toBe(true);
  });
});
