/**
 * One Party's User Entry Process, for months. Thin by design: every rule lives in domain/;
 * this code wires messages to the state machine, waits until the machine's next wake-up
 * instant, and carries out the effects (notifications, search attributes, UI details).
 */
import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  isCancellation,
  continueAsNew,
  log,
  proxyActivities,
  proxyLocalActivities,
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
import type { AuditRecord, Effects, EntryCommand, EntrySummary, Notification, Refusal, StartEntryInput, Transition } from '../domain/types';
import { toIso } from '../domain/dates';
import { BODY, ENTRY_STATUS } from '../domain/vocabulary';
import {
  NOTIFICATION_ACTIVITY_OPTIONS,
  RECORD_ACTIVITY_OPTIONS,
  RECORD_LOCAL_ACTIVITY_OPTIONS,
  type NotificationActivities,
  type RecordActivities,
} from '../activities/types';
import { mergeProjections, projectionOf, type EntryProjection, type ProjectedRun } from '../domain/projection';
import {
  addUserRoleUpdate,
  amendMandateDeadlineUpdate,
  getAuditTrailQuery,
  getRecordProjectionQuery,
  getStatusQuery,
  recordDecisionUpdate,
  submitEvidenceUpdate,
  updateMeetingsUpdate,
  withdrawUpdate,
  type AddUserRoleRequest,
  type AmendMandateDeadlineRequest,
  type EntryUpdateAnswer,
  type EntryWorkflowInput,
  type RecordDecisionRequest,
  type SubmitEvidenceRequest,
  type StatusRequest,
  type StatusAnswer,
  type UpdateMeetingsRequest,
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
  /** Generation v7 only: every transition handed to the record by the recordEntry local activity. */
  RECORD_PROJECTION: 'record-projection',
  /** Generation v7 only: a cancellation requested through Temporal withdraws the entry. */
  CANCEL_AS_WITHDRAWAL: 'cancel-as-withdrawal',
  /**
   * Every transition handed to the record by the recordEntry (regular) activity, and a cancellation
   * requested through Temporal withdraws the entry, with its audit record and notices. A regular
   * activity, not a local one: its completion is a workflow task of its own, so a transition's
   * command events never pile up behind the last completed task, and a refused update after it
   * stays a speculative task that leaves no trace in the history (the server keeps one that
   * follows more than 10 such events).
   */
  RECORD_BY_ACTIVITY: 'record-by-activity',
  /** Rules version 3: the Party is told what it can act on (its start, its turn, a decision sending a stage back). */
  PARTY_NOTICES: 'uep-party-notices',
  /**
   * Leaner updates: an update answers with the compact EntryChange instead of the full summary,
   * and an upsert carries only the search attributes whose values changed (none: no upsert).
   */
  LEAN_UPDATES: 'lean-updates',
  /**
   * Rules version 4: the Party is told of its own breach; an entry in breach is never told it is at
   * risk; UepNextDeadline is the next wake-up's instant.
   */
  PARTY_BREACH_NOTICE: 'uep-party-breach-notice',
  /**
   * The start's effects are carried out before any update is handled. An update the first
   * activation already holds (a reset to the first workflow task reapplies the run's updates
   * there) runs as its handler is set; the start's effects carried out after it wrote the start's
   * search attributes, wake-up and status over the update's.
   */
  START_BEFORE_UPDATES: 'start-before-updates',
  /** A start that names no catalogue version gets version 2 (before it: version 1). */
  CATALOGUE_V2: 'uep-catalogue-v2',
  /**
   * Rules version 5: an outcome that restarts from an earlier stage starts over from it (catalogue
   * v2's security status REJECTED opens the booking, fieldwork and report again: a new assessment).
   */
  REJECTED_REASSESSMENT: 'uep-rejected-reassessment',
  /**
   * Rules version 6: the bodies are told when work arrives (a stage that starts awaiting the DCC's,
   * the SEC Panel's or SECAS's decision sends that body a DECISION_DUE, once per attempt).
   */
  BODY_NOTICES: 'uep-body-notices',
  /**
   * Rules version 7: words, not codes, in the entry's texts (headline, notices, expectations); the
   * commands (activity ids, notification ids, search attributes, timers) are version 6's.
   */
  WORDS: 'uep-words',
  /**
   * The notifications of one step go to delivery in one activity (deliverNotifications), not one
   * activity each: fewer activities (billed actions) and history events per step; each is still
   * delivered, deduplicated and stamped on its own.
   */
  ONE_DELIVERY_PER_STEP: 'one-delivery-per-step',
  /**
   * The wake-up timer re-armed only when the next instant moves earlier (issue 29): a sign-off
   * moving it later leaves the armed timer to fire early, with no tick, and the one timer is armed
   * then for the instant due. Fewer timers started (billed actions) and cancelled; each reminder,
   * chaser and breach still wakes the entry at its instant (KEEP_WAKE_TIMER re-armed on every move).
   */
  ONE_WAKE_TIMER: 'one-wake-timer',
} as const;

/** The catalogue version a start runs under: the one it names, else version 2 once patched() allows it. */
function withCatalogueVersion(start: StartEntryInput): StartEntryInput {
  if (start.catalogueVersion !== undefined) return start;
  return { ...start, catalogueVersion: patched(PATCH.CATALOGUE_V2) ? 'v2' : 'v1' };
}

/** The withdrawal a cancellation requested through Temporal (UI, CLI, API) stands for. */
export const TEMPORAL_CANCELLATION: Extract<EntryCommand, { type: 'WITHDRAW' }> = {
  type: 'WITHDRAW',
  reason: 'cancelled through Temporal',
  principal: { body: BODY.OPS, id: 'temporal' },
};

const { deliverNotification, deliverNotifications } = proxyActivities<NotificationActivities>(NOTIFICATION_ACTIVITY_OPTIONS);
const { recordEntry } = proxyActivities<RecordActivities>(RECORD_ACTIVITY_OPTIONS);
const recordEntryLocally = proxyLocalActivities<RecordActivities>(RECORD_LOCAL_ACTIVITY_OPTIONS).recordEntry; // generation v7

/** A refused command, as the failure an update validator throws: its type is the refusal code. */
function refusalFailure(refusal: Refusal): ApplicationFailure {
  return ApplicationFailure.create({ type: refusal.code, message: refusal.message, nonRetryable: true });
}

/** The rules version a step may run under: each newer version once its patched() allows it (never back). */
function allowedRules(state: EntryState | undefined): RulesVersion {
  const current = state ? rulesOf(state) : RULES_VERSION.V1;
  if (current >= RULES_VERSION.V7) return current;
  if (patched(PATCH.WORDS)) return RULES_VERSION.V7;
  if (current >= RULES_VERSION.V6) return current;
  if (patched(PATCH.BODY_NOTICES)) return RULES_VERSION.V6;
  if (current >= RULES_VERSION.V5) return current;
  if (patched(PATCH.REJECTED_REASSESSMENT)) return RULES_VERSION.V5;
  if (current >= RULES_VERSION.V4) return current;
  if (patched(PATCH.PARTY_BREACH_NOTICE)) return RULES_VERSION.V4;
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
    // the API refused a deadline outside the calendar's years before it started the workflow; the
    // workflow keeps the checks it always made (a history replays unchanged, a test rig's clock may be anywhere)
    const start = withCatalogueVersion(input.start);
    const invalid = validateStartInput(start, false);
    if (invalid) throw refusalFailure(invalid);
    initial = startEntry(start, Date.now(), allowedRules(undefined));
  } else {
    initial = advanceTime(upgradeRules(input.resume, allowedRules(input.resume)), Date.now());
  }
  state = initial.state;

  let wakeAt: number | null = null;
  let open = true;
  let changes = 0;
  let lastSearchAttributes = '';
  let lastDetails = '';
  /** The instant of the last transition: the state is what it was then, until the next. */
  let changedAt = Date.now();
  const deliveries = new Set<Promise<unknown>>();
  const byActivity = patched(PATCH.RECORD_BY_ACTIVITY);
  const recording = byActivity || patched(PATCH.RECORD_PROJECTION);
  const withdrawOnCancel = byActivity || (recording && patched(PATCH.CANCEL_AS_WITHDRAWAL));
  const record = byActivity ? recordEntry : recordEntryLocally;
  /** What the record has not been handed yet, and the one recordEntry call in flight (in order, one at a time). */
  let unrecorded: EntryProjection | null = null;
  let recordingNow: Promise<void> | null = null;
  let auditHandedOver = 0;

  function project(notifications: Notification[]): void {
    if (!recording) return;
    const next = projectionOf(state, thisRun(), Date.now(), state.audit.slice(auditHandedOver), notifications);
    auditHandedOver = state.audit.length;
    unrecorded = unrecorded ? mergeProjections(unrecorded, next) : next;
    recordingNow ??= handOver();
  }

  function thisRun(): ProjectedRun {
    const info = workflowInfo();
    return { chainId: info.firstExecutionRunId, runId: info.runId, originalRunId: info.originalExecutionRunId };
  }

  async function handOver(): Promise<void> {
    try {
      while (unrecorded) {
        const projection: EntryProjection = unrecorded;
        unrecorded = null;
        try {
          await record(projection);
        } catch (err) {
          unrecorded = unrecorded ? mergeProjections(projection, unrecorded) : projection;
          throw err;
        }
      }
    } finally {
      recordingNow = null;
    }
  }

  /** Carries out the machine's effects and answers the entry's summary as it now stands (read from the same view). */
  function carryOut({ effects, view }: { effects: Effects; view: EntryView }): EntrySummary {
    deliver(effects.notifications);
    const attributes = JSON.stringify(effects.searchAttributes);
    if (attributes !== lastSearchAttributes) {
      const pairs = encodeSearchAttributes(effects.searchAttributes);
      const upserts = patched(PATCH.LEAN_UPDATES) ? changedSearchAttributes(workflowInfo().typedSearchAttributes, pairs) : pairs;
      if (upserts.length > 0) upsertSearchAttributes(upserts);
      lastSearchAttributes = attributes;
    }
    changedAt = Date.now();
    const summary = summarise(state, changedAt, view);
    const details = entryDetailsMarkdown(summary, changedAt);
    if (details !== lastDetails) {
      setCurrentDetails(details);
      lastDetails = details;
    }
    wakeAt = effects.wakeAt;
    open = effects.searchAttributes.status === ENTRY_STATUS.IN_PROGRESS;
    changes++;
    project(effects.notifications);
    return summary;
  }

  /** Hands a step's notifications to delivery, in the background (settle() waits for them). */
  function deliver(notifications: Notification[]): void {
    if (notifications.length === 0) return;
    if (patched(PATCH.ONE_DELIVERY_PER_STEP)) track(deliverNotifications(notifications), notifications);
    else for (const n of notifications) track(deliverNotification(n), [n]);
  }

  function track(delivery: Promise<unknown>, notifications: Notification[]): void {
    const tracked = delivery
      .catch((err: unknown) => log.error('notification not delivered', { ids: notifications.map((n) => n.id), error: String(err) }))
      .finally(() => deliveries.delete(tracked));
    deliveries.add(tracked);
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

  /**
   * The summary as of `asOf` (ISO 8601), or of the workflow's clock in this query: its last wake-up,
   * which stands still while the entry sleeps. No instant before the last change: the state then
   * was another (the audit trail has it).
   */
  function statusAsOf(asOf: string | undefined): StatusAnswer {
    const at = asOf === undefined ? Date.now() : Date.parse(asOf);
    if (Number.isNaN(at) || at < changedAt) {
      throw ApplicationFailure.create({
        type: 'INVALID_AS_OF',
        message: `asOf must be an ISO 8601 instant no earlier than ${toIso(changedAt)}, the entry's last change (got ${JSON.stringify(asOf)})`,
        nonRetryable: true,
      });
    }
    return { ...summarise(state, at), asOf: toIso(at) };
  }

  function validate(command: EntryCommand): void {
    const refusal = checkCommand(state, command, Date.now());
    if (refusal) throw refusalFailure(refusal);
  }

  const startFirst = patched(PATCH.START_BEFORE_UPDATES);
  if (startFirst) carryOut(initial);

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
  setHandler(updateMeetingsUpdate, (req) => handle({ type: 'UPDATE_MEETINGS', ...req }), {
    validator: (req: UpdateMeetingsRequest) => validate({ type: 'UPDATE_MEETINGS', ...req }),
    description: 'A new version of the meeting calendar: decisions awaited at a meeting move with it',
  });
  setHandler(getStatusQuery, (request?: StatusRequest) => statusAsOf(request?.asOf));
  setHandler(getAuditTrailQuery, () => auditTrail(state));
  // the recovery command (npm run record:rebuild) writes this run's whole projection to the record
  setHandler(getRecordProjectionQuery, () => projectionOf(state, thisRun(), Date.now(), state.audit, []));

  if (!startFirst) carryOut(initial);

  try {
    await runUntilClosed();
  } catch (err) {
    if (!(withdrawOnCancel && isCancellation(err) && open)) throw err;
    await CancellationScope.nonCancellable(async () => {
      await recordingNow?.catch(() => undefined); // its activity was cancelled with the rest: handed over again below
      withdrawThroughTemporal();
      await settle();
    });
    return finalResult();
  }
  await settle();
  return finalResult();

  function finalResult(): EntrySummary | undefined {
    return rulesOf(state) >= RULES_VERSION.V2 ? summarise(state, Date.now()) : undefined;
  }

  /** A cancellation requested through Temporal: the entry is withdrawn, as if OPS had asked. */
  function withdrawThroughTemporal(): void {
    const outcome = applyCommand(state, TEMPORAL_CANCELLATION, Date.now());
    if (!outcome.ok) throw refusalFailure(outcome.refusal);
    state = outcome.state;
    carryOut(outcome);
  }

  async function runUntilClosed(): Promise<void> {
    const timer = new WakeTimer();
    while (open) {
      const seen = changes;
      if (patched(PATCH.ONE_WAKE_TIMER)) {
        timer.aim(wakeAt);
        await condition(() => changes !== seen || timer.fired);
        if (timer.consumeDue()) tick();
      } else if (patched(PATCH.KEEP_WAKE_TIMER)) {
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
  }

  /** Lets running handlers finish, every started notification be delivered and the record catch up. */
  async function settle(): Promise<void> {
    await condition(allHandlersFinished);
    while (deliveries.size > 0) await Promise.all(deliveries);
    while (recordingNow) await recordingNow;
  }
}
