/**
 * The SEC Panel's and the SSC's meetings: everyone reads them; SECAS and OPS keep them. A saved
 * version goes to the running entries in the background (a Temporal workflow): after a save the
 * page reads the calendar again every few seconds and says how far it has gone.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, inWords, type Schemas } from '../api';
import { day, plural } from '../format';
import { useLoad } from '../load';
import { Loading, Page, Problem } from '../ui';

type Meeting = Schemas['Meeting'];
type Calendar = Schemas['MeetingCalendarResponse'];
const KEEPERS = ['SECAS', 'OPS'];
const BODY_WORDS = { SEC_PANEL: 'Panel', SSC: 'SSC' } as const;
/** How often, and for how long after a save, the page reads how far the version has gone. */
const PROGRESS_EVERY_MS = 2_000;
const PROGRESS_FOR_MS = 10 * 60_000;

interface Saved {
  /** The calendar as the PUT answered it (entriesToTake: the running entries it goes to). */
  calendar: Calendar;
  started: boolean;
  at: number;
}

/** 'Saved as version 4; sending it to 37 running entries… 12 still to take it.', from the latest answer about that version. */
function savedInWords(saved: Saved, latest: Calendar | undefined): string {
  const now = latest?.version === saved.calendar.version ? latest : saved.calendar;
  const head = `Saved as version ${now.version}`;
  const running = now.entriesHolding + now.entriesToTake;
  if (now.entriesToTake === 0) {
    if (running === 0) return `${head}; no running entry takes meetings.`;
    return `${head}; ${running === 1 ? 'the 1 running entry has' : `all ${running} running entries have`} it.`;
  }
  const entries = plural(running, 'running entry', 'running entries');
  if (!saved.started && now.entriesHolding === 0) return `${head}, but Temporal did not take its push yet: the reconciler's next pass sends it to the ${entries}.`;
  return `${head}; sending it to ${entries}…${now.entriesToTake < running ? ` ${now.entriesToTake} still to take it.` : ''}`;
}

export function MeetingsView({ body }: { body: string }) {
  const calendar = useLoad(() => api.GET('/v1/meetings'), 'meetings');
  const c = calendar.data;
  const [rows, setRows] = useState<Meeting[]>([]);
  const [problem, setProblem] = useState<string>();
  const [saved, setSaved] = useState<Saved>();
  const [busy, setBusy] = useState(false);
  // a new version replaces the rows; reading the same one again (progress) leaves edits alone
  useEffect(() => setRows(c?.meetings ?? []), [c?.version]);
  useEffect(() => {
    if (!saved || c?.version !== saved.calendar.version || c.entriesToTake === 0 || Date.now() > saved.at + PROGRESS_FOR_MS) return;
    const timer = setTimeout(calendar.reload, PROGRESS_EVERY_MS);
    return () => clearTimeout(timer);
  }, [saved, c]);
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
    setSaved({ calendar: data.calendar, started: data.push.started, at: Date.now() });
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
          <div class="table-wrap" tabIndex={0} role="region" aria-label="Meetings">
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
          {saved && <p role="status">{savedInWords(saved, c)}</p>}
        </form>
      )}
    </Page>
  );
}
