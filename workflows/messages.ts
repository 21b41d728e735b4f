/**
 * Every message the entry workflow takes, with its payload types. The API imports this module
 * (and types) only; wire names are stable and never renamed once deployed.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { EntryState } from '../domain';
import type { AuditRecord, EntrySummary, StartEntryInput } from '../domain/types';
import type { Principal, StageId, UserRole } from '../domain/vocabulary';

export const ENTRY_WORKFLOW_TYPE = 'entryWorkflow';

/** A fresh start, or the carried-over state of a continued-as-new entry. */
export type EntryWorkflowInput = { start: StartEntryInput } | { resume: EntryState };

export interface RecordDecisionRequest {
  decisionId: string;
  stage: StageId;
  role?: UserRole;
  outcome: string;
  evidence: string;
  comment?: string;
  principal: Principal;
}

export interface SubmitEvidenceRequest {
  submissionId: string;
  stage: StageId;
  role?: UserRole;
  reference: string;
  comment?: string;
  principal: Principal;
}

export interface AmendMandateDeadlineRequest {
  /** 'YYYY-MM-DD', or null to remove the mandate deadline */
  deadline: string | null;
  reason: string;
  principal: Principal;
}

export interface AddUserRoleRequest {
  role: UserRole;
  principal: Principal;
}

export interface WithdrawRequest {
  reason: string;
  principal: Principal;
}

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
