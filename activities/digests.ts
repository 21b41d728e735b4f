/**
 * The daily digest's activities: who chose it, and one person's digest read from the record
 * (what is assigned to them, what else waits for their body) and mailed to them. One mail per
 * person and day: the record keeps each digest sent (notice_digests), and a retry after a send
 * the record did not get to keep carries the same Message-ID, so a mailbox can drop it.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { SendMailOptions } from 'nodemailer';
import { digestOf, type DigestItem } from '../domain/person-notices';
import type { RecordDb } from '../record/db';
import { knownEmailOf } from '../record/person-notices';
import { digestPeople, digestSent, markDigestSent, waitingFor, type WaitingForPerson } from '../record/notice-digests';
import type { LinkBases } from './config';
import { classifySmtpError, EMAIL_HEADER, messageIdDomain, notificationMessageId, type MailTransport } from './email';
import { NOTIFICATION_ERROR, type DigestActivities, type DigestRecipient } from './types';

export interface DigestDeps {
  db: RecordDb;
  mailer: MailTransport;
  mailFrom: string;
  links: Pick<LinkBases, 'consolePublicUrl'>;
  /** The IANA zone the digest's day is counted in (DIGEST_TIME_ZONE). */
  timeZone: string;
  now?: () => number;
}

/** 'YYYY-MM-DD' of the instant in the zone. */
export function dayIn(atMs: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(atMs));
}

const samePerson = (a: { id: string } | null, b: { id: string }) => a !== null && a.id === b.id;

/** The stage on the entry's console page, where the person acts on it. */
function linkOf(consoleUrl: string, w: WaitingForPerson): string {
  return `${consoleUrl.replace(/\/$/, '')}/entries/${encodeURIComponent(w.partyId)}#${encodeURIComponent(w.role ? `${w.stage}.${w.role}` : w.stage)}`;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** The plain text as HTML: its lines, each link clickable. */
function htmlOf(subject: string, text: string): string {
  const lines = text.split('\n').map((l) => escapeHtml(l).replace(/(https?:\/\/\S+)/g, '<a href="$1">$1</a>'));
  return ['<!doctype html><html><body style="font-family:sans-serif">', `<h2 style="font-size:1.1em">${escapeHtml(subject)}</h2>`, `<pre style="font-family:inherit;white-space:pre-wrap">${lines.join('\n')}</pre>`, '</body></html>'].join('\n');
}

export function createDigestActivities(deps: DigestDeps): DigestActivities {
  const now = deps.now ?? Date.now;
  return {
    async digestRecipients(atMs) {
      const people = await digestPeople(deps.db);
      return { day: dayIn(atMs, deps.timeZone), people: people.map((p) => ({ body: p.body, id: p.id })) };
    },

    async sendNoticeDigest(person: DigestRecipient, day: string) {
      if (await digestSent(deps.db, person, day)) return { outcome: 'ALREADY_SENT', items: 0 };
      const chosen = (await digestPeople(deps.db)).find((p) => p.body === person.body && p.id === person.id);
      const email = chosen ? (chosen.email ?? (await knownEmailOf(deps.db, person))) : undefined;
      if (!chosen || !email) return { outcome: 'NO_EMAIL', items: 0 };
      const found = { ...chosen, email };
      const waiting = await waitingFor(deps.db, found);
      const item = (w: WaitingForPerson): DigestItem => ({
        partyId: w.partyId,
        partyName: w.partyName,
        stage: w.stage,
        ...(w.role ? { role: w.role } : {}),
        title: w.title,
        dueBy: w.dueBy,
        ...(samePerson(w.claimant, person) && w.claimedBy && !samePerson(w.claimedBy, person) ? { assignedBy: w.claimedBy } : {}),
        ...(w.claimant && !samePerson(w.claimant, person) ? { heldBy: w.claimant } : {}),
        link: linkOf(deps.links.consolePublicUrl, w),
      });
      const assigned = waiting.filter((w) => samePerson(w.claimant, person)).map(item);
      const others = waiting.filter((w) => !samePerson(w.claimant, person)).map(item);
      if (assigned.length + others.length === 0) {
        await markDigestSent(deps.db, person, day, 0, new Date(now()));
        return { outcome: 'NOTHING_WAITS', items: 0 };
      }
      const digest = digestOf({ id: found.id, ...(found.name ? { name: found.name } : {}) }, found.body, day, assigned, others);
      const id = `uep-digest:${day}:${person.body}:${person.id}`;
      const mail: SendMailOptions = {
        from: deps.mailFrom,
        to: found.name ? { name: found.name, address: found.email } : found.email,
        subject: `[UEP] ${digest.subject}`,
        text: digest.text,
        html: htmlOf(digest.subject, digest.text),
        messageId: notificationMessageId(id, found.email, messageIdDomain(deps.mailFrom)),
        headers: { [EMAIL_HEADER.NOTIFICATION_ID]: id, [EMAIL_HEADER.KIND]: 'NOTICE_DIGEST', 'Auto-Submitted': 'auto-generated' },
        signal: Context.current().cancellationSignal,
      };
      let info: Awaited<ReturnType<MailTransport['sendMail']>>;
      try {
        info = await deps.mailer.sendMail(mail);
      } catch (err) {
        const failure = classifySmtpError(err, found.email);
        throw failure.permanent ? ApplicationFailure.nonRetryable(failure.message, NOTIFICATION_ERROR.PERMANENT) : failure;
      }
      if (info.rejected.length > 0) throw ApplicationFailure.nonRetryable(`SMTP rejected ${found.email}: ${info.response ?? 'rejected'}`, NOTIFICATION_ERROR.PERMANENT);
      await markDigestSent(deps.db, person, day, assigned.length + others.length, new Date(now()));
      return { outcome: 'SENT', items: assigned.length + others.length };
    },
  };
}
