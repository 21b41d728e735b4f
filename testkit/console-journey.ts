/**
 * An entry taken from its start to COMPLETE through the console alone, done the way each person
 * would, with what each of them does counted: every click (links, buttons, radios, checkboxes; a
 * bookmark or a link in a mail) and every field typed, in the console and, apart, on the identity
 * provider's login page. A test asserts the counts, so that they cannot grow unnoticed.
 *
 * How a person arrives and signs in, and how the Party follows the link in its "your turn" notice,
 * is the test's (a token pasted into the console's sign-in page, or single sign-on); what each does
 * once there is here: an approver finds a new item through the inbox, the Party through the link in
 * its notice, unless the form is already on the page in front of them.
 */
import type { Locator, Page } from 'playwright-core';
import type { EntryResponse } from '../api/schemas';
import { words } from '../console/src/format';

/** The navigation's Inbox link: its name carries the live count ("Inbox 3 waiting, 1 overdue"). */
export const INBOX_LINK = /^Inbox( \d+ waiting(, \d+ overdue)?)?$/;

export type JourneyEntry = EntryResponse['entry'];
export type JourneyStage = JourneyEntry['partyStages'][number];

/** Where a click or a field is: the console, or the identity provider's login page. */
export type Where = 'console' | 'idp';

export interface Tally {
  clicks: number;
  fields: number;
  idpClicks: number;
  idpFields: number;
  /** Bearer tokens typed into the console's sign-in page. */
  tokenPastes: number;
  /** Clicks per act, in order ("ACCESSION 4"). */
  acts: string[];
}

export class JourneyCounter {
  readonly people = new Map<string, Tally>();

  of(who: string): Tally {
    let tally = this.people.get(who);
    if (!tally) {
      tally = { clicks: 0, fields: 0, idpClicks: 0, idpFields: 0, tokenPastes: 0, acts: [] };
      this.people.set(who, tally);
    }
    return tally;
  }

  async click(who: string, target: Locator, where: Where = 'console'): Promise<void> {
    const tally = this.of(who);
    if (where === 'idp') tally.idpClicks++;
    else tally.clicks++;
    await target.click();
  }

  async type(who: string, field: Locator, text: string, where: Where = 'console'): Promise<void> {
    const tally = this.of(who);
    if (where === 'idp') tally.idpFields++;
    else {
      tally.fields++;
      // the console's sign-in page (no single sign-on): its one field is the bearer token
      if ((await field.getAttribute('id')) === 'token') tally.tokenPastes++;
    }
    await field.fill(text);
  }

  /** A click outside the page: a bookmark, or a link in a mail. */
  followed(who: string): void {
    this.of(who).clicks++;
  }

  /** Runs one act of `who` and keeps how many clicks it took. */
  async act(who: string, what: string, fn: () => Promise<void>): Promise<void> {
    const before = this.of(who).clicks;
    await fn();
    this.of(who).acts.push(`${what} ${this.of(who).clicks - before}`);
  }

  /** Everyone's console clicks and fields (the identity provider's login page apart). */
  total(): { clicks: number; fields: number } {
    return this.sum((t) => ({ clicks: t.clicks, fields: t.fields }));
  }

  /** Everyone's clicks and fields on the identity provider's login page. */
  idp(): { clicks: number; fields: number } {
    return this.sum((t) => ({ clicks: t.idpClicks, fields: t.idpFields }));
  }

  tokenPastes(): number {
    return [...this.people.values()].reduce((n, t) => n + t.tokenPastes, 0);
  }

  /** Per person: "SECAS 11 clicks, 6 fields (+ 1 click, 2 fields at the IdP): ACCESSION 4; ..." */
  describe(): string {
    return [...this.people]
      .map(([who, t]) => `${who} ${t.clicks} clicks, ${t.fields} fields${t.idpClicks + t.idpFields > 0 ? ` (+ ${t.idpClicks} clicks, ${t.idpFields} fields at the IdP)` : ''}: ${t.acts.join('; ')}`)
      .join('\n');
  }

  private sum(pick: (t: Tally) => { clicks: number; fields: number }) {
    return [...this.people.values()].map(pick).reduce((a, b) => ({ clicks: a.clicks + b.clicks, fields: a.fields + b.fields }), { clicks: 0, fields: 0 });
  }
}

/** How the console names a stage in its forms: "User ID (Import supplier)". */
export const stageName = (s: JourneyStage): string => `${s.title}${s.role ? ` (${words(s.role)})` : ''}`;
/** The stage's heading in the entry's lists: "User ID — Import supplier". */
const stageHeading = (s: JourneyStage): string => `${s.title}${s.role ? ` — ${words(s.role)}` : ''}`;
/** The inbox's link to decide it: "Decide User ID for Import supplier, Acme Energy". */
const inboxLinkName = (s: JourneyStage, partyName: string): string => `Decide ${s.title}${s.role ? ` for ${words(s.role)}` : ''}, ${partyName}`;
/** The link "Decision recorded" offers to the decider's next item: "Next item: Acme Energy, User ID (Import supplier)". */
const nextItemName = (s: JourneyStage, partyName: string): string => `Next item: ${partyName}, ${stageName(s)}`;
/** "USER_ID for IMPORT_SUPPLIER", as the engine's notices name a stage. */
export const stageRef = (s: Pick<JourneyStage, 'stage' | 'role'>): string => (s.role ? `${s.stage} for ${s.role}` : s.stage);

/** How long the live inbox may take to bring work to an open page (its feed reads the record each second without notices). */
const LIVE_MS = 10_000;

export interface Journey {
  partyName: string;
  counter: JourneyCounter;
  /** The entry as it stands (read by the test, not by a person). */
  readEntry(): Promise<JourneyEntry>;
  /** The tab `who` (PARTY, or the body) works in now: opened, the person arriving and signing in, the first time. */
  tabOf(who: string): Promise<Page>;
  /** Resolves once the body's inbox lists the stage: the person looks once work has arrived. */
  arrived?(stage: JourneyStage): Promise<void>;
  /** The Party follows the link in the notice that told it `stage` is its turn: the tab that shows its entry. */
  followPartyNotice(stage: JourneyStage): Promise<Page>;
  /** The outcome an approver records (default: the first that completes the stage with nothing to follow up). */
  outcomeOf?(stage: JourneyStage): string;
}

/**
 * One act after another, each on the first stage open (the entry's party stages, then each role's),
 * until the entry is COMPLETE: the Party submits a reference, the owner records an outcome with an
 * evidence reference. Each act is counted for the person doing it.
 */
export async function driveToComplete(j: Journey, maxActs = 60): Promise<void> {
  for (let act = 0; ; act++) {
    if (act >= maxActs) throw new Error(`not COMPLETE after ${maxActs} acts`);
    const entry = await j.readEntry();
    if (entry.status === 'COMPLETE') return;
    const stage = [...entry.partyStages, ...entry.roleStages.flatMap((r) => r.stages)].find((s) => s.state === 'AWAITING_PARTY' || s.state === 'AWAITING_DECISION');
    if (!stage) throw new Error(`nothing open: ${entry.headline}`);
    const byParty = stage.state === 'AWAITING_PARTY';
    const who = byParty ? 'PARTY' : stage.owner;
    await j.counter.act(who, stageRef(stage), async () => {
      if (!byParty) await j.arrived?.(stage);
      let tab = await j.tabOf(who);
      const formIn = (t: Page) => t.getByRole('form', { name: `${byParty ? 'Submit for' : 'Decide'} ${stageName(stage)}`, exact: true });
      // a decider's open entry page follows what arrives: the form shows there without a click
      const entryId = (await j.readEntry()).partyId;
      if (!byParty && new URL(tab.url()).pathname === `/app/entries/${encodeURIComponent(entryId)}`) await formIn(tab).waitFor({ timeout: LIVE_MS }).catch(() => undefined);
      if (!(await formIn(tab).isVisible())) {
        if (byParty) tab = await j.followPartyNotice(stage);
        else {
          // after a decision, its next item is one click away; otherwise through the inbox
          const next = tab.getByRole('link', { name: nextItemName(stage, j.partyName), exact: true });
          if (await next.isVisible()) await j.counter.click(who, next);
          else {
            if (!tab.url().endsWith('/app/inbox')) await j.counter.click(who, tab.getByRole('link', { name: INBOX_LINK }));
            await j.counter.click(who, tab.getByRole('link', { name: inboxLinkName(stage, j.partyName), exact: true }));
          }
        }
        await formIn(tab).waitFor();
      }
      const form = formIn(tab);
      if (byParty) {
        await j.counter.type(who, form.getByLabel('Reference of what you submit'), `${stage.stage}-doc`);
        await j.counter.click(who, form.getByRole('button', { name: 'Submit' }));
      } else {
        const outcome = j.outcomeOf?.(stage) ?? stage.allowedOutcomes.find((o) => o.effect === 'DONE' && !o.followUp)?.outcome ?? '';
        const radio = form.locator(`input[type=radio][value="${outcome}"]`);
        if (!(await radio.isChecked())) await j.counter.click(who, radio);
        await j.counter.type(who, form.getByLabel('Evidence reference'), `${stage.stage}-evidence`);
        await j.counter.click(who, form.getByRole('button', { name: 'Record decision' }));
      }
      // the page shows the stage moved on before the next act looks at it
      await form.waitFor({ state: 'detached' });
      const item = tab.locator('.stage-list li').filter({ has: tab.getByRole('heading', { name: stageHeading(stage), exact: true }) });
      await item.filter({ hasText: byParty ? 'Awaiting decision' : 'Done' }).first().waitFor();
    });
  }
}
