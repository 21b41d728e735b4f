/**
 * `npm run screenshots`: every view of the console, in Debian's chromium against a real engine
 * with a seeded portfolio, written to docs/console/*.png (the README shows one of them).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../testkit/browser';
import { seedPortfolio } from '../testkit/console-fixtures';
import { startConsoleStack } from '../testkit/console-stack';
import { exitWhenDone } from './exit-when-done';

const OUT = path.resolve(__dirname, '../docs/console');

async function signIn(page: Page, baseUrl: string, token: string, at = '/app/'): Promise<void> {
  await page.goto(`${baseUrl}/app/sign-in?next=${encodeURIComponent(at.replace(/^\/app/, ''))}`);
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  // not 'networkidle': the live inbox's event stream stays open; each caller waits for what it shows
  await page.waitForLoadState('load');
  await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage });
  console.log(`docs/console/${name}.png`);
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const stack = await startConsoleStack();
  const browser = await launchBrowser({ width: 1280, height: 860 });
  try {
    const { harbour } = await seedPortfolio(stack.baseUrl, stack.tokens);
    const { tokens, baseUrl } = stack;
    const page = await browser.newPage();

    await page.goto(`${baseUrl}/app/`);
    await page.getByLabel('Access token').waitFor();
    await shot(page, 'sign-in', false);

    await signIn(page, baseUrl, tokens.panel);
    await page.getByRole('heading', { name: /Inbox/ }).waitFor();
    await page.getByRole('cell', { name: /Acme Energy/ }).first().waitFor();
    await shot(page, 'inbox');

    await page.getByRole('link', { name: 'Acme Energy Ltd' }).first().click();
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    await shot(page, 'entry');

    const form = page.getByRole('form', { name: /Decide User Security Assessment/ });
    await form.scrollIntoViewIfNeeded();
    await form.getByLabel(/Approved subject to/).check();
    await form.getByLabel('Evidence reference').fill('Panel paper SECP-112/04');
    await form.getByLabel(/Conditions/).fill('Close the two medium findings by the next assessment');
    await form.screenshot({ path: path.join(OUT, 'decide.png') });
    console.log('docs/console/decide.png');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, baseUrl, tokens.party(harbour));
    await page.getByRole('heading', { name: 'What we need from you' }).waitFor();
    await shot(page, 'party');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, baseUrl, tokens.ops);
    await page.getByRole('heading', { name: 'By cohort and status' }).waitFor();
    await shot(page, 'portfolio');

    await page.goto(`${baseUrl}/app/entries?status=IN_PROGRESS`);
    await page.getByRole('link', { name: 'Acme Energy Ltd' }).waitFor();
    await shot(page, 'entries');

    await page.goto(`${baseUrl}/app/start`);
    await page.getByLabel('Party id').waitFor();
    await shot(page, 'start-entry');

    await page.goto(`${baseUrl}/app/catalogue`);
    await page.getByRole('cell', { name: /DCC/ }).first().waitFor();
    await shot(page, 'catalogue');
  } finally {
    await browser.close();
    await stack.close();
  }
}

exitWhenDone(main);
