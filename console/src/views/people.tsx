/** A Party's people: who acts for it by invitation, inviting someone by email, removing someone. */
import { useState } from 'preact/hooks';
import { api, inWords, type Principal } from '../api';
import { dayTime } from '../format';
import { useLoad } from '../load';
import { href } from '../router';
import { Loading, Page, Problem } from '../ui';

const EVENT_WORDS = { INVITED: 'Invited', ACCEPTED: 'Accepted', REMOVED: 'Removed' } as const;
const KEEPERS = ['OPS', 'PARTY'];

export function PeopleView({ partyId, principal }: { partyId: string; principal: Principal }) {
  const people = useLoad(() => api.GET('/v1/entries/{partyId}/members', { params: { path: { partyId } } }), `people-${partyId}`);
  const [email, setEmail] = useState('');
  const [problem, setProblem] = useState<string>();
  const [said, setSaid] = useState<string>();
  const [busy, setBusy] = useState(false);
  const keeper = KEEPERS.includes(principal.body);
  const p = people.data;

  async function invite(event: Event) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setProblem(undefined);
    setSaid(undefined);
    const { data, error } = await api.POST('/v1/entries/{partyId}/invitations', { params: { path: { partyId } }, body: { email } }).catch((e: unknown) => ({ data: undefined, error: e }));
    setBusy(false);
    if (!data) return setProblem(inWords(error));
    setSaid(`Invitation mailed to ${data.email}; the link works once, until ${dayTime(data.expiresAt)}.`);
    setEmail('');
    people.reload();
  }

  async function remove(subject: string, name: string) {
    if (busy || !confirm(`Remove ${name}? They will no longer act for ${partyId}.`)) return;
    setBusy(true);
    setProblem(undefined);
    setSaid(undefined);
    const { error, response } = await api.DELETE('/v1/entries/{partyId}/members/{subject}', { params: { path: { partyId, subject } } }).catch((e: unknown) => ({ error: e, response: undefined }));
    setBusy(false);
    if (!response?.ok) return setProblem(inWords(error));
    setSaid(`${name} was removed.`);
    people.reload();
  }

  return (
    <Page title={`People of ${partyId}`} lead="Who acts for this Party in the console because they accepted an invitation (besides the Party’s group at your identity provider)." actions={<a class="button secondary" href={href(`/entries/${encodeURIComponent(partyId)}`)}>Back to the entry</a>}>
      {people.error && <Problem>{people.error}</Problem>}
      {!p && !people.error && <Loading />}
      {p && (
        <>
          <div class="card">
            {p.members.length === 0 ? (
              <p>Nobody has accepted an invitation yet.</p>
            ) : (
              <div class="table-wrap" tabIndex={0} role="region" aria-label="The Party’s people">
                <table>
                  <caption class="visually-hidden">The Party’s people</caption>
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Email</th>
                      <th scope="col">Since</th>
                      {keeper && <th scope="col">Remove</th>}
                    </tr>
                  </thead>
                  <tbody>
                    {p.members.map((m) => (
                      <tr key={m.subject}>
                        <th scope="row">{m.name}</th>
                        <td>{m.email ?? '—'}</td>
                        <td>{dayTime(m.acceptedAt)}</td>
                        {keeper && (
                          <td>
                            <button type="button" class="secondary" disabled={busy} onClick={() => void remove(m.subject, m.name)}>
                              Remove {m.name}
                            </button>
                          </td>
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
          {keeper && (
            <form class="card" aria-label="Invite someone" onSubmit={(e) => void invite(e)}>
              <label>
                Their email
                <input type="email" required maxLength={254} value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
              </label>{' '}
              <button type="submit" disabled={busy}>
                {busy ? 'Inviting…' : 'Invite'}
              </button>
            </form>
          )}
          {problem && <Problem>{problem}</Problem>}
          {said && <p role="status">{said}</p>}
          <div class="card">
            <h2>What happened</h2>
            {p.events.length === 0 ? (
              <p>Nobody has been invited yet.</p>
            ) : (
              <ul>
                {p.events.map((e, i) => (
                  <li key={i}>
                    {dayTime(e.at)}: {EVENT_WORDS[e.action]} {e.email ?? e.subject ?? ''}, by {e.by.name ?? e.by.id}
                  </li>
                ))}
              </ul>
            )}
          </div>
        </>
      )}
    </Page>
  );
}
