/**
 * Temporal's deadline passed on a start or an update: the change may have landed all the same
 * (Temporal took it, and its answer came late). The record knows, since the workflow hands it
 * every change it applies: it is asked for the change (for up to RECORD_CATCH_UP_MS) before the
 * 503 is answered, when the connection to Temporal is up (so the request reached it). Found, the change is answered as the change it is; not found, the 503 stands,
 * and a retry is safe (a decision's or a submission's id makes it so, a second start is a 409).
 */
import { setTimeout as delay } from 'node:timers/promises';
import { checkRetry, entryChangeOf, entryIdFor } from '../domain';
import { AUDIT_ACTION, type AuditRecord, type EntryCommand } from '../domain/types';
import type { Principal } from '../domain/vocabulary';
import { getRecordedEntry, recordedAuditTrail } from '../record/read';
import type { AppContext } from './context';
import type { RecordContext } from './record-context';
import { ApiError, refusalError } from './errors';
import { summaryOf } from './record-reads';
import { API_ERROR } from './schemas';
import type { UpdateAnswer } from './temporal/gateway';

const ASK_EVERY_MS = 100;
/** Workflow time and the API's clock are read on different hosts: a record this much older than the request may still be its. */
const CLOCK_SLACK_MS = 1000;

/**
 * True when Temporal did not answer in time over a connection that is up: the request reached it
 * and the change may have landed. Temporal unreachable is a 503 at once (nothing was sent).
 */
export function mayHaveLanded(ctx: Pick<AppContext, 'gateway'>, err: unknown): boolean {
  return err instanceof ApiError && err.code === API_ERROR.TEMPORAL_UNAVAILABLE && ctx.gateway.connected();
}

const samePrincipal = (a: AuditRecord['principal'], b: Principal) => a.body === b.body && a.id === b.id;

/** The record of a command without an id: the same action with the same content, by the same caller, since it was sent. */
function recordOf(trail: readonly AuditRecord[], command: Exclude<EntryCommand, { type: 'RECORD_DECISION' | 'SUBMIT_EVIDENCE' }>, sentAt: number): AuditRecord | undefined {
  const latestFirst = [...trail].reverse();
  const since = (r: AuditRecord) => Date.parse(r.at) >= sentAt - CLOCK_SLACK_MS && samePrincipal(r.principal, command.principal);
  switch (command.type) {
    case 'AMEND_DEADLINE':
      return latestFirst.find((r) => r.action === AUDIT_ACTION.DEADLINE_AMENDED && since(r) && r.deadline === command.deadline && r.reason === command.reason);
    case 'ADD_ROLE':
      return latestFirst.find((r) => r.action === AUDIT_ACTION.ROLE_ADDED && since(r) && r.role === command.role);
    case 'WITHDRAW':
      return latestFirst.find((r) => r.action === AUDIT_ACTION.WITHDRAWN && since(r) && r.reason === command.reason);
  }
}

async function askUntil<T>(ctx: RecordContext, ask: () => Promise<T | null>): Promise<T | null> {
  const until = Date.now() + ctx.config.RECORD_CATCH_UP_MS;
  for (;;) {
    const found = await ask();
    if (found !== null || Date.now() >= until) return found;
    await delay(ASK_EVERY_MS);
  }
}

/** The update as the record holds it, or null when it does not (yet). A reused id is the refusal the workflow gave. */
export function landedUpdate(ctx: RecordContext, partyId: string, command: EntryCommand, sentAt: number): Promise<UpdateAnswer | null> {
  const entryId = entryIdFor(partyId);
  return askUntil(ctx, async () => {
    const trail = await recordedAuditTrail(ctx.record, entryId);
    let record: AuditRecord | undefined;
    if (command.type === 'RECORD_DECISION' || command.type === 'SUBMIT_EVIDENCE') {
      const retry = checkRetry(trail, command);
      if (retry.kind === 'reused') throw refusalError(retry.refusal.code, retry.refusal.message);
      if (retry.kind === 'duplicate') record = retry.record;
    } else record = recordOf(trail, command, sentAt);
    if (!record) return null;
    const entry = await getRecordedEntry(ctx.record, entryId);
    if (!entry) return null;
    return entryChangeOf(summaryOf(ctx, entry), record, Date.parse(record.at) < sentAt - CLOCK_SLACK_MS, trail.length);
  });
}

/** The run this start began, as the record holds it, or null when it holds none begun since. */
export function landedStart(ctx: RecordContext, partyId: string, principal: Principal, sentAt: number): Promise<{ runId: string; headline: string } | null> {
  return askUntil(ctx, async () => {
    const entry = await getRecordedEntry(ctx.record, entryIdFor(partyId));
    if (!entry || entry.state.startedAtMs < sentAt - CLOCK_SLACK_MS) return null;
    const started = entry.state.audit.find((r) => r.action === AUDIT_ACTION.STARTED);
    if (!started || !samePrincipal(started.principal, principal)) return null;
    return { runId: entry.chainId, headline: summaryOf(ctx, entry).headline };
  });
}
