/**
 * What the entry workflow hands to the record after its transitions: plain JSON, built
 * deterministically in the workflow, written idempotently by the record activity.
 */
import type { EntryState } from './state';
import type { AuditRecord, Notification } from './types';
import { ENTRY_STATUS } from './vocabulary';

export const RECORD_CLOSURE_OUTCOME = {
  COMPLETE: 'COMPLETE',
  WITHDRAWN: 'WITHDRAWN',
  CLOSED_OUTSIDE_ENGINE: 'CLOSED_OUTSIDE_ENGINE',
} as const;
export type RecordClosureOutcome = (typeof RECORD_CLOSURE_OUTCOME)[keyof typeof RECORD_CLOSURE_OUTCOME];

export interface EntryProjection {
  entryId: string;
  /** The first run id of the run chain (continue-as-new keeps it): audit seqs continue within it. */
  chainId: string;
  runId: string;
  /**
   * The run id the chain's started event was written with: another run's in a run a Temporal
   * reset created (absent from projections handed over by code before it: no reset found that way).
   */
  originalRunId?: string;
  /** Workflow time of `state`, epoch ms. */
  asOfMs: number;
  /** The entry as it now stands; its `audit` may be left empty (the records travel in `audit`). */
  state: EntryState;
  /** Audit records not yet handed over (replays and retries may hand some over again: they are written once). */
  audit: AuditRecord[];
  /** Notifications decided since the last projection. */
  notifications: Pick<Notification, 'id' | 'kind' | 'recipients' | 'dueAt'>[];
  /** Set once, when the run chain ends inside the engine. */
  closure?: { outcome: RecordClosureOutcome; atMs: number };
}

/** Two projections in one, oldest first: the later state, every record and notification of both. */
export function mergeProjections(older: EntryProjection, newer: EntryProjection): EntryProjection {
  return {
    ...newer,
    audit: [...older.audit, ...newer.audit],
    notifications: [...older.notifications, ...newer.notifications],
    ...(newer.closure ?? older.closure ? { closure: newer.closure ?? older.closure } : {}),
  };
}

/** Which run of which chain a projection comes from. */
export interface ProjectedRun {
  chainId: string;
  runId: string;
  originalRunId?: string;
}

/**
 * The projection of the entry as it stands at asOfMs: its state (without its trail), the given
 * audit records and notifications, and its closure once it is no longer in progress.
 */
export function projectionOf(
  state: EntryState,
  run: ProjectedRun,
  asOfMs: number,
  audit: AuditRecord[],
  notifications: Pick<Notification, 'id' | 'kind' | 'recipients' | 'dueAt'>[],
): EntryProjection {
  const closed = state.status !== ENTRY_STATUS.IN_PROGRESS;
  return {
    entryId: state.entryId,
    chainId: run.chainId,
    runId: run.runId,
    ...(run.originalRunId !== undefined ? { originalRunId: run.originalRunId } : {}),
    asOfMs,
    state: { ...state, audit: [] },
    audit,
    notifications: notifications.map(({ id, kind, recipients, dueAt }) => ({ id, kind, recipients, dueAt })),
    ...(closed
      ? {
          closure: {
            outcome: state.status === ENTRY_STATUS.COMPLETE ? RECORD_CLOSURE_OUTCOME.COMPLETE : RECORD_CLOSURE_OUTCOME.WITHDRAWN,
            atMs: state.closedAtMs ?? asOfMs,
          },
        }
      : {}),
  };
}
