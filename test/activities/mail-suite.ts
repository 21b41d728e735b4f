/**
 * Entries on the time-skipping server whose notices go out by real mail: the server and an SMTP
 * catcher for the whole test file, and workers running the real notification activities against
 * that catcher (SECAS, the DCC and the SEC Panel routed to their desks' addresses: each is told
 * when a decision awaits it, rules version 6).
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { activityDepsFromConfig, createActivities, notificationEnvSchema } from '../../activities';
import { parseEnv } from '../../config/env';
import type { StartEntryInput } from '../../domain/types';
import { BODY, COHORT, USER_ROLE } from '../../domain/vocabulary';
import { principalFor } from '../../testkit/entry-driver';
import { startSmtpCatcher, type SmtpCatcher } from '../../testkit/smtp-catcher';
import { useTemporal } from '../../testkit/suites';
import { createTestWorker, startTimeSkippingServer } from '../../testkit/temporal';
import { DCC_MAIL, PANEL_MAIL, SECAS_MAIL } from './fixtures';

export interface MailSuite {
  readonly env: TestWorkflowEnvironment;
  readonly smtp: SmtpCatcher;
  /** A worker on `taskQueue` whose notices are mailed; `settings` adds to the notification env (e.g. link bases) or replaces it (routes). */
  mailingWorker(taskQueue: string, settings?: Record<string, string>): Promise<Worker>;
}

export function useMailSuite(): MailSuite {
  const env = useTemporal(startTimeSkippingServer);
  let smtp: SmtpCatcher | undefined;
  beforeAll(async () => {
    smtp = await startSmtpCatcher();
  });
  afterAll(() => smtp?.stop());
  const catcher = () => {
    if (!smtp) throw new Error('the SMTP catcher did not start');
    return smtp;
  };
  return {
    get env() {
      return env();
    },
    get smtp() {
      return catcher();
    },
    mailingWorker(taskQueue, settings = {}) {
      const config = parseEnv(notificationEnvSchema, {
        SMTP_URL: catcher().url,
        MAIL_FROM: 'UEP engine <uep-engine@uep.example>',
        NOTIFY_ROUTES_JSON: JSON.stringify({ SECAS: { email: [SECAS_MAIL] }, DCC: { email: [DCC_MAIL] }, SEC_PANEL: { email: [PANEL_MAIL] } }),
        ...settings,
      });
      return createTestWorker(env(), { taskQueue, activities: createActivities(activityDepsFromConfig(config)) });
    },
  };
}

/** An entry started by OPS whose Party is told at `contact`: a small domestic supplier seeking the import supplier role, unless `more` says otherwise. */
export function startedByOps(partyId: string, partyName: string, contact: { name: string; email: string }, more: Partial<StartEntryInput> = {}): StartEntryInput {
  return { partyId, partyName, cohort: COHORT.SMALL_DOMESTIC_SUPPLIER, roles: [USER_ROLE.IMPORT_SUPPLIER], uepContact: contact, startedBy: principalFor(BODY.OPS, 'ops'), ...more };
}
