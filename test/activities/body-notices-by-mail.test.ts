/**
 * The bodies told when work arrives (rules version 6), end to end: an entry on the time-skipping
 * server with the real notification activities, a real SMTP server and a Standard Webhooks
 * receiver. When the Party submits its credit cover, the DCC's desk gets exactly one mail naming
 * the Party, the stage, the reference and the due date, linking to the stage on the entry's console
 * page; the DCC's webhook gets the same event as a DECISION_DUE.
 */
import { Webhook } from 'standardwebhooks';
import { BODY, STAGE } from '../../domain/vocabulary';
import { recordDecisionUpdate, submitEvidenceUpdate } from '../../workflows/messages';
import { eventually } from '../../testkit/api-harness';
import { principalFor, startEntryWorkflow } from '../../testkit/entry-driver';
import type { CaughtMail } from '../../testkit/smtp-catcher';
import { terminateWhenIdle, uniquePartyId, uniqueTaskQueue } from '../../testkit/temporal';
import { startWebhookReceiver, type WebhookReceiver } from '../../testkit/webhook-receiver';
import { API, CONSOLE, DCC_MAIL, LINK_SETTINGS, PANEL_MAIL, SECAS_MAIL, SECRET, TEMPORAL_UI } from './fixtures';
import { startedByOps, useMailSuite } from './mail-suite';

const DAY = 86_400_000;
const PARTY_MAIL = 'sam@arriving.example';

const suite = useMailSuite();
let hook: WebhookReceiver;
beforeAll(async () => {
  hook = await startWebhookReceiver({ secret: SECRET });
});
afterAll(async () => {
  await hook?.stop();
});

const kindOf = (m: CaughtMail) => m.notificationId?.split(':')[1];
const stageOf = (id: string | undefined) => id?.split(':')[2];

test("the Party submits its credit cover: the DCC's desk gets one mail and one webhook, with the link to the stage in the console", async () => {
  const taskQueue = uniqueTaskQueue('body-notices');
  const partyId = uniquePartyId('ARRIVE');
  const routes = {
    SECAS: { email: [SECAS_MAIL] },
    DCC: { email: [DCC_MAIL], webhooks: [{ url: hook.url, secret: SECRET, name: 'dcc-desk' }] },
    SEC_PANEL: { email: [PANEL_MAIL] },
  };
  const worker = await suite.mailingWorker(taskQueue, { ...LINK_SETTINGS, NOTIFY_ROUTES_JSON: JSON.stringify(routes) });
  const t0 = await suite.env.currentTimeMs();

  await worker.runUntil(async () => {
    const handle = await startEntryWorkflow(
      suite.env.client,
      taskQueue,
      startedByOps(partyId, 'Arriving Energy Ltd', { name: 'Sam Contact', email: PARTY_MAIL }, { mandateDeadline: new Date(t0 + 400 * DAY).toISOString().slice(0, 10), catalogueVersion: 'v1' }),
    );
    const ours = (m: CaughtMail) => m.notificationId?.startsWith(`${handle.workflowId}:`) === true;
    const to = (address: string) => (m: CaughtMail) => ours(m) && m.envelopeTo.includes(address);
    const settled = () => eventually(async () => (await handle.describe()).raw.pendingActivities ?? [], (pending) => pending.length === 0, 15_000);
    try {
      // the start: SECAS told its accession decision awaits it; nobody else is waited on yet
      const [accession] = await suite.smtp.waitFor((m) => to(SECAS_MAIL)(m) && kindOf(m) === 'DECISION_DUE', { timeoutMs: 15_000 });
      expect(accession!.subject).toMatch(/^\[UEP\] Arriving Energy Ltd: Accession to the SEC awaits SECAS's decision, due \d{1,2} [A-Z][a-z]{2} \d{4}$/);

      await handle.executeUpdate(recordDecisionUpdate, {
        args: [{ decisionId: 'acc-1', stage: STAGE.ACCESSION, outcome: 'ACCEDED', evidence: 'accession.pdf', principal: principalFor(BODY.SECAS, partyId) }],
      });
      await suite.smtp.waitFor((m) => to(DCC_MAIL)(m) && stageOf(m.notificationId) === STAGE.DCC_GATEWAY, { timeoutMs: 15_000 });
      await settled();
      const dccBefore = suite.smtp.messages.filter(to(DCC_MAIL)).length;
      const hooksBefore = hook.requests.length;

      await handle.executeUpdate(submitEvidenceUpdate, {
        args: [{ submissionId: 'cc-1', stage: STAGE.CREDIT_COVER, reference: 'LoC-2027-0042.pdf', comment: 'Letter of credit, Barclays', principal: principalFor(BODY.PARTY, partyId) }],
      });
      await suite.smtp.waitFor((m) => to(DCC_MAIL)(m) && stageOf(m.notificationId) === STAGE.CREDIT_COVER, { timeoutMs: 15_000 });
      await settled();

      const after = suite.smtp.messages.filter(to(DCC_MAIL)).slice(dccBefore);
      expect(after.map((m) => m.notificationId)).toEqual([`${handle.workflowId}:DECISION_DUE:CREDIT_COVER:a1`]);
      const [mail] = after;
      const item = `${CONSOLE}/entries/${partyId}#CREDIT_COVER`;
      expect(mail!.envelopeTo).toEqual([DCC_MAIL]);
      expect(mail!.subject).toMatch(/^\[UEP\] Arriving Energy Ltd: Credit Cover awaits the DCC's decision, due \d{1,2} [A-Z][a-z]{2} \d{4}$/);
      for (const body of [mail!.text!, mail!.html!]) {
        expect(body).toContain(`Credit Cover (SEC J3) for Arriving Energy Ltd (${partyId}) now awaits the DCC`);
        expect(body).toContain('Arriving Energy Ltd submitted confirmation that Credit Support is lodged on ');
        expect(body).toContain('LoC-2027-0042.pdf');
        expect(body).toContain('Letter of credit, Barclays');
        expect(body).toMatch(/Your decision is due by \d{1,2} [A-Z][a-z]{2} \d{4}, within 10 working days/);
        expect(body).toContain(item);
        expect(body).not.toContain(`${API}/`); // never the token-gated API to a person
      }
      expect(mail!.html).toContain(`<a href="${item}">Open the entry</a>`);
      expect(mail!.text).toMatch(/Submitted: +LoC-2027-0042\.pdf/);
      expect(mail!.text).toContain(`Workflow in Temporal:  ${TEMPORAL_UI}/`); // a body's desk, not a Party

      // the same event to the DCC's webhook, signed as Standard Webhooks has it
      const requests = hook.requests.slice(hooksBefore);
      expect(requests.map((r) => r.id)).toEqual([`${handle.workflowId}:DECISION_DUE:CREDIT_COVER:a1`]);
      const [req] = requests;
      expect(new Webhook(SECRET).verify(req!.rawBody, req!.headers as Record<string, string>)).toEqual(req!.json);
      const { deadline, calendarDaysLeft, dueAt, text, ...fixed } = req!.json as Record<string, unknown>;
      expect(fixed).toEqual({
        id: `${handle.workflowId}:DECISION_DUE:CREDIT_COVER:a1`,
        type: 'uep.notification',
        kind: 'DECISION_DUE',
        recipient: 'DCC',
        entryId: handle.workflowId,
        party: { id: partyId, name: 'Arriving Energy Ltd' },
        stage: 'CREDIT_COVER',
        role: null,
        awaitedBody: 'DCC',
        reference: 'LoC-2027-0042.pdf',
        workingDaysLeft: 10,
        subject: (mail!.subject ?? '').replace(/^\[UEP\] /, ''),
        links: { entry: item, api: `${API}/v1/entries/${partyId}`, temporalUi: `${TEMPORAL_UI}/namespaces/default/workflows/${handle.workflowId}` },
      });
      expect(deadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(mail!.subject).toContain(`due ${new Date(`${String(deadline)}T00:00:00Z`).getUTCDate()} `);
      expect(typeof calendarDaysLeft).toBe('number');
      expect(Date.parse(String(dueAt))).toBeGreaterThanOrEqual(t0);
      expect(mail!.text).toContain(String(text));

      // a later act that leaves it awaiting the DCC tells nobody of it again
      await handle.executeUpdate(recordDecisionUpdate, {
        args: [{ decisionId: 'id-1', stage: STAGE.ID_ALLOCATION, outcome: 'ALLOCATED', evidence: 'ids.csv', principal: principalFor(BODY.SECAS, partyId) }],
      });
      await settled();
      expect(suite.smtp.messages.filter((m) => ours(m) && stageOf(m.notificationId) === STAGE.CREDIT_COVER).map((m) => m.envelopeTo)).toEqual([[DCC_MAIL]]);
      // every DECISION_DUE went to the body that decides its stage, and only there
      const owner: Record<string, string> = { ACCESSION: SECAS_MAIL, ID_ALLOCATION: SECAS_MAIL, DCC_GATEWAY: DCC_MAIL, CREDIT_COVER: DCC_MAIL, USER_ID: DCC_MAIL };
      const due = suite.smtp.messages.filter((m) => ours(m) && kindOf(m) === 'DECISION_DUE');
      for (const m of due) expect([m.notificationId, m.envelopeTo]).toEqual([m.notificationId, [owner[stageOf(m.notificationId)?.split('.')[0] ?? ''] ?? 'unexpected']]);
      expect(suite.smtp.duplicates()).toEqual([]);
    } finally {
      await terminateWhenIdle(handle);
    }
  });
});
