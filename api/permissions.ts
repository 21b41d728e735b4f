/**
 * Who may do what through the API: one table, read by the auth middleware, the OpenAPI document
 * and the authorisation-matrix test. The workflow validator checks again what only the entry
 * knows (which body owns a stage, whether a Party acts for itself), so a body deciding a stage it
 * does not own is refused there (WRONG_BODY -> 403).
 *
 *   ALL        any entry
 *   OWN_PARTY  only the entry of the principal's own party (PARTY principals)
 *   NONE       403
 */
import { BODY, words, type Body } from '../domain/vocabulary';

export const ACTION = words('START_ENTRY', 'READ_ENTRY', 'LIST_ENTRIES', 'READ_AUDIT_TRAIL', 'RECORD_DECISION', 'CLAIM_STAGE', 'SUBMIT_EVIDENCE', 'ATTACH_FILE', 'READ_FILE', 'COMMENT', 'AMEND_DEADLINE', 'ADD_ROLE', 'WITHDRAW', 'READ_INBOX', 'FOLLOW_INBOX', 'READ_COMPLIANCE_REPORT', 'EXPORT_AUDIT', 'READ_CATALOGUE', 'READ_MEETINGS', 'MAINTAIN_MEETINGS', 'WHO_AM_I', 'INVITE_PEOPLE', 'READ_PEOPLE', 'REMOVE_PEOPLE', 'READ_NOTICE_SETTINGS', 'CHOOSE_NOTICES');
export type Action = (typeof ACTION)[keyof typeof ACTION];

export const ACCESS = words('ALL', 'OWN_PARTY', 'NONE');
export type Access = (typeof ACCESS)[keyof typeof ACCESS];

const { ALL, OWN_PARTY: OWN, NONE } = ACCESS;

/**
 * The decisions behind the cells that the model leaves open:
 * - SECAS starts entries, amends deadlines, adds roles and withdraws as well as OPS: it runs
 *   accession and is the Party's counterpart throughout (docs/domain.md, "Who is who").
 * - SECAS may submit evidence on the Party's behalf (docs/domain.md, "Decisions and submissions").
 * - A Party may add a User Role to its own entry (it "may add roles later"), not withdraw it
 *   (it asks SECAS) and not move its own mandate deadline.
 * - The compliance report, and the export of every entry's audit records, are for those who hold
 *   Parties to their mandates: SECAS, the Panel, OPS.
 * - The live inbox (its count as it changes) is the bodies': a Party's own work is on its entry's page.
 * - Claims are the deciding bodies' own: an officer claims, assigns or releases what waits on their
 *   body (the record checks the stage waits on it); OPS, who decide nothing, claim nothing.
 * - Files are attached by those who submit (the Party, SECAS for it) and by the deciding bodies (the
 *   evidence behind a decision); whoever reads the entry downloads them. OPS runs the service and
 *   attaches nothing.
 * - A stage's thread is the conversation between the bodies and the Party: each comments, OPS
 *   (who run the service) reads it.
 * - Deciding bodies read every entry: they need the context of the stages they sign off.
 * - The stage catalogue is the same for everyone: every principal reads it, and its own principal.
 * - The meeting calendar is SECAS's (it publishes the Panel's and the SSC's dates), kept with OPS;
 *   everyone reads it.
 * - A Party's people are invited and removed by the Party's own people and by OPS (who run the
 *   service); SECAS reads who they are, as the Party's counterpart.
 * - How a person is told of work (at once, or a daily digest) is each person's own choice, for
 *   those work waits on: the deciding bodies' officers and a Party's people. OPS, on whom no stage
 *   waits and to whom nothing is assigned, has no such notices.
 */
export const PERMISSIONS: Readonly<Record<Action, Readonly<Record<Body, Access>>>> = {
  START_ENTRY: { DCC: NONE, SEC_PANEL: NONE, SECAS: ALL, PARTY: NONE, OPS: ALL },
  READ_ENTRY: { DCC: ALL, SEC_PANEL: ALL, SECAS: ALL, PARTY: OWN, OPS: ALL },
  LIST_ENTRIES: { DCC: ALL, SEC_PANEL: ALL, SECAS: ALL, PARTY: OWN, OPS: ALL },
  READ_AUDIT_TRAIL: { DCC: ALL, SEC_PANEL: ALL, SECAS: ALL, PARTY: OWN, OPS: ALL },
  RECORD_DECISION: { DCC: ALL, SEC_PANEL: ALL, SECAS: ALL, PARTY: NONE, OPS: NONE },
  CLAIM_STAGE: { DCC: ALL, SEC_PANEL: ALL, SECAS: ALL, PARTY: NONE, OPS: NONE },
  SUBMIT_EVIDENCE: { DCC: NONE, SEC_PANEL: NONE, SECAS: ALL, PARTY: OWN, OPS: NONE },
  ATTACH_FILE: { DCC: ALL, SEC_PANEL: ALL, SECAS: ALL, PARTY: OWN, OPS: NONE },
  READ_FILE: { DCC: ALL, SEC_PANEL: ALL, SECAS: ALL, PARTY: OWN, OPS: ALL },
  COMMENT: { DCC: ALL, SEC_PANEL: ALL, SECAS: ALL, PARTY: OWN, OPS: NONE },
  AMEND_DEADLINE: { DCC: NONE, SEC_PANEL: NONE, SECAS: ALL, PARTY: NONE, OPS: ALL },
  ADD_ROLE: { DCC: NONE, SEC_PANEL: NONE, SECAS: ALL, PARTY: OWN, OPS: ALL },
  WITHDRAW: { DCC: NONE, SEC_PANEL: NONE, SECAS: ALL, PARTY: NONE, OPS: ALL },
  READ_INBOX: { DCC: ALL, SEC_PANEL: ALL, SECAS: ALL, PARTY: OWN, OPS: ALL },
  FOLLOW_INBOX: { DCC: ALL, SEC_PANEL: ALL, SECAS: ALL, PARTY: NONE, OPS: ALL },
  READ_COMPLIANCE_REPORT: { DCC: NONE, SEC_PANEL: ALL, SECAS: ALL, PARTY: NONE, OPS: ALL },
  EXPORT_AUDIT: { DCC: NONE, SEC_PANEL: ALL, SECAS: ALL, PARTY: NONE, OPS: ALL },
  READ_CATALOGUE: { DCC: ALL, SEC_PANEL: ALL, SECAS: ALL, PARTY: ALL, OPS: ALL },
  READ_MEETINGS: { DCC: ALL, SEC_PANEL: ALL, SECAS: ALL, PARTY: ALL, OPS: ALL },
  MAINTAIN_MEETINGS: { DCC: NONE, SEC_PANEL: NONE, SECAS: ALL, PARTY: NONE, OPS: ALL },
  WHO_AM_I: { DCC: ALL, SEC_PANEL: ALL, SECAS: ALL, PARTY: ALL, OPS: ALL },
  INVITE_PEOPLE: { DCC: NONE, SEC_PANEL: NONE, SECAS: NONE, PARTY: OWN, OPS: ALL },
  READ_PEOPLE: { DCC: NONE, SEC_PANEL: NONE, SECAS: ALL, PARTY: OWN, OPS: ALL },
  REMOVE_PEOPLE: { DCC: NONE, SEC_PANEL: NONE, SECAS: NONE, PARTY: OWN, OPS: ALL },
  READ_NOTICE_SETTINGS: { DCC: ALL, SEC_PANEL: ALL, SECAS: ALL, PARTY: ALL, OPS: NONE },
  CHOOSE_NOTICES: { DCC: ALL, SEC_PANEL: ALL, SECAS: ALL, PARTY: ALL, OPS: NONE },
};

/** A refusal's words: "<who> may not <what>". */
const BODY_WORDS: Readonly<Record<Body, string>> = { DCC: 'The DCC', SEC_PANEL: 'The SEC Panel', SECAS: 'SECAS', PARTY: 'A Party', OPS: 'Operations' };
const ACTION_WORDS: Readonly<Record<Action, string>> = {
  START_ENTRY: 'start an entry',
  READ_ENTRY: 'read an entry',
  LIST_ENTRIES: 'list entries',
  READ_AUDIT_TRAIL: "read an entry's audit trail",
  RECORD_DECISION: 'record a decision',
  CLAIM_STAGE: 'claim a stage',
  SUBMIT_EVIDENCE: 'submit evidence',
  ATTACH_FILE: 'attach a file to a stage',
  READ_FILE: 'download an attached file',
  COMMENT: "comment in a stage's thread",
  AMEND_DEADLINE: 'amend a mandate deadline',
  ADD_ROLE: 'add a User Role',
  WITHDRAW: 'withdraw an entry',
  READ_INBOX: 'read an inbox',
  FOLLOW_INBOX: 'follow a body\'s inbox live',
  READ_COMPLIANCE_REPORT: 'read the compliance report',
  EXPORT_AUDIT: 'export the audit records of every entry',
  READ_CATALOGUE: 'read the stage catalogue',
  READ_MEETINGS: 'read the meeting calendar',
  MAINTAIN_MEETINGS: 'change the meeting calendar',
  WHO_AM_I: 'ask who it is',
  INVITE_PEOPLE: "invite people to act for a Party",
  READ_PEOPLE: "list a Party's people",
  REMOVE_PEOPLE: "remove a Party's people",
  READ_NOTICE_SETTINGS: 'read how it is told of work (no stage waits on it)',
  CHOOSE_NOTICES: 'choose how it is told of work (no stage waits on it)',
};

export function refusedWords(action: Action, body: Body): string {
  return `${BODY_WORDS[body]} may not ${ACTION_WORDS[action]}`;
}

/** The one body that reads across bodies' inboxes. */
export const INBOX_READER_OF_ALL: Body = BODY.OPS;

export function accessOf(action: Action, body: Body): Access {
  return PERMISSIONS[action][body];
}
