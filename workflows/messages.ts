/**
 * Every message the entry workflow takes, with its payload types. The API imports this module
 * (and types) only; wire names are stable and never renamed once deployed.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { EntryState } from '../domain';
import type { AuditRecord, EntryCommand, EntrySummary, StartEntryInput } from '../domain/types';

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

/** Every accepted update answers with what it recorded and the entry as it now stands. */
export interface EntryUpdateResult {
  record: AuditRecord;
  /** true when the id was seen before: `record` is the first answer and nothing changed */
  duplicate: boolean;
  summary: EntrySummary;
}

export const recordDecisionUpdate = defineUpdate<EntryUpdateResult, [RecordDecisionRequest]>('recordDecision');
export const submitEvidenceUpdate = defineUpdate<EntryUpdateResult, [SubmitEvidenceRequest]>('submitEvidence');
export const amendMandateDeadlineUpdate = defineUpdate<EntryUpdateResult, [AmendMandateDeadlineRequest]>('amendMandateDeadline');
export const addUserRoleUpdate = defineUpdate<EntryUpdateResult, [AddUserRoleRequest]>('addUserRole');
export const withdrawUpdate = defineUpdate<EntryUpdateResult, [WithdrawRequest]>('withdraw');

export const getStatusQuery = defineQuery<EntrySummary>('getStatus');
export const getAuditTrailQuery = defineQuery<AuditRecord[]>('getAuditTrail');
