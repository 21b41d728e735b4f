/**
 * The operations portfolio: entries by cohort and status, at risk and in breach, and by mandate
 * deadline window ("wave"); every count links to the filtered list. CSV download of the report.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { api, type Schemas } from '../api';
import { DownloadButton } from '../download';
import { AuditExportForm } from './audit-export';
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

interface CountRow {
  key: string;
  /** The row's name, also in each count's accessible label */
  name: string;
  /** Shown instead of the name */
  label?: ComponentChildren;
  rows: Row[];
  filters: Record<string, string>;
}

interface CountColumn {
  label: string;
  pick: (r: Row) => boolean;
  filters: Record<string, string>;
}

/** A table of counts: each cell counts the row's entries its column picks, and links to them. */
function CountsTable({ title, caption, rowHeader, rows, columns }: { title: string; caption: string; rowHeader: string; rows: CountRow[]; columns: CountColumn[] }) {
  return (
    <div class="card">
      <h2>{title}</h2>
      <div class="table-wrap" tabIndex={0} role="region" aria-label={title}>
        <table>
          <caption class="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{rowHeader}</th>
              {columns.map((c) => (
                <th scope="col" class="num" key={c.label}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key}>
                <th scope="row">{row.label ?? row.name}</th>
                {columns.map((c) => (
                  <td class="num" key={c.label}>
                    <Count n={row.rows.filter(c.pick).length} filters={{ ...row.filters, ...c.filters }} label={`${row.name}: ${c.label.toLowerCase()}`} />
                  </td>
                ))}
              </tr>
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={columns.length + 1} class="muted">
                  No entries yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function Portfolio() {
  const report = useLoad(() => api.GET('/v1/reports/compliance'), 'report');
  const [search, setSearch] = useState('');
  const rows: Row[] = report.data?.rows ?? [];
  const cohorts = [...new Set(rows.map((r) => r.cohort))].sort();
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
          <DownloadButton path="/v1/reports/compliance.csv" name="uep-compliance.csv" label="Download CSV" />
          <button type="button" class="secondary" onClick={report.reload}>
            Refresh
          </button>
        </>
      }
    >
      {report.error && <Problem>{report.error}</Problem>}
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
      <AuditExportForm />
      {report.data && (
        <>
          <CountsTable
            title="By cohort and status"
            caption="Entries by cohort and status; each count links to the list"
            rowHeader="Cohort"
            rows={cohorts.map((c) => ({ key: c, name: words(c), rows: rows.filter((r) => r.cohort === c), filters: { cohort: c } }))}
            columns={[
              ...STATUSES.map((s) => ({ label: words(s), pick: (r: Row) => r.status === s, filters: { status: s } })),
              { label: 'At risk', pick: (r: Row) => open(r) && r.atRisk, filters: { status: 'IN_PROGRESS', atRisk: 'true' } },
              { label: 'In breach', pick: (r: Row) => open(r) && r.inBreach, filters: { status: 'IN_PROGRESS', inBreach: 'true' } },
            ]}
          />
          <CountsTable
            title="By mandate deadline (wave)"
            caption="Entries by the quarter of their mandate deadline; each count links to the list"
            rowHeader="Mandate deadline"
            rows={[...waves.values()]
              .sort((a, b) => a.from.localeCompare(b.from))
              .map((w) => ({
                key: w.from,
                label: (
                  <>
                    {w.label} <span class="muted small">({day(w.from)} – {day(w.to)})</span>
                  </>
                ),
                name: w.label,
                rows: w.rows,
                filters: { mandateDeadlineFrom: w.from, mandateDeadlineTo: w.to },
              }))}
            columns={[
              { label: 'Entries', pick: () => true, filters: {} },
              { label: 'In progress', pick: open, filters: { status: 'IN_PROGRESS' } },
              { label: 'At risk', pick: (r: Row) => open(r) && r.atRisk, filters: { status: 'IN_PROGRESS', atRisk: 'true' } },
              { label: 'In breach', pick: (r: Row) => open(r) && r.inBreach, filters: { status: 'IN_PROGRESS', inBreach: 'true' } },
            ]}
          />
        </>
      )}
    </Page>
  );
}
