/** Property-based tests of the entry machine's invariants over random commands and time steps. */
import fc from 'fast-check';
import {
  advanceTime,
  applyCommand,
  checkCommand,
  getCatalogue,
  startEntry,
  summarise,
  type EntryCommand,
  type EntryState,
  type Principal,
  type UserRole,
} from '../../domain';
import { dependenciesOf } from '../../domain/catalogue';
import { findRecord } from '../../domain/state';
import { pendingTimedItems } from '../../domain/reminders';
import { at, DCC, input, OPS, OTHER_PARTY, PANEL, PARTY, SECAS } from './domain-fixtures';

const PRINCIPALS: Principal[] = [OPS, SECAS, DCC, PANEL, PARTY, OTHER_PARTY];
const ROLES: UserRole[] = ['IMPORT_SUPPLIER', 'GAS_SUPPLIER', 'OTHER_USER', 'ELECTRICITY_DISTRIBUTOR'];

const move = fc.record({
  kind: fc.nat(99),
  pick: fc.nat(1000),
  outcome: fc.nat(10),
  principal: fc.nat(20),
  hours: fc.integer({ min: 1, max: 24 * 40 }),
  reuse: fc.boolean(),
});

const startArb = fc.record({
  roles: fc.uniqueArray(fc.constantFrom(...ROLES), { minLength: 1, maxLength: 3 }),
  deadlineDays: fc.option(fc.integer({ min: -100, max: 500 }), { nil: null }),
  offsets: fc.option(fc.uniqueArray(fc.nat(120), { maxLength: 6 }), { nil: undefined }),
  sr: fc.boolean(),
  startHour: fc.nat(23),
});

/** Turns a random move into a command, usually a sensible one for the current state. */
function commandFor(state: EntryState, m: fc.Arbitrary<unknown> extends never ? never : { kind: number; pick: number; outcome: number; principal: number; reuse: boolean }, n: number, used: EntryCommand[]): EntryCommand {
  if (m.reuse && used.length > 0) {
    const old = used[m.pick % used.length] as EntryCommand;
    return m.outcome % 3 === 0 && old.type === 'RECORD_DECISION' ? { ...old, evidence: 'changed' } : old;
  }
  const catalogue = getCatalogue(state.catalogueVersion);
  const record = state.stages[m.pick % state.stages.length];
  if (!record) throw new Error('no stages');
  const def = catalogue.stages.find((s) => s.id === record.stage);
  if (!def) throw new Error('no def');
  const sensible = m.principal < 16;
  const principal = sensible ? undefined : PRINCIPALS[m.principal % PRINCIPALS.length];
  const role = record.role ? { role: record.role } : {};
  if (m.kind < 2) return { type: 'WITHDRAW', reason: 'random', principal: OPS };
  if (m.kind < 6) return { type: 'ADD_ROLE', role: ROLES[m.pick % ROLES.length] as UserRole, principal: OPS };
  if (m.kind < 10) {
    const deadline = m.outcome === 0 ? null : new Date(at('2027-01-01') + (m.pick - 300) * 86_400_000).toISOString().slice(0, 10);
    return { type: 'AMEND_DEADLINE', deadline, reason: 'random', principal: principal ?? SECAS };
  }
  if (record.state === 'AWAITING_PARTY' || m.kind < 30) {
    return { type: 'SUBMIT_EVIDENCE', submissionId: `s${n}`, stage: record.stage, ...role, reference: `r${n}`, principal: principal ?? PARTY };
  }
  const outcomes = def.outcomes.map((o) => o.outcome);
  const outcome = m.outcome < outcomes.length + 3 ? (outcomes[m.outcome % outcomes.length] as string) : 'NONSENSE';
  return { type: 'RECORD_DECISION', decisionId: `d${n}`, stage: record.stage, ...role, outcome, evidence: `e${n}`, principal: principal ?? { body: def.owner, id: 'x' } };
}

describe('entry machine invariants', () => {
  it('hold over random commands and time steps', () => {
    fc.assert(
      fc.property(startArb, fc.array(move, { maxLength: 120 }), (start, moves) => {
        let now = at('2027-01-01') + start.startHour * 3_600_000;
        const deadline = start.deadlineDays === null ? null : new Date(now + start.deadlineDays * 86_400_000).toISOString().slice(0, 10);
        const first = startEntry(
          input({ roles: start.roles, mandateDeadline: deadline, ...(start.offsets ? { reminderOffsetsDays: start.offsets } : {}), ...(start.sr ? { sharedResourceProvider: 'SR' } : {}) }),
          now,
        );
        let state = first.state;
        const seen = new Set<string>();
        const used: EntryCommand[] = [];
        const catalogue = getCatalogue(state.catalogueVersion);

        const checkEffects = (effects: typeof first.effects, t: number) => {
          for (const n of effects.notifications) {
            expect(seen.has(n.id)).toBe(false); // no id twice
            seen.add(n.id);
            expect(Date.parse(n.dueAt)).toBeLessThanOrEqual(t); // nothing from the future
          }
          if (effects.wakeAt !== null) expect(effects.wakeAt).toBeGreaterThanOrEqual(t); // never in the past
          if (state.status !== 'IN_PROGRESS') expect(effects.wakeAt).toBeNull();
          if (pendingTimedItems(state, t).length > 0) expect(effects.wakeAt).not.toBeNull(); // something pending: a wake-up is armed
          expect(effects.searchAttributes.status).toBe(state.status);
        };
        const checkState = (prev: EntryState, next: EntryState) => {
          for (const r of prev.stages) {
            if (r.state === 'DONE') expect(findRecord(next, r)).toMatchObject({ state: 'DONE', doneAt: r.doneAt, outcome: r.outcome });
          }
          for (const r of next.stages) {
            if (r.state === 'AWAITING_PARTY' || r.state === 'AWAITING_DECISION' || r.state === 'DONE') {
              for (const dep of dependenciesOf(catalogue, r)) expect(findRecord(next, dep)?.state).toBe('DONE');
            }
          }
          expect(JSON.parse(JSON.stringify(next))).toEqual(next);
        };
        checkEffects(first.effects, now);
        checkState(state, state);

        moves.forEach((m, i) => {
          if (m.kind >= 60) {
            now += m.hours * 3_600_000;
            const tr = advanceTime(state, now);
            checkState(state, tr.state);
            state = tr.state;
            checkEffects(tr.effects, now);
            return;
          }
          const command = commandFor(state, m, i, used);
          const check = checkCommand(state, command, now);
          const outcome = applyCommand(state, command, now);
          if (!outcome.ok) {
            expect(check).toEqual(outcome.refusal);
            return;
          }
          expect(check).toBeUndefined();
          if (outcome.duplicate) {
            expect(outcome.state).toBe(state);
            expect(outcome.effects.notifications).toEqual([]);
          } else if (command.type === 'RECORD_DECISION' || command.type === 'SUBMIT_EVIDENCE') {
            used.push(command);
          }
          checkState(state, outcome.state);
          state = outcome.state;
          checkEffects(outcome.effects, now);
          summarise(state, now); // never throws
        });
      }),
      { numRuns: 300 },
    );
  });

  it('an entry driven only by sensible commands always reaches completion', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.constantFrom(...ROLES), { minLength: 1, maxLength: 4 }), fc.array(fc.nat(5), { minLength: 1, maxLength: 20 }), (roles, outcomes) => {
        let now = at('2027-01-01');
        let state = startEntry(input({ roles }), now).state;
        const catalogue = getCatalogue('v1');
        let k = 0;
        for (let guard = 0; state.status === 'IN_PROGRESS' && guard < 500; guard++) {
          now += 86_400_000;
          const r = state.stages.find((s) => s.state === 'AWAITING_PARTY' || s.state === 'AWAITING_DECISION');
          if (!r) throw new Error('stuck: nothing awaited');
          const def = catalogue.stages.find((s) => s.id === r.stage);
          if (!def) throw new Error('no def');
          const role = r.role ? { role: r.role } : {};
          // random outcomes for the first attempts, then the stage's first (completing) outcome
          const index = r.attempts >= 3 ? 0 : (outcomes[k++ % outcomes.length] ?? 0) % def.outcomes.length;
          const pickedOutcome = def.outcomes[index]?.outcome;
          const command: EntryCommand =
            r.state === 'AWAITING_PARTY'
              ? { type: 'SUBMIT_EVIDENCE', submissionId: `s${guard}`, stage: r.stage, ...role, reference: 'ref', principal: PARTY }
              : { type: 'RECORD_DECISION', decisionId: `d${guard}`, stage: r.stage, ...role, outcome: pickedOutcome ?? 'X', evidence: 'e', principal: { body: def.owner, id: 'x' } };
          const out = applyCommand(state, command, now);
          if (!out.ok) {
            // only VIA_SHARED_RESOURCE (no provider) may be refused here; decide the first outcome instead
            expect(out.refusal.code).toBe('UNKNOWN_OUTCOME');
            const retry = applyCommand(state, { ...command, outcome: def.outcomes[0]?.outcome ?? '' } as EntryCommand, now);
            if (!retry.ok) throw new Error(retry.refusal.message);
            state = retry.state;
          } else state = out.state;
        }
        expect(state.status).toBe('COMPLETE');
      }),
      { numRuns: 100 },
    );
  });
});
