/**
 * Inviting people to act for a Party: a mail with a one-time link (API_PUBLIC_URL/auth/invitations/
 * <token>, 256 random bits, the record keeping only its SHA-256), expiring after INVITATION_DAYS.
 * Following it signs the person in at the IdP (api/sign-in.ts); on their return their subject is
 * bound to the Party (record/party-members.ts), and from then on they act for it even without
 * the Party's IdP group.
 */
import nodemailer from 'nodemailer';
import { BODY, type Principal } from '../domain/vocabulary';
import { addInvitation, memberPartyOf, type Acceptance, type InvitationLookup, type MembershipEvent } from '../record/party-members';
import type { MembershipEventAnswer } from './schemas';
import type { RecordDb } from '../record/db';
import type { ApiConfig } from './config';
import { nameOf, principalFromClaims, type Claims, type Identified } from './oidc';
import { randomSecret } from './sessions';
import { hashToken } from './tokens';

export const INVITATION_PATH = '/auth/invitations/:token';
export const invitationLink = (config: Pick<ApiConfig, 'API_PUBLIC_URL'>, token: string) => new URL(`/auth/invitations/${token}`, config.API_PUBLIC_URL).href;

const dateInWords = (d: Date) => d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });

/** Whether this deployment can invite people: it signs them in at an IdP and has a mail relay. */
export const invitationsPossible = (config: ApiConfig): boolean => Boolean(config.OIDC_ISSUER_URL && config.SMTP_URL);

export type InviteResult = { ok: true; expiresAt: Date } | { ok: false; why: string };

/** Mails an invitation, then keeps it (a mail that did not go keeps nothing). */
export async function invite(db: RecordDb, config: ApiConfig, partyId: string, email: string, by: Principal, now: Date): Promise<InviteResult> {
  if (!config.OIDC_ISSUER_URL) return { ok: false, why: 'People cannot be invited here: the console does not sign in through an identity provider (OIDC_ISSUER_URL is not set).' };
  if (!config.SMTP_URL) return { ok: false, why: 'People cannot be invited here: the API has no mail relay (SMTP_URL is not set).' };
  const token = randomSecret();
  const expiresAt = new Date(now.getTime() + config.INVITATION_DAYS * 86_400_000);
  const inviter = by.name ?? (by.body === BODY.PARTY ? `someone at ${partyId}` : 'the UEP team');
  const transport = nodemailer.createTransport(config.SMTP_URL);
  try {
    await transport.sendMail({
      from: config.MAIL_FROM,
      to: email,
      subject: `You are invited to act for ${partyId} in the UEP console`,
      text: [
        `${inviter} invited you to act for ${partyId} in the DCC User Entry Process console.`,
        '',
        `To accept, follow this link and sign in with your organisation's account:`,
        invitationLink(config, token),
        '',
        `The link works once, until ${dateInWords(expiresAt)}. If you did not expect this, ignore it.`,
      ].join('\n'),
    });
  } catch (err) {
    return { ok: false, why: `The invitation could not be mailed (${err instanceof Error ? err.message : String(err)}); nothing was kept. Try again later.` };
  } finally {
    transport.close();
  }
  await addInvitation(db, { tokenSha256: hashToken(token), partyId, email, invitedBy: by, at: now, expiresAt });
  return { ok: true, expiresAt };
}

/** Why an invitation's link cannot be used, in words; undefined when it can. */
export function invitationRefusal(found: InvitationLookup | Acceptance): string[] | undefined {
  if (found.ok) return undefined;
  switch (found.why) {
    case 'USED':
      return [`This invitation was accepted already${found.usedAt ? ` on ${dateInWords(found.usedAt)}` : ''}; a link works once.`, 'If that was you, sign in to the console as usual. If not, ask the person who invited you for a new invitation.'];
    case 'EXPIRED':
      return [`This invitation expired${found.expiresAt ? ` on ${dateInWords(found.expiresAt)}` : ''}.`, 'Ask the person who invited you for a new one.'];
    case 'OTHER_PARTY':
      return [`You act for ${found.partyId ?? 'another Party'} already; a person acts for one Party.`, 'Ask that Party or operations to remove you first.'];
    default:
      return ['This invitation link is not known: it may have been mistyped or cut short in the mail.', 'Ask the person who invited you for a new one.'];
  }
}

/** Who a signed-in person is: from their IdP groups, else from the Party they were invited to. */
export async function identifyPerson(db: RecordDb, claims: Claims, config: ApiConfig): Promise<Identified> {
  const byGroups = principalFromClaims(claims, config);
  if (byGroups.ok || typeof claims.sub !== 'string' || !claims.sub) return byGroups;
  const partyId = await memberPartyOf(db, claims.sub);
  if (!partyId) return byGroups;
  const email = typeof claims.email === 'string' && claims.email ? claims.email : undefined;
  return { ok: true, principal: { body: BODY.PARTY, id: claims.sub, partyId, name: nameOf(claims), ...(email ? { email } : {}) } };
}

export const membershipEventAnswer = (e: MembershipEvent): MembershipEventAnswer => ({ action: e.action, at: e.at.toISOString(), by: e.principal, email: e.email, subject: e.subject });
