/**
 * The local identity provider of npm start (scripts/local-idp/), driven over plain HTTP as a
 * browser would: through its redirects to the page that asks who to be, one person picked there,
 * and back to where it sends the browser.
 */
import { type CookieJar, locationOf, step, type Step } from './oidc-login';

const isRedirect = (s: Step) => s.res.status >= 300 && s.res.status < 400;

/** Follows redirects from `from` (a redirect) until a page answers or the next hop would leave for `stopAt`. */
export async function followRedirects(jar: CookieJar, from: Step, stopAt?: string, maxHops = 10): Promise<Step> {
  let at = from;
  for (let hop = 0; hop < maxHops && isRedirect(at); hop++) {
    if (stopAt && locationOf(at).startsWith(stopAt)) return at;
    at = await step(jar, locationOf(at));
  }
  if (isRedirect(at) && !(stopAt && locationOf(at).startsWith(stopAt))) throw new Error(`more than ${maxHops} redirects from ${from.url}`);
  return at;
}

/** On the provider's page that asks who to be: picks `sub`, and follows the provider's redirects until they leave for `stopAt`. */
export async function pickPerson(jar: CookieJar, picker: Step, sub: string, stopAt: string): Promise<Step> {
  const action = /<form method="post" action="([^"]+\/login)"/.exec(picker.text)?.[1];
  if (!action) throw new Error(`no page asking who to be (${picker.res.status} at ${picker.url}):\n${picker.text.slice(0, 1000)}`);
  const picked = await step(jar, new URL(action, picker.url).href, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ sub }).toString(),
  });
  return followRedirects(jar, picked, stopAt);
}

export interface LocalSignIn {
  /** The provider's page that asked who to be. */
  picker: Step;
  /** The API's answer to the callback (a 303 to the console page, or a page in words). */
  callback: Step;
}

/** The console's sign-in through the API (/auth/sign-in?next=...) as `sub`, to the API's answer at its callback. */
export async function signInAtLocalIdp(jar: CookieJar, apiUrl: string, next: string, sub: string): Promise<LocalSignIn> {
  const start = await step(jar, `${apiUrl}/auth/sign-in?next=${encodeURIComponent(next)}`);
  if (start.res.status !== 303) throw new Error(`sign-in answered ${start.res.status}: ${start.text.slice(0, 500)}`);
  const picker = await followRedirects(jar, start);
  const back = await pickPerson(jar, picker, sub, `${apiUrl}/auth/callback`);
  return { picker, callback: await step(jar, locationOf(back)) };
}
