/**
 * The two-role journey of docs/console.md with single sign-on: one entry seeking two User Roles
 * (Import supplier and Export supplier, catalogue v2) from OPS's start to COMPLETE through the
 * console alone, in Chromium, against a real Keycloak (deploy/keycloak/uep-realm.json), the API
 * signing people in with OpenID Connect, the worker mailing its notices to an SMTP catcher, and the
 * Temporal dev server.
 *
 * Each of the five people (OPS, SECAS, the DCC, the SEC Panel and the Party's UEP contact) works
 * in a browser of their own (a context: their own cookies) and signs in at Keycloak once. The
 * contact is invited when OPS starts the entry and arrives through the invitation mailed to them;
 * after that, every "your turn" mail's link opens in a new tab, already signed in. An approver
 * opens the console from a bookmark once, then finds each item through the inbox unless its form
 * is already on the page (testkit/console-journey.ts). Every click and typed field is counted, on
 * the console and on Keycloak's login page apart, and the counts are asserted.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { activityDepsFromConfig, createActivities, notificationEnvSchema } from '../../activities';
import type { AuditTrailResponse, EntryResponse, InboxResponse } from '../../api/schemas';
import { parseEnv } from '../../config/env';
import { call, eventually } from '../../testkit/api-harness';
import { launchPeople, TabStory, type People } from '../../testkit/browser';
import { driveToComplete, JourneyCounter, type JourneyStage } from '../../testkit/console-journey';
import { roleInWords } from '../../domain/wording';
import { startConsoleStack, type ConsoleStack } from '../../testkit/console-stack';
import { keycloakForTests, type RunningKeycloak } from '../../testkit/keycloak';
import { startSmtpCatcher, type CaughtMail, type SmtpCatcher } from '../../testkit/smtp-catcher';
import { uniquePartyId } from '../../testkit/temporal';

const PASSWORD = 'uep-dev-password';
/** The realm's people, by who they are in the journey. */
const PERSON = {
  OPS: { username: 'olu.adeyemi', name: 'Olu Adeyemi', email: 'olu.adeyemi@ops.example' },
  SECAS: { username: 'sam.ellis', name: 'Sam Ellis', email: 'sam.ellis@secas.example' },
  DCC: { username: 'dara.okafor', name: 'Dara Okafor', email: 'dara.okafor@dcc.example' },
  SEC_PANEL: { username: 'priya.shah', name: 'Priya Shah', email: 'priya.shah@secpanel.example' },
  /** In no group: the invitation the entry's start mails binds them to the Party. */
  PARTY: { username: 'robin.dale', name: 'Robin Dale', email: 'robin.dale@dale-energy.example' },
} as const;
type Who = keyof typeof PERSON;

let kc: RunningKeycloak;
let catcher: SmtpCatcher;
let stack: ConsoleStack;
let people: People;

beforeAll(async () => {
  kc = await keycloakForTests();
  catcher = await startSmtpCatcher();
  stack = await startConsoleStack({
    settings: {
      SMTP_URL: catcher.url, // the invitation goes out from the API
      OIDC_ISSUER_URL: kc.issuer,
      OIDC_CLIENT_ID: 'uep-console',
      OIDC_CLIENT_SECRET: 'uep-console-dev-secret',
      OIDC_ALLOW_HTTP: 'true',
    },
    // the worker's notices, mailed as in production: each body's route to its person in the realm
    notificationActivities: (apiBaseUrl) =>
      createActivities(
        activityDepsFromConfig(
          parseEnv(notificationEnvSchema, {
            SMTP_URL: catcher.url,
            MAIL_FROM: 'UEP engine <uep-engine@uep.example>',
            API_PUBLIC_URL: apiBaseUrl,
            NOTIFY_ROUTES_JSON: JSON.stringify(Object.fromEntries((['OPS', 'SECAS', 'DCC', 'SEC_PANEL'] as const).map((b) => [b, { email: [PERSON[b].email] }]))),
          }),
        ),
      ),
  });
  people = await launchPeople();
}, 400_000);
afterAll(async () => {
  await people?.close();
  await stack?.close();
  await kc?.stop();
  await catcher?.stop();
});

const kindOf = (m: CaughtMail) => m.notificationId?.split(':')[1] ?? (m.subject?.includes('You are invited') ? 'INVITATION' : 'other');

test('one two-role entry from start to COMPLETE through the console alone with single sign-on: each person signs in once, no token pasted, in a counted number of clicks', async () => {
  const started = Date.now();
  const base = stack.baseUrl;
  const partyId = uniquePartyId('DALE');
  const partyName = `Dale Energy ${partyId}`;
  const counter = new JourneyCounter();
  const contexts = new Map<Who, BrowserContext>();
  /** The tab each person works in now. */
  const tabs = new Map<Who, Page>();
  /** Visits to the IdP's authorization endpoint, per person: each a sign-in (with the password, or not). */
  const signIns = new Map<Who, number>();
  /** Requests from any browser to the API that carried a bearer token. */
  const bearerSent: string[] = [];
  const watching: Promise<void>[] = [];
  const story = new TabStory();

  async function browserOf(who: Who): Promise<BrowserContext> {
    let context = contexts.get(who);
    if (context) return context;
    context = await people.newPerson();
    contexts.set(who, context);
    story.watch(context, who);
    signIns.set(who, 0);
    context.on('request', (r) => {
      if (r.url().startsWith(`${kc.issuer}/protocol/openid-connect/auth`)) signIns.set(who, (signIns.get(who) ?? 0) + 1);
      if (r.url().startsWith(base))
        watching.push(
          r.allHeaders().then(
            (h) => void (h.authorization ? bearerSent.push(`${who} ${r.url()}`) : undefined),
            () => undefined,
          ),
        );
    });
    return context;
  }

  /** Keycloak's login page: user name, password, Sign In (counted apart from the console's). */
  async function signInAtKeycloak(who: Who, tab: Page): Promise<void> {
    await tab.locator('#kc-form-login').waitFor();
    await counter.type(who, tab.locator('#username'), PERSON[who].username, 'idp');
    await counter.type(who, tab.locator('#password'), PASSWORD, 'idp');
    await counter.click(who, tab.locator('#kc-login'), 'idp');
  }

  /** A body's person: the first time, a bookmark to the console, and the sign-in it sends them to. */
  async function tabOf(who: string): Promise<Page> {
    const open = tabs.get(who as Who);
    if (open) return open;
    if (who === 'PARTY') throw new Error('the Party arrives through its invitation');
    const person = who as Who;
    const tab = await (await browserOf(person)).newPage();
    tabs.set(person, tab);
    counter.followed(person); // the bookmark
    await tab.goto(`${base}/app/`);
    await signInAtKeycloak(person, tab);
    await (person === 'OPS' ? tab.getByRole('heading', { name: 'By cohort and status' }) : tab.getByRole('heading', { name: /^Inbox: / })).waitFor();
    await tab.getByText(`Signed in as ${PERSON[person].name}`).waitFor();
    return tab;
  }

  const toContact = (m: CaughtMail) => m.envelopeTo.includes(PERSON.PARTY.email);
  const followedMails = new Set<number>();
  const partyTabsFromMail: Page[] = [];
  /** The mail names the stage in words (rules version 7): its turn ('User ID acceptance for Import Supplier: the proposed ...') or a decision on it ('... on User ID acceptance for Import Supplier (SEC ...'). */
  const namesStage = (text: string, stage: JourneyStage) => {
    const name = `${stage.title}${stage.role ? ` for ${roleInWords(stage.role)}` : ''}`;
    return text.includes(`${name}: `) || text.includes(`${name} (SEC `);
  };
  /** The contact opens the link in the "your turn" mail naming the stage: a new tab, already signed in. */
  async function followPartyNotice(stage: JourneyStage): Promise<Page> {
    const [mail] = await catcher.waitFor(
      (m) => toContact(m) && !followedMails.has(m.seq) && ['SUBMISSION_DUE', 'DECISION_NEEDS_ACTION'].includes(kindOf(m)) && namesStage(m.text ?? '', stage),
      { timeoutMs: 20_000 },
    );
    followedMails.add(mail!.seq);
    const link = /Open the entry:\s+(\S+)/.exec(mail!.text ?? '')?.[1];
    expect(link).toBe(`${base}/app/entries/${partyId}`);
    counter.followed('PARTY');
    const tab = await (await browserOf('PARTY')).newPage();
    await tab.goto(link!);
    await tab.getByRole('heading', { name: 'What we need from you' }).waitFor();
    expect(tab.url()).toBe(link); // no sign-in page on the way
    partyTabsFromMail.push(tab);
    tabs.set('PARTY', tab);
    return tab;
  }

  const tokenOf: Record<string, string> = { DCC: stack.tokens.dcc, SEC_PANEL: stack.tokens.panel, SECAS: stack.tokens.secas };
  /** The person looks at their inbox once the work has arrived there (the inbox is read from the record). */
  async function arrived(stage: JourneyStage): Promise<void> {
    await eventually(
      async () => (await call<InboxResponse>(base, 'GET', '/v1/inbox', { token: tokenOf[stage.owner] })).json.items,
      (items) => items.some((i) => i.partyId === partyId && i.stage === stage.stage && (i.role ?? null) === (stage.role ?? null)),
    );
  }

  try {
    // OPS starts the entry: two roles, the cohort's default deadline (passed: confirmed), the UEP contact
    await counter.act('OPS', 'start', async () => {
      const ops = await tabOf('OPS');
      await counter.click('OPS', ops.getByRole('link', { name: 'Start an entry' }).first());
      await counter.type('OPS', ops.getByLabel('Party id'), partyId);
      await counter.type('OPS', ops.getByLabel('Party name'), partyName);
      await counter.click('OPS', ops.getByLabel('Export supplier'));
      await counter.type('OPS', ops.getByLabel('UEP contact name'), PERSON.PARTY.name);
      await counter.type('OPS', ops.getByLabel('UEP contact email'), PERSON.PARTY.email);
      // the cohort's default deadline (25 Nov 2017) has passed: the form says so before the start, and asks
      await ops.getByText("cohort's default mandate deadline, 25 Nov 2017, has already passed").waitFor();
      await counter.click('OPS', ops.getByLabel("Apply the default deadline though it has passed (the entry starts in breach)"));
      await counter.click('OPS', ops.getByRole('button', { name: 'Start the entry' }));
      await ops.getByRole('heading', { name: partyName }).waitFor();
      // the start's warning is shown, not dropped
      await ops.getByRole('status').filter({ hasText: 'The mandate deadline, 25 Nov 2017, had already passed when the entry started' }).waitFor();
    });

    // the contact follows the invitation the start mailed them, signs in (their account has no
    // Party group: the invitation binds it) and lands on the entry
    await counter.act('PARTY', 'invitation', async () => {
      const [invitation] = await catcher.waitFor((m) => toContact(m) && kindOf(m) === 'INVITATION' && (m.subject ?? '').includes(partyId), { timeoutMs: 20_000 });
      const link = /(http\S+\/auth\/invitations\/\S+)/.exec(invitation!.text ?? '')?.[1];
      expect(link?.startsWith(`${base}/auth/invitations/`)).toBe(true);
      counter.followed('PARTY');
      const tab = await (await browserOf('PARTY')).newPage();
      tabs.set('PARTY', tab);
      await tab.goto(link!);
      await signInAtKeycloak('PARTY', tab);
      await tab.getByRole('heading', { name: partyName }).waitFor();
      expect(tab.url()).toBe(`${base}/app/entries/${partyId}`);
      await tab.getByText(`Signed in as ${PERSON.PARTY.name}`).waitFor();
    });

    await driveToComplete({
      partyName,
      counter,
      readEntry: async () => (await call<EntryResponse>(base, 'GET', `/v1/entries/${partyId}`, { token: stack.tokens.ops })).json.entry,
      tabOf,
      arrived,
      followPartyNotice,
    });
    await Promise.all(watching);

    const entry = (await call<EntryResponse>(base, 'GET', `/v1/entries/${partyId}`, { token: stack.tokens.ops })).json.entry;
    const mails = catcher.unique();
    const mailsTo = (who: Who) => mails.filter((m) => m.envelopeTo.includes(PERSON[who].email)).map(kindOf);
    const ms = Date.now() - started;
    console.log(
      [
        `one two-role entry to COMPLETE through the console with single sign-on, in ${(ms / 1000).toFixed(1)} s: ` +
          `${counter.total().clicks} clicks and ${counter.total().fields} fields in the console; ` +
          `${counter.idp().clicks} clicks and ${counter.idp().fields} fields on Keycloak's login page; ${counter.tokenPastes()} token pastes`,
        counter.describe(),
        `sign-ins per person: ${JSON.stringify(Object.fromEntries(signIns))}; the Party's tabs opened from a mail: ${partyTabsFromMail.length}`,
        ...(Object.keys(PERSON) as Who[]).map((who) => `mails to ${who}: ${mailsTo(who).length} (${mailsTo(who).join(', ')})`),
      ].join('\n'),
    );

    expect(entry.status).toBe('COMPLETE');
    expect(entry.roleStages.map((r) => [r.role, r.complete])).toEqual([
      ['IMPORT_SUPPLIER', true],
      ['EXPORT_SUPPLIER', true],
    ]);
    // no token field ever filled, and no request from a browser carried a bearer token
    expect(counter.tokenPastes()).toBe(0);
    expect(bearerSent).toEqual([]);
    for (const context of contexts.values()) {
      for (const page of context.pages()) expect(await page.evaluate("sessionStorage.getItem('uep.console.token')")).toBeNull();
    }
    // one sign-in per person, for the whole journey: every later tab and mail link opened signed in
    expect(Object.fromEntries(signIns)).toEqual({ OPS: 1, PARTY: 1, SECAS: 1, DCC: 1, SEC_PANEL: 1 });
    expect(partyTabsFromMail.length).toBeGreaterThanOrEqual(2);

    // the audit trail names each person as the IdP knows them
    const trail = await call<AuditTrailResponse>(base, 'GET', `/v1/entries/${partyId}/audit-trail`, { token: stack.tokens.ops });
    const acts = trail.json.records.filter((r) => ['STARTED', 'SUBMISSION', 'DECISION'].includes(r.action));
    expect(new Set(acts.map((r) => `${r.principal.body} ${r.principal.name}`))).toEqual(
      new Set(['OPS Olu Adeyemi', 'SECAS Sam Ellis', 'DCC Dara Okafor', 'SEC_PANEL Priya Shah', 'PARTY Robin Dale']),
    );

    // measured first, then pinned: the counts cannot grow unnoticed (86 clicks and 34 typed fields, 5 token pastes
    // and one more per new tab or mail link, before single sign-on)
    const byPerson = Object.fromEntries([...counter.people].map(([who, t]) => [who, [t.clicks, t.fields, t.idpClicks, t.idpFields]]));
    expect({ console: counter.total(), idp: counter.idp(), byPerson }).toEqual({
      // 67 (OPS 6) until the start form showed the passed default before the start: one "Start" fewer; 66 until a
      // decider's open entry page followed the live inbox (the next decide form shows there without a click)
      console: { clicks: 50, fields: 27 },
      idp: { clicks: 5, fields: 10 },
      // [clicks, fields] in the console, then [clicks, fields] on Keycloak's login page
      byPerson: { OPS: [5, 4, 1, 2], PARTY: [17, 10, 1, 2], SECAS: [9, 5, 1, 2], SEC_PANEL: [4, 1, 1, 2], DCC: [15, 7, 1, 2] },
    });
  } catch (e) {
    // what each person's tabs showed, for a failure a timeout alone would not explain
    if (e instanceof Error) {
      const told = `\n\nThe tabs' story:\n${await story.tell(contexts)}`;
      e.message += told;
      e.stack += told; // jest prints the stack, written when the error was made
    }
    throw e;
  } finally {
    await Promise.all([...contexts.values()].map((c) => c.close()));
  }
}, 300_000);
