/**
 * The Temporal Web UI as operators set it up for the engine: the UEP columns of the workflow list
 * and the saved views (docs/operations.md, section 2). The UI keeps both per browser (its local
 * storage), so nothing on the server can give them; each operator adds them once, by hand. Run
 * against a UI, this script does the same in headless chromium and takes the screenshots the
 * docs show: `npm run temporal-ui:screenshot -- http://127.0.0.1:8233 [namespace]`.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { launchBrowser } from '../testkit/browser';
import { SEARCH_ATTRIBUTE } from '../workflows/search-attributes';

/** The columns to add, in this order, after the UI's Status and Workflow ID. */
export const UEP_COLUMNS = [
  SEARCH_ATTRIBUTE.partyName.name,
  SEARCH_ATTRIBUTE.cohort.name,
  SEARCH_ATTRIBUTE.status.name,
  SEARCH_ATTRIBUTE.awaitedBodies.name,
  SEARCH_ATTRIBUTE.openStages.name,
  SEARCH_ATTRIBUTE.atRisk.name,
  SEARCH_ATTRIBUTE.inBreach.name,
  SEARCH_ATTRIBUTE.mandateDeadline.name,
  SEARCH_ATTRIBUTE.nextDeadline.name,
] as const;

/** The saved views: the queries of docs/operations.md section 2 an operator opens every day (the UI takes letters, digits, spaces, - _ and . in a name). */
export const SAVED_VIEWS: { name: string; query: string }[] = [
  { name: 'UEP in progress', query: `WorkflowType = 'entryWorkflow' AND ExecutionStatus = 'Running'` },
  { name: 'UEP at risk', query: `ExecutionStatus = 'Running' AND ${SEARCH_ATTRIBUTE.atRisk.name} = true` },
  { name: 'UEP in breach', query: `${SEARCH_ATTRIBUTE.inBreach.name} = true` },
  { name: 'UEP awaiting DCC', query: `ExecutionStatus = 'Running' AND ${SEARCH_ATTRIBUTE.awaitedBodies.name} = 'DCC'` },
  { name: 'UEP closed abnormally', query: `WorkflowType = 'entryWorkflow' AND ExecutionStatus IN ('Failed', 'Terminated', 'TimedOut')` },
];

const OUT = path.resolve(__dirname, '..', 'docs', 'temporal-ui');

async function main(uiUrl: string, namespace: string): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const browser = await launchBrowser({ width: 2800, height: 640 });
  try {
    const columns = [{ label: 'Status', pinned: true }, { label: 'Workflow ID', pinned: true }, ...UEP_COLUMNS.map((label) => ({ label, pinned: false }))];
    // the columns as the UI itself stores them once added by hand (Configure columns)
    const stored = JSON.stringify(JSON.stringify({ [namespace]: columns }));
    await browser.context.addInitScript({ content: `localStorage.setItem('namespace-workflow-table-columns', ${stored});` });
    const page = await browser.newPage();
    const open = async (query: string) => {
      await page.goto(`${uiUrl}/namespaces/${namespace}/workflows?query=${encodeURIComponent(query)}`);
      await page.getByRole('columnheader', { name: SEARCH_ATTRIBUTE.mandateDeadline.name }).waitFor({ timeout: 30_000 });
      await page.waitForLoadState('networkidle');
    };
    // each view saved as an operator saves it: its query, "Save as New", a name
    for (const view of SAVED_VIEWS) {
      await open(view.query);
      await page.getByRole('button', { name: 'Save as New' }).click();
      const name = page.getByTestId('workflow-save-view-modal-input');
      await name.fill(view.name);
      await name.press('Enter');
      await name.waitFor({ state: 'hidden' });
    }
    await open(SAVED_VIEWS[1]!.query);
    const file = path.join(OUT, 'workflows-uep-columns.png');
    await page.screenshot({ path: file });
    await page.getByRole('button', { name: SAVED_VIEWS[1]!.name }).click();
    await page.getByRole('menuitem', { name: SAVED_VIEWS[4]!.name }).waitFor();
    const views = path.join(OUT, 'saved-views.png');
    await page.screenshot({ path: views, clip: { x: 250, y: 130, width: 900, height: 420 } });
    for (const f of [file, views]) console.log(path.relative(process.cwd(), f));
  } finally {
    await browser.close();
  }
}

if (require.main === module) {
  const [uiUrl, namespace = 'default'] = process.argv.slice(2);
  if (!uiUrl) {
    console.error('Usage: npm run temporal-ui:screenshot -- <Temporal UI URL> [namespace]');
    process.exit(2);
  }
  main(uiUrl.replace(/\/+$/, ''), namespace).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
