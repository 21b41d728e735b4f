/**
 * What a notification looks like to a person and to a machine: plain text and HTML mail bodies,
 * the iCalendar event of its deadline, and the webhook JSON. Pure functions of the notification
 * and the link bases (the one clock read is the DTSTAMP of the calendar event).
 */
import { createHash } from 'node:crypto';
import ical, { ICalAlarmType, ICalCalendarMethod, ICalEventBusyStatus, ICalEventStatus, ICalEventTransparency } from 'ical-generator';
import { temporalUiLink } from '../config/temporal';
import { dateParts } from '../domain/dates';
import { NOTIFICATION_KIND, type Notification } from '../domain/types';
import { BODY, type Body } from '../domain/vocabulary';
import type { LinkBases } from './config';
import type { TargetRecipient } from './recipients';

const BODY_LABEL: Record<Body, string> = {
  [BODY.DCC]: 'DCC (the Data Communications Company)',
  [BODY.SEC_PANEL]: 'the SEC Panel',
  [BODY.SECAS]: 'SECAS (the Code Administrator)',
  [BODY.PARTY]: 'the Party',
  [BODY.OPS]: 'UEP operations',
};

const ACRONYMS = new Set(['ID', 'DCC', 'SEC', 'SECAS', 'SMKI', 'SREPT', 'UEP', 'UEPT', 'SLA', 'DNO']);

/** 'SECURITY_ASSESSMENT' -> 'Security assessment', 'SMKI_SREPT' -> 'SMKI SREPT'. */
export function humanise(id: string): string {
  return id
    .split('_')
    .map((w, i) => (ACRONYMS.has(w) ? w : i === 0 ? w.charAt(0) + w.slice(1).toLowerCase() : w.toLowerCase()))
    .join(' ');
}

export function bodyLabel(body: Body, partyName?: string): string {
  return body === BODY.PARTY && partyName ? `the Party (${partyName})` : BODY_LABEL[body];
}

/** Reminder kinds: they are about a deadline, and their mail carries it as a calendar event. */
export const REMINDER_KINDS: readonly Notification['kind'][] = [NOTIFICATION_KIND.MANDATE_REMINDER, NOTIFICATION_KIND.SLA_REMINDER];

export interface NotificationLinks {
  /**
   * The entry's page in the web console: where a person acts on it (signs in there first). For a
   * DECISION_DUE or a STAGE_ASSIGNED, the stage on that page (`#CREDIT_COVER`, `#UEPT.GAS_SUPPLIER`), where the decide form is.
   */
  entry: string;
  /** The entry in the API (token-gated JSON): for machines, never the link a person is sent to. */
  api: string;
  /** The entry's workflow in the Temporal Web UI: for the bodies' desks, never for a Party. */
  temporalUi?: string;
}

/** The links a message carries for this recipient (PARTY_CONTACT: the Party's UEP contact). */
export function notificationLinks(n: Notification, bases: LinkBases, recipient: TargetRecipient): NotificationLinks {
  const party = encodeURIComponent(n.partyId);
  const atStage = n.kind === NOTIFICATION_KIND.DECISION_DUE || n.kind === NOTIFICATION_KIND.STAGE_ASSIGNED;
  const item = atStage && n.stage ? `#${encodeURIComponent(n.role ? `${n.stage}.${n.role}` : n.stage)}` : '';
  return {
    entry: `${bases.consolePublicUrl.replace(/\/$/, '')}/entries/${party}${item}`,
    api: `${bases.apiPublicUrl.replace(/\/$/, '')}/v1/entries/${party}`,
    ...(recipient === 'PARTY_CONTACT' ? {} : { temporalUi: temporalUiLink(bases.temporalUi, n.entryId) }),
  };
}

// Made once: building an Intl.DateTimeFormat costs about 90 µs, formatting with one about 1 µs.
const WEEKDAY = new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'UTC' });
const MONTH = new Intl.DateTimeFormat('en-GB', { month: 'long', timeZone: 'UTC' });

/** '2026-06-12' -> 'Friday 12 June 2026'; anything else unchanged. */
export function formatDate(date: string): string {
  const parts = dateParts(date);
  if (!parts) return date;
  const d = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2]));
  return `${WEEKDAY.format(d)} ${parts[2]} ${MONTH.format(d)} ${parts[0]}`;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** Beyond this many calendar days overdue, a deadline is said to have passed months or years ago. */
const LONG_OVERDUE_DAYS = 31;

/** '3 months', '8 years': how long ago, as a person would round it. */
function longAgo(calendarDays: number): string {
  return calendarDays < 730 ? plural(Math.floor(calendarDays / 30.44), 'month') : plural(Math.floor(calendarDays / 365.25), 'year');
}

/**
 * '23 working days (33 calendar days) left', '2 working days (4 calendar days) overdue', or, a
 * month and more after the deadline, 'passed 3 months ago' (never '2281 working days overdue').
 */
export function daysLeft(n: Pick<Notification, 'workingDaysLeft' | 'calendarDaysLeft'>): string | undefined {
  const { workingDaysLeft: w, calendarDaysLeft: c } = n;
  if (w === undefined && c === undefined) return undefined;
  if ((w ?? 0) === 0 && (c ?? 0) === 0) return 'due today';
  const overdue = (w ?? c ?? 0) < 0;
  if (overdue && c !== undefined && -c >= LONG_OVERDUE_DAYS) return `passed ${longAgo(-c)} ago`;
  const working = w !== undefined ? plural(Math.abs(w), 'working day') : undefined;
  const calendar = c !== undefined ? plural(Math.abs(c), 'calendar day') : undefined;
  const amount = working && calendar ? `${working} (${calendar})` : (working ?? calendar);
  return `${amount} ${overdue ? 'overdue' : 'left'}`;
}

/** The facts of a notification as label/value rows, shared by the text and HTML bodies. */
export function factRows(n: Notification): [string, string][] {
  const rows: [string, string][] = [['Party', `${n.partyName} (${n.partyId})`]];
  if (n.stage) rows.push(['Stage', humanise(n.stage)]);
  if (n.role) rows.push(['Role', humanise(n.role)]);
  if (n.awaitedBody) rows.push(['Awaiting', bodyLabel(n.awaitedBody, n.partyName)]);
  if (n.reference) rows.push(['Submitted', n.reference]);
  if (n.deadline) {
    const left = daysLeft(n);
    rows.push(['Deadline', `${formatDate(n.deadline)}${left ? `: ${left}` : ''}`]);
  }
  rows.push(['About', humanise(n.kind)]);
  return rows;
}

export const mailSubject = (n: Notification) => `[UEP] ${n.subject}`;

export function renderText(n: Notification, links: NotificationLinks): string {
  const facts = factRows(n);
  const width = Math.max(...facts.map(([k]) => k.length)) + 2;
  return [
    n.body,
    '',
    ...facts.map(([k, v]) => `${`${k}:`.padEnd(width)}${v}`),
    '',
    `Open the entry:        ${links.entry}`,
    ...(links.temporalUi ? [`Workflow in Temporal:  ${links.temporalUi}`] : []),
    '',
    `Notification ${n.id}. Every copy of this notification carries the same id; a repeat can be ignored.`,
    '',
  ].join('\n');
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

export function renderHtml(n: Notification, links: NotificationLinks): string {
  const rows = factRows(n)
    .map(([k, v]) => `<tr><th align="left" style="padding:2px 12px 2px 0">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('');
  const paragraphs = n.body
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
  return [
    '<!doctype html><html><body style="font-family:sans-serif">',
    `<h2 style="font-size:1.1em">${escapeHtml(n.subject)}</h2>`,
    paragraphs,
    `<table>${rows}</table>`,
    `<p><a href="${escapeHtml(links.entry)}">Open the entry</a>${links.temporalUi ? ` &middot; <a href="${escapeHtml(links.temporalUi)}">Workflow in Temporal</a>` : ''}</p>`,
    `<p style="color:#666;font-size:0.85em">Notification ${escapeHtml(n.id)}. Every copy carries the same id; a repeat can be ignored.</p>`,
    '</body></html>',
  ].join('\n');
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * What the calendar event stands for: one event per entry and deadline purpose, so reminders at
 * 90, 60, 30... days about the same deadline update one event (and an amended deadline moves it).
 */
function calendarPurpose(n: Notification): string {
  if (n.kind.startsWith('MANDATE') || n.kind === NOTIFICATION_KIND.BREACH_REMINDER || n.kind === NOTIFICATION_KIND.DEADLINE_AMENDED) {
    return 'mandate';
  }
  return `${n.kind.startsWith('SLA') ? 'sla' : n.kind}:${n.stage ?? ''}:${n.role ?? ''}:${n.awaitedBody ?? ''}`;
}

export function calendarUid(n: Notification): string {
  return `${sha256(`${n.entryId}\n${calendarPurpose(n)}`).slice(0, 32)}@uep-engine`;
}

/** An all-day event on the deadline with an alarm at 09:00 the day before; undefined without a deadline. */
export function renderIcs(n: Notification, links: NotificationLinks): string | undefined {
  const start = n.deadline ? dateParts(n.deadline) : undefined;
  if (!start) return undefined;
  const what = n.stage ? `${humanise(n.stage)}${n.role ? ` (${humanise(n.role)})` : ''}` : 'UEP mandate deadline';
  // Later notifications about the same event must win in calendars that compare SEQUENCE.
  const sequence = Math.max(0, Math.floor((Date.parse(n.dueAt) - Date.UTC(2020, 0, 1)) / 60_000)) || 0;
  const calendar = ical({ prodId: { company: 'uep-engine', product: 'notifications' }, method: ICalCalendarMethod.PUBLISH });
  calendar.createEvent({
    id: calendarUid(n),
    sequence,
    summary: `UEP deadline: ${n.partyName}: ${what}`,
    description: [n.body, '', ...factRows(n).map(([k, v]) => `${k}: ${v}`), '', `Entry: ${links.entry}`].join('\n'),
    url: links.entry,
    allDay: true,
    start: new Date(Date.UTC(start[0], start[1] - 1, start[2])),
    end: new Date(Date.UTC(start[0], start[1] - 1, start[2] + 1)),
    status: ICalEventStatus.CONFIRMED,
    busystatus: ICalEventBusyStatus.FREE,
    transparency: ICalEventTransparency.TRANSPARENT,
    categories: [{ name: 'UEP' }],
    alarms: [{ type: ICalAlarmType.display, description: `UEP deadline tomorrow: ${n.partyName}: ${what}`, triggerBefore: 15 * 3600 }],
  });
  return calendar.toString();
}

/** The JSON a webhook subscriber receives (docs/webhooks.md). */
export interface WebhookPayload {
  /** The notification id: the same on every delivery of this notification; deduplicate on it. */
  id: string;
  type: 'uep.notification';
  kind: Notification['kind'];
  /** Which body (or PARTY_CONTACT) this subscriber was configured for. */
  recipient: TargetRecipient;
  entryId: string;
  party: { id: string; name: string };
  stage: Notification['stage'] | null;
  role: Notification['role'] | null;
  awaitedBody: Body | null;
  /** What the Party submitted for the stage, its reference (DECISION_DUE after a submission); else null. */
  reference: string | null;
  deadline: string | null;
  workingDaysLeft: number | null;
  calendarDaysLeft: number | null;
  dueAt: string;
  subject: string;
  text: string;
  links: NotificationLinks;
}

export function webhookPayload(n: Notification, recipient: TargetRecipient, links: NotificationLinks): WebhookPayload {
  return {
    id: n.id,
    type: 'uep.notification',
    kind: n.kind,
    recipient,
    entryId: n.entryId,
    party: { id: n.partyId, name: n.partyName },
    stage: n.stage ?? null,
    role: n.role ?? null,
    awaitedBody: n.awaitedBody ?? null,
    reference: n.reference ?? null,
    deadline: n.deadline ?? null,
    workingDaysLeft: n.workingDaysLeft ?? null,
    calendarDaysLeft: n.calendarDaysLeft ?? null,
    dueAt: n.dueAt,
    subject: n.subject,
    text: n.body,
    links,
  };
}
