/**
 * Notices to one person, in words: a stage an officer gave them (STAGE_ASSIGNED), and the daily
 * digest of what waits for them. Who is told and when is the record's and the worker's
 * (record/person-notices.ts, worker/person-notices.ts); this module only says it. Dates as people
 * write them ('14 Dec 2026'), the role in words, the Party by its name.
 */
import { holderInWords } from './claims';
import { dayInWords } from './meetings';
import { bodyInWords, roleInWords } from './wording';
import { NOTIFICATION_KIND, type ClaimHolder, type Notification } from './types';
import type { Body, StageId, UserRole } from './vocabulary';

/** How a person is told: each notice at once (the default), or one email a day listing what waits for them. */
export const NOTICE_CADENCE = { IMMEDIATE: 'IMMEDIATE', DAILY_DIGEST: 'DAILY_DIGEST' } as const;
export type NoticeCadence = (typeof NOTICE_CADENCE)[keyof typeof NOTICE_CADENCE];
export const DEFAULT_NOTICE_CADENCE: NoticeCadence = NOTICE_CADENCE.IMMEDIATE;

/** A stage an officer gave to a colleague, as the record has it when the claim is committed. */
export interface AssignedStage {
  entryId: string;
  partyId: string;
  partyName: string;
  stage: StageId;
  role?: UserRole;
  /** The stage's title, as the inbox shows it */
  title: string;
  awaiting: Body;
  /** 'YYYY-MM-DD', or null when the stage has no due date */
  dueBy: string | null;
  assignee: ClaimHolder & { email?: string };
  assignedBy: ClaimHolder;
  /** ISO instant of the assignment */
  at: string;
}

/** 'Credit Cover', 'UEP Testing (UEPT), for the Import Supplier role' */
export function stageTitleInWords(title: string, role: UserRole | undefined): string {
  return role ? `${title}, for the ${roleInWords(role)} role` : title;
}

/** 'due 14 Dec 2026', 'overdue since 1 Dec 2026', or 'with no due date', seen on `today` ('YYYY-MM-DD'). */
export function dueInWords(dueBy: string | null, today: string): string {
  if (!dueBy) return 'with no due date';
  return dueBy < today ? `overdue since ${dayInWords(dueBy)}` : `due ${dayInWords(dueBy)}`;
}

/** One id per assignment: the same stage given to the same person again later is a new notice. */
export function stageAssignedId(a: Pick<AssignedStage, 'entryId' | 'stage' | 'role' | 'assignee' | 'at'>): string {
  return `${a.entryId}:${NOTIFICATION_KIND.STAGE_ASSIGNED}:${a.role ? `${a.stage}.${a.role}` : a.stage}:${a.assignee.id}:${Date.parse(a.at)}`;
}

/** The notice to the person a stage was assigned to: mailed to them, and their body's webhooks get the same event. */
export function stageAssignedNotice(a: AssignedStage): Notification {
  const what = stageTitleInWords(a.title, a.role);
  const by = holderInWords(a.assignedBy, a.awaiting);
  const today = a.at.slice(0, 10);
  const due = dueInWords(a.dueBy, today);
  return {
    id: stageAssignedId(a),
    kind: NOTIFICATION_KIND.STAGE_ASSIGNED,
    entryId: a.entryId,
    partyId: a.partyId,
    partyName: a.partyName,
    recipients: [{ kind: 'PERSON', body: a.awaiting, id: a.assignee.id, name: a.assignee.name ?? a.assignee.id, ...(a.assignee.email ? { email: a.assignee.email } : {}) }],
    dueAt: a.at,
    subject: `${a.partyName}: ${what} is assigned to you by ${a.assignedBy.name ?? a.assignedBy.id}, ${due}`,
    body: [
      `${by} assigned ${a.partyName}'s ${what} to you on ${dayInWords(today)}: it waits for ${bodyInWords(a.awaiting)}'s decision, ${due}.`,
      'Open it in the console to see the submission and decide; it shows in your inbox as assigned to you.',
    ].join('\n\n'),
    stage: a.stage,
    ...(a.role ? { role: a.role } : {}),
    awaitedBody: a.awaiting,
  };
}

/** One line of a digest: a stage that waits for the person (assigned to them) or for their body. */
export interface DigestItem {
  partyId: string;
  partyName: string;
  stage: StageId;
  role?: UserRole;
  title: string;
  dueBy: string | null;
  /** Who gave it to the person, when it is assigned to them */
  assignedBy?: ClaimHolder;
  /** Who of the body works it, when someone else does */
  heldBy?: ClaimHolder;
  /** Where the person acts on it */
  link: string;
}

export interface Digest {
  subject: string;
  /** The plain-text mail: sections, one line and its link per item */
  text: string;
  overdue: number;
}

/** The daily digest for `person` of `body` on `day` ('YYYY-MM-DD'): what is assigned to them, then what else waits for their body. */
export function digestOf(person: ClaimHolder, body: Body, day: string, assigned: readonly DigestItem[], waiting: readonly DigestItem[]): Digest {
  const all = [...assigned, ...waiting];
  const overdue = all.filter((i) => i.dueBy !== null && i.dueBy < day).length;
  const line = (i: DigestItem) => {
    const who = i.assignedBy ? ` (assigned by ${i.assignedBy.name ?? i.assignedBy.id})` : i.heldBy ? ` (with ${i.heldBy.name ?? i.heldBy.id})` : '';
    return [`- ${i.partyName}: ${stageTitleInWords(i.title, i.role)}, ${dueInWords(i.dueBy, day)}${who}`, `  ${i.link}`];
  };
  const section = (heading: string, items: readonly DigestItem[]) => (items.length === 0 ? [] : [`${heading} (${items.length}):`, ...items.flatMap(line), '']);
  const count = `${all.length} ${all.length === 1 ? 'item waits' : 'items wait'}`;
  return {
    subject: `UEP digest for ${dayInWords(day)}: ${count} for you${overdue > 0 ? `, ${overdue} overdue` : ''}`,
    text: [
      `Good morning ${person.name ?? person.id},`,
      '',
      all.length === 0 ? `Nothing waits for you or for ${bodyInWords(body)} today.` : `${count} for you or for ${bodyInWords(body)} on ${dayInWords(day)}.`,
      '',
      ...section('Assigned to you', assigned),
      ...section(`Waiting for ${bodyInWords(body)}`, waiting),
      'You get this digest once a day because you chose it in the console (Settings); choose "at once" there to be told of each assignment as it happens.',
      '',
    ].join('\n'),
    overdue,
  };
}
