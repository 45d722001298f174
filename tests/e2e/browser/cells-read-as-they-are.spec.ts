/**
 * A cell reads as what it holds, in the grid and the field list: a SQL NULL is not the text "null", and what
 * is copied or exported keeps them apart. Photographed at each size and theme into the test's artefacts.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { e2eEnv } from '../support/e2e-env';
import { afterNextRun, setQuery } from '../support/query-editor';
import { atEachSizeAndTheme, requireCleanConsole, resultsGrid, shot } from '../support/workbench-steps';

async function runSql(page: Page, text: string) {
  await page.getByLabel('Language').selectOption({ label: 'SQL' });
  await setQuery(page, text);
  await afterNextRun(page, () => page.getByRole('button', { name: 'Run', exact: true }).click());
}

/** The cells of the grid's first row, from its first column. */
function firstRow(page: Page) {
  return resultsGrid(page).locator('[aria-rowindex="2"]').getByRole('gridcell');
}

test.describe('cells read as they are', () => {
  test.use({ storageState: e2eEnv('storageState') });
  requireCleanConsole();

  test('a NULL reads as NULL, set apart from the text "null", and copies and exports as nothing', async ({
    page,
    context,
  }, testInfo) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto(`${e2eEnv('origin')}/#explore`);
    await runSql(page, "SELECT NULL::VARCHAR AS missing, 'null' AS written, 'NULL' AS shouting");
    const [missing, written, shouting] = [0, 1, 2].map((i) => firstRow(page).nth(i)) as [Locator, Locator, Locator];
    await expect(missing).toHaveText('NULL');
    await expect(missing.locator('[title]')).toHaveAttribute('title', /no value/);
    await expect(written).toHaveText('null');
    await expect(shouting).toHaveText('NULL');
    const style = (cell: Locator) => cell.evaluate((el) => getComputedStyle(el.querySelector('span') ?? el).fontStyle);
    expect(await style(missing)).toBe('italic');
    expect(await style(shouting)).toBe('normal');
    const fields = page.getByRole('complementary', { name: 'Fields' });
    await expect(fields.getByRole('button', { name: /^Filter on missing = NULL/ })).toBeVisible();
    await expect(fields.getByRole('button', { name: /^Filter on written = null/ })).toBeVisible();

    await resultsGrid(page).getByRole('button', { name: 'Select row 1' }).click();
    await page.getByRole('button', { name: 'Copy rows' }).click();
    await expect(page.getByText('1 row copied')).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('missing\twritten\tshouting\n\tnull\tNULL');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export result as CSV' }).click(),
    ]);
    expect(
      readFileSync(await download.path(), 'utf8')
        .trim()
        .split('\n'),
    ).toEqual(['missing,written,shouting', ',null,NULL']);
    await atEachSizeAndTheme(page, (size, theme) => shot(page, testInfo, `null-${size}-${theme}`));
  });

  test('row numbers stay in sight when a wide result is scrolled right, in both themes', async ({ page }, testInfo) => {
    await page.goto(`${e2eEnv('origin')}/#explore`);
    await runSql(page, 'SELECT *, srcaddr AS last_column FROM flows ORDER BY start LIMIT 50');
    const scroller = resultsGrid(page);
    await scroller.evaluate((el) => (el.scrollLeft = el.scrollWidth));
    await expect(page.getByRole('columnheader', { name: 'last_column' })).toBeInViewport();
    const left = (await scroller.boundingBox())!.x;
    for (const cell of [
      scroller.getByRole('button', { name: 'Select row 1', exact: true }),
      scroller.locator('[aria-rowindex="1"] [role="columnheader"]').first(),
    ]) {
      const box = (await cell.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(left);
      expect(box.x).toBeLessThan(left + 80);
    }
    // Nothing of the cells scrolled under the row number shows through it.
    const rownum = scroller.locator('[aria-rowindex="2"] [role="rowheader"]');
    const box = (await rownum.boundingBox())!;
    const topmost = await page.evaluate(
      ([x, y]) => document.elementFromPoint(x!, y!)?.closest('[role="rowheader"]') !== null,
      [box.x + 4, box.y + box.height / 2],
    );
    expect(topmost).toBe(true);
    await atEachSizeAndTheme(page, (size, theme) => shot(page, testInfo, `wide-${size}-${theme}`));
  });

  test('control and direction characters show as marks in the grid and the field list, on one line', async ({
    page,
  }, testInfo) => {
    await page.goto(`${e2eEnv('origin')}/#explore`);
    // U+202E turns what follows around ("fdp.exe" read "exe.pdf"); NUL, ESC and a line break broke the field list's line.
    await runSql(
      page,
      "SELECT 'invoice' || chr(8238) || 'fdp.exe' AS reversed, 'a' || chr(0) || 'b' || chr(27) || '[31m' || chr(10) || 'c' AS controls",
    );
    await expect(firstRow(page).nth(0)).toHaveText('invoice\\u202Efdp.exe');
    await expect(firstRow(page).nth(1)).toHaveText('a\\u0000b\\u001B[31m\\nc');
    const fields = page.getByRole('complementary', { name: 'Fields' });
    for (const [name, shown] of [
      ['reversed', 'invoice\\u202Efdp.exe'],
      ['controls', 'a\\u0000b\\u001B[31m\\nc'],
    ] as const) {
      const value = fields.getByRole('button', { name: `Filter on ${name} = ${shown} (1 row)` });
      await expect(value).toBeVisible();
      await expect(value).toHaveAttribute('title', `Add ${name} = ${shown} as a filter and run`);
      expect((await value.boundingBox())!.height).toBeLessThan(30);
    }
    const raw = await page.evaluate(() =>
      ['\u0000', '\u001b', '\u202e'].some((c) => document.body.innerText.includes(c)),
    );
    expect(raw).toBe(false);
    await atEachSizeAndTheme(page, (size, theme) => shot(page, testInfo, `controls-${size}-${theme}`));
  });
});
