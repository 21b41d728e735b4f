/**
 * What makes an audit record the one it is, whatever Temporal does to the run that wrote it. The
 * workflow's own numbering (seq) does not: a run rewound by a reset hands the same numbers out
 * again, to other records. So each record is keyed within its run chain by what is unique about it:
 * - a decision or a submission: its own id (a reset that reapplies the update brings the same id
 *   back: written once);
 * - the chain's start: there is one, with one record per stage done before it (per stage and role);
 * - the record's own rows (a reset, a closure outside the engine): the run they are about;
 * - any other record (a deadline amended, a role added or complete, a withdrawal): its content and
 *   its instant. The history a reset copies replays it unchanged (the same key: written once); what
 *   a rewound run does again happens at another instant (a new record).
 */
import { createHash } from 'node:crypto';
import { AUDIT_ACTION, type AuditRecord } from '../domain/types';

/** The key of a record the workflow wrote (the record's own rows are keyed by their writers). */
export function auditKeyOf(record: AuditRecord): string {
  if ((record.action === AUDIT_ACTION.DECISION || record.action === AUDIT_ACTION.SUBMISSION) && record.id !== undefined) return `${record.action}:${record.id}`;
  if (record.action === AUDIT_ACTION.STARTED) return [AUDIT_ACTION.STARTED, ...(record.stage ? [record.stage, record.role ?? ''] : [])].join(':');
  const { seq: _seq, ...content } = record;
  const digest = createHash('sha256').update(canonical(content)).digest('hex').slice(0, 24);
  return `${record.action}@${record.at}#${digest}`;
}

/** JSON with every object's keys in order: the same text for a record as written and as read back from jsonb. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The key of the record's row saying Temporal reset the run: one per run a reset created. */
export const resetAuditKey = (runId: string) => `${AUDIT_ACTION.RUN_RESET}:${runId}`;

/** The key of the record's row saying Temporal closed the run outside the engine: one per run. */
export const outsideClosureAuditKey = (runId: string) => `${AUDIT_ACTION.CLOSED_OUTSIDE_ENGINE}:${runId}`;
