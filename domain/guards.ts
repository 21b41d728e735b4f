/**
 * Guards: why a command cannot be accepted now, as a value (a refusal with its code and reason),
 * never an exception. The one `refuse` of the domain lives here.
 */
import { findStage, getCatalogue, outcomesFor, stageDef } from './catalogue';
import { isValidDate } from './dates';
import { calendarHeldWords, calendarProblem } from './meetings';
import { findRecord, refLabel, type EntryState, type StageRecord } from './state';
import { REFUSAL, type EntryCommand, type Refusal, type RefusalCode } from './types';
import { capitalised, namingOf } from './wording';
import { ALL_USER_ROLES, BODY, ENTRY_STATUS, STAGE_LEVEL, STAGE_STATE, type EntryStatus, type Principal, type UserRole } from './vocabulary';

export const refuse = (code: RefusalCode, message: string): Refusal => ({ code, message });

export function resolveStage(state: EntryState, stage: string, role: UserRole | undefined): { record: StageRecord } | { refusal: Refusal } {
  const def = findStage(getCatalogue(state.catalogueVersion), stage);
  if (!def) return { refusal: refuse(REFUSAL.UNKNOWN_STAGE, `unknown stage: ${stage}`) };
  const n = namingOf(state);
  const named = n.inWords ? def.title : stage;
  if (def.level === STAGE_LEVEL.ROLE && role === undefined) {
    return { refusal: refuse(REFUSAL.ROLE_REQUIRED, `${named} is done per User Role: name the role`) };
  }
  if (def.level === STAGE_LEVEL.PARTY && role !== undefined) {
    return { refusal: refuse(REFUSAL.STAGE_NOT_APPLICABLE, `${named} is a party-level stage: name no role`) };
  }
  if (role !== undefined && !state.roles.includes(role)) {
    return { refusal: refuse(REFUSAL.STAGE_NOT_APPLICABLE, `${n.role(role)} is not a role this entry seeks`) };
  }
  const record = findRecord(state, role ? { stage: def.id, role } : { stage: def.id });
  if (!record) return { refusal: refuse(REFUSAL.STAGE_NOT_APPLICABLE, `${named} does not apply${role ? ` to ${n.role(role)}` : ''}`) };
  return { record };
}

function notAwaiting(state: EntryState, record: StageRecord, wanted: typeof STAGE_STATE.AWAITING_PARTY | typeof STAGE_STATE.AWAITING_DECISION): Refusal {
  const n = namingOf(state);
  if (!n.inWords) return refuse(REFUSAL.NOT_AWAITING, `${refLabel(record)} is ${record.state}, not ${wanted}`);
  const owner = stageDef(getCatalogue(state.catalogueVersion), record.stage).owner;
  const now: Record<StageRecord['state'], string> = {
    [STAGE_STATE.BLOCKED]: 'not open yet: it waits for earlier stages',
    [STAGE_STATE.AWAITING_PARTY]: "awaiting the Party's submission",
    [STAGE_STATE.AWAITING_DECISION]: `awaiting ${n.body(owner)}'s decision`,
    [STAGE_STATE.DONE]: `already done${record.outcome ? ` (${n.outcome(record.outcome)}${record.doneAt ? `, ${n.date(record.doneAt)}` : ''})` : ''}`,
  };
  const taken = wanted === STAGE_STATE.AWAITING_PARTY ? 'a submission is taken only while one is awaited' : 'a decision is recorded only while one is awaited';
  return refuse(REFUSAL.NOT_AWAITING, `${n.stage(record)} is ${now[record.state]}: ${taken}`);
}

function ownPartyRefusal(state: EntryState, principal: Principal): Refusal | undefined {
  if (principal.body === BODY.PARTY && principal.partyId !== state.partyId) {
    return refuse(REFUSAL.NOT_OWN_PARTY, `${principal.id} may act only for party ${principal.partyId ?? '(none)'}, not ${state.partyId}`);
  }
  return undefined;
}

/**
 * ENTRY_CLOSED's words, per way of closing: complete, withdrawn, or closed outside the engine
 * (with Temporal's status for the run, e.g. TERMINATED).
 */
export function entryClosedWords(status: EntryStatus, temporalStatus?: string): string {
  switch (status) {
    case ENTRY_STATUS.COMPLETE:
      return 'The entry is complete: it takes no more changes';
    case ENTRY_STATUS.WITHDRAWN:
      return 'The entry was withdrawn: it takes no more changes';
    default: {
      const how = temporalStatus ? ` (${temporalStatus.toLowerCase().replace(/_/g, ' ')} in Temporal)` : '';
      return `The entry was closed outside the engine${how}: it takes no more changes`;
    }
  }
}

/** Why a (new) command cannot be accepted now, or undefined. */
export function refusalFor(state: EntryState, command: EntryCommand): Refusal | undefined {
  if (state.status !== ENTRY_STATUS.IN_PROGRESS) {
    return refuse(REFUSAL.ENTRY_CLOSED, entryClosedWords(state.status));
  }
  switch (command.type) {
    case 'SUBMIT_EVIDENCE': {
      const resolved = resolveStage(state, command.stage, command.role);
      if ('refusal' in resolved) return resolved.refusal;
      const { body } = command.principal;
      if (body !== BODY.PARTY && body !== BODY.SECAS) {
        return refuse(REFUSAL.WRONG_BODY, `only the Party (or SECAS on its behalf) submits evidence, not ${body}`);
      }
      const own = ownPartyRefusal(state, command.principal);
      if (own) return own;
      if (resolved.record.state !== STAGE_STATE.AWAITING_PARTY) return notAwaiting(state, resolved.record, STAGE_STATE.AWAITING_PARTY);
      return undefined;
    }
    case 'RECORD_DECISION': {
      const resolved = resolveStage(state, command.stage, command.role);
      if ('refusal' in resolved) return resolved.refusal;
      const def = stageDef(getCatalogue(state.catalogueVersion), resolved.record.stage);
      const n = namingOf(state);
      const named = n.inWords ? n.stage(resolved.record) : command.stage;
      if (command.principal.body !== def.owner) {
        return refuse(REFUSAL.WRONG_BODY, `${capitalised(n.body(def.owner))} decides ${named}, not ${n.body(command.principal.body)}`);
      }
      if (resolved.record.state !== STAGE_STATE.AWAITING_DECISION) return notAwaiting(state, resolved.record, STAGE_STATE.AWAITING_DECISION);
      const outcomes = outcomesFor(def, state.sharedResourceProvider !== undefined);
      const outcome = outcomes.find((o) => o.outcome === command.outcome);
      if (!outcome) {
        const known = n.inWords ? outcomes.map((o) => `${o.outcome} (${n.outcome(o.outcome)})`) : outcomes.map((o) => o.outcome);
        return refuse(REFUSAL.UNKNOWN_OUTCOME, `${named} outcomes are ${known.join(', ')}; not ${command.outcome}`);
      }
      if (outcome.needsReason && (command.comment ?? '').trim() === '') {
        return refuse(REFUSAL.REASON_REQUIRED, `${n.outcome(command.outcome)} on ${n.stage(resolved.record)} goes back to the Party: say why in the comment`);
      }
      return undefined;
    }
    case 'AMEND_DEADLINE': {
      const own = ownPartyRefusal(state, command.principal);
      if (own) return own;
      if (command.deadline !== null && !isValidDate(command.deadline)) {
        return refuse(REFUSAL.INVALID_DEADLINE, `deadline must be a 'YYYY-MM-DD' date or null: ${String(command.deadline)}`);
      }
      if (command.deadline === state.mandate.deadline) {
        return refuse(REFUSAL.INVALID_DEADLINE, `the mandate deadline is already ${command.deadline ?? 'none'}`);
      }
      return undefined;
    }
    case 'ADD_ROLE': {
      const own = ownPartyRefusal(state, command.principal);
      if (own) return own;
      if (!ALL_USER_ROLES.includes(command.role)) return refuse(REFUSAL.STAGE_NOT_APPLICABLE, `unknown User Role: ${String(command.role)}`);
      if (state.roles.includes(command.role)) return refuse(REFUSAL.ROLE_ALREADY_SOUGHT, `${namingOf(state).role(command.role)} is already sought`);
      return undefined;
    }
    case 'WITHDRAW':
      return ownPartyRefusal(state, command.principal);
    case 'UPDATE_MEETINGS': {
      const { body } = command.principal;
      if (body !== BODY.SECAS && body !== BODY.OPS) return refuse(REFUSAL.WRONG_BODY, `SECAS or OPS keeps the meeting calendar, not ${body}`);
      const problem = calendarProblem(command.calendar);
      if (problem) return refuse(REFUSAL.INVALID_INPUT, `meeting calendar: ${problem}`);
      const held = state.meetings?.version ?? 0;
      if (command.calendar.version <= held) return refuse(REFUSAL.INVALID_INPUT, calendarHeldWords(held));
      return undefined;
    }
  }
}
