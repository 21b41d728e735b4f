/**
 * The console's Settings in a real browser against the real API: a DCC officer chooses the daily
 * digest, is told it is saved, and the record keeps it (a reload shows it); OPS has no Settings.
 * axe-core finds no serious or critical violation on the page, at 1280 px and on a phone (390 px).
 */
import type { Page } from 'playwright-core';
import { NoticeSettingsResponse } from '../../api/schemas';
import { mintToken } from '../../api/tokens';
import type { Principal } from '../../domain/vocabulary';
import { call } from '../../testkit/api-harness';
import { launchBrowser, seriousAxeViolations, type Browser } from '../../testkit/browser';
import { startConsoleStack, type ConsoleStack } from '../../testkit/console-stack';
import { uniquePartyId } from '../../testkit/temporal';

let stack: ConsoleStack;
let browser: Browser;
let phone: Browser;
let page: Page;

beforeAll(async () => {
  stack = await startConsoleStack();
  browser = await launchBrowser();
  phone = await launchBrowser({ width: 390, height: 844 });
}, 240_000);
afterAll(async () => {
  await page?.close();
  await browser?.close();
  await phone?.close();
  await stack?.close();
});

/**
 * A person of this test's own: the record is shared by the test files a jest worker runs, and
 * another file's officer may have made a choice already.
 */
function newPerson(body: Principal['body']): string {
  const { token, record } = mintToken({ body, id: uniquePartyId(`${body.toLowerCase()}-settings`), name: 'Sol Settings' });
  stack.harness.tokens.add(record);
  return token;
}

async function signIn(on: Browser, token: string): Promise<Page> {
  const p = await on.newPage();
  await p.goto(`${stack.baseUrl}/app/`);
  await p.getByLabel('Access token').fill(token);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.getByRole('button', { name: 'Sign out' }).waitFor();
  return p;
}

test('a DCC officer chooses the daily digest in Settings: saved, kept in the record, shown again after a reload', async () => {
  const dcc = newPerson('DCC');
  page = await signIn(browser, dcc);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('heading', { name: 'How you are told of work' }).waitFor();
  // the heading comes before the choice is read: wait for what the record says
  await page.getByText('You have not chosen yet: you are told at once.').waitFor();
  await expect(page.getByText('You have not chosen yet: you are told at once.').count()).resolves.toBe(1);
  expect(await page.getByRole('radio', { name: 'Tell me at once' }).isChecked()).toBe(true);
  expect(await seriousAxeViolations(page)).toEqual([]);

  await page.getByRole('radio', { name: 'A daily digest' }).check();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.').waitFor();
  const kept = NoticeSettingsResponse.parse((await call(stack.baseUrl, 'GET', '/v1/me/notices', { token: dcc })).json);
  expect(kept.cadence).toBe('DAILY_DIGEST');

  await page.reload();
  await page.getByRole('heading', { name: 'How you are told of work' }).waitFor();
  await page.getByText(/You last chose/).waitFor();
  expect(await page.getByRole('radio', { name: 'A daily digest' }).isChecked()).toBe(true);
});

test('on a phone the Settings page is usable and accessible; OPS, on whom nothing waits, has no Settings', async () => {
  const onPhone = await signIn(phone, newPerson('SECAS'));
  await onPhone.goto(`${stack.baseUrl}/app/settings`);
  await onPhone.getByRole('heading', { name: 'How you are told of work' }).waitFor();
  await onPhone.getByRole('button', { name: 'Save' }).waitFor(); // shown once the choice is read
  expect(await onPhone.getByRole('button', { name: 'Save' }).isVisible()).toBe(true);
  expect(await seriousAxeViolations(onPhone)).toEqual([]);
  await onPhone.close();

  const ops = await signIn(browser, stack.tokens.ops);
  await expect(ops.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).count()).resolves.toBe(0);
  await ops.close();
});
