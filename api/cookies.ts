/**
 * The console's cookies. The session cookie is HttpOnly (no script reads it), SameSite=Lax (a
 * cross-site POST does not carry it; following a link in an email does) and Secure when the API is
 * reached over https. The CSRF cookie is readable by the console's script, which sends its value
 * back in the X-CSRF-Token header; the API compares it with the token the session holds.
 */
import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'uep_session';
export const CSRF_COOKIE = 'uep_csrf';
/** Binds a sign-in under way to the browser that started it (no login CSRF). */
export const SIGN_IN_COOKIE = 'uep_sign_in';
export const CSRF_HEADER = 'x-csrf-token';

export function cookieOf(req: Request, name: string): string | undefined {
  const header = req.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export interface CookieOptions {
  secure: boolean;
  maxAgeMs: number;
  httpOnly: boolean;
  path?: string;
  sameSite?: 'lax' | 'strict';
}

export function setCookie(res: Response, name: string, value: string, opts: CookieOptions): void {
  res.cookie(name, value, {
    httpOnly: opts.httpOnly,
    secure: opts.secure,
    sameSite: opts.sameSite ?? 'lax',
    path: opts.path ?? '/',
    maxAge: opts.maxAgeMs,
  });
}

export function clearCookie(res: Response, name: string, opts: { secure: boolean; httpOnly: boolean; path?: string; sameSite?: 'lax' | 'strict' }): void {
  res.clearCookie(name, { httpOnly: opts.httpOnly, secure: opts.secure, sameSite: opts.sameSite ?? 'lax', path: opts.path ?? '/' });
}
