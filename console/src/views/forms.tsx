/**
 * The forms that change an entry: a decision, a submission, a new mandate deadline. Each makes its
 * id once (a double click or a retry sends the same id, which the engine answers with the first
 * answer) and shows a refusal in words beside the form.
 */
import { useMemo, useState } from 'preact/hooks';
import { api, formId, inWords, type Schemas, type StageSummary } from '../api';
import { alreadyDecided, lastDecision, type AuditRecord } from '../conversation';
import { day, words } from '../format';
import { Problem } from '../ui';
import { LastTime, WhyItCameBack } from './conversation';

type Sent = { data?: unknown; error?: unknown };

/** Sends once at a time; keeps the refusal in words, or hands it to `onRefused` when that takes it (answers true). */
export function useSend(onDone: () => void, onRefused?: (error: unknown) => Promise<boolean>) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  async function send(request: () => Promise<Sent>) {
    if (busy) return;
    setBusy(true);
    setProblem(undefined);
    const r = await request().catch((e: unknown): Sent => ({ error: e }));
    if (r.error !== undefined || r.data === undefined) {
      const taken = onRefused ? await onRefused(r.error).catch(() => false) : false;
      setBusy(false);
      if (!taken) setProblem(inWords(r.error));
    } else {
      setBusy(false);
      onDone();
    }
  }
  return { busy, problem, send };
}

const EFFECT: Record<string, string> = {
  DONE: 'the stage is done',
  REWORK: 'back to the Party to submit again',
  RESTART: 'the stage starts over',
};

function stageName(s: StageSummary): string {
  return `${s.title}${s.role ? ` (${words(s.role)})` : ''}`;
}

const codeOf = (error: unknown) => (error as { error?: { code?: string } } | undefined)?.error?.code;

interface DecideFormProps {
  partyId: string;
  stage: StageSummary;
  /** The entry's audit trail, for what was decided last time on this stage */
  records?: readonly AuditRecord[];
  /** Recorded: what was decided, in words. */
  onRecorded: (text: string) => void;
  /** A colleague decided first: who and when, in words (read again from the audit trail); the entry is read again. */
  onStale?: (text: string) => void;
}

export function DecideForm({ partyId, stage, records, onRecorded, onStale }: DecideFormProps) {
  const decisionId = useMemo(() => formId('web'), []);
  // A stage with one allowed outcome has nothing to choose: it is chosen already (one click fewer).
  const [outcome, setOutcome] = useState(stage.allowedOutcomes.length === 1 ? (stage.allowedOutcomes[0]?.outcome ?? '') : '');
  const [evidence, setEvidence] = useState('');
  const [comment, setComment] = useState('');
  // NOT_AWAITING: the stage was decided meanwhile; the audit trail, read again, says by whom and when
  const { busy, problem, send } = useSend(() => onRecorded(`${stageName(stage)}: ${words(outcome)}${evidence ? `, on ${evidence}` : ''}.`), async (error) => {
    if (codeOf(error) !== 'NOT_AWAITING' || !onStale) return false;
    const { data } = await api.GET('/v1/entries/{partyId}/audit-trail', { params: { path: { partyId } } });
    if (!data) return false;
    onStale(alreadyDecided(stageName(stage), lastDecision(data.records, stage)));
    return true;
  });
  const chosen = stage.allowedOutcomes.find((o) => o.outcome === outcome);
  const key = `${stage.stage}-${stage.role ?? 'party'}`;

  function submit(event: Event) {
    event.preventDefault();
    const body: Schemas['DecisionRequest'] = {
      decisionId,
      stage: stage.stage,
      ...(stage.role ? { role: stage.role } : {}),
      outcome,
      evidence,
      ...(comment.trim() ? { comment } : {}),
    };
    void send(() => api.POST('/v1/entries/{partyId}/decisions', { params: { path: { partyId } }, body }));
  }

  return (
    <form class="decide" onSubmit={submit} aria-label={`Decide ${stageName(stage)}`}>
      <div>
        <fieldset class="radios">
          <legend>Outcome</legend>
          {stage.allowedOutcomes.map((o) => (
            <label key={o.outcome}>
              <input type="radio" name={`outcome-${key}`} value={o.outcome} required checked={outcome === o.outcome} onChange={() => setOutcome(o.outcome)} />
              <span>
                {words(o.outcome)} <span class="effect">— {EFFECT[o.effect] ?? o.effect}{o.followUp ? ', with conditions to follow up' : ''}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <label for={`evidence-${key}`}>Evidence reference</label>
        <input id={`evidence-${key}`} required maxLength={500} value={evidence} onInput={(e) => setEvidence(e.currentTarget.value)} />
        <label for={`comment-${key}`}>{chosen?.followUp ? 'Conditions (they stay on the entry as follow-ups)' : 'Comment (optional)'}</label>
        <textarea id={`comment-${key}`} required={chosen?.followUp === true} maxLength={4000} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
        <button type="submit" disabled={busy}>
          {busy ? 'Recording…' : 'Record decision'}
        </button>
      </div>
      <div class="aside" aria-live="polite">
        {problem && <Problem>{problem}</Problem>}
        <LastTime stage={stage} records={records} />
        {!problem && (
          <p class="small muted">
            {stage.latestSubmission ? (
              <>
                The Party submitted <strong>{stage.latestSubmission.reference}</strong> on {day(stage.latestSubmission.at)}
                {stage.latestSubmission.comment ? `: “${stage.latestSubmission.comment}”` : '.'}
              </>
            ) : (
              'Nothing was submitted for this stage.'
            )}{' '}
            {stage.dueBy ? `Due ${day(stage.dueBy)}.` : ''}
          </p>
        )}
      </div>
    </form>
  );
}

interface SubmitFormProps {
  partyId: string;
  stage: StageSummary;
  records?: readonly AuditRecord[];
  onDone: () => void;
  /** The Party's name, when SECAS submits for it: the form says so. */
  onBehalfOf?: string;
}

export function SubmitForm({ partyId, stage, records, onDone, onBehalfOf }: SubmitFormProps) {
  const submissionId = useMemo(() => formId('web'), []);
  const [reference, setReference] = useState('');
  const [comment, setComment] = useState('');
  const { busy, problem, send } = useSend(onDone);
  const key = `${stage.stage}-${stage.role ?? 'party'}`;

  function submit(event: Event) {
    event.preventDefault();
    const body: Schemas['EvidenceRequest'] = {
      submissionId,
      stage: stage.stage,
      ...(stage.role ? { role: stage.role } : {}),
      reference,
      ...(comment.trim() ? { comment } : {}),
    };
    void send(() => api.POST('/v1/entries/{partyId}/evidence', { params: { path: { partyId } }, body }));
  }

  return (
    <form class="decide" onSubmit={submit} aria-label={`Submit for ${stageName(stage)}${onBehalfOf ? ` on behalf of ${onBehalfOf}` : ''}`}>
      <div>
        {onBehalfOf && <p class="small">On {onBehalfOf}'s behalf: the audit trail names you as the one who submitted.</p>}
        <label for={`reference-${key}`}>{onBehalfOf ? `Reference of what ${onBehalfOf} submits` : 'Reference of what you submit'}</label>
        <input id={`reference-${key}`} required maxLength={500} value={reference} onInput={(e) => setReference(e.currentTarget.value)} />
        <label for={`note-${key}`}>Comment (optional)</label>
        <textarea id={`note-${key}`} maxLength={4000} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
        <button type="submit" disabled={busy}>
          {busy ? 'Submitting…' : onBehalfOf ? `Submit for ${onBehalfOf}` : 'Submit'}
        </button>
      </div>
      <div class="aside" aria-live="polite">
        <WhyItCameBack stage={stage} records={records} />
        {problem ? <Problem>{problem}</Problem> : <p class="small muted">The owner ({words(stage.owner)}) decides once you have submitted.</p>}
      </div>
    </form>
  );
}

export function AmendDeadlineForm({ partyId, current, onDone }: { partyId: string; current: string | null; onDone: () => void }) {
  const [deadline, setDeadline] = useState(current ?? '');
  const [remove, setRemove] = useState(false);
  const [reason, setReason] = useState('');
  const { busy, problem, send } = useSend(onDone);

  function submit(event: Event) {
    event.preventDefault();
    const body: Schemas['AmendDeadlineRequest'] = { deadline: remove ? null : deadline, reason };
    void send(() => api.PUT('/v1/entries/{partyId}/mandate-deadline', { params: { path: { partyId } }, body }));
  }

  return (
    <form onSubmit={submit} aria-label="Amend the mandate deadline">
      <div class="row">
        <div>
          <label for="new-deadline">New mandate deadline</label>
          <input id="new-deadline" type="date" required={!remove} disabled={remove} value={deadline} onInput={(e) => setDeadline(e.currentTarget.value)} />
        </div>
        <div>
          <label for="amend-reason">Reason</label>
          <input id="amend-reason" required maxLength={1000} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        </div>
      </div>
      <div class="checks">
        <label>
          <input type="checkbox" checked={remove} onChange={(e) => setRemove(e.currentTarget.checked)} /> No mandate deadline
        </label>
      </div>
      {problem && <Problem>{problem}</Problem>}
      <button type="submit" disabled={busy}>
        {busy ? 'Saving…' : 'Amend deadline'}
      </button>
    </form>
  );
}
