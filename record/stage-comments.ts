/**
 * A stage's thread: comments by the bodies and the Party, kept as COMMENTED rows of the entry's
 * audit trail (append-only, numbered with the rest), keyed by the comment's id so a retry adds
 * nothing. A comment decides nothing, so the record keeps it, not the workflow.
 */
import { AUDIT_ACTION, type AuditRecord } from '../domain/types';
import { ENTRY_STATUS, type Principal } from '../domain/vocabulary';
import type { RecordDb } from './db';
import { appendOwnRow, retriedOnSeqClash } from './write';

export interface CommentToKeep {
  partyId: string;
  /** Chosen by the caller: the same id again adds nothing */
  commentId: string;
  stage: string;
  role: string;
  text: string;
  by: Principal;
  at: Date;
}

export type KeptComment = { outcome: 'NO_ENTRY' } | { outcome: 'KEPT' | 'DUPLICATE'; record: AuditRecord };

const commentKey = (commentId: string) => `comment:${commentId}`;

/** Appends the comment to the Party's entry in progress; the same id again answers the first. */
export async function keepComment(db: RecordDb, c: CommentToKeep): Promise<KeptComment> {
  return retriedOnSeqClash(() =>
    db.transaction().execute(async (tx): Promise<KeptComment> => {
      const entry = await tx.selectFrom('entries').select(['entry_id', 'chain_id', 'run_id']).where('party_id', '=', c.partyId).where('status', '=', ENTRY_STATUS.IN_PROGRESS).executeTakeFirst();
      if (!entry) return { outcome: 'NO_ENTRY' };
      const record: AuditRecord = {
        seq: 0,
        at: c.at.toISOString(),
        action: AUDIT_ACTION.COMMENTED,
        principal: c.by,
        id: c.commentId,
        stage: c.stage as AuditRecord['stage'],
        ...(c.role !== '' ? { role: c.role as AuditRecord['role'] } : {}),
        comment: c.text,
      };
      let written = record;
      const appended = await appendOwnRow(tx, entry.entry_id, entry.chain_id, commentKey(c.commentId), entry.run_id, (seq) => (written = { ...record, seq }));
      if (appended) return { outcome: 'KEPT', record: written };
      const first = await tx.selectFrom('audit').select('record').where('entry_id', '=', entry.entry_id).where('record_key', '=', commentKey(c.commentId)).executeTakeFirstOrThrow();
      return { outcome: 'DUPLICATE', record: first.record };
    }),
  );
}
