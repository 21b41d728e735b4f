/**
 * Builds the notifications the engine decides to send: who receives them and one line and a
 * few sentences a person can act on. Delivery belongs to activities/.
 * Recipients: PARTY_CONTACT is the entry's UEP contact; BODY recipients are the bodies' desks.
 */
import { workingDaysBetween } from './calendar';
import { getCatalogue, stageDef } from './catalogue';
import { daysBetween, toDate, toIso } from './dates';
import { refLabel, type EntryState, type StageRecord } from './state';
import type { Notification, NotificationKind, Recipient } from './types';
import { BODY, STAGE_STATE, type Body } from './vocabulary';

export function partyContact(state: EntryState): Recipient {
  return { kind: 'PARTY_CONTACT', name: state.uepContact.name, email: state.uepContact.email };
}

export function bodyRecipient(body: Body): Recipient {
  return { kind: 'BODY', body };
}

/** Roles still pending, e.g. 'GAS_SUPPLIER, IMPORT_SUPPLIER'. */
export function pendingRoles(state: EntryState): string[] {
  return state.roles.filter((r) => state.roleCompletedAt[r] === undefined);
}

/** Who is awaited on what: 'DCC (UEPT for GAS_SUPPLIER, due 2026-12-04)'. */
export function awaitingPhrase(state: EntryState, record: StageRecord): string {
  const catalogue = getCatalogue(state.catalogueVersion);
  const def = stageDef(catalogue, record.stage);
  if (record.state === STAGE_STATE.AWAITING_PARTY) return `${BODY.PARTY} (${refLabel(record)}: ${def.submission ?? 'a submission'})`;
  return `${def.owner} (${refLabel(record)}, due ${record.slaDue ?? '?'})`;
}

export function awaitingSentence(state: EntryState): string {
  const open = state.stages.filter((s) => s.state === STAGE_STATE.AWAITING_PARTY || s.state === STAGE_STATE.AWAITING_DECISION);
  if (open.length === 0) return 'Nothing is awaited at the moment.';
  return `Awaiting: ${open.map((s) => awaitingPhrase(state, s)).join('; ')}.`;
}

export interface NotificationFields {
  id: string;
  kind: NotificationKind;
  recipients: Recipient[];
  dueAtMs: number;
  subject: string;
  body: string;
  stage?: Notification['stage'];
  role?: Notification['role'];
  awaitedBody?: Body;
  /** The date the notification is about; days left are counted from the due date to it. */
  deadline?: string;
}

export function makeNotification(state: EntryState, f: NotificationFields): Notification {
  const n: Notification = {
    id: f.id,
    kind: f.kind,
    entryId: state.entryId,
    partyId: state.partyId,
    partyName: state.partyName,
    recipients: f.recipients,
    dueAt: toIso(f.dueAtMs),
    subject: f.subject,
    body: f.body,
  };
  if (f.stage !== undefined) n.stage = f.stage;
  if (f.role !== undefined) n.role = f.role;
  if (f.awaitedBody !== undefined) n.awaitedBody = f.awaitedBody;
  if (f.deadline !== undefined) {
    const from = toDate(f.dueAtMs);
    n.deadline = f.deadline;
    n.calendarDaysLeft = daysBetween(from, f.deadline);
    n.workingDaysLeft = workingDaysBetween(from, f.deadline, state.calendarVersion);
  }
  return n;
}
