/**
 * The inbox and the compliance report over every entry, as of now, from the lines the record keeps
 * rendered (record/derived.ts): the API appends only what time moves (standingOf, inboxTimingOf)
 * and its links, so a read over thousands of entries parses and serialises none of the rest.
 */
import { closedOutsideEngineView, complianceOf, inboxOrder, inboxTimingOf, isClosedOutsideEngine, standingOf, type Compliance, type Standing } from '../domain';
import { toDate } from '../domain/dates';
import { ENTRY_STATUS, type Body, type Principal } from '../domain/vocabulary';
import { recordedInboxLines, recordedReportEntries, type RecordedInboxLine, type RecordedStandingFacts } from '../record/read';
import type { RecordContext } from './record-context';
import { entryLinksJson } from './links';
import { holderOf } from '../record/stage-claims';

/** Each entry's standing at `now`, computed once per distinct facts (many entries share theirs). */
function standingsAt(now: number): (e: RecordedStandingFacts) => Standing {
  const today = toDate(now);
  const known = new Map<string, Standing>();
  return (e) => {
    const key = `${e.status}|${e.remainingWorkingDays}|${e.mandateDeadline ?? ''}|${e.calendarVersion}`;
    let standing = known.get(key);
    if (!standing) {
      standing = standingOf({ inProgress: e.status === ENTRY_STATUS.IN_PROGRESS, remainingWorkingDays: e.remainingWorkingDays, mandateDeadline: e.mandateDeadline, calendarVersion: e.calendarVersion }, now, today);
      if (isClosedOutsideEngine(e.status)) standing = closedOutsideEngineView(standing);
      known.set(key, standing);
    }
    return standing;
  };
}

/** A rendered JSON object with more fields appended, given as JSON text (`,"name":value...`). */
const appended = (json: string, fields: string) => `${json.slice(0, -1)}${fields}}`;

/**
 * A body's inbox as of now (`body` null: every body's; `partyId`: one Party's), in the inbox's
 * order: the InboxResponse as JSON text.
 */
export async function inboxJson(ctx: RecordContext, body: Body | null, partyId?: string): Promise<string> {
  const lines = await recordedInboxLines(ctx.record, { ...(body !== null ? { body } : {}), ...(partyId !== undefined ? { partyId } : {}) });
  const now = ctx.now();
  const today = toDate(now);
  const standingOfEntry = standingsAt(now);
  const linksOf = entryLinksJson(ctx.config);
  const timings = new Map<string, string>(); // many lines share their due date
  const timingOf = (dueBy: string | null, calendarVersion: string): string => {
    const key = `${dueBy}|${calendarVersion}`;
    let timing = timings.get(key);
    if (timing === undefined) {
      const { overdue, workingDaysLeft } = inboxTimingOf(dueBy, today, calendarVersion);
      timing = `,"overdue":${overdue},"workingDaysLeft":${workingDaysLeft}`;
      timings.set(key, timing);
    }
    return timing;
  };
  const items = lines.map((l) => {
    const { atRisk, inBreach } = standingOfEntry(l);
    const rest = `,"atRisk":${atRisk},"inBreach":${inBreach},"claim":${claimJson(l)},"links":${linksOf(l.partyId)}`;
    return { dueBy: l.dueBy, awaitingSince: l.awaitingSince, partyId: l.partyId, json: appended(l.line, timingOf(l.dueBy, l.calendarVersion) + rest) };
  });
  items.sort(inboxOrder);
  return `{"body":${JSON.stringify(body)},"items":[${items.map((i) => i.json).join(',')}]}`;
}

/** The InboxItem's claim as JSON text: who works the stage, who gave it to them, since when. */
function claimJson(l: RecordedInboxLine): string {
  if (l.claimant === null || l.claimedBy === null || l.claimedAt === null) return 'null';
  const holder = (json: string) => holderOf(JSON.parse(json) as Principal);
  return JSON.stringify({ claimant: holder(l.claimant), claimedBy: holder(l.claimedBy), claimedAt: new Date(l.claimedAt).toISOString() });
}

/** A compliance row, rendered (ComplianceRow as JSON text), with what the report sorts and counts by. */
export interface RenderedComplianceRow {
  partyId: string;
  mandateDeadline: string | null;
  compliance: Compliance;
  json: string;
}

/** Every entry the record holds against its mandate deadline, as of now (unsorted). */
export async function complianceRows(ctx: RecordContext): Promise<RenderedComplianceRow[]> {
  const standingOfEntry = standingsAt(ctx.now());
  const linksOf = entryLinksJson(ctx.config);
  return (await recordedReportEntries(ctx.record)).map((e) => {
    const { forecast, atRisk, inBreach } = standingOfEntry(e);
    const closedAt = e.closedAtMs === null ? null : new Date(e.closedAtMs).toISOString();
    const compliance = complianceOf({ status: e.status, mandateDeadline: e.mandateDeadline, ...(closedAt ? { closedAt } : {}), atRisk, inBreach });
    const completedAt = e.status === ENTRY_STATUS.COMPLETE ? closedAt : null;
    const awaitedBodies = isClosedOutsideEngine(e.status) ? JSON.stringify(closedOutsideEngineView({ awaitedBodies: JSON.parse(e.awaitedBodiesJson) as Body[] }).awaitedBodies) : e.awaitedBodiesJson;
    const json = appended(
      e.line,
      `,"status":${JSON.stringify(e.status)},"forecastCompletion":${JSON.stringify(forecast)},"completedAt":${JSON.stringify(completedAt)},"atRisk":${atRisk},"inBreach":${inBreach},"compliance":${JSON.stringify(compliance)},"awaitedBodies":${awaitedBodies},"links":${linksOf(e.partyId)}`,
    );
    return { partyId: e.partyId, mandateDeadline: e.mandateDeadline, compliance, json };
  });
}
