/**
 * Who works a waiting stage: shown to everyone of the body, with the one button that fits (claim
 * it, hand it back, or take it over from a colleague). The API keeps the claim in the record and
 * writes each change to the audit trail; a colleague's open inbox or page sees it within seconds.
 */
import { useState } from 'preact/hooks';
import { api, type Principal, type Schemas } from '../api';
import { whenInWords } from '../conversation';
import { Problem } from '../ui';
import { useSend } from './forms';

export type StageClaim = Schemas['StageClaim'];
export type Colleague = Schemas['ColleaguesResponse']['colleagues'][number];

const isMe = (holder: StageClaim['claimant'], principal: Principal) => holder.id === principal.id;
const nameOf = (holder: StageClaim['claimant']) => holder.name ?? holder.id;

/** 'Dana Smith, claimed at 10:14 UTC today' / 'You, given to you by Sam Lee on 3 Jun 2027 at 10:14 UTC' */
export function claimInWords(claim: StageClaim | null | undefined, principal: Principal): string {
  if (!claim) return 'Nobody has claimed it yet';
  const who = isMe(claim.claimant, principal) ? 'You' : nameOf(claim.claimant);
  const given = claim.claimedBy.id !== claim.claimant.id ? `, given ${isMe(claim.claimant, principal) ? 'to you ' : ''}by ${isMe(claim.claimedBy, principal) ? 'you' : nameOf(claim.claimedBy)}` : ', claimed';
  return `${who}${given} ${whenInWords(claim.claimedAt)}`;
}

interface ClaimButtonProps {
  partyId: string;
  stage: Schemas['StageId'];
  role?: Schemas['UserRole'] | undefined;
  /** The stage's title, for the button's accessible name */
  title: string;
  claim: StageClaim | null | undefined;
  principal: Principal;
  onChanged: () => void;
}

/** Claim, Release or Take over, as the claim stands; a refusal in words beside it. */
export function ClaimButton({ partyId, stage, role, title, claim, principal, onChanged }: ClaimButtonProps) {
  const { busy, problem, send } = useSend(onChanged);
  const mine = claim ? isMe(claim.claimant, principal) : false;
  const [label, body]: [string, Omit<Schemas['ClaimRequest'], 'stage' | 'role'>] = !claim ? ['Claim', {}] : mine ? ['Release', { assignee: null }] : ['Take over', { takeOver: true }];
  const change = () => void send(() => api.PUT('/v1/entries/{partyId}/claim', { params: { path: { partyId } }, body: { stage, ...(role ? { role } : {}), ...body } }));
  return (
    <span class="claim-button">
      <button type="button" class="secondary" disabled={busy} onClick={change} aria-label={`${label} ${title}`}>
        {label}
      </button>
      {problem && <Problem>{problem}</Problem>}
    </span>
  );
}

/** Gives the stage to a colleague of the body, who is told of it (at once, or in their digest); taking it from another when one holds it. */
function AssignForm({ partyId, stage, role, title, claim, principal, onChanged, colleagues }: ClaimButtonProps & { colleagues: readonly Colleague[] }) {
  const [to, setTo] = useState('');
  const { busy, problem, send } = useSend(() => {
    setTo('');
    onChanged();
  });
  const choices = colleagues.filter((c) => c.id !== claim?.claimant.id);
  if (choices.length === 0) return null;
  const id = `assign-${stage}-${role ?? 'entry'}`;
  function submit(event: Event) {
    event.preventDefault();
    const person = choices.find((c) => c.id === to);
    if (!person) return;
    const assignee = { id: person.id, ...(person.name ? { name: person.name } : {}), ...(person.email ? { email: person.email } : {}) };
    const takeOver = claim !== null && claim !== undefined && !isMe(claim.claimant, principal);
    void send(() => api.PUT('/v1/entries/{partyId}/claim', { params: { path: { partyId } }, body: { stage, ...(role ? { role } : {}), assignee, ...(takeOver ? { takeOver } : {}) } }));
  }
  return (
    <form class="assign" onSubmit={submit} aria-label={`Assign ${title}`}>
      <label for={id}>Assign to</label>{' '}
      <select id={id} value={to} onChange={(e) => setTo(e.currentTarget.value)}>
        <option value="">a colleague…</option>
        {choices.map((c) => (
          <option key={c.id} value={c.id}>
            {nameOf(c)}
          </option>
        ))}
      </select>{' '}
      <button type="submit" class="secondary" disabled={!to || busy}>
        Assign
      </button>
      {problem && <Problem>{problem}</Problem>}
    </form>
  );
}

/** Above a decide form: who works the stage, the button, and the colleagues it can be given to. */
export function ClaimLine(props: ClaimButtonProps & { colleagues: readonly Colleague[] }) {
  return (
    <div class="claim-line small" aria-live="polite">
      <span>
        <strong>Worked by:</strong> {claimInWords(props.claim, props.principal)}.
      </span>{' '}
      <ClaimButton {...props} />
      <AssignForm {...props} />
    </div>
  );
}
