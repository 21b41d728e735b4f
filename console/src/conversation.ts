/**
 * The conversation on a stage, read from the entry's audit trail: the last decision on it (who,
 * when, the outcome, the reason and the conditions) and what the Party submitted since. The Party
 * sees why a stage came back beside its form; the approver sees what was decided last time beside
 * theirs; an officer whose decision came too late is told who decided first, and when.
 */
import type { Schemas, StageSummary } from './api';
import { day, words } from './format';

export type AuditRecord = Schemas['AuditRecord'];

const sameStage = (r: AuditRecord, s: Pick<StageSummary, 'stage' | 'role'>) => r.stage === s.stage && (r.role ?? null) === (s.role ?? null);

/** The latest decision recorded on this stage (this role's, for a role stage), if any. */
export function lastDecision(records: readonly AuditRecord[] | undefined, s: Pick<StageSummary, 'stage' | 'role'>): AuditRecord | undefined {
  return [...(records ?? [])].reverse().find((r) => r.action === 'DECISION' && sameStage(r, s));
}

/** The Party's submissions on this stage after the record `since` (all of them when there is none). */
export function submissionsSince(records: readonly AuditRecord[] | undefined, s: Pick<StageSummary, 'stage' | 'role'>, since?: AuditRecord): AuditRecord[] {
  return (records ?? []).filter((r) => r.action === 'SUBMISSION' && sameStage(r, s) && r.seq > (since?.seq ?? -1));
}

/** 'Dana Smith (DCC)': the person as the audit record names them, and their body. */
export function whoInWords(p: AuditRecord['principal']): string {
  return `${p.name ?? p.id} (${words(p.body)})`;
}

const TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });

/** 'at 10:14 UTC today' or 'on 3 Jun 2027 at 10:14 UTC' (the console writes times in UTC). */
export function whenInWords(at: string, now: Date = new Date()): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return `at ${at}`;
  const time = `${TIME.format(d)} UTC`;
  return at.slice(0, 10) === now.toISOString().slice(0, 10) ? `at ${time} today` : `on ${day(at)} at ${time}`;
}

/** 'User Security Assessment was already decided by Dana Smith (SEC Panel) at 10:14 UTC today: Deferred.' */
export function alreadyDecided(title: string, decision: AuditRecord | undefined, now?: Date): string {
  if (!decision) return `${title} is no longer waiting for your decision.`;
  return `${title} was already decided by ${whoInWords(decision.principal)} ${whenInWords(decision.at, now)}: ${words(decision.outcome)}.`;
}
