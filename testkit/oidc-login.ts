/**
 * A console sign-in over plain HTTP, as a browser does it but step by step, so a test can stop at
 * any step (replay the callback, drop the CSRF token): the API's /auth/sign-in, Keycloak's login
 * form filled with a test user's password, the callback back at the API. Cookies are kept per
 * origin, as a browser would.
 */
export class CookieJar {
  private readonly byOrigin = new Map<string, Map<string, string>>();

  header(url: string): string {
    const jar = this.byOrigin.get(new URL(url).origin);
    return jar ? [...jar].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  }

  take(url: string, res: Response): void {
    const origin = new URL(url).origin;
    const jar = this.byOrigin.get(origin) ?? new Map<string, string>();
    this.byOrigin.set(origin, jar);
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
  }

  get(url: string, name: string): string | undefined {
    return this.byOrigin.get(new URL(url).origin)?.get(name);
  }

  /** The Set-Cookie line a response gave for a cookie (its attributes: HttpOnly, SameSite, ...). */
  static setCookieLine(res: Response, name: string): string | undefined {
    return res.headers.getSetCookie().find((l) => l.startsWith(`${name}=`));
  }
}

export interface Step {
  url: string;
  res: Response;
  text: string;
}

/** One request with the jar's cookies, never following redirects. */
export async function step(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Step> {
  const headers = new Headers(init.headers);
  const cookie = jar.header(url);
  if (cookie) headers.set('cookie', cookie);
  const res = await fetch(url, { ...init, headers, redirect: 'manual' });
  jar.take(url, res);
  return { url, res, text: await res.text() };
}

export const locationOf = (s: Step): string => new URL(s.res.headers.get('location') ?? '', s.url).href;

const decodeEntities = (s: string) => s.replace(/&amp;/g, '&').replace(/&#x3D;/gi, '=').replace(/&#61;/g, '=');

/** Keycloak's login form: where it posts to. */
export function loginFormAction(html: string): string {
  const action = /<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"/.exec(html)?.[1] ?? /<form[^>]*action="([^"]+)"[^>]*id="kc-form-login"/.exec(html)?.[1];
  if (!action) throw new Error(`no Keycloak login form in:\n${html.slice(0, 2000)}`);
  return decodeEntities(action);
}

export interface SignedIn {
  /** The callback URL the IdP sent the browser back to (code and state). */
  callbackUrl: string;
  /** The API's answer to the callback. */
  callback: Step;
  /** Start to landing, ms. */
  ms: number;
}

/** /auth/sign-in?next=... to the IdP's answer at the callback; the password step only when the IdP has no session yet. */
export async function signInThroughIdp(
  jar: CookieJar,
  baseUrl: string,
  next: string,
  user: { username: string; password: string },
  opts: { asIssued?: (callbackUrl: string) => string } = {},
): Promise<SignedIn> {
  const started = performance.now();
  const start = await step(jar, `${baseUrl}/auth/sign-in?next=${encodeURIComponent(next)}`);
  if (start.res.status !== 303) throw new Error(`sign-in answered ${start.res.status}: ${start.text.slice(0, 500)}`);
  let at = await step(jar, locationOf(start));
  if (at.res.status === 200) {
    at = await step(jar, loginFormAction(at.text), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: user.username, password: user.password, credentialId: '' }).toString(),
    });
  }
  if (at.res.status !== 302 && at.res.status !== 303) throw new Error(`the IdP answered ${at.res.status}: ${at.text.slice(0, 1000)}`);
  const callbackUrl = (opts.asIssued ?? ((u: string) => u))(locationOf(at));
  const callback = await step(jar, callbackUrl);
  return { callbackUrl, callback, ms: performance.now() - started };
}
