/** The SEC Panel's and the SSC's meetings: everyone reads them; SECAS and OPS keep them. */
import { useEffect, useState } from 'preact/hooks';
import { api, inWords, type Schemas } from '../api';
import { day } from '../format';
import { useLoad } from '../load';
import { Loading, Page, Problem } from '../ui';

type Meeting = Schemas['Meeting'];
const KEEPERS = ['SECAS', 'OPS'];
const BODY_WORDS = { SEC_PANEL: 'Panel', SSC: 'SSC' } as const;

export function MeetingsView({ body }: { body: string }) {
  const calendar = useLoad(() => api.GET('/v1/meetings'), 'meetings');
  const c = calendar.data;
  const [rows, setRows] = useState<Meeting[]>([]);
  const [problem, setProblem] = useState<string>();
  const [saved, setSaved] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => setRows(c?.meetings ?? []), [c]);
  const keeper = KEEPERS.includes(body);
  const set = (i: number, change: Partial<Meeting>) => setRows(rows.map((m, j) => (j === i ? { ...m, ...change } : m)));

  async function save(event: Event) {
    event.preventDefault();
    if (!c || busy) return;
    setBusy(true);
    setProblem(undefined);
    setSaved(undefined);
    const { data, error } = await api.PUT('/v1/meetings', { body: { version: c.version + 1, meetings: rows } }).catch((e: unknown) => ({ data: undefined, error: e }));
    setBusy(false);
    if (!data) return setProblem(inWords(error));
    setSaved(`Version ${data.calendar.version} kept; ${data.entriesUpdated} running ${data.entriesUpdated === 1 ? 'entry' : 'entries'} took it${data.entriesNotUpdated.length > 0 ? `, ${data.entriesNotUpdated.length} did not yet` : ''}.`);
    calendar.reload();
  }

  return (
    <Page
      title="Panel and SSC meetings"
      lead="A decision taken at a meeting is due at the first meeting whose paper cut-off follows the submission. A change moves the decisions waiting on a moved or cancelled meeting, and tells the Party and SECAS."
    >
      {calendar.error && <Problem>{calendar.error}</Problem>}
      {!c && !calendar.error && <Loading />}
      {c && (
        <form class="card" aria-label="Meeting calendar" onSubmit={(e) => void save(e)}>
          <p class="small muted">{c.version === 0 ? 'No calendar yet.' : `Version ${c.version}, changed ${day(c.changedAt)} by ${c.changedBy ?? '—'}.`}</p>
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">Every meeting: whose, its date, its paper cut-off, cancelled or not</caption>
              <thead>
                <tr>
                  <th scope="col">Meeting</th>
                  <th scope="col">Whose</th>
                  <th scope="col">Date</th>
                  <th scope="col">Papers by</th>
                  <th scope="col">Cancelled</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((m, i) =>
                  keeper ? (
                    <tr key={i}>
                      <td>
                        <input aria-label={`Meeting ${i + 1} id`} required maxLength={64} value={m.id} onInput={(e) => set(i, { id: e.currentTarget.value })} />
                      </td>
                      <td>
                        <select aria-label={`Meeting ${i + 1} body`} value={m.body} onChange={(e) => set(i, { body: e.currentTarget.value as Meeting['body'] })}>
                          <option value="SEC_PANEL">Panel</option>
                          <option value="SSC">SSC</option>
                        </select>
                      </td>
                      <td>
                        <input aria-label={`Meeting ${i + 1} date`} type="date" required value={m.date} onInput={(e) => set(i, { date: e.currentTarget.value })} />
                      </td>
                      <td>
                        <input aria-label={`Meeting ${i + 1} papers by`} type="date" required value={m.papersBy} onInput={(e) => set(i, { papersBy: e.currentTarget.value })} />
                      </td>
                      <td>
                        <input aria-label={`Meeting ${i + 1} cancelled`} type="checkbox" checked={m.cancelled === true} onChange={(e) => set(i, { cancelled: e.currentTarget.checked })} />
                      </td>
                    </tr>
                  ) : (
                    <tr key={i}>
                      <th scope="row">{m.id}</th>
                      <td>{BODY_WORDS[m.body]}</td>
                      <td>{day(m.date)}</td>
                      <td>{day(m.papersBy)}</td>
                      <td>{m.cancelled ? 'Cancelled' : '—'}</td>
                    </tr>
                  ),
                )}
              </tbody>
            </table>
          </div>
          {keeper && (
            <>
              <button type="button" onClick={() => setRows([...rows, { id: '', body: 'SEC_PANEL', date: '', papersBy: '' }])}>
                Add a meeting
              </button>{' '}
              <button type="submit" disabled={busy}>
                {busy ? 'Saving…' : `Save as version ${c.version + 1}`}
              </button>
            </>
          )}
          {problem && <Problem>{problem}</Problem>}
          {saved && <p role="status">{saved}</p>}
        </form>
      )}
    </Page>
  );
}
