/**
 * The one rule for a caller-chosen id (a decision's or a submission's): the same id with the same
 * request (kind, stage, role, outcome and evidence or reference, comment, principal) is a retry,
 * answered with the first record and `duplicate: true`; the same id with anything else is
 * ID_REUSED. The workflow applies it to a running entry and the API to a closed one, both here.
 */
import { refuse } from './guards';
import { AUDIT_ACTION, REFUSAL, type AuditRecord, type EntryCommand, type Refusal } from './types';

export type RetryCheck = { kind: 'new' } | { kind: 'duplicate'; record: AuditRecord } | { kind: 'reused'; refusal: Refusal };

type IdentifiedType = 'RECORD_DECISION' | 'SUBMIT_EVIDENCE';

/** The content of a decision or submission, as sent or as recorded. */
interface Request {
  type: IdentifiedType;
  stage?: string;
  role?: string;
  outcome?: string;
  evidence?: string;
  reference?: string;
  comment?: string;
  principal: { body: string; id: string };
}

function fingerprintOf(c: Request): string {
  const what = c.type === 'RECORD_DECISION' ? [c.outcome, c.evidence] : [c.reference];
  return JSON.stringify([c.type, c.stage, c.role ?? null, ...what, c.comment ?? null, c.principal.body, c.principal.id]);
}

/** What makes two requests under one id the same request ('' for commands without an id). */
export function fingerprint(command: EntryCommand): string {
  return command.type === 'RECORD_DECISION' || command.type === 'SUBMIT_EVIDENCE' ? fingerprintOf(command) : '';
}

const RECORDED_AS: Partial<Record<AuditRecord['action'], IdentifiedType>> = {
  [AUDIT_ACTION.DECISION]: 'RECORD_DECISION',
  [AUDIT_ACTION.SUBMISSION]: 'SUBMIT_EVIDENCE',
};

/** Whether `command` repeats an id in the audit trail, and if so whether it is a retry or a reuse. */
export function checkRetry(audit: readonly AuditRecord[], command: EntryCommand): RetryCheck {
  if (command.type !== 'RECORD_DECISION' && command.type !== 'SUBMIT_EVIDENCE') return { kind: 'new' };
  const id = command.type === 'RECORD_DECISION' ? command.decisionId : command.submissionId;
  const record = audit.find((r) => r.id === id && RECORDED_AS[r.action] === command.type);
  if (!record) return { kind: 'new' };
  if (fingerprintOf({ ...record, type: command.type }) !== fingerprintOf(command)) {
    const what = command.type === 'RECORD_DECISION' ? 'decision' : 'submission';
    return { kind: 'reused', refusal: refuse(REFUSAL.ID_REUSED, `id ${id} was already used for a different ${what}`) };
  }
  return { kind: 'duplicate', record };
}
