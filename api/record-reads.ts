/**
 * The API's reads from the record (PostgreSQL): every entry, its audit trail across runs and the
 * bulk audit export, answered as of the API's own clock. Time-dependent fields (forecast, days
 * left, at risk, in breach, overdue) come from the stored state through the pure domain at
 * `ctx.now()`, never from the moment the workflow last woke up.
 */
import { auditTrail, closedOutsideEngineView, entryIdFor, isClosedOutsideEngine, searchAttributesOf, summarise, type EntryState } from '../domain';
import type { AuditRecord, EntrySummary } from '../domain/types';
import { ENTRY_STATUS } from '../domain/vocabulary';
import type { RecordDb } from '../record/db';
import { getRecordedEntry, lastRunReset, recordedAuditTrail, recordedEntryPage, type RecordedEntry, type RecordFilters } from '../record/read';
import type { z } from 'zod';
import type { RecordContext } from './record-context';
import type { ClosedRunReader } from './temporal/gateway';
import { decodePageToken, encodePageToken } from './page-token';
import { nameTerms, type EntryFilters } from './entry-filters';
import type { EntryListItem, RunResetNoticeSchema } from './schemas';

/** An entry as a list row, before its links. */
export type ListedEntry = Omit<EntryListItem, 'links'>;

/** The entry as of now; a run Temporal closed outside the engine says so in its status. */
export function summaryOf(ctx: Pick<RecordContext, 'now'>, entry: RecordedEntry): EntrySummary {
  const summary = summarise(entry.state, ctx.now());
  if (!isClosedOutsideEngine(entry.status)) return summary;
  return {
    ...closedOutsideEngineView(summary),
    headline: `${entry.state.partyName}: closed outside the engine (Temporal: ${entry.temporalStatus ?? 'unknown'})`,
    ...(entry.closedAt ? { closedAt: entry.closedAt.toISOString() } : {}),
  };
}

/** The gateway's reader of closed runs: the run chain's final state, once the record holds it closed. */
export function closedRunsInRecord(record: RecordDb, now: () => number = Date.now): ClosedRunReader {
  return async (partyId, chainId) => {
    const entry = await getRecordedEntry(record, entryIdFor(partyId));
    if (!entry || entry.chainId !== chainId || entry.state.status === ENTRY_STATUS.IN_PROGRESS) return null;
    return { trail: auditTrail(entry.state), summary: summaryOf({ now }, entry) };
  };
}

export async function recordedSummary(ctx: RecordContext, partyId: string): Promise<EntrySummary | null> {
  const entry = await getRecordedEntry(ctx.record, entryIdFor(partyId));
  return entry ? summaryOf(ctx, entry) : null;
}

const WHEN = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });

/** The entry's last reset in Temporal, in words, or null when its run chain was never reset. */
export async function recordedResetNotice(ctx: RecordContext, partyId: string): Promise<z.infer<typeof RunResetNoticeSchema> | null> {
  const reset = await lastRunReset(ctx.record, entryIdFor(partyId));
  if (!reset?.runId) return null;
  return {
    at: reset.at,
    runId: reset.runId,
    previousRunId: reset.previousRunId ?? null,
    note:
      `The entry's workflow was reset in Temporal on ${WHEN.format(new Date(reset.at))} UTC: it carries on from an earlier point. ` +
      `What was recorded before that reset (audit records before ${reset.seq}) stays in the trail, though what the earlier run did after that point no longer counts for the entry.`,
  };
}

/** Null when the record has never heard of the entry. */
export async function recordedTrail(ctx: RecordContext, partyId: string): Promise<AuditRecord[] | null> {
  const entryId = entryIdFor(partyId);
  const trail = await recordedAuditTrail(ctx.record, entryId);
  if (trail.length > 0) return trail;
  return (await getRecordedEntry(ctx.record, entryId)) ? [] : null;
}

/** The filters the record can apply in SQL; at-risk and in-breach depend on now and are applied after. */
function recordFilters(f: EntryFilters): RecordFilters {
  return {
    ...(f.partyId !== undefined ? { partyId: f.partyId } : {}),
    ...(f.status !== undefined ? { status: f.status } : {}),
    ...(f.awaitedBody !== undefined ? { awaitedBody: f.awaitedBody } : {}),
    ...(f.role !== undefined ? { role: f.role } : {}),
    ...(f.cohort !== undefined ? { cohort: f.cohort } : {}),
    ...(f.partyName !== undefined ? { partyNameWords: nameTerms(f.partyName) } : {}),
    ...(f.mandateDeadlineFrom !== undefined ? { mandateDeadlineFrom: f.mandateDeadlineFrom } : {}),
    ...(f.mandateDeadlineTo !== undefined ? { mandateDeadlineTo: f.mandateDeadlineTo } : {}),
  };
}

/** An entry as a list row, as of now. */
export function listedEntry(ctx: Pick<RecordContext, 'now'>, entry: RecordedEntry): ListedEntry {
  const state: EntryState = entry.state;
  const row: ListedEntry = {
    ...searchAttributesOf(state, ctx.now()),
    entryId: entry.entryId,
    mandateDeadline: state.mandate.deadline,
    startedAt: new Date(state.startedAtMs).toISOString(),
    closedAt: entry.closedAt?.toISOString() ?? (state.closedAtMs === undefined ? null : new Date(state.closedAtMs).toISOString()),
  };
  return isClosedOutsideEngine(entry.status) ? closedOutsideEngineView(row) : row;
}

function keeps(f: EntryFilters, e: ListedEntry): boolean {
  return (f.atRisk === undefined || e.atRisk === f.atRisk) && (f.inBreach === undefined || e.inBreach === f.inBreach);
}

/**
 * One page of entries matching the filters, in entry id order, after the page token (bound to the
 * same filters, carrying the last entry id seen); nextPageToken null on the last page.
 */
export async function listRecorded(ctx: RecordContext, f: EntryFilters, limit: number, pageToken?: string): Promise<{ entries: ListedEntry[]; nextPageToken: string | null }> {
  const searchKey = JSON.stringify(f);
  const entries: ListedEntry[] = [];
  let cursor = pageToken ? decodePageToken(searchKey, pageToken).toString('utf8') : undefined;
  for (;;) {
    const page = await recordedEntryPage(ctx.record, recordFilters(f), limit - entries.length, cursor);
    for (const e of page.entries) {
      const listed = listedEntry(ctx, e);
      if (keeps(f, listed)) entries.push(listed);
    }
    cursor = page.entries[page.entries.length - 1]?.entryId;
    if (page.last === null) return { entries, nextPageToken: null };
    if (entries.length >= limit) return { entries, nextPageToken: cursor === undefined ? null : encodePageToken(searchKey, Buffer.from(cursor, 'utf8')) };
  }
}
