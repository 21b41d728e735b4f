/** Entries matching the filters in the address (from the portfolio's counts or a search), a page at a time. */
import { api } from '../api';
import { day, words } from '../format';
import { useLoad } from '../load';
import { href } from '../router';
import { Badge, Loading, Page, Problem, RiskBadges } from '../ui';

const FILTERS = ['status', 'awaitedBody', 'role', 'cohort', 'partyName', 'atRisk', 'inBreach', 'mandateDeadlineFrom', 'mandateDeadlineTo', 'pageToken'] as const;

function describe(query: URLSearchParams): string {
  const parts = FILTERS.filter((f) => f !== 'pageToken' && query.get(f)).map((f) => {
    const v = query.get(f) ?? '';
    if (f === 'atRisk') return v === 'true' ? 'at risk' : 'not at risk';
    if (f === 'inBreach') return v === 'true' ? 'in breach' : 'not in breach';
    if (f === 'mandateDeadlineFrom') return `deadline from ${day(v)}`;
    if (f === 'mandateDeadlineTo') return `deadline to ${day(v)}`;
    if (f === 'partyName') return `name “${v}”`;
    return words(v);
  });
  return parts.length ? parts.join(', ') : 'all';
}

export function EntryList({ query }: { query: URLSearchParams }) {
  const params: Record<string, string> = {};
  for (const f of FILTERS) {
    const v = query.get(f);
    if (v) params[f] = v;
  }
  const key = new URLSearchParams(params).toString();
  const list = useLoad(() => api.GET('/v1/entries', { params: { query: { ...params, limit: 100 } } }), key);
  const next = list.data?.nextPageToken;
  return (
    <Page
      title="Entries"
      lead={`Showing: ${describe(query)}.`}
      actions={
        <button type="button" class="secondary" onClick={list.reload}>
          Refresh
        </button>
      }
    >
      {list.error && <Problem>{list.error}</Problem>}
      {list.loading && !list.data && <Loading />}
      {list.data && list.data.items.length === 0 && <p class="empty">No entry matches. A just-started entry shows here within seconds: refresh.</p>}
      {list.data && list.data.items.length > 0 && (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Entries">
          <table>
            <caption class="visually-hidden">Entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Party</th>
                <th scope="col">Cohort</th>
                <th scope="col">Status</th>
                <th scope="col">Awaiting</th>
                <th scope="col">Mandate deadline</th>
                <th scope="col">Started</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((e) => (
                <tr key={e.entryId}>
                  <td>
                    <a href={href(`/entries/${encodeURIComponent(e.partyId)}`)}>{e.partyName ?? e.partyId}</a>
                    <div class="small muted">{e.partyId}</div>
                  </td>
                  <td>{words(e.cohort)}</td>
                  <td>
                    <Badge tone={e.status === 'COMPLETE' ? 'ok' : e.status === 'WITHDRAWN' ? 'muted' : 'info'}>{words(e.status)}</Badge>
                    <RiskBadges atRisk={e.atRisk} inBreach={e.inBreach} />
                  </td>
                  <td class="small">{e.awaitedBodies.map(words).join(', ') || '—'}</td>
                  <td>{day(e.mandateDeadline)}</td>
                  <td>{day(e.startedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <p>
          <a href={href(`/entries?${new URLSearchParams({ ...params, pageToken: next }).toString()}`)}>Next page</a>
        </p>
      )}
    </Page>
  );
}
