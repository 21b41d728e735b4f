/**
 * One Party's User Entry Process, for months. Thin by design: every rule lives in domain/;
 * this code wires messages to the state machine, waits until the machine's next wake-up
 * instant, and carries out the effects (notifications, search attributes, UI details).
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setCurrentDetails,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  advanceTime,
  applyCommand,
  entryChangeOf,
  auditTrail,
  checkCommand,
  startEntry,
  summarise,
  upgradeRules,
  rulesOf,
  validateStartInput,
  RULES_VERSION,
  type EntryState,
  type EntryView,
  type RulesVersion,
} from '../domain';
import type { AuditRecord, Effects, EntryCommand, EntrySummary, Refusal, Transition } from '../domain/types';
import { ENTRY_STATUS } from '../domain/vocabulary';
import { NOTIFICATION_ACTIVITY_OPTIONS, type NotificationActivities } from '../activities/types';
import {
  addUserRoleUpdate,
  amendMandateDeadlineUpdate,
  getAuditTrailQuery,
  getStatusQuery,
  recordDecisionUpdate,
  submitEvidenceUpdate,
  withdrawUpdate,
  type AddUserRoleRequest,
  type AmendMandateDeadlineRequest,
  type EntryUpdateAnswer,
  type EntryWorkflowInput,
  type RecordDecisionRequest,
  type SubmitEvidenceRequest,
  type WithdrawRequest,
} from './messages';
import { changedSearchAttributes, encodeSearchAttributes } from './search-attributes';
import { entryDetailsMarkdown } from './ui-details';
import { WakeTimer } from './wake-timer';

/**
 * Changes to the commands this workflow makes, each behind patched() so that histories written
 * before it replay unchanged (docs/versioning.md). Never rename or reuse an id.
 */
export const PATCH = {
  /** Keep the wake-up timer across sign-offs that leave the next instant where it was. */
  KEEP_WAKE_TIMER: 'keep-wake-timer',
  /**
   * The domain's rules version 2 (domain/rules.ts) for new entries, and for running ones from
   * their next step on; an entry under version 2 ends with its final summary as its result.
   */
  RULES_V2: 'uep-rules-v2',
  /** Rules version 3: the Party is told what it can act on (its start, its turn, a decision sending a stage back). */
  PARTY_NOTICES: 'uep-party-notices',
  /**
   * Leaner updates: an update answers with the compact EntryChange instead of the full summary,
   * and an upsert carries only the search attributes whose values changed (none: no upsert).
   */
  LEAN_UPDATES: 'lean-updates',
} as const;

const { deliverNotification } = proxyActivities<NotificationActivities>(NOTIFICATION_ACTIVITY_OPTIONS);

/** A refused command, as the failure an update validator throws: its type is the refusal code. */
function refusalFailure(refusal: Refusal): ApplicationFailure {
  return ApplicationFailure.create({ type: refusal.code, message: refusal.message, nonRetryable: true });
}

/** The rules version a step may run under: each newer version once its patched() allows it (never back). */
function allowedRules(state: EntryState | undefined): RulesVersion {
  const current = state ? rulesOf(state) : RULES_VERSION.V1;
  if (current >= RULES_VERSION.V3) return current;
  if (patched(PATCH.PARTY_NOTICES)) return RULES_VERSION.V3;
  if (current >= RULES_VERSION.V2) return current;
  return patched(PATCH.RULES_V2) ? RULES_VERSION.V2 : RULES_VERSION.V1;
}

/**
 * Runs until the entry closes. Under rules version 2 the result is the entry's final summary (its
 * business outcome, COMPLETE or WITHDRAWN, in the UI and the history); older entries return nothing.
 */
export async function entryWorkflow(input: EntryWorkflowInput): Promise<EntrySummary | undefined> {
  let state: EntryState;
  let initial: Transition<EntryState, EntryView>;
  if ('start' in input) {
    const invalid = validateStartInput(input.start);
    if (invalid) throw refusalFailure(invalid);
    initial = startEntry(input.start, Date.now(), allowedRules(undefined));
  } else {
    initial = advanceTime(upgradeRules(input.resume, allowedRules(input.resume)), Date.now());
  }
  state = initial.state;

  let wakeAt: number | null = null;
  let open = true;
  let changes = 0;
  let lastSearchAttributes = '';
  let lastDetails = '';
  const deliveries = new Set<Promise<unknown>>();

  /** Carries out the machine's effects and answers the entry's summary as it now stands (read from the same view). */
  function carryOut({ effects, view }: { effects: Effects; view: EntryView }): EntrySummary {
    for (const notification of effects.notifications) {
      const delivery = deliverNotification(notification)
        .catch((err: unknown) => log.error('notification not delivered', { id: notification.id, error: String(err) }))
        .finally(() => deliveries.delete(delivery));
      deliveries.add(delivery);
    }
    const attributes = JSON.stringify(effects.searchAttributes);
    if (attributes !== lastSearchAttributes) {
      const pairs = encodeSearchAttributes(effects.searchAttributes);
      const upserts = patched(PATCH.LEAN_UPDATES) ? changedSearchAttributes(workflowInfo().typedSearchAttributes, pairs) : pairs;
      if (upserts.length > 0) upsertSearchAttributes(upserts);
      lastSearchAttributes = attributes;
    }
    const summary = summarise(state, Date.now(), view);
    const details = entryDetailsMarkdown(summary);
    if (details !== lastDetails) {
      setCurrentDetails(details);
      lastDetails = details;
    }
    wakeAt = effects.wakeAt;
    open = effects.searchAttributes.status === ENTRY_STATUS.IN_PROGRESS;
    changes++;
    return summary;
  }

  function tick(): void {
    state = upgradeRules(state, allowedRules(state));
    const transition = advanceTime(state, Date.now());
    state = transition.state;
    carryOut(transition);
  }

  function handle(command: EntryCommand): EntryUpdateAnswer {
    const now = Date.now();
    state = upgradeRules(state, allowedRules(state));
    const outcome = applyCommand(state, command, now);
    if (!outcome.ok) throw refusalFailure(outcome.refusal);
    if (outcome.duplicate) return answer(outcome.record, true, summarise(state, now, outcome.view));
    state = outcome.state;
    return answer(outcome.record, false, carryOut(outcome));
  }

  function answer(record: AuditRecord, duplicate: boolean, summary: EntrySummary): EntryUpdateAnswer {
    if (!patched(PATCH.LEAN_UPDATES)) return { record, duplicate, summary };
    return entryChangeOf(summary, record, duplicate, state.audit.length);
  }

  function validate(command: EntryCommand): void {
    const refusal = checkCommand(state, command, Date.now());
    if (refusal) throw refusalFailure(refusal);
  }

  setHandler(recordDecisionUpdate, (req) => handle({ type: 'RECORD_DECISION', ...req }), {
    validator: (req: RecordDecisionRequest) => validate({ type: 'RECORD_DECISION', ...req }),
    description: 'A body records its decision on a stage it owns',
  });
  setHandler(submitEvidenceUpdate, (req) => handle({ type: 'SUBMIT_EVIDENCE', ...req }), {
    validator: (req: SubmitEvidenceRequest) => validate({ type: 'SUBMIT_EVIDENCE', ...req }),
    description: 'The Party (or SECAS for it) submits what a stage needs before its decision',
  });
  setHandler(amendMandateDeadlineUpdate, (req) => handle({ type: 'AMEND_DEADLINE', ...req }), {
    validator: (req: AmendMandateDeadlineRequest) => validate({ type: 'AMEND_DEADLINE', ...req }),
    description: 'Move or remove the mandate deadline; reminders are recomputed',
  });
  setHandler(addUserRoleUpdate, (req) => handle({ type: 'ADD_ROLE', ...req }), {
    validator: (req: AddUserRoleRequest) => validate({ type: 'ADD_ROLE', ...req }),
    description: 'Seek one more User Role',
  });
  setHandler(withdrawUpdate, (req) => handle({ type: 'WITHDRAW', ...req }), {
    validator: (req: WithdrawRequest) => validate({ type: 'WITHDRAW', ...req }),
    description: 'Withdraw the entry; every reminder stops',
  });
  setHandler(getStatusQuery, () => summarise(state, Date.now()));
  setHandler(getAuditTrailQuery, () => auditTrail(state));

  carryOut(initial);

  const timer = new WakeTimer();
  while (open) {
    const seen = changes;
    if (patched(PATCH.KEEP_WAKE_TIMER)) {
      timer.set(wakeAt);
      await condition(() => changes !== seen || timer.fired);
      if (timer.consume()) tick();
    } else {
      const changed =
        wakeAt === null
          ? (await condition(() => changes !== seen), true)
          : await condition(() => changes !== seen, Math.max(1, wakeAt - Date.now()), { summary: 'next reminder or deadline' });
      if (!changed) tick();
    }
    if (open && workflowInfo().continueAsNewSuggested) {
      await settle();
      await continueAsNew<typeof entryWorkflow>({ resume: state });
    }
  }
  await settle();
  return rulesOf(state) >= RULES_VERSION.V2 ? summarise(state, Date.now()) : undefined;

  /** Lets running handlers finish and every started notification be delivered. */
  async function settle(): Promise<void> {
    await condition(allHandlersFinished);
    while (deliveries.size > 0) await Promise.all(deliveries);
  }
}
