/**
 * After a decision: "Decision recorded" said where the eye and the screen reader are (focus moves
 * to it), and the next item of the decider's inbox one click away, also when it arrives later.
 */
import { useEffect, useRef } from 'preact/hooks';
import { api, type Principal } from '../api';
import { words } from '../format';
import { useInboxChanges } from '../live-inbox';
import { useLoad } from '../load';
import { href } from '../router';
import { inboxOrder, stageKey } from './inbox';

export function DecisionRecorded({ text, partyId, principal }: { text: string; partyId: string; principal: Principal }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.focus(), [text]);
  // read after the decision: the record holds it, so the decided stage is no longer in the inbox
  const inbox = useLoad(() => api.GET('/v1/inbox', { params: { query: {} } }), text);
  useInboxChanges(inbox.reload); // work that arrives later is offered as it arrives
  const mine = inboxOrder(inbox.data?.items ?? []).filter((i) => i.awaiting === principal.body);
  const next = mine.find((i) => i.partyId !== partyId) ?? mine[0];
  return (
    <div class="card recorded" role="status" tabIndex={-1} ref={box}>
      <h2>Decision recorded</h2>
      <p>{text}</p>
      {inbox.data && (
        <p>
          {next ? (
            <a class="button" href={href(`/entries/${encodeURIComponent(next.partyId)}#${stageKey(next.stage, next.role)}`)}>
              Next item: {next.partyName}, {next.title}
              {next.role ? ` (${words(next.role)})` : ''}
            </a>
          ) : (
            <>Nothing else awaits {words(principal.body)}. </>
          )}{' '}
          <a href={href('/inbox')}>Back to the inbox</a>
        </p>
      )}
    </div>
  );
}
