/** How the console writes dates, codes and counts. */

const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const DATE_TIME = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });

/** '2027-06-30' or an ISO instant -> '30 Jun 2027' */
export function day(value: string | null | undefined): string {
  if (!value) return '—';
  const d = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  return Number.isNaN(d.getTime()) ? value : DATE.format(d);
}

export function dayTime(value: string | null | undefined): string {
  if (!value) return '—';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : `${DATE_TIME.format(d)} UTC`;
}

/** 'SEC_PANEL' -> 'SEC Panel', 'IMPORT_SUPPLIER' -> 'Import supplier' */
export function words(code: string | null | undefined): string {
  if (!code) return '—';
  const special: Record<string, string> = { SEC_PANEL: 'SEC Panel', DCC: 'DCC', SECAS: 'SECAS', OPS: 'Operations', PARTY: 'Party', UEPT: 'UEPT', SMKI_SREPT: 'SMKI / SREPT', DCC_GATEWAY: 'DCC Gateway', ID_ALLOCATION: 'ID allocation', USER_ID: 'User ID', UEP_COMPLETION: 'UEP completion' };
  if (special[code]) return special[code];
  const s = code.toLowerCase().replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * A start's audit comment in words: the engine writes 'roles IMPORT_SUPPLIER, GAS_SUPPLIER;
 * catalogue v2; calendar ew-2026-11' (domain/entry-machine.ts); a part it does not know is shown as written.
 */
export function startInWords(comment: string): string {
  return comment
    .split('; ')
    .map((part) => {
      const space = part.indexOf(' ');
      const key = part.slice(0, space);
      const value = part.slice(space + 1);
      if (key === 'roles') return `User Roles: ${value.split(', ').map(words).join(', ')}`;
      if (key === 'catalogue') return `stage catalogue version ${value.replace(/^v/, '')}`;
      if (key === 'calendar') return `meeting calendar ${value}`;
      return part;
    })
    .join('; ');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** '+3 working days', 'due today', '2 working days overdue' */
export function daysLeft(n: number | null | undefined): string {
  if (n === null || n === undefined) return '';
  if (n === 0) return 'due today';
  return n > 0 ? `${plural(n, 'working day')} left` : `${plural(-n, 'working day')} overdue`;
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export interface AwaitedMeeting {
  body: string;
  date: string;
  papersBy: string;
}

/**
 * 'next Panel 14 Jan 2027 (papers by 5 Jan)': the meeting a decision is taken at, in the words the
 * engine's notices use (the cut-off's year only when it differs from the meeting's).
 */
export function meetingInWords(m: AwaitedMeeting, lead = 'next '): string {
  const sameYear = m.papersBy.slice(0, 4) === m.date.slice(0, 4);
  const papersBy = day(m.papersBy);
  return `${lead}${m.body === 'SSC' ? 'SSC' : 'Panel'} ${day(m.date)} (papers by ${sameYear ? papersBy.replace(/ \d{4}$/, '') : papersBy})`;
}

/** What a stage waits for, in the console's words. */
export function expectedInWords(s: {
  state: string;
  owner: string;
  dueBy?: string;
  meeting?: AwaitedMeeting;
  expected: string;
  allowedOutcomes: { outcome: string }[];
}): string {
  if (s.state !== 'AWAITING_DECISION') return s.expected;
  const when = s.meeting
    ? ` at the ${meetingInWords(s.meeting)}`
    : s.dueBy
      ? ` by ${day(s.dueBy)}`
      : '';
  return `${words(s.owner)} to decide${when}: ${s.allowedOutcomes.map((o) => words(o.outcome)).join(', ')}`;
}
