/**
 * Notices to a person, against real parts: the API and its record, a Temporal dev server, the
 * worker's outbox drain (worker/person-notices.ts) and digest schedule (worker/digest-schedule.ts)
 * with the real delivery to a real SMTP server and a Standard Webhooks receiver. A stage given to a
 * colleague reaches the colleague's mailbox once, in words, with a link that opens the console;
 * a claim for oneself sends nothing; a drain retried after dying sends nothing twice; a person on
 * the daily digest gets no mail at once but the digest, at the configured hour, lists the item;
 * the choice is the person's own and validated.
 */
import { sql } from 'kysely';
import { createActivities } from '../../activities';
import { createDigestActivities } from '../../activities/digests';
import { createSmtpTransport } from '../../activities/email';
import { stampingDeliveries } from '../../activities/record';
import type { WebhookPayload } from '../../activities/render';
import { SessionStore } from '../../api/sessions';
import { mintToken } from '../../api/tokens';
import { ErrorResponse, NoticeSettingsResponse } from '../../api/schemas';
import { entryIdFor } from '../../domain';
import { BODY, STAGE } from '../../domain/vocabulary';
import type { RecordDb } from '../../record/db';
import { startBody } from '../../testkit/api-fixtures';
import { call, eventually } from '../../testkit/api-harness';
import { sharedTestRecord } from '../../testkit/record';
import { startSmtpCatcher, type CaughtMail, type SmtpCatcher } from '../../testkit/smtp-catcher';
import { useApiHarness, useOwnWorker } from '../../testkit/suites';
import { createTestWorker, deleteScheduleIfAny, uniquePartyId, uniqueTaskQueue } from '../../testkit/temporal';
import { bearer, party, type Schemas } from '../../testkit/typed-api';
import { startWebhookReceiver, type WebhookReceiver } from '../../testkit/webhook-receiver';
import { DIGEST_SCHEDULE_ID, ensureDigestSchedule } from '../../worker/digest-schedule';
import { drainPersonNotices, type Unmailable } from '../../worker/person-notices';
import type { DigestRunResult } from '../../workflows/digest-workflow';

const SECRET = 'whsec_ofd6okk0+3bCA1oodee11QmNS24g4VuFl4/9XQ+bl24=';
const SECAS_DESK = 'uep@secas.example';
const ZONE = 'Europe/London';
const DUE_DATE = /\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b/;

let smtp: SmtpCatcher;
let hook: WebhookReceiver;
let db: RecordDb;
let taskQueue: string;

// declared first so that they run before the dev server and the API are stopped
const ownWorker = useOwnWorker();
afterAll(async () => {
  await deleteScheduleIfAny(suite.env.client, DIGEST_SCHEDULE_ID);
  await hook?.stop();
  await smtp?.stop();
});
const suite = useApiHarness();

beforeAll(async () => {
  smtp = await startSmtpCatcher();
  hook = await startWebhookReceiver({ secret: SECRET });
  db = await sharedTestRecord();
  taskQueue = uniqueTaskQueue('person-notices');
  const links = { apiPublicUrl: suite.h.baseUrl, consolePublicUrl: `${suite.h.baseUrl}/app`, temporalUi: { TEMPORAL_UI_URL: 'http://127.0.0.1:8233', TEMPORAL_NAMESPACE: 'default' } };
  const mailer = createSmtpTransport({ smtpUrl: smtp.url, timeoutMs: 5000, poolSize: 1 });
  // the worker's activities as worker/main.ts composes them; SECAS's desk has a mailbox and a webhook
  const delivery = createActivities({
    notifications: { mailer, routes: { SECAS: { email: [SECAS_DESK], webhooks: [{ url: hook.url, secret: SECRET, name: 'secas-hook' }] } }, mailFrom: 'UEP engine <uep@uep.example>', links, targetTimeoutMs: 5000 },
  });
  const worker = await createTestWorker(suite.env, {
    taskQueue,
    activities: { ...stampingDeliveries(db, delivery), ...createDigestActivities({ db, mailer, mailFrom: 'UEP engine <uep@uep.example>', links, timeZone: ZONE }) },
  });
  ownWorker.run(worker);
});

/**
 * A SECAS officer with a token of their own; with `email`, they have also signed in to the console,
 * where their identity provider gave that address (a token carries none).
 */
async function secasOfficer(id: string, name: string, email?: string): Promise<string> {
  const { token, record } = mintToken({ body: BODY.SECAS, id, name });
  suite.h.tokens.add(record);
  if (email) await new SessionStore(db, { idleMs: 3_600_000, maxMs: 8 * 3_600_000 }).create({ body: BODY.SECAS, id, name, email }, `sub-${id}`, 'id-token', Date.now());
  return token;
}

const claim = (partyId: string, token: string, body: Schemas['ClaimRequest']) => suite.api.PUT('/v1/entries/{partyId}/claim', { ...party(partyId), ...bearer(token), body });
const myNotices = async (token: string) => NoticeSettingsResponse.parse((await suite.api.GET('/v1/me/notices', bearer(token))).data);
const drain = () => drainPersonNotices({ client: suite.env.client, db, taskQueue });
const outboxOf = (entryId: string) => db.selectFrom('person_notices').selectAll().where(sql<string>`notice ->> 'entryId'`, '=', entryId).execute();

async function startedAtAccession(prefix: string): Promise<{ partyId: string; entryId: string; partyName: string }> {
  const partyId = uniquePartyId(prefix);
  const body = startBody(partyId);
  expect((await suite.api.POST('/v1/entries', { ...bearer(suite.h.tokenFor(BODY.OPS)), body })).response.status).toBe(201);
  return { partyId, entryId: entryIdFor(partyId), partyName: body.partyName };
}

/** Every delivery workflow of the notice done (its mail and webhook sent, or nothing to send). */
async function delivered(noticeId: string): Promise<void> {
  await suite.env.client.workflow.getHandle(noticeId).result();
}

test('assigned to a colleague: one mail to them in words with a link to the stage, their body\'s webhook the same event; a claim for oneself sends nothing', async () => {
  const dana = await secasOfficer('secas-dana', 'Dana Smith', 'dana.smith@secas.example');
  const sam = await secasOfficer('secas-sam', 'Sam Second', 'sam.second@secas.example');
  const { partyId, entryId, partyName } = await startedAtAccession('ASSIGN');
  // Sam signed in to the console once: the record knows Sam's address from then on
  expect(await myNotices(sam)).toEqual({ cadence: 'IMMEDIATE', changedAt: null, email: 'sam.second@secas.example' });

  // Dana claims it for herself: nothing for anyone
  expect((await claim(partyId, dana, { stage: STAGE.ACCESSION })).response.status).toBe(200);
  expect(await outboxOf(entryId)).toEqual([]);

  // Dana gives it to Sam: the notice is in the record as soon as the claim is (no drain has run)
  const assigned = await claim(partyId, dana, { stage: STAGE.ACCESSION, assignee: { id: 'secas-sam', name: 'Sam Second' } });
  expect(assigned.response.status).toBe(200);
  const [row, ...more] = await outboxOf(entryId);
  expect(more).toEqual([]);
  expect([row!.body, row!.person_id, row!.handed_over_at]).toEqual([BODY.SECAS, 'secas-sam', null]);

  expect(await drain()).toContain(row!.id);
  await delivered(row!.id);
  const [mail, ...extra] = await smtp.waitFor((m) => m.notificationId === row!.id, { timeoutMs: 15_000 });
  expect(extra).toEqual([]);
  expect(mail!.envelopeTo).toEqual(['sam.second@secas.example']);
  expect(mail!.subject).toMatch(new RegExp(`^\\[UEP\\] ${partyName}: Accession to the SEC is assigned to you by Dana Smith, due ${DUE_DATE.source}$`));
  expect(mail!.text).toContain(`Dana Smith (SECAS) assigned ${partyName}'s Accession to the SEC to you on `);
  expect(mail!.text).not.toMatch(/ACCESSION(?!\b)|SECAS_|\d{4}-\d{2}-\d{2}/);
  const link = `${suite.h.baseUrl}/app/entries/${partyId}#ACCESSION`;
  expect(mail!.text).toContain(link);
  // the link opens the console (the page; the stage is its anchor)
  const page = await fetch(link.split('#')[0]!);
  expect([page.status, page.headers.get('content-type')]).toEqual([200, expect.stringMatching(/^text\/html/)]);
  // SECAS's shared mailbox is not told; its webhook gets the same event, naming the person's body
  expect(smtp.messages.filter((m) => m.notificationId === row!.id && m.envelopeTo.includes(SECAS_DESK))).toEqual([]);
  const [event] = await hook.waitFor((r) => r.id === row!.id, { timeoutMs: 15_000 });
  const payload = event!.json as WebhookPayload;
  expect([payload.kind, payload.recipient, payload.stage, payload.links.entry]).toEqual(['STAGE_ASSIGNED', BODY.SECAS, STAGE.ACCESSION, link]);
});

test('assigned to a colleague told at once whose email the record does not know: the drain says so, naming the notice and the person', async () => {
  const dana = await secasOfficer('secas-dana-3', 'Dana Smith');
  const { partyId, entryId } = await startedAtAccession('NOMAIL');
  expect((await claim(partyId, dana, { stage: STAGE.ACCESSION, assignee: { id: 'secas-lee', name: 'Lee Unknown' } })).response.status).toBe(200);
  const [row] = await outboxOf(entryId);
  const unmailable: Unmailable[] = [];
  expect(await drainPersonNotices({ client: suite.env.client, db, taskQueue, onUnmailable: (u) => unmailable.push(u) })).toContain(row!.id);
  expect(unmailable).toEqual([{ notificationId: row!.id, body: BODY.SECAS, personId: 'secas-lee' }]);
  await delivered(row!.id);
  expect(smtp.messages.filter((m: CaughtMail) => m.notificationId === row!.id)).toEqual([]);
});

test('a drain that died before marking its hand-over is retried: nothing is sent twice', async () => {
  const dana = await secasOfficer('secas-dana-2', 'Dana Smith');
  const { partyId, entryId } = await startedAtAccession('RETRY');
  // an address given with the assignment itself (a colleague who never signed in)
  expect((await claim(partyId, dana, { stage: STAGE.ACCESSION, assignee: { id: 'secas-kim', name: 'Kim Third', email: 'kim.third@secas.example' } })).response.status).toBe(200);
  const [row] = await outboxOf(entryId);
  expect(await drain()).toContain(row!.id);
  await delivered(row!.id);
  await smtp.waitFor((m) => m.notificationId === row!.id, { timeoutMs: 15_000 });

  // as if the pass had died between starting the delivery and marking it: the next pass hands it over again
  await db.updateTable('person_notices').set({ handed_over_at: null }).where('id', '=', row!.id).execute();
  expect(await drain()).toContain(row!.id);
  expect(await drain()).not.toContain(row!.id);
  await delivered(row!.id);
  await new Promise((r) => setTimeout(r, 1500));
  expect(smtp.messages.filter((m: CaughtMail) => m.notificationId === row!.id).map((m) => m.envelopeTo)).toEqual([['kim.third@secas.example']]);
  expect(hook.requests.filter((r) => r.id === row!.id && r.status < 300)).toHaveLength(1);
});

test('the choice is the person\'s own and validated: a bad value is refused in words and changes nothing', async () => {
  const lee = await secasOfficer('secas-lee', 'Lee Fourth', 'lee@secas.example');
  const ann = await secasOfficer('secas-ann', 'Ann Fifth', 'ann@secas.example');
  expect(await myNotices(lee)).toEqual({ cadence: 'IMMEDIATE', changedAt: null, email: 'lee@secas.example' });

  // bodies the OpenAPI document forbids, sent raw
  const bad = await call(suite.h.baseUrl, 'PUT', '/v1/me/notices', { token: lee, body: { cadence: 'WEEKLY' } });
  expect(bad.status).toBe(400);
  const reason = ErrorResponse.parse(bad.json).error;
  expect(reason.details.map((d) => d.path)).toEqual(['body.cadence']);
  expect(reason.details[0]!.message).toMatch(/IMMEDIATE.*DAILY_DIGEST/);
  // nobody names another person: the body names no one but the caller's own choice
  const someoneElse = await call(suite.h.baseUrl, 'PUT', '/v1/me/notices', { token: lee, body: { cadence: 'DAILY_DIGEST', personId: 'secas-ann' } });
  expect(someoneElse.status).toBe(400);
  expect(ErrorResponse.parse(someoneElse.json).error.details.map((d) => d.message).join()).toMatch(/personId/);
  expect(await myNotices(lee)).toMatchObject({ cadence: 'IMMEDIATE', changedAt: null });

  const chosen = NoticeSettingsResponse.parse((await suite.api.PUT('/v1/me/notices', { ...bearer(lee), body: { cadence: 'DAILY_DIGEST' } })).data);
  expect(chosen.cadence).toBe('DAILY_DIGEST');
  expect(await myNotices(lee)).toEqual(chosen);
  // Ann's is untouched by Lee's
  expect(await myNotices(ann)).toMatchObject({ cadence: 'IMMEDIATE', changedAt: null });
  expect((await suite.api.PUT('/v1/me/notices', { ...bearer(suite.h.tokenFor(BODY.OPS)), body: { cadence: 'DAILY_DIGEST' } })).response.status).toBe(403);
});

test('on the daily digest: no mail at once, and the digest at 07:00 London time lists the item, once a day', async () => {
  const dana = await secasOfficer('secas-dana-3', 'Dana Smith');
  const rae = await secasOfficer('secas-rae', 'Rae Digest', 'rae.digest@secas.example');
  expect((await suite.api.PUT('/v1/me/notices', { ...bearer(rae), body: { cadence: 'DAILY_DIGEST' } })).response.status).toBe(200);
  const { partyId, entryId, partyName } = await startedAtAccession('DIGEST');
  const other = await startedAtAccession('WAITING');

  expect((await claim(partyId, dana, { stage: STAGE.ACCESSION, assignee: { id: 'secas-rae', name: 'Rae Digest' } })).response.status).toBe(200);
  const [row] = await outboxOf(entryId);
  expect(await drain()).toContain(row!.id);
  await delivered(row!.id);
  // the webhook hears of it; Rae's mailbox does not
  await hook.waitFor((r) => r.id === row!.id, { timeoutMs: 15_000 });
  expect(smtp.messages.filter((m) => m.envelopeTo.includes('rae.digest@secas.example'))).toEqual([]);
  expect((await db.selectFrom('person_notices').select('handed_as').where('id', '=', row!.id).executeTakeFirstOrThrow()).handed_as).toBe('DAILY_DIGEST');

  // the schedule the worker ensures: next at 07:00 London time, every day, whatever the season
  expect(await ensureDigestSchedule(suite.env.client, { taskQueue, time: '07:00', timeZone: ZONE })).toBe('created');
  const handle = suite.env.client.schedule.getHandle(DIGEST_SCHEDULE_ID);
  const { info } = await handle.describe();
  const next = info.nextActionTimes.slice(0, 3);
  expect(next).toHaveLength(3);
  const londonClock = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  for (const at of next) expect(londonClock.format(at)).toBe('07:00');
  expect(next[0]!.getTime()).toBeGreaterThan(Date.now());
  expect(next[0]!.getTime() - Date.now()).toBeLessThanOrEqual(25 * 3_600_000);
  expect(next[1]!.getTime() - next[0]!.getTime()).toBeGreaterThanOrEqual(23 * 3_600_000);

  // the day's run, now (as the schedule would at 07:00): Rae's digest lists the assignment and the rest of SECAS's work
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  await handle.trigger();
  const [digest] = await smtp.waitFor((m) => m.envelopeTo.includes('rae.digest@secas.example'), { timeoutMs: 30_000 });
  expect(digest!.notificationId).toBe(`uep-digest:${today}:SECAS:secas-rae`);
  expect(digest!.subject).toMatch(new RegExp(`^\\[UEP\\] UEP digest for ${DUE_DATE.source}: \\d+ items wait for you$`));
  const [assignedPart, waitingPart] = digest!.text!.split('Waiting for SECAS');
  expect(assignedPart).toContain('Assigned to you (1):');
  expect(assignedPart).toMatch(new RegExp(`- ${partyName}: Accession to the SEC, due ${DUE_DATE.source} \\(assigned by Dana Smith\\)`));
  expect(assignedPart).toContain(`${suite.h.baseUrl}/app/entries/${partyId}#ACCESSION`);
  expect(waitingPart).toContain(`- ${other.partyName}: Accession to the SEC, due `);
  expect(waitingPart).toContain(`${suite.h.baseUrl}/app/entries/${other.partyId}#ACCESSION`);

  // run again the same day (a retry, an operator's trigger): no second digest
  const runs = async () => {
    const found: string[] = [];
    for await (const w of suite.env.client.workflow.list({ query: `WorkflowType = 'noticeDigestWorkflow' AND ExecutionStatus = 'Completed'` })) found.push(w.workflowId);
    return found;
  };
  await eventually(runs, (r) => r.length === 1, 15_000);
  await handle.trigger();
  const [second] = await eventually(runs, (r) => r.length === 2, 15_000);
  const secondResult = (await suite.env.client.workflow.getHandle(second!).result()) as DigestRunResult;
  expect(secondResult.started).not.toContain(`uep-digest:${today}:SECAS:secas-rae`);
  await new Promise((r) => setTimeout(r, 1000));
  expect(smtp.messages.filter((m) => m.envelopeTo.includes('rae.digest@secas.example'))).toHaveLength(1);
});
