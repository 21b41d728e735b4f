/** The export of every entry's audit records in a date range (SECAS, the SEC Panel, OPS), as CSV or NDJSON. */
import { useState } from 'preact/hooks';
import { download } from '../download';
import { Problem } from '../ui';

const today = () => new Date().toISOString().slice(0, 10);
const monthAgo = () => new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);

export function AuditExportForm() {
  const [from, setFrom] = useState(monthAgo);
  const [to, setTo] = useState(today);
  const [format, setFormat] = useState<'csv' | 'ndjson'>('csv');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    const query = new URLSearchParams({ from, to, format }).toString();
    void download(`/v1/audit-export?${query}`, `uep-audit-${from}-to-${to}.${format}`).then((p) => {
      setProblem(p);
      setBusy(false);
    });
  }
  return (
    <form class="card" onSubmit={submit} aria-label="Export the audit records">
      <h2>Export the audit records</h2>
      <div class="row">
        <div>
          <label for="export-from">From</label>
          <input id="export-from" type="date" required value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </div>
        <div>
          <label for="export-to">To (inclusive)</label>
          <input id="export-to" type="date" required value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </div>
        <div>
          <label for="export-format">Format</label>
          <select id="export-format" value={format} onChange={(e) => setFormat(e.currentTarget.value as 'csv' | 'ndjson')}>
            <option value="csv">CSV (spreadsheets)</option>
            <option value="ndjson">NDJSON (one record a line)</option>
          </select>
        </div>
        <div>
          <button type="submit" disabled={busy}>
            {busy ? 'Exporting…' : 'Export'}
          </button>
        </div>
      </div>
      {problem && <Problem>{problem}</Problem>}
    </form>
  );
}
