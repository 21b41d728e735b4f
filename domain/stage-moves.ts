/**
 * The moves a start and the commands share: opening a stage (starting its SLA clock), unblocking
 * what became ready, adding a role's stages, writing the audit trail. Each mutates the state it
 * is given (a copy the caller owns).
 */
import { addWorkingDays } from './calendar';
import { dependenciesOf, getCatalogue, slaOf, stageDef, stageInstances, type StageDef, type StageRef } from './catalogue';
import { meetingFor, sameMeeting } from './meetings';
import { toDate } from './dates';
import { findRecord, type EntryState, type StageRecord } from './state';
import type { AuditRecord } from './types';
import { STAGE_STATE, type Principal } from './vocabulary';

export function principalOf(p: Principal): AuditRecord['principal'] {
  return { body: p.body, id: p.id, ...(p.name ? { name: p.name } : {}), ...(p.email ? { email: p.email } : {}) };
}

export function addAudit(state: EntryState, record: Omit<AuditRecord, 'seq'>): AuditRecord {
  const full: AuditRecord = { seq: state.audit.length + 1, ...record };
  state.audit.push(full);
  return full;
}

/** Puts a stage instance into an AWAITING_* state, starting its SLA clock when a decision is awaited. */
export function openStage(state: EntryState, record: StageRecord, now: number): void {
  const def = stageDef(getCatalogue(state.catalogueVersion), record.stage);
  record.sinceMs = now;
  if (def.partySubmitsFirst) {
    record.state = STAGE_STATE.AWAITING_PARTY;
    delete record.slaDue;
    delete record.meeting;
  } else {
    awaitDecision(state, record, now);
  }
}

export function awaitDecision(state: EntryState, record: StageRecord, now: number): void {
  const def = stageDef(getCatalogue(state.catalogueVersion), record.stage);
  record.state = STAGE_STATE.AWAITING_DECISION;
  record.sinceMs = now;
  waitForDecision(state, record, def);
}

/**
 * When the decision awaited since `record.sinceMs` is due: at the first meeting whose cut-off
 * follows the submission, for a stage decided at a meeting that the entry's calendar has; else
 * the owner's response time. True when the meeting it waits for changed.
 */
export function waitForDecision(state: EntryState, record: StageRecord, def: StageDef): boolean {
  const since = toDate(record.sinceMs ?? 0);
  const meeting = def.decidedAt ? meetingFor(state.meetings, def.decidedAt, since) : undefined;
  const changed = !sameMeeting(meeting, record.meeting);
  if (meeting) {
    record.meeting = { ...meeting };
    record.slaDue = meeting.date;
  } else {
    delete record.meeting;
    record.slaDue = addWorkingDays(since, slaOf(def, state.durationSettings), state.calendarVersion);
  }
  return changed;
}

/** Unblocks every stage whose dependencies are all done. */
export function unblock(state: EntryState, now: number): void {
  const catalogue = getCatalogue(state.catalogueVersion);
  for (const record of state.stages) {
    if (record.state !== STAGE_STATE.BLOCKED) continue;
    const ready = dependenciesOf(catalogue, record).every((dep) => findRecord(state, dep)?.state === STAGE_STATE.DONE);
    if (ready) {
      // a stage blocked again by a restart from an earlier stage (rules version 5) keeps its count
      record.attempts = Math.max(1, record.attempts);
      openStage(state, record, now);
    }
  }
}

function newRecord(ref: StageRef): StageRecord {
  return ref.role ? { stage: ref.stage, role: ref.role, state: STAGE_STATE.BLOCKED, attempts: 0 } : { stage: ref.stage, state: STAGE_STATE.BLOCKED, attempts: 0 };
}

/** Adds the stage instances `roles` need that the entry does not have yet. */
export function addStages(state: EntryState): void {
  for (const ref of stageInstances(getCatalogue(state.catalogueVersion), state.roles)) {
    if (!findRecord(state, ref)) state.stages.push(newRecord(ref));
  }
  // Keep party-level stages first and roles in the order sought (catalogue order inside).
  const order = stageInstances(getCatalogue(state.catalogueVersion), state.roles);
  const index = (r: StageRecord) => order.findIndex((o) => o.stage === r.stage && (o.role ?? null) === (r.role ?? null));
  state.stages.sort((a, b) => index(a) - index(b));
}
