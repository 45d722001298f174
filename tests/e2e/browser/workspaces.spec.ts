/**
 * Workspaces without the command line, in the browser against a `flowscope serve` of the test's own: the
 * sidebar's switcher creates a workspace in the server's folder, a file is imported into it, and switching
 * back shows the first workspace's data again; a second page of the same server follows every switch. The
 * switcher dialog is kept as screenshots at 1440x900 and 1280x720, light and dark.
 */
import { expect, test, type Page } from '@playwright/test';
import { startOwnServer } from '../support/own-server';
import { atEachSizeAndTheme, watchCsp } from '../support/workbench-steps';

const FIXTURE = new URL('../../fixtures/ingest/default.log', import.meta.url).pathname;

const summary = (page: Page) => page.getByRole('region', { name: 'Workspace summary' });
/** The summary's record count (the first figure of its list). */
const records = (page: Page) => summary(page).locator('dd').first();

async function openSwitcher(page: Page) {
  await summary(page).getByRole('button', { name: 'Switch…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Workspaces' });
  await expect(dialog.getByRole('list', { name: 'Workspaces' })).toBeVisible();
  return dialog;
}

test('create a workspace in the browser, import into it, switch back and see the first one’s data', async ({
  page,
  context,
}, testInfo) => {
  // A server start, four switches (each page reloading, the new engine warming its dashboards) and an import:
  // about 45 s on a busy two-core machine.
  test.setTimeout(150_000);
  const cspViolations = await watchCsp(page);
  const server = await startOwnServer();
  try {
    await page.goto(server.url);
    await expect(summary(page)).toContainText('own.duckdb');
    await expect(records(page)).toHaveText('3');
    // A second page on the same server (same session) follows every switch.
    const other = await context.newPage();
    await other.goto(new URL('/', server.url).href);
    await expect(summary(other)).toContainText('own.duckdb');

    let dialog = await openSwitcher(page);
    await expect(dialog.getByRole('listitem')).toHaveCount(1);
    await expect(dialog.getByRole('listitem')).toContainText('Open now');
    const name = dialog.getByLabel('New workspace');
    await name.fill('../elsewhere');
    await dialog.getByRole('button', { name: 'Create and open' }).click();
    await expect(dialog.getByRole('alert')).toHaveText(/cannot hold \/ \\/);
    await name.fill('own');
    await dialog.getByRole('button', { name: 'Create and open' }).click();
    await expect(dialog.getByRole('alert')).toHaveText(/There is already a workspace or file called "own.duckdb"/);

    await name.fill('case-b');
    await dialog.getByRole('button', { name: 'Create and open' }).click();
    await expect(summary(page)).toContainText('case-b.duckdb');
    await expect(records(page)).toHaveText('0');
    await expect(summary(other)).toContainText('case-b.duckdb');

    await page.getByLabel('Choose flow-log files').setInputFiles(FIXTURE);
    const job = page.getByRole('region', { name: 'Data' }).getByRole('article');
    await expect(job.getByText(/Imported [\d,]+ records/)).toBeVisible({ timeout: 60_000 });
    await expect(records(page)).toHaveText('60');

    dialog = await openSwitcher(page);
    await expect(dialog.getByRole('listitem')).toHaveCount(2);
    await dialog.getByRole('button', { name: 'Open own' }).click();
    await expect(summary(page)).toContainText('own.duckdb');
    await expect(records(page)).toHaveText('3');
    await expect(summary(other)).toContainText('own.duckdb');
    await expect(records(other)).toHaveText('3');

    dialog = await openSwitcher(page);
    await dialog.getByRole('button', { name: 'Open case-b' }).click();
    await expect(records(page)).toHaveText('60', { timeout: 15_000 });
    await expect(summary(page)).toContainText('case-b.duckdb');

    await atEachSizeAndTheme(page, async (size, theme) => {
      await expect(records(page)).toHaveText('60');
      await page.screenshot({ path: testInfo.outputPath(`sidebar-${size}-${theme}.png`) });
      dialog = await openSwitcher(page);
      await page.screenshot({ path: testInfo.outputPath(`switcher-${size}-${theme}.png`) });
      await dialog.getByRole('button', { name: 'Close' }).click();
      await expect(dialog).toBeHidden();
    });
    expect(await cspViolations()).toEqual([]);
  } finally {
    await server.close();
  }
});
