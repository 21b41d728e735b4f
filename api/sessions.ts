/**
 * Console sessions and sign-ins under way, kept in the record (record/migrations/0007): a restart
 * or a second API process keeps them. The browser's cookie holds a session id of 256 random bits;
 * the record holds only its SHA-256 (like the bearer tokens, api/tokens.ts), so a copy of the
 * table signs nobody in. A session ends after SESSION_IDLE_MINUTES without a request and
 * SESSION_MAX_HOURS after sign-in, whichever comes first, or when the person signs out.
 */
import { randomBytes } from 'node:crypto';
import type { Principal } from '../domain/vocabulary';
import type { RecordDb } from '../record/db';
import { hashToken } from './tokens';

/** A sign-in must come back from the IdP within this long. */
export const SIGN_IN_TTL_MS = 10 * 60_000;

export interface SessionLifetimes {
  idleMs: number;
  maxMs: number;
}

export interface ConsoleSession {
  principal: Principal;
  csrfToken: string;
  idToken: string;
  expiresAt: Date;
}

export interface PendingSignIn {
  codeVerifier: string;
  nonce: string;
  returnTo: string;
  /** The invitation this sign-in accepts (its token's hash), if it started from one. */
  invitationSha256?: string;
}

export type SessionLookup = { ok: true; session: ConsoleSession } | { ok: false; why: string };

export const randomSecret = (): string => randomBytes(32).toString('base64url');

export class SessionStore {
  /** last_seen_at is written at most this often per session: not one write per request. */
  private readonly touchEveryMs: number;

  constructor(
    private readonly db: RecordDb,
    private readonly lifetimes: SessionLifetimes,
  ) {
    this.touchEveryMs = Math.min(60_000, Math.floor(lifetimes.idleMs / 4));
  }

  async beginSignIn(state: string, pending: PendingSignIn, now: number): Promise<void> {
    await this.db
      .insertInto('console_sign_ins')
      .values({
        state_sha256: hashToken(state),
        code_verifier: pending.codeVerifier,
        nonce: pending.nonce,
        return_to: pending.returnTo,
        invitation_sha256: pending.invitationSha256 ?? null,
        created_at: new Date(now),
        expires_at: new Date(now + SIGN_IN_TTL_MS),
      })
      .execute();
    // sign-ins never finished (the person closed the tab at the IdP) go with the next one
    await this.db.deleteFrom('console_sign_ins').where('expires_at', '<', new Date(now)).execute();
  }

  /** The sign-in a state names, once: a second callback with the same state finds nothing. */
  async takeSignIn(state: string, now: number): Promise<PendingSignIn | undefined> {
    const row = await this.db.deleteFrom('console_sign_ins').where('state_sha256', '=', hashToken(state)).returningAll().executeTakeFirst();
    if (!row || row.expires_at.getTime() <= now) return undefined;
    return { codeVerifier: row.code_verifier, nonce: row.nonce, returnTo: row.return_to, ...(row.invitation_sha256 ? { invitationSha256: row.invitation_sha256 } : {}) };
  }

  /** A new session: its id (for the cookie, never stored) and what the record keeps. */
  async create(principal: Principal, subject: string, idToken: string, now: number): Promise<{ id: string; session: ConsoleSession }> {
    const id = randomSecret();
    const session: ConsoleSession = { principal, csrfToken: randomSecret(), idToken, expiresAt: new Date(now + this.lifetimes.maxMs) };
    await this.db
      .insertInto('console_sessions')
      .values({
        id_sha256: hashToken(id),
        csrf_token: session.csrfToken,
        principal: JSON.stringify(principal),
        subject,
        id_token: idToken,
        created_at: new Date(now),
        last_seen_at: new Date(now),
        expires_at: session.expiresAt,
      })
      .execute();
    return { id, session };
  }

  /** The live session a cookie names, or why there is none; a request keeps it from idling out. */
  async find(id: string, now: number): Promise<SessionLookup> {
    if (id.length > 100) return { ok: false, why: 'Unknown console session' };
    const key = hashToken(id);
    const row = await this.db.selectFrom('console_sessions').selectAll().where('id_sha256', '=', key).executeTakeFirst();
    if (!row) return { ok: false, why: 'Your console session has ended: sign in again' };
    const idleUntil = row.last_seen_at.getTime() + this.lifetimes.idleMs;
    if (row.expires_at.getTime() <= now || idleUntil <= now) {
      await this.db.deleteFrom('console_sessions').where('id_sha256', '=', key).execute();
      return {
        ok: false,
        why: row.expires_at.getTime() <= now ? 'Your console session reached its longest allowed time: sign in again' : 'Your console session ended after a while without use: sign in again',
      };
    }
    if (now - row.last_seen_at.getTime() >= this.touchEveryMs) {
      await this.db.updateTable('console_sessions').set({ last_seen_at: new Date(now) }).where('id_sha256', '=', key).execute();
    }
    return { ok: true, session: { principal: row.principal, csrfToken: row.csrf_token, idToken: row.id_token, expiresAt: row.expires_at } };
  }

  /** Ends a session; what it held (for the IdP's sign-out), or undefined when there was none. */
  async end(id: string): Promise<ConsoleSession | undefined> {
    const row = await this.db.deleteFrom('console_sessions').where('id_sha256', '=', hashToken(id)).returningAll().executeTakeFirst();
    return row ? { principal: row.principal, csrfToken: row.csrf_token, idToken: row.id_token, expiresAt: row.expires_at } : undefined;
  }

  /** Ends every session of one person (someone who left): how many there were. */
  async endAllOf(subject: string): Promise<number> {
    const rows = await this.db.deleteFrom('console_sessions').where('subject', '=', subject).returning('id_sha256').execute();
    return rows.length;
  }
}
