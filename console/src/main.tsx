/** The UEP console: sign in, then the views each kind of user needs, under /app. */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, markSignedInBySession, session, signInAtIdp, signOutOfSession, singleSignOn, type Principal } from './api';
import { words } from './format';
import { href, navigate, useRoute, type Route } from './router';
import { useLiveInbox } from './live-inbox';
import { Loading } from './ui';
import { CatalogueView } from './views/catalogue';
import { MeetingsView } from './views/meetings';
import { NoticeSettingsView } from './views/notice-settings';
import { PeopleView } from './views/people';
import { EntryView } from './views/entry';
import { EntryList } from './views/entry-list';
import { Inbox } from './views/inbox';
import { Portfolio } from './views/portfolio';
import { SignedOut, SignIn } from './views/sign-in';
import { StartEntry } from './views/start-entry';

const DECIDERS = ['DCC', 'SEC_PANEL', 'SECAS'];
/** Where the identity provider sends a person back after signing out: no automatic sign-in there. */
const SIGNED_OUT = '/signed-out';
const PORTFOLIO_READERS = ['OPS', 'SECAS', 'SEC_PANEL'];
const STARTERS = ['OPS', 'SECAS'];
/** Asking the API who is signed in again after a failure: after 0.5 s, doubling, at most every 8 s. */
const ME_RETRY_MS = 500;
const ME_RETRY_MAX_MS = 8_000;

/** Where each kind of user starts. */
function home(p: Principal): string {
  if (p.body === 'PARTY') return `/entries/${encodeURIComponent(p.partyId ?? '')}`;
  if (p.body === 'OPS') return '/portfolio';
  return '/inbox';
}

/** Who has an inbox to follow: the deciding bodies, and OPS (every body's). */
const followsInbox = (p: Principal | null | undefined) => !!p && (DECIDERS.includes(p.body) || p.body === 'OPS');

function navItems(p: Principal): { to: string; label: string }[] {
  const items: { to: string; label: string }[] = [];
  if (p.body === 'PARTY') items.push({ to: home(p), label: 'My entry' }, { to: `${home(p)}/people`, label: 'Our people' });
  if (followsInbox(p)) items.push({ to: '/inbox', label: 'Inbox' });
  if (PORTFOLIO_READERS.includes(p.body)) items.push({ to: '/portfolio', label: 'Portfolio' });
  if (p.body !== 'PARTY') items.push({ to: '/entries', label: 'Entries' });
  if (STARTERS.includes(p.body)) items.push({ to: '/start', label: 'Start an entry' });
  items.push({ to: '/catalogue', label: 'Stages' });
  if (p.body !== 'PARTY') items.push({ to: '/meetings', label: 'Meetings' });
  // how a person is told of work: for those work waits on (GET/PUT /v1/me/notices)
  if (p.body !== 'OPS') items.push({ to: '/settings', label: 'Settings' });
  return items;
}

function View({ route, principal }: { route: Route; principal: Principal }) {
  const people = /^\/entries\/([^/]+)\/people$/.exec(route.path);
  if (people?.[1]) return <PeopleView partyId={decodeURIComponent(people[1])} principal={principal} />;
  const entry = /^\/entries\/([^/]+)$/.exec(route.path);
  // one view per entry: what was just decided on one is not shown on the next
  if (entry?.[1]) return <EntryView key={entry[1]} partyId={decodeURIComponent(entry[1])} principal={principal} />;
  switch (route.path) {
    case '/inbox':
      return <Inbox principal={principal} body={route.query.get('body') ?? undefined} query={route.query} />;
    case '/portfolio':
      return <Portfolio />;
    case '/entries':
      return <EntryList query={route.query} />;
    case '/start':
      return <StartEntry />;
    case '/catalogue':
      return <CatalogueView />;
    case '/meetings':
      return <MeetingsView body={principal.body} />;
    case '/settings':
      return <NoticeSettingsView />;
    default:
      return null;
  }
}

function App() {
  const route = useRoute();
  // undefined while the console asks who is signed in (this tab's token, or the browser's session)
  const [principal, setPrincipal] = useState<Principal | null | undefined>(undefined);
  const [sso, setSso] = useState(false);

  /** Set while the API does not answer who is signed in (unreachable, or failing): asked again after a pause. */
  const [unreachable, setUnreachable] = useState(false);

  useEffect(() => {
    if (principal !== undefined) return;
    let live = true;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const ask = (attempt: number) => {
      void api.GET('/v1/me').then(
        async ({ data, response }) => {
          if (!live) return;
          if (data) {
            markSignedInBySession();
            return setPrincipal(data);
          }
          // only a 401 says nobody is signed in; a failing API is not a reason to sign in again
          if (response.status !== 401) return askAgain(attempt);
          session.signOut();
          const viaIdp = await singleSignOn();
          setSso(viaIdp);
          // one sign-in at the organisation's identity provider, then back to this very page
          if (viaIdp && route.path !== SIGNED_OUT) return signInAtIdp();
          setPrincipal(null);
        },
        () => live && askAgain(attempt),
      );
    };
    const askAgain = (attempt: number) => {
      setUnreachable(true);
      retry = setTimeout(() => ask(attempt + 1), Math.min(ME_RETRY_MAX_MS, ME_RETRY_MS * 2 ** attempt));
    };
    ask(0);
    return () => {
      live = false;
      clearTimeout(retry);
    };
  }, [principal]);

  useEffect(() => {
    if (principal && (route.path === '/' || route.path === '/sign-in')) navigate(route.query.get('next') ?? home(principal), true);
  }, [principal, route.path]);

  function signOut() {
    if (!session.token()) return void signOutOfSession();
    session.signOut();
    setPrincipal(null);
    navigate('/sign-in');
  }

  const inbox = useLiveInbox(followsInbox(principal));
  const current = route.path;
  return (
    <>
      <header class="top">
        <div class="bar">
          <a class="brand" href={href('/')}>
            <img src="/app/favicon.svg" alt="" /> UEP console
          </a>
          {principal && (
            <nav aria-label="Main">
              <ul>
                {navItems(principal).map((i) => (
                  <li key={i.to}>
                    <a href={href(i.to)} aria-current={current === i.to ? 'page' : undefined}>
                      {i.label}
                      {i.to === '/inbox' && inbox && ' '}
                      {i.to === '/inbox' && inbox && (
                        <span class="nav-count" data-testid="inbox-count">
                          {inbox.count}
                          <span class="visually-hidden"> waiting{inbox.overdue ? `, ${inbox.overdue} overdue` : ''}</span>
                        </span>
                      )}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          {principal && (
            <div class="who">
              <span>
                Signed in as <strong>{principal.name ?? principal.id}</strong> ({words(principal.body)}
                {principal.partyId ? ` · ${principal.partyId}` : ''})
              </span>
              <button type="button" onClick={signOut}>
                Sign out
              </button>
            </div>
          )}
        </div>
      </header>
      <main id="main">
        {principal === undefined && (unreachable ? <p role="status">The console cannot reach the UEP engine just now: trying again…</p> : <Loading />)}
        {principal === null && sso && <SignedOut />}
        {principal === null && !sso && (
          <SignIn
            onSignedIn={(p) => {
              setPrincipal(p);
              // the page asked for before signing in (e.g. a link in an email), else this user's home
              if (route.path === '/' || route.path === '/sign-in') navigate(route.query.get('next') ?? home(p), true);
            }}
          />
        )}
        {principal && <View route={route} principal={principal} />}
      </main>
    </>
  );
}

const root = document.getElementById('root');
if (root) {
  root.textContent = '';
  render(<App />, root);
}
