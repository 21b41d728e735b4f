/**
 * Timed notifications: mandate reminders, breach and weekly breach reminders, SLA reminders and
 * escalations. The schedule is derived from the state each time (nothing to keep in step); the
 * state only remembers which ids were sent.
 *
 * Conventions (all instants UTC):
 * - a mandate reminder for offset k fires at 09:00 on (deadline date - k calendar days); only
 *   those not yet passed when the deadline version was set (entry start or amendment) are sent;
 * - the deadline date is the last permitted day, so the breach fires at 00:00 the day after
 *   (or at once, when a deadline version is set already passed);
 * - weekly breach reminders fire at 09:00 every 7 days after the breach date; from rules
 *   version 2 on the first working day on or after that day (never a weekend or bank holiday);
 * - SLA: due date = addWorkingDays(date awaiting began, SLA); the owner's reminder fires at 09:00
 *   on the next working day after the due date; OPS's escalation likewise for 2 x SLA. A decision
 *   taken at a meeting (catalogue v2) falls due on the meeting's date instead, and OPS's escalation
 *   on the response time after it.
 */
import { addWorkingDays, nextWorkingDay, workingDayOnOrAfter } from './calendar';
import { getCatalogue, slaOf, stageDef, type StageDef } from './catalogue';
import { addDays, atHourUtc, toDate } from './dates';
import { notificationIds } from './ids';
import { breachReminder, mandateBreach, mandateReminder, partyBreach, slaEscalation, slaReminder } from './notifications';
import { RULES_VERSION, rulesAtLeast } from './rules';
import { refKey, type EntryState, type StageRecord } from './state';
import { NOTIFICATION_KIND, type Notification } from './types';
import { ENTRY_STATUS, STAGE_STATE } from './vocabulary';

export const REMINDER_HOUR_UTC = 9;
export const BREACH_HOUR_UTC = 0;
export const BREACH_REMINDER_INTERVAL_DAYS = 7;

export interface TimedItem {
  at: number;
  id: string;
  build: () => Notification;
}

/** The instant the entry is in breach of a deadline (00:00 UTC the day after the last permitted day). */
export function breachInstant(deadline: string): number {
  return atHourUtc(addDays(deadline, 1), BREACH_HOUR_UTC);
}

export function mandateReminderInstant(deadline: string, offsetDays: number): number {
  return atHourUtc(addDays(deadline, -offsetDays), REMINDER_HOUR_UTC);
}

/** The instant of the weekly breach reminder of `week` (1, 2, ...) after the breach date. */
export function breachReminderInstant(state: EntryState, breachDate: string, week: number): number {
  const day = addDays(breachDate, week * BREACH_REMINDER_INTERVAL_DAYS);
  const date = rulesAtLeast(state, RULES_VERSION.V2) ? workingDayOnOrAfter(day, state.calendarVersion) : day;
  return atHourUtc(date, REMINDER_HOUR_UTC);
}

/** The instant of the SLA reminder (multiple 1) or escalation (multiple 2) of an episode begun at sinceMs. */
export function slaInstant(sinceMs: number, slaWorkingDays: number, multiple: number, calendar: string): { due: string; at: number } {
  const due = addWorkingDays(toDate(sinceMs), slaWorkingDays * multiple, calendar);
  return { due, at: atHourUtc(nextWorkingDay(due, calendar), REMINDER_HOUR_UTC) };
}

function mandateItems(state: EntryState, now: number): TimedItem[] {
  const { deadline, version, setAtMs } = state.mandate;
  if (deadline === null) return [];
  const items: TimedItem[] = [];
  for (const k of state.reminderOffsetsDays) {
    const at = mandateReminderInstant(deadline, k);
    if (at < setAtMs) continue;
    items.push({ at, id: notificationIds.mandateReminder(state.entryId, k, version), build: () => mandateReminder(state, deadline, k, at) });
  }
  const breachAt = Math.max(breachInstant(deadline), setAtMs);
  items.push({ at: breachAt, id: notificationIds.mandateBreach(state.entryId, version), build: () => mandateBreach(state, deadline, breachAt) });
  if (rulesAtLeast(state, RULES_VERSION.V4)) {
    items.push({ at: breachAt, id: notificationIds.partyBreach(state.entryId, version), build: () => partyBreach(state, deadline, breachAt) });
  }
  // Weekly reminders after the breach date; generated up to the first one still ahead of now.
  const breachDate = toDate(breachAt);
  for (let week = 1; ; week++) {
    const at = breachReminderInstant(state, breachDate, week);
    items.push({
      at,
      id: notificationIds.breachReminder(state.entryId, week, version),
      build: () => breachReminder(state, deadline, week, at, breachInstant(deadline)),
    });
    if (at > now) break;
  }
  return items;
}

/**
 * When the owner is reminded (the working day after the decision fell due) and OPS told (the
 * working day after twice the response time). A decision at a meeting falls due on the meeting's
 * date, and OPS is told the response time after it.
 */
export function decisionChasers(state: EntryState, record: StageRecord, def: StageDef, sinceMs: number): { reminder: { due: string; at: number }; escalation: { due: string; at: number } } {
  const sla = slaOf(def, state.durationSettings);
  const calendar = state.calendarVersion;
  if (!record.meeting) return { reminder: slaInstant(sinceMs, sla, 1, calendar), escalation: slaInstant(sinceMs, sla, 2, calendar) };
  const due = record.meeting.date;
  const twice = addWorkingDays(due, sla, calendar);
  const atAfter = (date: string) => atHourUtc(nextWorkingDay(date, calendar), REMINDER_HOUR_UTC);
  return { reminder: { due, at: atAfter(due) }, escalation: { due: twice, at: atAfter(twice) } };
}

function slaItems(state: EntryState): TimedItem[] {
  const catalogue = getCatalogue(state.catalogueVersion);
  const items: TimedItem[] = [];
  for (const record of state.stages) {
    const sinceMs = record.sinceMs;
    if (record.state !== STAGE_STATE.AWAITING_DECISION || sinceMs === undefined) continue;
    const def = stageDef(catalogue, record.stage);
    const key = refKey(record);
    const { reminder, escalation } = decisionChasers(state, record, def, sinceMs);
    const dates = { sinceMs, due: reminder.due, twiceDue: escalation.due };
    items.push({
      at: reminder.at,
      id: notificationIds.slaReminder(state.entryId, key, record.attempts),
      build: () => slaReminder(state, record, def, dates, reminder.at),
    });
    items.push({
      at: escalation.at,
      id: notificationIds.slaEscalation(state.entryId, key, record.attempts),
      build: () => slaEscalation(state, record, def, dates, escalation.at),
    });
  }
  return items;
}

const KIND_ORDER: readonly string[] = [
  NOTIFICATION_KIND.MANDATE_BREACH,
  NOTIFICATION_KIND.BREACH_REMINDER,
  NOTIFICATION_KIND.MANDATE_REMINDER,
  NOTIFICATION_KIND.SLA_ESCALATION,
  NOTIFICATION_KIND.SLA_REMINDER,
];

function kindRank(id: string): number {
  return KIND_ORDER.findIndex((k) => id.includes(`:${k}:`));
}

/**
 * Every timed notification not yet sent: those due at or before `now`, and the future ones
 * (the open-ended weekly breach reminders only up to the first one after `now`). Sorted by
 * instant. Empty once the entry is closed.
 */
export function pendingTimedItems(state: EntryState, now: number): TimedItem[] {
  if (state.status !== ENTRY_STATUS.IN_PROGRESS) return [];
  const sent = new Set(state.sentNotificationIds);
  return [...mandateItems(state, now), ...slaItems(state)]
    .filter((i) => !sent.has(i.id))
    .sort((a, b) => a.at - b.at || kindRank(a.id) - kindRank(b.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
