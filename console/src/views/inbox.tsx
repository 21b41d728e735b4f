/** What awaits my body, overdue first: SLA due date, working days left, risk, and what the Party submitted. */
import { api, type Principal, type Schemas } from '../api';
import { day, daysLeft, expectedInWords, plural, words } from '../format';
import { useInboxChanges } from '../live-inbox';
import { useLoad } from '../load';
import { href } from '../router';
import { Badge, Loading, Page, Problem, RiskBadges } from '../ui';
import { ClaimButton, claimInWords } from './claim';
import { InboxFilters, inboxViewOf, viewed } from './inbox-filters';
import { memo } from 'preact/compat';
import { useMemo, useRef } from 'preact/hooks';

type Item = Schemas['InboxItem'];

/** Overdue first, then by SLA due date (the API already orders by due date). */
export function inboxOrder(items: readonly Item[]): Item[] {
  return [...items].sort((a, b) => Number(b.overdue) - Number(a.overdue) || (a.dueBy ?? '9999').localeCompare(b.dueBy ?? '9999'));
}

export function stageKey(stage: string, role?: string | null): string {
  return role ? `${stage}.${role}` : stage;
}

/**
 * The items as last shown where they are unchanged (same JSON): a reload that changes one item
 * (the live inbox reloads on every change, and once when its stream opens) renders one row again,
 * not a thousand.
 */
function useStableItems(items: readonly Item[] | undefined): Item[] {
  const held = useRef(new Map<string, { json: string; item: Item }>());
  return useMemo(() => {
    const next = new Map<string, { json: string; item: Item }>();
    const stable = (items ?? []).map((item) => {
      const key = `${item.partyId}:${stageKey(item.stage, item.role)}`;
      const json = JSON.stringify(item);
      const before = held.current.get(key);
      const kept = before && before.json === json ? before : { json, item };
      next.set(key, kept);
      return kept.item;
    });
    held.current = next;
    return stable;
  }, [items]);
}

interface RowProps {
  item: Item;
  principal: Principal;
  onChanged: () => void;
}

/** One stage of the inbox: drawn again only when its item, the principal or the reload changes. */
const InboxRow = memo(function InboxRow({ item: i, principal, onChanged }: RowProps) {
  const key = stageKey(i.stage, i.role);
  const link = href(`/entries/${encodeURIComponent(i.partyId)}#${key}`);
  return (
    <tr class={i.overdue ? 'row-overdue' : undefined}>
      <td data-label="Party">
        <a href={link}>{i.partyName}</a>
        <div class="muted small">{i.partyId}</div>
      </td>
      <td data-label="Stage">
        {i.title}
        {i.role && <div class="muted small">{words(i.role)}</div>}
      </td>
      <td data-label="Due">
        <div>{day(i.dueBy)}</div>
        <div class="small">{daysLeft(i.workingDaysLeft)}</div>
        <RiskBadges overdue={i.overdue} atRisk={i.atRisk} inBreach={i.inBreach} />
      </td>
      <td data-label="What is expected" class="small">{expectedInWords({ ...i, owner: i.awaiting, dueBy: i.dueBy ?? undefined })}</td>
      <td data-label="Submitted by the Party" class="small">
        {i.latestSubmission ? (
          <>
            <strong>{i.latestSubmission.reference}</strong>
            {i.latestSubmission.comment && <div>“{i.latestSubmission.comment}”</div>}
            <div class="muted">{day(i.latestSubmission.at)}</div>
          </>
        ) : (
          <span class="muted">{i.awaiting === 'PARTY' ? 'Awaiting the Party' : 'Nothing submitted'}</span>
        )}
      </td>
      <td data-label="Worked by" class="small">
        {i.claim ? claimInWords(i.claim, principal) : <span class="muted">Nobody yet</span>}
      </td>
      <td class="row-action">
        {i.awaiting !== 'PARTY' ? (
          <>
            <a class="button" href={link} aria-label={`Decide ${i.title}${i.role ? ` for ${words(i.role)}` : ''}, ${i.partyName}`}>
              Decide
            </a>
            {i.awaiting === principal.body && (!i.claim || i.claim.claimant.id === principal.id) && (
              <ClaimButton partyId={i.partyId} stage={i.stage} role={i.role} title={`${i.title}${i.role ? ` for ${words(i.role)}` : ''}, ${i.partyName}`} claim={i.claim} principal={principal} onChanged={onChanged} />
            )}
          </>
        ) : (
          <Badge tone="muted">Party's turn</Badge>
        )}
      </td>
    </tr>
  );
});

export function Inbox({ principal, body, query }: { principal: Principal; body?: string; query: URLSearchParams }) {
  const asked = principal.body === 'OPS' ? body : undefined;
  const inbox = useLoad(() => api.GET('/v1/inbox', { params: { query: asked ? { body: asked as Schemas['Body'] } : {} } }), asked ?? '');
  useInboxChanges(inbox.reload);
  const all = inboxOrder(useStableItems(inbox.data?.items));
  const view = inboxViewOf(query);
  const items = viewed(all, view, principal);
  const overdue = all.filter((i) => i.overdue).length;
  const whose = inbox.data?.body ? words(inbox.data.body) : 'every body';
  return (
    <Page
      title={`Inbox: ${whose}`}
      lead={
        inbox.data
          ? `${plural(all.length, 'stage')} awaiting ${whose}${overdue ? `, ${overdue} overdue` : ''}${items.length < all.length ? `; ${items.length} shown` : ''}.`
          : undefined
      }
      actions={
        <button type="button" class="secondary" onClick={inbox.reload}>
          Refresh
        </button>
      }
    >
      {inbox.error && <Problem>{inbox.error}</Problem>}
      {inbox.loading && !inbox.data && <Loading />}
      {all.length > 0 && <InboxFilters items={all} view={view} query={query} />}
      {inbox.data && all.length === 0 && <p class="empty">Nothing awaits {whose}. </p>}
      {all.length > 0 && items.length === 0 && <p class="empty">Nothing in this view: change or clear the filters.</p>}
      {items.length > 0 && (
        <div class="table-wrap inbox-wrap" tabIndex={0} role="region" aria-label="The inbox">
          <table class="inbox">
            <caption class="visually-hidden">Stages awaiting {whose}, overdue first</caption>
            <thead>
              <tr>
                <th scope="col">Party</th>
                <th scope="col">Stage</th>
                <th scope="col">Due</th>
                <th scope="col">What is expected</th>
                <th scope="col">Submitted by the Party</th>
                <th scope="col">Worked by</th>
                <th scope="col">
                  <span class="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <InboxRow key={`${i.partyId}:${stageKey(i.stage, i.role)}`} item={i} principal={principal} onChanged={inbox.reload} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
