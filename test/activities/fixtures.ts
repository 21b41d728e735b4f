/** Notifications and routes for the delivery tests. */
import { NOTIFICATION_KIND, type Notification } from '../../domain/types';
import { BODY, STAGE, USER_ROLE } from '../../domain/vocabulary';

let counter = 0;

/** A 30-day mandate reminder for a party, to its UEP contact and to SECAS; a fresh id each call. */
export function mandateReminder(overrides: Partial<Notification> = {}): Notification {
  counter++;
  return {
    id: `uep-P${counter}X:MANDATE_REMINDER:30d:v1`,
    kind: NOTIFICATION_KIND.MANDATE_REMINDER,
    entryId: `uep-P${counter}X`,
    partyId: `P${counter}X`,
    partyName: 'Ambrose Energy Ltd',
    recipients: [
      { kind: 'PARTY_CONTACT', name: 'Jo Bloggs', email: JO_MAIL },
      { kind: 'BODY', body: BODY.SECAS },
    ],
    dueAt: '2026-05-13T08:00:00.000Z',
    subject: 'Ambrose Energy Ltd: 30 days to the UEP mandate deadline (12 June 2026)',
    body:
      'Ambrose Energy Ltd must complete the User Entry Process by 12 June 2026.\n\n' +
      'The Security Assessment for the Import Supplier role awaits evidence from the Party: submit the ' +
      'security assessment evidence to SECAS.',
    stage: STAGE.SECURITY_ASSESSMENT,
    role: USER_ROLE.IMPORT_SUPPLIER,
    awaitedBody: BODY.PARTY,
    deadline: '2026-06-12',
    workingDaysLeft: 21,
    calendarDaysLeft: 30,
    ...overrides,
  };
}

export const SECRET = 'whsec_ofd6okk0+3bCA1oodee11QmNS24g4VuFl4/9XQ+bl24=';
export const SECAS_MAIL = 'uep@secas.example';
/** The DCC's and the SEC Panel's desks: where a DECISION_DUE for them goes (rules version 6). */
export const DCC_MAIL = 'uep-desk@dcc.example';
export const PANEL_MAIL = 'panel-secretariat@sec-panel.example';
/** The Party contact of `mandateReminder`. */
export const JO_MAIL = 'jo.bloggs@ambrose.example';

/** The public addresses that notices link to in the mail tests, and the worker settings that give them. */
export const CONSOLE = 'https://console.uep.example/app';
export const API = 'https://api.uep.example';
export const TEMPORAL_UI = 'https://temporal.uep.example';
export const LINK_SETTINGS = { API_PUBLIC_URL: API, CONSOLE_PUBLIC_URL: CONSOLE, TEMPORAL_UI_URL: TEMPORAL_UI };
