/**
 * A real browser for the console's end-to-end tests, screenshots and benchmark: Debian's chromium
 * (browser builds cannot be downloaded here; .ci/run installs the package when missing) driven by
 * playwright-core, each run in a fresh profile. axe-core checks a page's accessibility in the page.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page, type Request } from 'playwright-core';

import { CHROMIUM_PATH } from './prerequisites';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function launchBrowser(opts: { width?: number; height?: number } = {}): Promise<Browser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'uep-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 },
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  return {
    context,
    newPage: () => context.newPage(),
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** One chromium for several people: each person a browser context of their own (cookies, storage), as on their own machine. */
export interface People {
  newPerson(): Promise<BrowserContext>;
  close(): Promise<void>;
}

export async function launchPeople(opts: { width?: number; height?: number } = {}): Promise<People> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
  return {
    newPerson: () => browser.newContext({ viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 }, locale: 'en-GB', timezoneId: 'UTC' }),
    close: () => browser.close(),
  };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's violations of serious or critical impact on the page as it is now. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  // evaluate() runs outside the page's Content-Security-Policy, which refuses inline scripts
  await page.evaluate(AXE_SOURCE);
  // a string: the test code is compiled without the DOM's types
  const violations = await page.evaluate<AxeViolation[]>(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))`);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A request slower than this is part of the story. */
const SLOW_REQUEST_MS = 3_000;

/**
 * What went on in a person's tabs, for a failing test to tell: console errors, uncaught errors,
 * requests that failed, were answered 4xx/5xx or took long, each with its time and tab, and each tab's address
 * and text as it is now. A test that times out waiting for a page otherwise says only what it
 * waited for.
 */
export class TabStory {
  private readonly lines: string[] = [];
  private readonly started = Date.now();

  watch(context: BrowserContext, who: string): void {
    const tabNo = (p: Page | null | undefined) => (p ? context.pages().indexOf(p) : -1);
    const note = (p: Page | null | undefined, what: string) => this.lines.push(`+${((Date.now() - this.started) / 1000).toFixed(1)}s ${who} tab ${tabNo(p)}: ${what}`);
    context.on('page', (page) => {
      note(page, 'opened');
      page.on('console', (m) => void (m.type() === 'error' ? note(page, `console error: ${m.text()}`) : undefined));
      page.on('pageerror', (e) => note(page, `uncaught: ${e.message}`));
      page.on('framenavigated', (f) => void (f === page.mainFrame() ? note(page, `at ${f.url()}`) : undefined));
    });
    const pageOf = (r: Request) => {
      try {
        return r.frame().page();
      } catch {
        return undefined; // a service worker's request
      }
    };
    context.on('requestfailed', (r) => note(pageOf(r), `${r.method()} ${r.url()} failed: ${r.failure()?.errorText}`));
    context.on('response', (r) => void (r.status() >= 400 ? note(pageOf(r.request()), `${r.request().method()} ${r.url()} answered ${r.status()}`) : undefined));
    context.on('requestfinished', (r) => {
      const ms = r.timing().responseEnd;
      if (ms > SLOW_REQUEST_MS) note(pageOf(r), `${r.method()} ${r.url()} took ${Math.round(ms)} ms`);
    });
  }

  /** The story so far, then each open tab as it is now. */
  async tell(contexts: Iterable<[string, BrowserContext]>): Promise<string> {
    const now: string[] = [];
    for (const [who, context] of contexts) {
      for (const [i, page] of context.pages().entries()) {
        const text = await page.locator('body').innerText({ timeout: 2_000 }).catch((e: Error) => `(no text: ${e.message})`);
        now.push(`${who} tab ${i} at ${page.url()}:\n  ${text.replace(/\s+/g, ' ').slice(0, 600)}`);
      }
    }
    return [...this.lines.slice(-60), ...now].join('\n');
  }
}
