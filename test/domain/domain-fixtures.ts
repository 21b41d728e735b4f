/** Shared builders for the domain unit tests. */
import {
  advanceTime,
  applyCommand,
  startEntry,
  type EntryCommand,
  type EntryState,
  type Notification,
  type Principal,
  type StageId,
  type StartEntryInput,
  type RulesVersion,
  type UserRole,
} from '../../domain';

export const at = (iso: string): number => Date.parse(iso.length === 10 ? `${iso}T10:00:00Z` : iso);

export const OPS: Principal = { body: 'OPS', id: 'ops-1' };
export const SECAS: Principal = { body: 'SECAS', id: 'secas-1' };
export const DCC: Principal = { body: 'DCC', id: 'dcc-1' };
export const PANEL: Principal = { body: 'SEC_PANEL', id: 'panel-1' };
export const PARTY: Principal = { body: 'PARTY', id: 'acme-user', partyId: 'P1' };
export const OTHER_PARTY: Principal = { body: 'PARTY', id: 'evil', partyId: 'P2' };

/** A start under catalogue v1, the version these tests were written for (catalogue-v2.test.ts: version 2). */
export function input(overrides: Partial<StartEntryInput> = {}): StartEntryInput {
  return {
    catalogueVersion: 'v1',
    partyId: 'P1',
    partyName: 'ACME Energy',
    cohort: 'SMALL_NON_DOMESTIC_SUPPLIER',
    roles: ['IMPORT_SUPPLIER', 'GAS_SUPPLIER'],
    uepContact: { name: 'Ann Smith', email: 'ann@acme.example' },
    startedBy: OPS,
    ...overrides,
  };
}

let counter = 0;
export function decide(stage: StageId, outcome: string, principal: Principal, role?: UserRole, extra: Partial<EntryCommand> = {}): EntryCommand {
  counter++;
  return { type: 'RECORD_DECISION', decisionId: `d-${counter}`, stage, outcome, evidence: `ev-${counter}`, principal, ...(role ? { role } : {}), ...extra } as EntryCommand;
}

export function submit(stage: StageId, role?: UserRole, principal: Principal = PARTY): EntryCommand {
  counter++;
  return { type: 'SUBMIT_EVIDENCE', submissionId: `s-${counter}`, stage, reference: `ref-${counter}`, principal, ...(role ? { role } : {}) };
}

/** Applies a command that must be accepted; returns the new state and its notifications. */
export function must(state: EntryState, command: EntryCommand, now: number): { state: EntryState; notifications: Notification[] } {
  const outcome = applyCommand(state, command, now);
  if (!outcome.ok) throw new Error(`refused: ${outcome.refusal.code} ${outcome.refusal.message}`);
  return { state: outcome.state, notifications: outcome.effects.notifications };
}

export function stageOf(state: EntryState, stage: StageId, role?: UserRole) {
  const r = state.stages.find((s) => s.stage === stage && (s.role ?? null) === (role ?? null));
  if (!r) throw new Error(`no ${stage} ${role ?? ''}`);
  return r;
}

export function started(overrides: Partial<StartEntryInput> = {}, now = at('2026-11-02'), rules?: RulesVersion): EntryState {
  return startEntry(input(overrides), now, rules).state;
}

/** An entry with the party-level groundwork done (accession, ID allocation) so role stages are open. */
export function withGroundwork(overrides: Partial<StartEntryInput> = {}, now = at('2026-11-02'), rules?: RulesVersion): EntryState {
  return started(
    {
      completedStages: [
        { stage: 'ACCESSION', outcome: 'ACCEDED', at: '2026-10-01' },
        { stage: 'ID_ALLOCATION', outcome: 'ALLOCATED', at: '2026-10-10' },
      ],
      ...overrides,
    },
    now,
    rules,
  );
}

/**
 * Drives an entry the way the workflow does: before each command, wakes at every wakeAt due by
 * then (advanceTime), then applies the command. Returns every notification in emission order.
 */
export function drive(
  start: { input: StartEntryInput; now: number; rules?: RulesVersion },
  steps: { now: number; command: EntryCommand }[],
  until?: number,
): { state: EntryState; notifications: Notification[] } {
  const first = startEntry(start.input, start.now, start.rules);
  let state = first.state;
  let wakeAt = first.effects.wakeAt;
  const notifications = [...first.effects.notifications];
  const wakeUntil = (t: number) => {
    while (wakeAt !== null && wakeAt <= t) {
      const tr = advanceTime(state, wakeAt);
      state = tr.state;
      wakeAt = tr.effects.wakeAt;
      notifications.push(...tr.effects.notifications);
    }
  };
  for (const step of steps) {
    wakeUntil(step.now);
    const outcome = applyCommand(state, step.command, step.now);
    if (!outcome.ok) throw new Error(`refused at ${new Date(step.now).toISOString()}: ${outcome.refusal.code} ${outcome.refusal.message}`);
    state = outcome.state;
    wakeAt = outcome.effects.wakeAt;
    notifications.push(...outcome.effects.notifications);
  }
  if (until !== undefined) wakeUntil(until);
  return { state, notifications };
}
