/**
 * Every message the entry workflow takes, with its payload types, and how the meeting calendar's
 * push is started. The API imports this module (and types) only; wire names are stable and never
 * renamed once deployed.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { EntryState } from '../domain';
import type { AuditRecord, EntryChange, EntryCommand, EntrySummary, StartEntryInput } from '../domain/types';
import type { EntryProjection } from '../domain/projection';
import type { MeetingsPushInput } from '../activities/types';

export const ENTRY_WORKFLOW_TYPE = 'entryWorkflow';

/** A fresh start, or the carried-over state of a continued-as-new entry. */
export type EntryWorkflowInput = { start: StartEntryInput } | { resume: EntryState };

/** An update's payload is the domain's command without its type tag. */
type RequestOf<T extends EntryCommand['type']> = Omit<Extract<EntryCommand, { type: T }>, 'type'>;

export type RecordDecisionRequest = RequestOf<'RECORD_DECISION'>;
export type SubmitEvidenceRequest = RequestOf<'SUBMIT_EVIDENCE'>;
/** `deadline`: 'YYYY-MM-DD', or null to remove the mandate deadline */
export type AmendMandateDeadlineRequest = RequestOf<'AMEND_DEADLINE'>;
export type AddUserRoleRequest = RequestOf<'ADD_ROLE'>;
export type WithdrawRequest = RequestOf<'WITHDRAW'>;
/** A new version of the SEC Panel's and SSC's meeting calendar (domain/meetings.ts). */
export type UpdateMeetingsRequest = RequestOf<'UPDATE_MEETINGS'>;

/** Every accepted update answers with what it recorded and what the caller needs to render it (the domain's EntryChange). */
export type EntryUpdateResult = EntryChange;

/**
 * What an update answered before the compact result (patch 'lean-updates', PATCH.LEAN_UPDATES): the record and
 * the entry's full summary. Only in histories written before it, and from a worker not yet upgraded.
 */
export interface LegacyEntryUpdateResult {
  record: AuditRecord;
  duplicate: boolean;
  summary: EntrySummary;
}

/** What an update may answer: the compact result, or the legacy one from a worker not yet upgraded. */
export type EntryUpdateAnswer = EntryUpdateResult | LegacyEntryUpdateResult;

export function isLegacyUpdateResult(answer: EntryUpdateAnswer): answer is LegacyEntryUpdateResult {
  return 'summary' in answer;
}

export const recordDecisionUpdate = defineUpdate<EntryUpdateAnswer, [RecordDecisionRequest]>('recordDecision');
export const submitEvidenceUpdate = defineUpdate<EntryUpdateAnswer, [SubmitEvidenceRequest]>('submitEvidence');
export const amendMandateDeadlineUpdate = defineUpdate<EntryUpdateAnswer, [AmendMandateDeadlineRequest]>('amendMandateDeadline');
export const addUserRoleUpdate = defineUpdate<EntryUpdateAnswer, [AddUserRoleRequest]>('addUserRole');
export const withdrawUpdate = defineUpdate<EntryUpdateAnswer, [WithdrawRequest]>('withdraw');
export const updateMeetingsUpdate = defineUpdate<EntryUpdateAnswer, [UpdateMeetingsRequest]>('updateMeetings');

/**
 * What getStatus may be asked: the instant to answer as of (ISO 8601), no earlier than the entry's
 * last change. Without it the answer is as of the workflow's last wake-up, which does not move
 * while the entry sleeps (days, for an idle entry): the answer's `asOf` says which.
 */
export interface StatusRequest {
  asOf?: string;
}

/** The entry's summary as of an instant: forecast, at risk, in breach and next deadline depend on it. */
export type StatusAnswer = EntrySummary & { asOf: string };

export const getStatusQuery = defineQuery<StatusAnswer, [StatusRequest?]>('getStatus');
export const getAuditTrailQuery = defineQuery<AuditRecord[]>('getAuditTrail');
/** This run's whole projection for the record: its state, every audit record of its chain, its closure. */
export const getRecordProjectionQuery = defineQuery<EntryProjection>('getRecordProjection');

/**
 * A version of the meeting calendar on its way to the running entries: one workflow per version
 * (workflows/meetings-push-workflow.ts), started by PUT /v1/meetings, or by a reconcile pass that
 * finds running entries behind the current version.
 */
export const MEETINGS_PUSH_WORKFLOW_TYPE = 'meetingCalendarPushWorkflow';
export const meetingsPushWorkflowId = (version: number): string => `uep-meetings-push-v${version}`;
export type { MeetingsPushInput };
