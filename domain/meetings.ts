/**
 * Meetings as data: the SEC Panel's and the SSC's meetings, each with its paper cut-off, as SECAS
 * publishes them (the SEC fixes no dates; the Panel meets once a month). The calendar is versioned:
 * an entry holds the version it was last given, and a stage decided at a meeting (catalogue v2's
 * `decidedAt`) waits for the first meeting whose cut-off follows its submission
 * (docs/domain.md, "Meetings").
 */
import { isValidDate } from './dates';
import { words } from './vocabulary';

export const MEETING_BODY = words('SEC_PANEL', 'SSC');
export type MeetingBody = (typeof MEETING_BODY)[keyof typeof MEETING_BODY];

export interface Meeting {
  /** Stable across moves, e.g. 'PANEL-2027-01'. */
  id: string;
  body: MeetingBody;
  /** The meeting's date. */
  date: string;
  /** The last day papers for it are taken. */
  papersBy: string;
  cancelled?: boolean;
}

export interface MeetingCalendar {
  /** 1, 2, ...: every change is a new version. */
  version: number;
  meetings: Meeting[];
}

/** The meeting a stage submitted on `submittedOn` is decided at: the first (not cancelled) whose cut-off is on or after it. */
export function meetingFor(calendar: MeetingCalendar | undefined, body: MeetingBody, submittedOn: string): Meeting | undefined {
  return (calendar?.meetings ?? [])
    .filter((m) => m.body === body && !m.cancelled && m.papersBy >= submittedOn)
    .sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id))[0];
}

export function sameMeeting(a: Meeting | undefined, b: Meeting | undefined): boolean {
  return a?.id === b?.id && a?.date === b?.date && a?.papersBy === b?.papersBy;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** '2027-01-14' as '14 Jan 2027' (or '14 Jan' without the year). */
export function dayInWords(date: string, withYear = true): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return `${d} ${MONTHS[m - 1] ?? '?'}${withYear ? ` ${y}` : ''}`;
}

const BODY_WORDS: Record<MeetingBody, string> = { SEC_PANEL: 'Panel', SSC: 'SSC' };

/** 'next Panel 14 Jan 2027 (papers by 5 Jan)' ('' as `lead`: 'Panel 14 Jan 2027 (papers by 5 Jan)'). */
export function meetingPhrase(m: Pick<Meeting, 'body' | 'date' | 'papersBy'>, lead = 'next '): string {
  const sameYear = m.papersBy.slice(0, 4) === m.date.slice(0, 4);
  return `${lead}${BODY_WORDS[m.body]} ${dayInWords(m.date)} (papers by ${dayInWords(m.papersBy, !sameYear)})`;
}

/**
 * How an entry refuses a calendar version no newer than the one it holds (domain/guards.ts): the
 * meeting calendar's push (worker/meetings-push.ts) counts an entry that answers so as done.
 */
export function calendarHeldWords(held: number): string {
  return `the entry already holds meeting calendar version ${held}`;
}

/** The version a refusal in calendarHeldWords's words says the entry holds, or undefined for any other refusal. */
export function calendarHeldIn(message: string): number | undefined {
  const held = /the entry already holds meeting calendar version (\d+)/.exec(message)?.[1];
  return held === undefined ? undefined : Number(held);
}

/** Why a calendar cannot be taken, or undefined. */
export function calendarProblem(calendar: MeetingCalendar): string | undefined {
  if (!Number.isInteger(calendar.version) || calendar.version < 1) return 'version must be a whole number from 1';
  const ids = new Set<string>();
  for (const m of calendar.meetings) {
    if (ids.has(m.id)) return `meeting ${m.id} is listed twice`;
    ids.add(m.id);
    if (!isValidDate(m.date) || !isValidDate(m.papersBy)) return `meeting ${m.id}: date and papersBy must be 'YYYY-MM-DD' dates`;
    if (m.papersBy > m.date) return `meeting ${m.id}: papers are due by ${m.papersBy}, after the meeting on ${m.date}`;
  }
  return undefined;
}
