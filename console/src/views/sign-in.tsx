/** Sign in with a bearer token (kept for this tab only), where the engine has no single sign-on; signed out, where it has. */
import { useState } from 'preact/hooks';
import { api, inWords, session, type Principal } from '../api';
import { Page, Problem } from '../ui';

export function SignIn({ onSignedIn }: { onSignedIn: (p: Principal) => void }) {
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    session.signIn(token.trim());
    const { data, error } = await api.GET('/v1/me').catch((e: unknown) => ({ data: undefined, error: e }));
    setBusy(false);
    if (data) return onSignedIn(data);
    session.signOut();
    setProblem(inWords(error));
  }

  return (
    <Page title="Sign in" lead="The UEP console: inboxes for the DCC, the SEC Panel and SECAS, each Party's entry, and the operations portfolio.">
      <form class="card narrow" onSubmit={(e) => void submit(e)}>
        <label for="token">Access token</label>
        <p class="hint" id="token-hint">
          The bearer token you were given (e.g. from <code>data/dev-tokens.txt</code> when running locally). It is kept for this browser tab only.
        </p>
        <input id="token" name="token" type="password" autoComplete="off" required aria-describedby="token-hint" value={token} onInput={(e) => setToken(e.currentTarget.value)} />
        {problem && <Problem>{problem}</Problem>}
        <button type="submit" disabled={busy || token.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </Page>
  );
}

/** After signing out (of the engine and of the identity provider): nothing signs in by itself here. */
export function SignedOut() {
  return (
    <Page title="You are signed out" lead="Your console session has ended in every tab of this browser.">
      <p class="card narrow">
        <a href="/auth/sign-in?next=%2Fapp%2F">Sign in again</a>
      </p>
    </Page>
  );
}
