/**
 * A Party's people, invited by email, against a real dev server, record and SMTP catcher: the mail
 * carries a one-time, expiring link; accepting binds the person's IdP subject to the Party (the
 * same functions the sign-in callback runs); a used or expired link is refused in words; a removed
 * person no longer acts for the Party; every step is in the Party's membership events.
 */
import { SessionStore } from '../../api/sessions';
import { identifyPerson } from '../../api/invitations';
import { hashToken } from '../../api/tokens';
import { AuditTrailResponse, InvitationResponse, MembersResponse, StartEntryResponse } from '../../api/schemas';
import { BODY } from '../../domain/vocabulary';
import { acceptInvitation } from '../../record/party-members';
import { startBody } from '../../testkit/api-fixtures';
import { sharedTestRecord } from '../../testkit/record';
import { startSmtpCatcher, type SmtpCatcher } from '../../testkit/smtp-catcher';
import { useApiHarness } from '../../testkit/suites';
import { uniquePartyId } from '../../testkit/temporal';
import { bearer, party } from '../../testkit/typed-api';

const DAY = 86_400_000;
let shift = 0;
const settings: Record<string, string> = { OIDC_ISSUER_URL: 'http://127.0.0.1:9/realms/uep', OIDC_ALLOW_HTTP: 'true', OIDC_CLIENT_ID: 'uep-console' };
let catcher: SmtpCatcher;
beforeAll(async () => {
  catcher = await startSmtpCatcher();
  settings.SMTP_URL = catcher.url;
});
afterAll(async () => catcher?.down());
const suite = useApiHarness({ harness: { settings, now: () => Date.now() + shift } });
const member = (partyId: string, subject: string) => ({ params: { path: { partyId, subject } } });

/** An invitation through the API, and the link from the mail the catcher got. */
async function invited(partyId: string, email: string, token = suite.h.tokenFor(BODY.OPS)): Promise<string> {
  const r = await suite.api.POST('/v1/entries/{partyId}/invitations', { ...party(partyId), ...bearer(token), body: { email } });
  expect(r.response.status).toBe(201);
  expect(InvitationResponse.parse(r.data)).toMatchObject({ partyId, email });
  const [mail] = await catcher.waitFor((m) => m.envelopeTo.includes(email));
  expect(mail!.subject).toBe(`You are invited to act for ${partyId} in the UEP console`);
  const link = /(http\S+\/auth\/invitations\/[A-Za-z0-9_-]{43})/.exec(mail!.text ?? '')?.[1];
  expect(link?.startsWith(suite.h.baseUrl)).toBe(true);
  expect(mail!.text).toMatch(/The link works once, until \d{1,2} \w+ \d{4}\./);
  return link!;
}
const tokenOf = (link: string) => link.slice(link.lastIndexOf('/') + 1);

test('an invited person who accepts acts for the Party without its IdP group, until removed; a link works once', async () => {
  const partyId = uniquePartyId('PEOPLE');
  const record = await sharedTestRecord();
  const link = await invited(partyId, 'sam.new@acme.example');
  const claims = { sub: `sub-${partyId}`, name: 'Sam New', email: 'sam.new@acme.example', groups: [] as string[] };

  // before accepting, the IdP knows Sam but the engine does not
  expect((await identifyPerson(record, claims, suite.h.config)).ok).toBe(false);
  expect(await acceptInvitation(record, hashToken(tokenOf(link)), { subject: claims.sub, name: claims.name, email: claims.email }, new Date())).toEqual({ ok: true, partyId });
  const identified = await identifyPerson(record, claims, suite.h.config);
  expect(identified).toEqual({ ok: true, principal: { body: BODY.PARTY, id: claims.sub, partyId, name: 'Sam New', email: 'sam.new@acme.example' } });

  // used twice: refused, in words, on a page
  const again = await fetch(link, { redirect: 'manual' });
  expect(again.status).toBe(410);
  expect(await again.text()).toContain('This invitation was accepted already on ');
  expect((await acceptInvitation(record, hashToken(tokenOf(link)), { subject: 'someone-else', name: 'X' }, new Date())).ok).toBe(false);

  // a console session of Sam's acts for the Party
  const sessions = new SessionStore(record, { idleMs: 30 * 60_000, maxMs: 10 * 3_600_000 });
  if (!identified.ok) throw new Error('not identified');
  const { id } = await sessions.create(identified.principal, claims.sub, 'id-token', Date.now());
  const asSam = { headers: { cookie: `uep_session=${id}` } };
  const listed = await suite.api.GET('/v1/entries/{partyId}/members', { ...party(partyId), ...asSam });
  expect(listed.response.status).toBe(200);
  expect(MembersResponse.parse(listed.data).members.map((m) => [m.subject, m.name, m.email])).toEqual([[claims.sub, 'Sam New', 'sam.new@acme.example']]);

  // the Party's own people invite too; SECAS may not
  await invited(partyId, 'kim.other@acme.example', suite.h.partyToken(partyId));
  const bySecas = await suite.api.POST('/v1/entries/{partyId}/invitations', { ...party(partyId), ...bearer(suite.h.tokenFor(BODY.SECAS)), body: { email: 'x@acme.example' } });
  expect([bySecas.response.status, bySecas.error?.error.message]).toEqual([403, "SECAS may not invite people to act for a Party"]);

  // removed: the session ends, and a new sign-in no longer makes Sam the Party's
  expect((await suite.api.DELETE('/v1/entries/{partyId}/members/{subject}', { ...member(partyId, claims.sub), ...bearer(suite.h.tokenFor(BODY.OPS)) })).response.status).toBe(204);
  expect((await suite.api.GET('/v1/entries/{partyId}/members', { ...party(partyId), ...asSam })).response.status).toBe(401);
  expect((await identifyPerson(record, claims, suite.h.config)).ok).toBe(false);
  expect((await suite.api.DELETE('/v1/entries/{partyId}/members/{subject}', { ...member(partyId, claims.sub), ...bearer(suite.h.tokenFor(BODY.OPS)) })).response.status).toBe(404);

  // every invitation, acceptance and removal, with who did it
  const after = MembersResponse.parse((await suite.api.GET('/v1/entries/{partyId}/members', { ...party(partyId), ...bearer(suite.h.tokenFor(BODY.SECAS)) })).data);
  expect(after.members).toEqual([]);
  expect(after.events.map((e) => [e.action, e.by.body, e.email, e.subject])).toEqual([
    ['INVITED', BODY.OPS, 'sam.new@acme.example', null],
    ['ACCEPTED', BODY.PARTY, 'sam.new@acme.example', claims.sub],
    ['INVITED', BODY.PARTY, 'kim.other@acme.example', null],
    ['REMOVED', BODY.OPS, null, claims.sub],
  ]);
});

test('a link past its expiry, or unknown, is refused in words', async () => {
  const partyId = uniquePartyId('LATE');
  const link = await invited(partyId, 'late.comer@acme.example');
  shift = 15 * DAY;
  try {
    const late = await fetch(link, { redirect: 'manual' });
    expect(late.status).toBe(410);
    const page = await late.text();
    expect(page).toContain('This invitation cannot be used');
    expect(page).toMatch(/This invitation expired on \d{1,2} \w+ \d{4}\./);
  } finally {
    shift = 0;
  }
  const unknown = await fetch(`${suite.h.baseUrl}/auth/invitations/not-a-real-token`, { redirect: 'manual' });
  expect([unknown.status, (await unknown.text()).includes('This invitation link is not known')]).toEqual([410, true]);
});

test("starting an entry invites its UEP contact; a mail that does not go leaves the entry started, with a warning", async () => {
  const partyId = uniquePartyId('START');
  const contact = `uep@${partyId.toLowerCase()}.example`;
  const started = await suite.api.POST('/v1/entries', { ...bearer(suite.h.tokenFor(BODY.SECAS)), body: startBody(partyId) });
  expect([started.response.status, StartEntryResponse.parse(started.data).warnings]).toEqual([201, []]);
  const [mail] = await catcher.waitFor((m) => m.envelopeTo.includes(contact));
  expect(mail!.text).toContain(`invited you to act for ${partyId}`);
  expect(mail!.text).toMatch(/\/auth\/invitations\/[A-Za-z0-9_-]{43}/);
  const events = MembersResponse.parse((await suite.api.GET('/v1/entries/{partyId}/members', { ...party(partyId), ...bearer(suite.h.tokenFor(BODY.OPS)) })).data).events;
  expect(events.map((e) => [e.action, e.by.body, e.email])).toEqual([['INVITED', BODY.SECAS, contact]]);
  // the entry's audit trail carries them beside the workflow's records
  const trail = AuditTrailResponse.parse((await suite.api.GET('/v1/entries/{partyId}/audit-trail', { ...party(partyId), ...bearer(suite.h.partyToken(partyId)) })).data);
  expect(trail.people).toEqual(events);
  expect(trail.records.map((r) => r.action)).toContain('STARTED');
  // and the CSV lists the invitation among the records, by time, with the address invited
  const csv = (await suite.api.GET('/v1/entries/{partyId}/audit-trail.csv', { ...party(partyId), ...bearer(suite.h.partyToken(partyId)), parseAs: 'text' })).data!.split('\r\n');
  const invitedRow = csv.findIndex((line) => line.includes('"PERSON_INVITED"'));
  expect(csv[invitedRow]).toMatch(new RegExp(`^"","[^"]+","PERSON_INVITED","SECAS",.*"${contact.replace(/\./g, '\\.')}",""$`));

  const unlucky = uniquePartyId('NOMAIL');
  catcher.failNext(1, 554, 'no thanks');
  const still = await suite.api.POST('/v1/entries', { ...bearer(suite.h.tokenFor(BODY.SECAS)), body: startBody(unlucky) });
  expect(still.response.status).toBe(201);
  const warnings = StartEntryResponse.parse(still.data).warnings;
  expect(warnings.map((w) => w.code)).toEqual(['CONTACT_NOT_INVITED']);
  expect(warnings[0]!.message).toMatch(/^The entry started, but UEP Lead was not invited to the console: The invitation could not be mailed \(.*\); nothing was kept\./);
  expect(MembersResponse.parse((await suite.api.GET('/v1/entries/{partyId}/members', { ...party(unlucky), ...bearer(suite.h.tokenFor(BODY.OPS)) })).data).events).toEqual([]);
});
