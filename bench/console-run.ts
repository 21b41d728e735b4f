/**
 * The console in a real browser (Debian's chromium): a DCC inbox of BENCH_CONSOLE_ENTRIES entries
 * (1,000 by default), each awaiting a DCC decision. Measured: the JavaScript sent (gzipped), the
 * inbox API's answer, and from navigation to the inbox page being interactive with every row
 * shown (median of a few loads). Runs on its own dev server, after the other phases.
 */
import { launchBrowser } from '../testkit/browser';
import { startEntry } from '../testkit/console-fixtures';
import { startConsoleStack } from '../testkit/console-stack';
import { mapLimited } from '../api/map-limited';
import { call } from '../testkit/api-harness';
import { daysFromToday } from '../testkit/dates';
import { summarize, type LatencySummary } from './stats';

export interface ConsoleResult {
  entries: number;
  inboxItems: number;
  jsGzipKiB: number;
  jsKiB: number;
  inboxApi: LatencySummary;
  /** Navigation to the inbox page until its rows are in the page and it answers input. */
  inboxInteractive: LatencySummary;
}

const LOADS = 5;

export async function runConsole(opts: { entries: number; startConcurrency: number; runId: string; log: (m: string) => void }): Promise<ConsoleResult> {
  const stack = await startConsoleStack({ rpcTimeoutMs: 30_000 });
  const browser = await launchBrowser();
  try {
    const ids = Array.from({ length: opts.entries }, (_, i) => `CON-${opts.runId}-${i}`);
    await mapLimited(ids, opts.startConcurrency, (partyId) =>
      startEntry(stack.baseUrl, stack.tokens, {
        partyId,
        partyName: `Console Bench ${partyId}`,
        cohort: 'SMALL_DOMESTIC_SUPPLIER',
        roles: ['IMPORT_SUPPLIER'],
        mandateDeadline: daysFromToday(2 * 365),
        uepContact: { name: 'Bench', email: 'bench@example.org' },
        // accession done: the DCC Gateway awaits the DCC's decision at once
        completedStages: [{ stage: 'ACCESSION', outcome: 'ACCEDED', at: '2026-01-05' }],
      }),
    );
    opts.log(`console: ${opts.entries} entries started`);

    // visibility catches up, then the API's own answer time
    let items = 0;
    for (let i = 0; i < 60 && items < opts.entries; i++) {
      const inbox = await call<{ items: unknown[] }>(stack.baseUrl, 'GET', '/v1/inbox', { token: stack.tokens.dcc });
      items = inbox.json.items.length;
      if (items < opts.entries) await new Promise((r) => setTimeout(r, 1000));
    }
    const apiMs: number[] = [];
    for (let i = 0; i < LOADS; i++) apiMs.push((await call(stack.baseUrl, 'GET', '/v1/inbox', { token: stack.tokens.dcc })).ms);

    const page = await browser.newPage();
    await page.goto(`${stack.baseUrl}/app/`);
    await page.evaluate(`sessionStorage.setItem('uep.console.token', ${JSON.stringify(stack.tokens.dcc)})`);
    const interactiveMs: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      const started = Date.now();
      await page.goto(`${stack.baseUrl}/app/inbox`);
      await page.locator('table.inbox tbody tr').nth(items - 1).waitFor({ timeout: 60_000 });
      // interactive: the Refresh button takes a click and the page answers it
      await page.getByRole('button', { name: 'Refresh' }).click({ trial: true });
      interactiveMs.push(Date.now() - started);
    }
    return {
      entries: opts.entries,
      inboxItems: items,
      jsGzipKiB: Math.round((stack.build.jsGzipBytes / 1024) * 10) / 10,
      jsKiB: Math.round((stack.build.jsBytes / 1024) * 10) / 10,
      inboxApi: summarize(apiMs),
      inboxInteractive: summarize(interactiveMs),
    };
  } finally {
    await browser.close();
    await stack.close();
  }
}
