/**
 * The operations portfolio: entries by cohort and status, at risk and in breach, and by mandate
 * deadline window ("wave"); every count links to the filtered list. CSV download of the report.
 */
import { useState } from 'preact/hooks';
import { api, inWords, session, type Schemas } from '../api';
import { day, words } from '../format';
import { useLoad } from '../load';
import { href, navigate } from '../router';
import { Loading, Page, Problem } from '../ui';

type Row = Schemas['ComplianceRow'];

const STATUSES = ['IN_PROGRESS', 'COMPLETE', 'WITHDRAWN'] as const;

function listLink(filters: Record<string, string>): string {
  return href(`/entries?${new URLSearchParams(filters).toString()}`);
}

function Count({ n, filters, label }: { n: number; filters: Record<string, string>; label: string }) {
  if (n === 0) return <span class="muted">0</span>;
  return (
    <a class="count" href={listLink(filters)} aria-label={`${n} ${label}`}>
      {n}
    </a>
  );
}

/** Quarter windows of the mandate deadlines: '2027-04-01'..'2027-06-30'. */
export function waveOf(deadline: string): { from: string; to: string; label: string } {
  const year = Number(deadline.slice(0, 4));
  const q = Math.floor((Number(deadline.slice(5, 7)) - 1) / 3);
  const from = `${year}-${String(q * 3 + 1).padStart(2, '0')}-01`;
  const end = new Date(Date.UTC(year, q * 3 + 3, 0));
  return { from, to: end.toISOString().slice(0, 10), label: `Q${q + 1} ${year}` };
}

async function downloadCsv(): Promise<string | undefined> {
  const res = await fetch('/v1/reports/compliance.csv', { headers: { Authorization: `Bearer ${session.token() ?? ''}` } });
  if (!res.ok) return inWords(await res.json().catch(() => undefined));
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = 'uep-compliance.csv';
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
  return undefined;
}

export function Portfolio() {
  const report = useLoad(() => api.GET('/v1/reports/compliance'), 'report');
  const [problem, setProblem] = useState<string>();
  const [search, setSearch] = useState('');
  const rows: Row[] = report.data?.rows ?? [];
  const cohorts = [...new Set(rows.map((r) => r.cohort))].sort();
  const count = (pred: (r: Row) => boolean) => rows.filter(pred).length;
  const waves = new Map<string, ReturnType<typeof waveOf> & { rows: Row[] }>();
  for (const r of rows) {
    if (!r.mandateDeadline) continue;
    const w = waveOf(r.mandateDeadline);
    const entry = waves.get(w.from) ?? { ...w, rows: [] };
    entry.rows.push(r);
    waves.set(w.from, entry);
  }
  const open = (r: Row) => r.status === 'IN_PROGRESS';

  return (
    <Page
      title="Portfolio"
      lead={report.data ? `${rows.length} entries; report made ${day(report.data.generatedAt)}.` : undefined}
      actions={
        <>
          <a class="button secondary" href={href('/start')}>
            Start an entry
          </a>
          <button type="button" class="secondary" onClick={() => void downloadCsv().then(setProblem)}>
            Download CSV
          </button>
          <button type="button" class="secondary" onClick={report.reload}>
            Refresh
          </button>
        </>
      }
    >
      {(report.error ?? problem) && <Problem>{report.error ?? problem}</Problem>}
      {report.loading && !report.data && <Loading />}
      <form
        class="card row"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(`/entries?${new URLSearchParams({ partyName: search }).toString()}`);
        }}
      >
        <div>
          <label for="find">Find an entry by Party name</label>
          <input id="find" type="search" required value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
        </div>
        <div>
          <button type="submit">Find</button>
        </div>
      </form>
      {report.data && (
        <>
          <div class="card">
            <h2>By cohort and status</h2>
            <div class="table-wrap">
              <table>
                <caption class="visually-hidden">Entries by cohort and status; each count links to the list</caption>
                <thead>
                  <tr>
                    <th scope="col">Cohort</th>
                    {STATUSES.map((s) => (
                      <th scope="col" class="num" key={s}>
                        {words(s)}
                      </th>
                    ))}
                    <th scope="col" class="num">
                      At risk
                    </th>
                    <th scope="col" class="num">
                      In breach
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {cohorts.map((c) => (
                    <tr key={c}>
                      <th scope="row">{words(c)}</th>
                      {STATUSES.map((s) => (
                        <td class="num" key={s}>
                          <Count n={count((r) => r.cohort === c && r.status === s)} filters={{ cohort: c, status: s }} label={`${words(c)} entries ${words(s).toLowerCase()}`} />
                        </td>
                      ))}
                      <td class="num">
                        <Count n={count((r) => r.cohort === c && open(r) && r.atRisk)} filters={{ cohort: c, status: 'IN_PROGRESS', atRisk: 'true' }} label={`${words(c)} entries at risk`} />
                      </td>
                      <td class="num">
                        <Count n={count((r) => r.cohort === c && open(r) && r.inBreach)} filters={{ cohort: c, status: 'IN_PROGRESS', inBreach: 'true' }} label={`${words(c)} entries in breach`} />
                      </td>
                    </tr>
                  ))}
                  {cohorts.length === 0 && (
                    <tr>
                      <td colSpan={6} class="muted">
                        No entries yet.
                      </td>
                    </tr>
                  )}
                </tbody>
              </table>
            </div>
          </div>
          <div class="card">
            <h2>By mandate deadline (wave)</h2>
            <div class="table-wrap">
              <table>
                <caption class="visually-hidden">Entries by the quarter of their mandate deadline</caption>
                <thead>
                  <tr>
                    <th scope="col">Mandate deadline</th>
                    <th scope="col" class="num">
                      Entries
                    </th>
                    <th scope="col" class="num">
                      In progress
                    </th>
                    <th scope="col" class="num">
                      At risk
                    </th>
                    <th scope="col" class="num">
                      In breach
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {[...waves.values()]
                    .sort((a, b) => a.from.localeCompare(b.from))
                    .map((w) => {
                      const window = { mandateDeadlineFrom: w.from, mandateDeadlineTo: w.to };
                      return (
                        <tr key={w.from}>
                          <th scope="row">
                            {w.label} <span class="muted small">({day(w.from)} – {day(w.to)})</span>
                          </th>
                          <td class="num">
                            <Count n={w.rows.length} filters={window} label={`entries due in ${w.label}`} />
                          </td>
                          <td class="num">
                            <Count n={w.rows.filter(open).length} filters={{ ...window, status: 'IN_PROGRESS' }} label={`entries in progress due in ${w.label}`} />
                          </td>
                          <td class="num">
                            <Count n={w.rows.filter((r) => open(r) && r.atRisk).length} filters={{ ...window, status: 'IN_PROGRESS', atRisk: 'true' }} label={`entries at risk due in ${w.label}`} />
                          </td>
                          <td class="num">
                            <Count n={w.rows.filter((r) => open(r) && r.inBreach).length} filters={{ ...window, status: 'IN_PROGRESS', inBreach: 'true' }} label={`entries in breach due in ${w.label}`} />
                          </td>
                        </tr>
                      );
                    })}
                </tbody>
              </table>
            </div>
          </div>
        </>
      )}
    </Page>
  );
}
