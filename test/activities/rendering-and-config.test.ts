/**
 * The pure parts of notification delivery: webhook signature verification (the recipe of
 * docs/webhooks.md), rendering, Message-IDs, recipient resolution, configuration and the retry
 * arithmetic behind "an hour's outage delays a reminder but never loses it".
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { notificationEnvSchema, notificationSettings } from '../../activities/config';
import { classifySmtpError, notificationMessageId } from '../../activities/email';
import { emailKey, resolveTargets } from '../../activities/recipients';
import { calendarUid, daysLeft, renderHtml, renderIcs, renderText, notificationLinks, webhookPayload } from '../../activities/render';
import { NOTIFICATION_ACTIVITY_OPTIONS, NOTIFICATION_ERROR } from '../../activities/types';
import { isTransientStatus } from '../../activities/webhook';
import { createHmac } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { signWebhook, verifyWebhookSignature, webhookSecretProblem } from '../../activities/webhook-signature';
import { loadWorkerConfig } from '../../worker/config';
import { BODY } from '../../domain/vocabulary';
import { SECRET, mandateReminder } from './fixtures';

const LINKS = { apiPublicUrl: 'https://uep.example/api/', consolePublicUrl: 'https://uep.example/app/', temporalUi: { TEMPORAL_UI_URL: 'https://ui.example', TEMPORAL_NAMESPACE: 'uep' } };

describe('webhook signatures (Standard Webhooks)', () => {
  const body = JSON.stringify({ id: 'n-1', kind: 'MANDATE_REMINDER' });
  const id = 'uep-P1:MANDATE_REMINDER:d30:v1';
  const ts = Math.floor(Date.now() / 1000);
  const signature = signWebhook(SECRET, id, ts, body);
  const headers = (over: Record<string, string> = {}) => ({ 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': signature, ...over });

  test('the signature is v1,<base64 HMAC-SHA256 of id.timestamp.body> keyed with the secret bytes', () => {
    const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('base64');
    expect(signature).toBe(`v1,${expected}`);
  });

  test("the standardwebhooks package's verifier accepts it, as does verifyWebhookSignature", () => {
    expect(new Webhook(SECRET).verify(body, headers())).toEqual(JSON.parse(body));
    expect(verifyWebhookSignature({ secret: SECRET, body, headers: headers() })).toEqual({ ok: true });
    expect(verifyWebhookSignature({ secret: SECRET, body: Buffer.from(body), headers: headers() })).toEqual({ ok: true });
  });

  test.each([
    ['a changed body', { body: body.replace('n-1', 'n-2') }],
    ['another secret', { secret: 'whsec_49FPCD3VGYYWRXDIZ8dPXXnxIUuv3b0onrircwRlwrc=' }],
    ['another id', { headers: headers({ 'webhook-id': 'other' }) }],
    ['a changed timestamp', { headers: headers({ 'webhook-timestamp': String(ts + 1) }) }],
    ['a timestamp older than 5 minutes', { headers: headers({ 'webhook-timestamp': String(ts - 600), 'webhook-signature': signWebhook(SECRET, id, ts - 600, body) }) }],
    ['no signature', { headers: headers({ 'webhook-signature': '' }) }],
  ])('%s is refused', (_what, change) => {
    const input = { secret: SECRET, body, headers: headers(), ...change };
    expect(verifyWebhookSignature(input).ok).toBe(false);
    expect(() => new Webhook(input.secret).verify(input.body, input.headers)).toThrow(WebhookVerificationError);
  });

  test('several secrets (rotation) and several signatures in the header', () => {
    const old = 'whsec_zKgyemVFOyVDakPKwRO2CugXC12Hm/Vab1bnQG/dL8U=';
    expect(verifyWebhookSignature({ secret: [old, SECRET], body, headers: headers() }).ok).toBe(true);
    const both = `${signWebhook(old, id, ts, body)} ${signature}`;
    expect(new Webhook(SECRET).verify(body, headers({ 'webhook-signature': both }))).toEqual(JSON.parse(body));
  });

  test('a secret must be whsec_ + base64 of 24 to 64 bytes', () => {
    expect(webhookSecretProblem(SECRET)).toBeUndefined();
    expect(webhookSecretProblem('a-long-random-shared-secret')).toContain('whsec_');
    expect(webhookSecretProblem(`whsec_${Buffer.alloc(8).toString('base64')}`)).toContain('24 to 64 bytes');
  });
});

describe('rendering', () => {
  test('days left, due today and overdue', () => {
    expect(daysLeft({ workingDaysLeft: 1, calendarDaysLeft: 1 })).toBe('1 working day (1 calendar day) left');
    expect(daysLeft({ workingDaysLeft: 0, calendarDaysLeft: 0 })).toBe('due today');
    expect(daysLeft({ workingDaysLeft: -3, calendarDaysLeft: -5 })).toBe('3 working days (5 calendar days) overdue');
    expect(daysLeft({ calendarDaysLeft: 7 })).toBe('7 calendar days left');
    expect(daysLeft({})).toBeUndefined();
  });

  test('a deadline passed a month or more ago reads as a person says it, never "2281 working days overdue"', () => {
    expect(daysLeft({ workingDaysLeft: -21, calendarDaysLeft: -30 })).toBe('21 working days (30 calendar days) overdue');
    expect(daysLeft({ workingDaysLeft: -22, calendarDaysLeft: -31 })).toBe('passed 1 month ago');
    expect(daysLeft({ workingDaysLeft: -65, calendarDaysLeft: -92 })).toBe('passed 3 months ago');
    expect(daysLeft({ workingDaysLeft: -2281, calendarDaysLeft: -3242 })).toBe('passed 8 years ago');
  });

  test("links: the entry's console page for people, the API for machines, the Web UI for the bodies only", () => {
    const n = mandateReminder({ partyId: 'P 1/2', entryId: 'uep-P 1/2' });
    expect(notificationLinks(n, LINKS, 'SECAS')).toEqual({
      entry: 'https://uep.example/app/entries/P%201%2F2',
      api: 'https://uep.example/api/v1/entries/P%201%2F2',
      temporalUi: 'https://ui.example/namespaces/uep/workflows/uep-P%201%2F2',
    });
    const forParty = notificationLinks(n, LINKS, 'PARTY_CONTACT');
    expect(forParty).toEqual({ entry: 'https://uep.example/app/entries/P%201%2F2', api: 'https://uep.example/api/v1/entries/P%201%2F2' });
    const mail = renderText(n, forParty) + renderHtml(n, forParty);
    expect(mail).toContain('https://uep.example/app/entries/P%201%2F2');
    expect(mail).not.toContain('/v1/entries');
    expect(mail).not.toContain('ui.example');
  });

  test('a DECISION_DUE links to its stage on the entry page (where the decide form is), with what was submitted; other notices to the page', () => {
    const n = mandateReminder({ kind: 'DECISION_DUE', stage: 'UEPT', role: 'GAS_SUPPLIER', awaitedBody: BODY.DCC, reference: 'uept-readiness.pdf', recipients: [{ kind: 'BODY', body: BODY.DCC }] });
    const links = notificationLinks(n, LINKS, 'DCC');
    expect(links.entry).toBe(`https://uep.example/app/entries/${n.partyId}#UEPT.GAS_SUPPLIER`);
    expect(renderText(n, links)).toMatch(/Submitted: +uept-readiness\.pdf/);
    expect(webhookPayload(n, 'DCC', links)).toMatchObject({ kind: 'DECISION_DUE', reference: 'uept-readiness.pdf', links: { entry: links.entry } });
    // the console scrolls to the element whose id is the hash, decoded (console/src/views/entry.tsx)
    expect(decodeURIComponent(new URL(links.entry).hash.slice(1))).toBe('UEPT.GAS_SUPPLIER');
    expect(notificationLinks(mandateReminder(), LINKS, 'DCC').entry).not.toContain('#');
    expect(webhookPayload(mandateReminder(), 'SECAS', links).reference).toBeNull();
  });

  test('a notification without a deadline has no calendar event and no deadline line', () => {
    const n = mandateReminder({ kind: 'ROLE_COMPLETE', deadline: undefined, workingDaysLeft: undefined, calendarDaysLeft: undefined });
    expect(renderIcs(n, notificationLinks(n, LINKS, 'SECAS'))).toBeUndefined();
    expect(renderText(n, notificationLinks(n, LINKS, 'SECAS'))).not.toContain('Deadline');
  });

  test('reminders about one deadline share one calendar event; an SLA has its own', () => {
    const a = mandateReminder();
    const b = { ...a, id: `${a.id}-7d`, workingDaysLeft: 5, deadline: '2026-06-19' };
    expect(calendarUid(a)).toBe(calendarUid(b));
    expect(calendarUid({ ...a, kind: 'SLA_REMINDER' })).not.toBe(calendarUid(a));
  });

  test('Message-IDs are stable per notification and address, distinct across addresses', () => {
    const id = notificationMessageId('uep-P1:MANDATE_REMINDER:30d:v1', 'a@x.example', 'uep.example');
    expect(id).toBe(notificationMessageId('uep-P1:MANDATE_REMINDER:30d:v1', 'A@X.example', 'uep.example'));
    expect(id).not.toBe(notificationMessageId('uep-P1:MANDATE_REMINDER:30d:v1', 'b@x.example', 'uep.example'));
    expect(id).toMatch(/^<uep-P1-MANDATE_REMINDER-30d-v1\.[0-9a-f]{16}@uep\.example>$/);
  });
});

describe('failure classification', () => {
  test('webhook statuses: 408, 429 and 5xx are transient; other 4xx are permanent', () => {
    expect([408, 429, 500, 502, 503, 504].every(isTransientStatus)).toBe(true);
    expect([400, 401, 403, 404, 409, 410, 413, 422].some(isTransientStatus)).toBe(false);
  });

  test('SMTP: 5xx permanent (nodemailer marks it), 4xx, connection and authentication errors transient', () => {
    expect(classifySmtpError({ code: 'EENVELOPE', responseCode: 550, permanent: true, response: '550 5.1.1 no such user' }, 'a@x').permanent).toBe(true);
    expect(classifySmtpError({ code: 'EMESSAGE', responseCode: 451, permanent: false }, 'a@x').permanent).toBe(false);
    expect(classifySmtpError({ code: 'ESOCKET', originalCode: 'ECONNREFUSED' }, 'a@x').permanent).toBe(false);
    expect(classifySmtpError({ code: 'EAUTH', responseCode: 535 }, 'a@x').permanent).toBe(false);
    expect(classifySmtpError({ code: 'EENVELOPE', message: 'No recipients defined' }, 'a@x').permanent).toBe(true);
  });
});

describe('recipients', () => {
  const routes = {
    SECAS: { email: ['uep@secas.example', 'Jo.Bloggs@ambrose.example'], webhooks: [{ url: 'https://hooks.secas.example/uep', secret: SECRET }] },
    OPS: { email: [], webhooks: [] },
  };

  test('the contact from the notification, bodies from configuration, each address once, unrouted bodies reported', () => {
    const n = mandateReminder({
      recipients: [
        { kind: 'PARTY_CONTACT', name: 'Jo Bloggs', email: 'jo.bloggs@ambrose.example' },
        { kind: 'BODY', body: BODY.SECAS },
        { kind: 'BODY', body: BODY.OPS },
        { kind: 'BODY', body: BODY.DCC },
      ],
    });
    const { targets, unrouted } = resolveTargets(n, routes);
    expect(targets.map((t) => [t.key, t.recipient])).toEqual([
      [emailKey('jo.bloggs@ambrose.example'), 'PARTY_CONTACT'],
      ['email:uep@secas.example', 'SECAS'],
      ['webhook:https://hooks.secas.example/uep', 'SECAS'],
    ]);
    expect(unrouted).toEqual(['OPS', 'DCC']);
  });
});

describe('configuration', () => {
  const routes = { SECAS: { email: ['uep@secas.example'], webhooks: [{ url: 'https://hooks.secas.example/uep', secret: SECRET }] } };

  test('routes inline or from a file, merged into the worker config', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'uep-routes-'));
    const file = path.join(dir, 'routes.json');
    writeFileSync(file, JSON.stringify(routes));
    const fromFile = loadWorkerConfig({ NOTIFY_ROUTES_FILE: file, SMTP_URL: 'smtp://mail.example:2525', MAIL_FROM: 'UEP <uep@uep.example>' });
    expect(notificationSettings(fromFile)).toMatchObject({ smtpUrl: 'smtp://mail.example:2525', routes: { SECAS: { email: ['uep@secas.example'] } } });
    const inline = loadWorkerConfig({ NOTIFY_ROUTES_JSON: JSON.stringify(routes) });
    expect(notificationSettings(inline).routes).toEqual(notificationSettings(fromFile).routes);
    expect(notificationSettings(loadWorkerConfig({})).routes).toEqual({});
  });

  test('a bad route stops start-up with a message naming the variable and the place', () => {
    const bad = { SECAS: { email: ['not-an-address'], webhooks: [{ url: 'ftp://x.example', secret: 'short' }] }, PARTY: {} };
    expect(() => loadWorkerConfig({ NOTIFY_ROUTES_JSON: JSON.stringify(bad) })).toThrow(
      /NOTIFY_ROUTES_JSON: the JSON at SECAS\.email\.0: Invalid email address[\s\S]*SECAS\.webhooks\.0\.url[\s\S]*SECAS\.webhooks\.0\.secret[\s\S]*Unrecognized key: "PARTY"/,
    );
    expect(() => loadWorkerConfig({ NOTIFY_ROUTES_FILE: '/nonexistent/routes.json' })).toThrow(/NOTIFY_ROUTES_FILE: cannot read/);
    expect(() => loadWorkerConfig({ SMTP_URL: 'http://mail.example' })).toThrow(/SMTP_URL/);
    const both = notificationEnvSchema.parse({ NOTIFY_ROUTES_JSON: JSON.stringify(routes), NOTIFY_ROUTES_FILE: undefined });
    expect(() => notificationSettings({ ...both, NOTIFY_ROUTES_FILE: both.NOTIFY_ROUTES_JSON })).toThrow(/set one of them, not both/);
  });
});

describe('recommended activity options', () => {
  const ms = (d: unknown) => {
    const m = /^(\d+) (seconds|minutes|days)$/.exec(String(d));
    if (!m) throw new Error(`unexpected duration ${String(d)}`);
    return Number(m[1]) * { seconds: 1_000, minutes: 60_000, days: 86_400_000 }[m[2] as 'seconds' | 'minutes' | 'days'];
  };
  const o = NOTIFICATION_ACTIVITY_OPTIONS;

  test('shape: 30 s per attempt, heartbeats, backoff 10 s x2 up to 10 min, no attempt limit, days to close', () => {
    expect(ms(o.startToCloseTimeout)).toBe(30_000);
    expect(ms(o.heartbeatTimeout)).toBeLessThan(ms(o.startToCloseTimeout));
    expect(o.retry).toMatchObject({ backoffCoefficient: 2 });
    expect(ms(o.retry?.initialInterval)).toBe(10_000);
    expect(ms(o.retry?.maximumInterval)).toBe(600_000);
    expect(o.retry?.maximumAttempts).toBeUndefined();
    expect(o.retry?.nonRetryableErrorTypes).toEqual(expect.arrayContaining([NOTIFICATION_ERROR.PERMANENT, NOTIFICATION_ERROR.INVALID]));
    expect(o.retry?.nonRetryableErrorTypes).not.toContain(NOTIFICATION_ERROR.DELIVERY_INCOMPLETE);
  });

  test('an outage of an hour: the reminder goes out within 10 minutes (+ one attempt) of its end, long before the schedule-to-close', () => {
    const outage = 3_600_000;
    const attemptMs = ms(o.startToCloseTimeout); // worst case: every failing attempt hangs to its timeout
    let t = 0;
    let delay = ms(o.retry?.initialInterval);
    let attempts = 0;
    while (t < outage) {
      t += attemptMs + delay;
      delay = Math.min(delay * 2, ms(o.retry?.maximumInterval));
      attempts++;
    }
    expect(t - outage).toBeLessThanOrEqual(ms(o.retry?.maximumInterval) + attemptMs);
    expect(t + attemptMs).toBeLessThan(ms(o.scheduleToCloseTimeout));
    expect(attempts).toBeLessThan(20);
  });
});
