/**
 * The conversation beside the forms: why a stage came back (for the Party), what was decided last
 * time and what the Party submitted since (for the approver), and who decided first when an
 * officer's decision came too late. Everything here is read from the entry's audit trail.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { StageSummary } from '../api';
import { lastDecision, submissionsSince, whenInWords, whoInWords, type AuditRecord } from '../conversation';
import { day, words } from '../format';

/** The decision's reason, conditions and evidence, as the person who decided gave them. */
function Said({ decision, conditions }: { decision: AuditRecord; conditions?: boolean }) {
  return (
    <>
      {decision.comment && (
        <p class="said-comment">
          {conditions ? 'Conditions: ' : 'Reason: '}
          <q>{decision.comment}</q>
        </p>
      )}
      {decision.evidence && <p class="small">Their evidence: {decision.evidence}</p>}
    </>
  );
}

/** Beside the Party's form: the last decision that sent this stage back, if one did. */
export function WhyItCameBack({ stage, records }: { stage: StageSummary; records: readonly AuditRecord[] | undefined }) {
  const decision = lastDecision(records, stage);
  if (!decision) return null;
  return (
    <section class="said" aria-label={`Why ${stage.title} came back`}>
      <h4>Why it came back</h4>
      <p>
        <strong>{words(decision.outcome)}</strong> by {whoInWords(decision.principal)} {whenInWords(decision.at)}.
      </p>
      <Said decision={decision} />
    </section>
  );
}

/** Beside the approver's form: what was decided last time on this stage, and what the Party submitted since. */
export function LastTime({ stage, records }: { stage: StageSummary; records: readonly AuditRecord[] | undefined }) {
  const decision = lastDecision(records, stage);
  if (!decision) return null;
  const since = submissionsSince(records, stage, decision);
  return (
    <section class="said" aria-label={`Last decision on ${stage.title}`}>
      <h4>Last time</h4>
      <p>
        <strong>{words(decision.outcome)}</strong> by {whoInWords(decision.principal)} {whenInWords(decision.at)}.
      </p>
      <Said decision={decision} />
      {since.length === 0 ? (
        <p class="small">The Party has submitted nothing since.</p>
      ) : (
        <ul class="small">
          {since.map((r) => (
            <li key={r.seq}>
              Since then, {whoInWords(r.principal)} submitted <strong>{r.reference}</strong> on {day(r.at)}
              {r.comment ? (
                <>
                  : <q>{r.comment}</q>
                </>
              ) : (
                '.'
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Under a done stage: who decided it and when, with the conditions of a "subject to" outcome. */
export function DecidedBy({ stage, records, conditions }: { stage: StageSummary; records: readonly AuditRecord[] | undefined; conditions: boolean }) {
  const decision = lastDecision(records, stage);
  if (!decision || decision.outcome !== stage.outcome) return null;
  return (
    <div class="small">
      Decided by {whoInWords(decision.principal)} {whenInWords(decision.at)}
      {decision.comment ? (
        <>
          {conditions ? '; conditions: ' : ': '}
          <q>{decision.comment}</q>
        </>
      ) : (
        '.'
      )}
    </div>
  );
}

/** In place of a decide form that came too late: who decided first, and when; focus comes here as the form goes. */
export function AlreadyDecided({ text }: { text: string }) {
  const here = useRef<HTMLParagraphElement>(null);
  useEffect(() => here.current?.focus(), [text]);
  return (
    <p class="problem" role="alert" tabIndex={-1} ref={here}>
      {text}
    </p>
  );
}
