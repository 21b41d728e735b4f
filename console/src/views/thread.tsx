/**
 * A stage's thread: what the bodies and the Party said about it, oldest first, each with who and
 * when (read from the entry's audit trail, COMMENTED records), and a box to add to it where the
 * reader may comment. A comment decides nothing; it is for the other side to read.
 */
import { useState } from 'preact/hooks';
import { api, formId, type Principal, type StageSummary } from '../api';
import { whenInWords, whoInWords, type AuditRecord } from '../conversation';
import { words } from '../format';
import { Problem } from '../ui';
import { useSend } from './forms';

const sameStage = (r: AuditRecord, s: Pick<StageSummary, 'stage' | 'role'>) => r.stage === s.stage && (r.role ?? null) === (s.role ?? null);

/** Everyone who takes part in the process comments; operations read. */
export const mayComment = (p: Principal) => p.body !== 'OPS';

interface StageThreadProps {
  partyId: string;
  stage: StageSummary;
  records: readonly AuditRecord[] | undefined;
  /** Shows the box to add a comment */
  canAdd: boolean;
  onAdded: () => void;
}

export function StageThread({ partyId, stage, records, canAdd, onAdded }: StageThreadProps) {
  const said = (records ?? []).filter((r) => r.action === 'COMMENTED' && sameStage(r, stage));
  if (said.length === 0 && !canAdd) return null;
  const name = `${stage.title}${stage.role ? ` (${words(stage.role)})` : ''}`;
  return (
    <section class="thread small" aria-label={`Comments on ${name}`}>
      {said.length > 0 && (
        <ol>
          {said.map((r) => (
            <li key={r.seq}>
              <span class="muted">
                {whoInWords(r.principal)}, {whenInWords(r.at)}:
              </span>{' '}
              <q>{r.comment}</q>
            </li>
          ))}
        </ol>
      )}
      {canAdd && <AddComment partyId={partyId} stage={stage} name={name} onAdded={onAdded} />}
    </section>
  );
}

function AddComment({ partyId, stage, name, onAdded }: { partyId: string; stage: StageSummary; name: string; onAdded: () => void }) {
  // a new id once a comment is added: the next one is another comment, a retry of this one is not
  const [commentId, setCommentId] = useState(() => formId('web'));
  const [text, setText] = useState('');
  const { busy, problem, send } = useSend(() => {
    setText('');
    setCommentId(formId('web'));
    onAdded();
  });
  const id = `thread-${stage.stage}-${stage.role ?? 'party'}`;
  return (
    <form
      class="add-comment"
      aria-label={`Comment on ${name}`}
      onSubmit={(e) => {
        e.preventDefault();
        void send(() => api.POST('/v1/entries/{partyId}/comments', { params: { path: { partyId } }, body: { commentId, stage: stage.stage, ...(stage.role ? { role: stage.role } : {}), text } }));
      }}
    >
      <label for={id}>Comment</label>
      <textarea id={id} required maxLength={4000} rows={2} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      <button type="submit" class="secondary" disabled={busy || !text.trim()}>
        {busy ? 'Sending…' : 'Send comment'}
      </button>
      {problem && <Problem>{problem}</Problem>}
    </form>
  );
}
