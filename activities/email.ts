/**
 * Email over SMTP: one message per address (so one bad address cannot sink the others, and each
 * copy has its own Message-ID derived from the notification id and the address).
 */
import { createHash } from 'node:crypto';
import nodemailer, { type NodemailerError, type SendMailOptions } from 'nodemailer';
import { z } from 'zod';
import type { Notification } from '../domain/types';
import { permanentFailure, transientFailure } from './errors';
import type { EmailTarget } from './recipients';
import { type NotificationLinks, mailSubject, renderHtml, renderIcs, renderText } from './render';

/** What delivery needs of a mail transport; a nodemailer transporter fits. */
export interface MailTransport {
  sendMail(mail: SendMailOptions): Promise<{ messageId: string; accepted: unknown[]; rejected: unknown[]; response?: string }>;
  close?(): void;
}

export interface SmtpTransportOptions {
  smtpUrl: string;
  /** Upper bound of each SMTP wait (connect, greeting, idle socket). */
  timeoutMs: number;
  /** SMTP connections kept open at most. */
  poolSize: number;
}

/**
 * The real transport: nodemailer's SMTP pool, which keeps up to SMTP_POOL_SIZE connections open
 * and sends message after message over them (a connection per message cost the worker more CPU
 * than the rest of delivery). A connection the relay closes is opened again for the next message;
 * a message lost with a broken connection fails as a transient error and its activity retries it.
 */
export function createSmtpTransport({ smtpUrl, timeoutMs, poolSize }: SmtpTransportOptions): MailTransport {
  return nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: poolSize,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
  });
}

const isEmail = z.email();

/** The domain of the From address, for Message-IDs; 'uep-engine.invalid' when there is none. */
export function messageIdDomain(mailFrom: string): string {
  const m = /@([A-Za-z0-9.-]+)>?\s*$/.exec(mailFrom.trim());
  return m?.[1] ?? 'uep-engine.invalid';
}

/**
 * `<notification-id.hash@domain>`: the same on every attempt for one notification and address, so
 * a mailbox or a mail catcher can drop a repeat; different for each address.
 */
export function notificationMessageId(notificationId: string, address: string, domain: string): string {
  const readable = notificationId.replace(/[^A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]/g, '-').replace(/\.{2,}/g, '.').replace(/^\.|\.$/g, '');
  const hash = createHash('sha256').update(`${notificationId}\n${address.toLowerCase()}`).digest('hex').slice(0, 16);
  return `<${readable.slice(0, 120)}.${hash}@${domain}>`;
}

export const EMAIL_HEADER = {
  NOTIFICATION_ID: 'X-UEP-Notification-Id',
  KIND: 'X-UEP-Notification-Kind',
  ENTRY_ID: 'X-UEP-Entry-Id',
  PARTY_ID: 'X-UEP-Party-Id',
} as const;

export interface EmailContext {
  mailFrom: string;
  links: NotificationLinks;
}

/** The message for one address: text and HTML, the deadline as an .ics attachment when there is one. */
export function composeEmail(n: Notification, target: EmailTarget, ctx: EmailContext): SendMailOptions {
  const ics = renderIcs(n, ctx.links);
  return {
    from: ctx.mailFrom,
    to: target.name ? { name: target.name, address: target.address } : target.address,
    subject: mailSubject(n),
    text: renderText(n, ctx.links),
    html: renderHtml(n, ctx.links),
    messageId: notificationMessageId(n.id, target.address, messageIdDomain(ctx.mailFrom)),
    headers: {
      [EMAIL_HEADER.NOTIFICATION_ID]: n.id,
      [EMAIL_HEADER.KIND]: n.kind,
      [EMAIL_HEADER.ENTRY_ID]: n.entryId,
      [EMAIL_HEADER.PARTY_ID]: n.partyId,
      'Auto-Submitted': 'auto-generated',
    },
    attachments: ics
      ? [{ filename: 'uep-deadline.ics', content: ics, contentType: 'text/calendar; charset=utf-8; method=PUBLISH' }]
      : [],
  };
}

/** Sends to one address; resolves with the Message-ID, or throws a permanent or transient DeliveryError. */
export async function sendEmail(
  transport: MailTransport,
  n: Notification,
  target: EmailTarget,
  ctx: EmailContext,
  signal?: AbortSignal,
): Promise<string> {
  if (!isEmail.safeParse(target.address).success) throw permanentFailure(`invalid email address '${target.address}'`);
  const mail: SendMailOptions = { ...composeEmail(n, target, ctx), signal };
  let info: Awaited<ReturnType<MailTransport['sendMail']>>;
  try {
    info = await transport.sendMail(mail);
  } catch (err) {
    throw classifySmtpError(err, target.address);
  }
  if (info.rejected.length > 0) throw permanentFailure(`SMTP rejected ${target.address}: ${info.response ?? 'rejected'}`);
  return info.messageId;
}

/**
 * 5xx replies (except 503) are permanent, as nodemailer marks them; an envelope nodemailer refuses
 * to send is permanent; everything else (no connection, timeouts, 4xx, authentication, which is
 * the worker's configuration rather than the message) is transient.
 */
export function classifySmtpError(err: unknown, address: string) {
  const e = err as NodemailerError;
  const reply = e.response ?? e.message;
  if (e.permanent === true) return permanentFailure(`SMTP rejected ${address}: ${reply}`, err);
  if (e.code === 'EENVELOPE' && e.responseCode === undefined) return permanentFailure(`invalid envelope for ${address}: ${reply}`, err);
  const what = e.responseCode ? `SMTP ${e.responseCode}` : (e.originalCode ?? e.code ?? 'SMTP error');
  return transientFailure(`${what} sending to ${address}: ${reply}`, err);
}
