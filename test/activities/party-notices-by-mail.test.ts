/**
 * The Party's notices, end to end: an entry on the time-skipping server with the real notification
 * activities and a real SMTP server. The Party's contact is told its entry started, that it is
 * its turn to submit, and, when the SEC Panel rejects its security assessment, exactly one
 * message naming the stage, the Panel's comment and linking to the entry's console page.
 */
import { BODY, COHORT, STAGE, USER_ROLE } from '../../domain/vocabulary';
import { recordDecisionUpdate, submitEvidenceUpdate } from '../../workflows/messages';
import { principalFor, startEntryWorkflow } from '../../testkit/entry-driver';
import type { CaughtMail } from '../../testkit/smtp-catcher';
import { terminateWhenIdle, uniquePartyId, uniqueTaskQueue } from '../../testkit/temporal';
import { API, CONSOLE, LINK_SETTINGS, TEMPORAL_UI } from './fixtures';
import { startedByOps, useMailSuite } from './mail-suite';
import { eventually } from '../../testkit/api-harness';

const DAY = 86_400_000;
const PARTY_MAIL = 'kim@noticed.example';

const suite = useMailSuite();

const toParty = (m: CaughtMail) => m.envelopeTo.includes(PARTY_MAIL);
const kindOf = (m: CaughtMail) => m.notificationId?.split(':')[1];

test('a Panel REJECTED sends the Party exactly one mail: the stage, the comment, a link to its console page', async () => {
  const taskQueue = uniqueTaskQueue('party-notices');
  const partyId = uniquePartyId('NOTE');
  const entryPage = `${CONSOLE}/entries/${partyId}`;
  const worker = await suite.mailingWorker(taskQueue, LINK_SETTINGS);
  const t0 = await suite.env.currentTimeMs();

  await worker.runUntil(async () => {
    const handle = await startEntryWorkflow(
      suite.env.client,
      taskQueue,
      startedByOps(partyId, 'Noticed Energy Ltd', { name: 'Kim Contact', email: PARTY_MAIL }, {
        mandateDeadline: new Date(t0 + 400 * DAY).toISOString().slice(0, 10),
        // the Panel's REJECTED of one FUSA stage, as catalogue v1 has it (v2 splits booking, fieldwork and the Response)
        catalogueVersion: 'v1',
      }),
    );
    /** Every delivery the workflow started has finished: no mail is still on its way. */
    const settled = () => eventually(async () => (await handle.describe()).raw.pendingActivities ?? [], (pending) => pending.length === 0, 15_000);
    try {
      const [started] = await suite.smtp.waitFor((m) => toParty(m) && kindOf(m) === 'ENTRY_STARTED', { timeoutMs: 15_000 });
      expect(started!.subject).toBe('[UEP] Noticed Energy Ltd: your User Entry Process has started (Import Supplier)');
      expect(started!.text).toContain('Your first submissions will be: User Security Assessment (FUSA): the User Security Assessment report');

      await handle.executeUpdate(recordDecisionUpdate, {
        args: [{ decisionId: 'acc-1', stage: STAGE.ACCESSION, outcome: 'ACCEDED', evidence: 'accession.pdf', principal: principalFor(BODY.SECAS, partyId) }],
      });
      const [turn] = await suite.smtp.waitFor((m) => toParty(m) && kindOf(m) === 'SUBMISSION_DUE', { timeoutMs: 15_000 });
      expect(turn!.subject).toBe('[UEP] Noticed Energy Ltd: your turn: 2 submissions are due');
      expect(turn!.text).toContain('It is now your turn to submit, in the console: User Security Assessment (FUSA): the User Security Assessment report');
      expect(turn!.text).toContain(`Open the entry:        ${entryPage}`);

      await handle.executeUpdate(submitEvidenceUpdate, {
        args: [{ submissionId: 'fusa-1', stage: STAGE.SECURITY_ASSESSMENT, reference: 'fusa-report-v1.pdf', principal: principalFor(BODY.PARTY, partyId) }],
      });
      await settled();
      const before = suite.smtp.messages.filter(toParty).length;

      await handle.executeUpdate(recordDecisionUpdate, {
        args: [
          {
            decisionId: 'fusa-dec-1',
            stage: STAGE.SECURITY_ASSESSMENT,
            outcome: 'REJECTED',
            evidence: 'panel-minutes-42',
            comment: 'The assessment omits the remote access controls',
            principal: { body: BODY.SEC_PANEL, id: 'panel-chair', name: 'Robin Chair' },
          },
        ],
      });
      await suite.smtp.waitFor((m) => toParty(m) && kindOf(m) === 'DECISION_NEEDS_ACTION', { timeoutMs: 15_000 });
      await settled();
      const after = suite.smtp.messages.filter(toParty).slice(before);
      expect(after.map(kindOf)).toEqual(['DECISION_NEEDS_ACTION']);
      const [mail] = after;
      expect(mail!.envelopeTo).toEqual([PARTY_MAIL]);
      expect(mail!.subject).toBe('[UEP] Noticed Energy Ltd: User Security Assessment (FUSA): the SEC Panel decided Rejected: action needed');
      for (const body of [mail!.text!, mail!.html!]) {
        expect(body).toContain('The SEC Panel (Robin Chair) recorded Rejected on User Security Assessment (FUSA) (SEC G8');
        expect(body).toContain('The assessment omits the remote access controls');
        expect(body).toContain('submit afresh (the User Security Assessment report) in the console; this will be attempt 2');
        expect(body).toContain(entryPage);
        expect(body).not.toContain(API); // never the token-gated API to a person
        expect(body).not.toContain(TEMPORAL_UI); // never the operators' Temporal UI to a Party
      }
      expect(mail!.html).toContain(`<a href="${entryPage}">Open the entry</a>`);
      expect(suite.smtp.duplicates()).toEqual([]);
    } finally {
      await terminateWhenIdle(handle);
    }
  });
});

test('an entry started past its mandate deadline: the Party is told of its breach in its own words, and never that it is "at risk"', async () => {
  const taskQueue = uniqueTaskQueue('party-breach');
  const partyId = uniquePartyId('LATE');
  const worker = await suite.mailingWorker(taskQueue, LINK_SETTINGS);
  await worker.runUntil(async () => {
    // ELECTRICITY_DNO's mandate deadline is the cohort's: 2018-01-21, long passed
    const handle = await startEntryWorkflow(
      suite.env.client,
      taskQueue,
      startedByOps(partyId, 'Latecomer Networks plc', { name: 'Lee Contact', email: PARTY_MAIL }, { cohort: COHORT.ELECTRICITY_DNO, roles: [USER_ROLE.ELECTRICITY_DISTRIBUTOR] }),
    );
    const ours = (m: CaughtMail) => toParty(m) && m.notificationId?.startsWith(`${handle.workflowId}:`) === true;
    try {
      const [breach] = await suite.smtp.waitFor((m) => ours(m) && kindOf(m) === 'MANDATE_BREACH', { timeoutMs: 15_000 });
      const [started] = await suite.smtp.waitFor((m) => ours(m) && kindOf(m) === 'ENTRY_STARTED', { timeoutMs: 15_000 });
      // every delivery done, but the bodies' breach notice, for which this suite routes no OPS desk
      await eventually(
        async () => (await handle.describe()).raw.pendingActivities ?? [],
        (pending) => pending.every((p) => p.lastFailure?.applicationFailureInfo?.type === 'NotificationUnrouted'),
        15_000,
      );
      const years = Math.floor((Date.parse(`${new Date(await suite.env.currentTimeMs()).toISOString().slice(0, 10)}T00:00:00Z`) - Date.parse('2018-01-21T00:00:00Z')) / (365.25 * DAY));

      expect(started!.text).toContain('your DCC User mandate deadline, 21 Jan 2018, has already passed: you are in breach of the mandate until every role you seek is complete.');
      expect(started!.text).toMatch(new RegExp(`Deadline: +Sunday 21 January 2018: passed ${years} years ago`));
      expect(started!.text).not.toContain('working days');

      expect(breach!.envelopeTo).toEqual([PARTY_MAIL]);
      expect(breach!.subject).toBe('[UEP] Latecomer Networks plc: your DCC User mandate deadline (21 Jan 2018) has passed');
      for (const body of [breach!.text!, breach!.html!]) {
        expect(body).toContain('Your DCC User mandate deadline, 21 Jan 2018, had already passed when your User Entry Process started');
        expect(body).toContain('You are in breach of the mandate until every role you seek is complete, or SECAS agrees a new deadline');
        expect(body).not.toContain(TEMPORAL_UI);
      }
      expect(suite.smtp.messages.filter(ours).map(kindOf).sort()).toEqual(['ENTRY_STARTED', 'MANDATE_BREACH']);
      expect(suite.smtp.duplicates()).toEqual([]);
    } finally {
      await terminateWhenIdle(handle, 'test over', 2_000); // the bodies' notice retries for want of an OPS route
    }
  });
});
