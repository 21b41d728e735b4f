/**
 * The inbox's filters, search and sort, kept in the address (`/app/inbox?stage=UEPT&risk=overdue&who=me&q=acme&sort=waiting`),
 * so a view can be bookmarked or mailed. They narrow what the inbox already holds: no request.
 */
import type { Principal, Schemas } from '../api';
import { words } from '../format';
import { navigate } from '../router';

type Item = Schemas['InboxItem'];

export const SORTS = { due: 'Due first (overdue first)', waiting: 'Waiting longest', party: 'Party name' } as const;
export type Sort = keyof typeof SORTS;
const RISKS = { overdue: 'Overdue', atRisk: 'At risk or in breach' } as const;
type Risk = keyof typeof RISKS;
const WHO = { me: 'Claimed by me', nobody: 'Not claimed', others: 'Claimed by others' } as const;
type Who = keyof typeof WHO;

export interface InboxView {
  q: string;
  stage: string;
  role: string;
  risk: Risk | '';
  who: Who | '';
  sort: Sort;
}

export function inboxViewOf(query: URLSearchParams): InboxView {
  const sort = query.get('sort') ?? 'due';
  const risk = query.get('risk') ?? '';
  const who = query.get('who') ?? '';
  return {
    q: query.get('q') ?? '',
    stage: query.get('stage') ?? '',
    role: query.get('role') ?? '',
    risk: risk in RISKS ? (risk as Risk) : '',
    who: who in WHO ? (who as Who) : '',
    sort: sort in SORTS ? (sort as Sort) : 'due',
  };
}

/** The items the view shows, in its order; `ordered` is the inbox's own order (due first). */
export function viewed(ordered: readonly Item[], v: InboxView, me: Principal): Item[] {
  const claimedByMe = (i: Item) => i.claim?.claimant.id === me.id;
  const q = v.q.trim().toLowerCase();
  const shown = ordered.filter(
    (i) =>
      (!q || i.partyName.toLowerCase().includes(q) || i.partyId.toLowerCase().includes(q)) &&
      (!v.stage || i.stage === v.stage) &&
      (!v.role || i.role === v.role) &&
      (v.risk !== 'overdue' || i.overdue) &&
      (v.risk !== 'atRisk' || i.atRisk || i.inBreach) &&
      (v.who !== 'me' || claimedByMe(i)) &&
      (v.who !== 'nobody' || !i.claim) &&
      (v.who !== 'others' || (i.claim && !claimedByMe(i))),
  );
  if (v.sort === 'waiting') return [...shown].sort((a, b) => (a.awaitingSince ?? '').localeCompare(b.awaitingSince ?? ''));
  if (v.sort === 'party') return [...shown].sort((a, b) => a.partyName.localeCompare(b.partyName));
  return shown;
}

/** The view's controls: each change goes into the address. */
export function InboxFilters({ items, view, query }: { items: readonly Item[]; view: InboxView; query: URLSearchParams }) {
  const set = (name: keyof InboxView, value: string) => {
    const next = new URLSearchParams(query);
    if (value) next.set(name, value);
    else next.delete(name);
    navigate(`/inbox${next.size ? `?${next.toString()}` : ''}`, true);
  };
  const stages = [...new Map(items.map((i) => [i.stage, i.title])).entries()];
  const roles = [...new Set(items.flatMap((i) => (i.role ? [i.role] : [])))];
  return (
    <form class="card row filters" role="search" aria-label="Filter the inbox" onSubmit={(e) => e.preventDefault()}>
      <div>
        <label for="inbox-q">Party</label>
        <input id="inbox-q" type="search" value={view.q} onInput={(e) => set('q', e.currentTarget.value)} />
      </div>
      <div>
        <label for="inbox-stage">Stage</label>
        <select id="inbox-stage" value={view.stage} onChange={(e) => set('stage', e.currentTarget.value)}>
          <option value="">Every stage</option>
          {stages.map(([id, title]) => (
            <option key={id} value={id}>
              {title}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for="inbox-role">User Role</label>
        <select id="inbox-role" value={view.role} onChange={(e) => set('role', e.currentTarget.value)}>
          <option value="">Every role</option>
          {roles.map((r) => (
            <option key={r} value={r}>
              {words(r)}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for="inbox-risk">Show</label>
        <select id="inbox-risk" value={view.risk} onChange={(e) => set('risk', e.currentTarget.value)}>
          <option value="">Everything</option>
          {(Object.keys(RISKS) as Risk[]).map((r) => (
            <option key={r} value={r}>
              {RISKS[r]}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for="inbox-who">Worked by</label>
        <select id="inbox-who" value={view.who} onChange={(e) => set('who', e.currentTarget.value)}>
          <option value="">Anyone or nobody</option>
          {(Object.keys(WHO) as Who[]).map((w) => (
            <option key={w} value={w}>
              {WHO[w]}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for="inbox-sort">Sort</label>
        <select id="inbox-sort" value={view.sort} onChange={(e) => set('sort', e.currentTarget.value === 'due' ? '' : e.currentTarget.value)}>
          {(Object.keys(SORTS) as Sort[]).map((s) => (
            <option key={s} value={s}>
              {SORTS[s]}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}
