/**
 * A value reads the same wherever the workbench shows it, and the grid does what the analyst last pointed
 * at: NULL is a muted, slanted `NULL` in the grid and the Fields panel alike, empty or blank text is visible as the text it
 * is, a click on a cell after a row was selected copies that cell, and a time says the zone it is drawn in.
 */
import { expect, test, type Page } from '@playwright/test';
import { e2eEnv } from '../support/e2e-env';
import { afterNextRun, runAndWait, setQuery } from '../support/query-editor';
import { openAt, requireCleanConsole, resultsGrid, SIZES_AND_THEMES } from '../support/workbench-steps';

test.use({ storageState: e2eEnv('storageState') });
requireCleanConsole();

async function runSql(page: Page, text: string) {
  await page.getByLabel('Language').selectOption({ label: 'SQL' });
  await setQuery(page, text);
  await afterNextRun(page, () => page.getByRole('button', { name: 'Run', exact: true }).click());
}

test('NULL reads `NULL` in the grid and the Fields panel; empty and blank text are shown quoted', async ({ page }) => {
  await page.goto(`${e2eEnv('origin')}/#explore`);
  await runSql(page, "SELECT v FROM (VALUES (NULL), (''), ('-'), ('x'), ('  ')) t(v) ORDER BY v NULLS FIRST");
  const cells = resultsGrid(page).locator('[role="row"]:not([aria-rowindex="1"]) [role="gridcell"]');
  const drawn = await cells.evaluateAll((all) => all.map((c) => c.textContent?.trim() ?? ''));
  expect(drawn).toEqual(['NULL', '""', '"  "', '-', 'x']);

  const field = page.getByRole('region', { name: 'Field v' });
  await expect(field.getByRole('button')).toHaveCount(5);
  const values = await field.locator('.value').allTextContents();
  expect(values.sort()).toEqual(['"  "', '""', '-', 'NULL', 'x']);
  await expect(field.getByRole('button', { name: 'Filter on v = NULL (1 row)' })).toBeVisible();
  await expect(field.getByRole('button', { name: 'Filter on v = "" (1 row)' })).toBeVisible();
  expect(await page.getByRole('complementary', { name: 'Fields' }).innerText()).not.toContain('(empty)');
});

test('a click on a cell after selecting a row makes the cell what Ctrl+C copies', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(`${e2eEnv('origin')}/#explore`);
  await runSql(page, "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) t(n, s)");
  const grid = resultsGrid(page);
  await grid.getByRole('button', { name: 'Select row 1', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Copy rows' })).toBeEnabled();
  await grid.locator('[aria-rowindex="3"]').getByRole('gridcell').nth(1).click();
  await expect(page.getByRole('button', { name: 'Copy rows' })).toBeDisabled();
  await page.keyboard.press('Control+c');
  await expect(page.getByText('Cell copied')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('b');
});

for (const at of SIZES_AND_THEMES)
  test(`times say their zone on a chart's axis and above the records (${at.tag})`, async ({ page }, testInfo) => {
    await openAt(page, `${e2eEnv('origin')}/#explore`, at);
    await runAndWait(page, 'stats count(*) as flows by bin(1h)');
    await expect(page.locator('[data-chart-type][data-drawn="false"]')).toHaveCount(0);
    await page.screenshot({ path: testInfo.outputPath(`time-axis-${at.tag}.png`) });
    await runAndWait(page, 'fields @timestamp, srcAddr, action | limit 50');
    await expect(page.getByRole('region', { name: 'Records over time' })).toContainText('Records over time (UTC)');
    await expect(resultsGrid(page).getByRole('columnheader').nth(1)).toContainText('(UTC)');
    await page.screenshot({ path: testInfo.outputPath(`records-${at.tag}.png`) });
  });
