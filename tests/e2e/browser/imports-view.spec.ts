/**
 * Taking an import back, in the browser against a `flowscope serve` of the test's own: two files imported
 * beside the three demo records (three imports of their own), the Imports view reached from the workspace
 * summary lists them newest first with their rejected lines, and removing one (behind a confirmation naming
 * what goes, by keyboard) brings the summary's counts and a query's answer down to the other's; Compact now
 * gives back the space and every count stays. The view is kept as screenshots at 1440x900 and 1280x720,
 * light and dark.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { visitOwnServer } from '../support/own-server';
import { atEachSizeAndTheme, requireCleanConsole, resultsGrid, runQuery } from '../support/workbench-steps';

const root = new URL('../../../', import.meta.url).pathname;
const GOOD = new URL('../../fixtures/ingest/default.log', import.meta.url).pathname;
const MALFORMED = new URL('../../fixtures/ingest/malformed-lines.log', import.meta.url).pathname;

const summary = (page: Page) => page.getByRole('region', { name: 'Workspace summary' });
const records = (page: Page) => summary(page).locator('dd').first();
const COUNT = 'SELECT count(*) AS n FROM flows';

async function countAnswer(page: Page): Promise<string> {
  await runQuery(page, COUNT, 'SQL');
  const cell = resultsGrid(page).locator('[aria-rowindex="2"]').getByRole('gridcell').last();
  await expect(cell).not.toBeEmpty();
  return (await cell.innerText()).trim();
}

test.describe('the Imports view', () => {
  requireCleanConsole();

  test('lists the imports, shows an import’s rejected lines, and removes one: counts and answers follow', async ({
    page,
  }, testInfo) => {
    test.setTimeout(150_000);
    await visitOwnServer(
      page,
      {
        prepare: (workspace) => {
          for (const file of [GOOD, MALFORMED]) {
            const run = spawnSync(process.execPath, ['bin/flowscope.mjs', 'import', file, '-w', workspace], {
              cwd: root,
              encoding: 'utf8',
            });
            if (run.status !== 0) throw new Error(`flowscope import failed: ${run.stderr}`);
          }
        },
      },
      async (server) => {
        await page.goto(server.url);
        await expect(records(page)).toHaveText('81');
        expect(await countAnswer(page)).toBe('81');

        await summary(page).getByRole('link', { name: '5 imports: list or remove them' }).click();
        const view = page.getByRole('region', { name: 'Imports' });
        const rows = view.getByRole('table', { name: 'Imports' }).locator('tbody tr');
        await expect(rows).toHaveCount(5);
        await expect(rows.nth(0)).toContainText('malformed-lines.log');
        await expect(rows.nth(0)).toContainText(/File.*Default\s*18\s*3/s);
        await expect(rows.nth(1)).toContainText('default.log');
        await expect(view.getByRole('status').first()).toHaveText('1–5 of 5');

        await view.getByRole('button', { name: '3 rejected lines of malformed-lines.log' }).click();
        const rejected = page.getByRole('dialog', { name: 'Rejected lines' });
        await expect(rejected.locator('tbody tr')).toHaveCount(3);
        await rejected.getByRole('button', { name: 'Close' }).click();

        await view.getByRole('button', { name: 'Remove malformed-lines.log' }).click();
        const confirm = page.getByRole('dialog', { name: 'Remove this import?' });
        await expect(confirm).toContainText('18 records of malformed-lines.log, imported');
        await expect(confirm).toContainText('with its 3 rejected lines');
        await atEachSizeAndTheme(page, async (size, theme) => {
          await page.screenshot({ path: testInfo.outputPath(`imports-confirm-${size}-${theme}.png`) });
        });
        // Cancel keeps it; Remove, by keyboard, takes it.
        await confirm.getByRole('button', { name: 'Cancel' }).click();
        await expect(rows).toHaveCount(5);
        await view.getByRole('button', { name: 'Remove malformed-lines.log' }).focus();
        await page.keyboard.press('Enter');
        await confirm.getByRole('button', { name: 'Remove 18 records' }).focus();
        await page.keyboard.press('Enter');
        await expect(confirm).toBeHidden();

        const outcome = view.getByText('Removed malformed-lines.log: 18 records the workspace no longer holds.');
        await expect(outcome).toBeFocused();
        await expect(rows).toHaveCount(4);
        await expect(rows.nth(0)).toContainText('default.log');
        await expect(records(page)).toHaveText('63');
        await expect(summary(page).getByRole('link', { name: '4 imports: list or remove them' })).toBeVisible();
        await expect(summary(page)).not.toContainText('Rejected lines');
        await expect(view.getByRole('button', { name: 'Compact now' })).toBeVisible();
        await atEachSizeAndTheme(page, async (size, theme) => {
          await page.screenshot({ path: testInfo.outputPath(`imports-removed-${size}-${theme}.png`) });
        });

        // The space the removal freed is given back on the spot, and the workspace answers as before.
        await view.getByRole('button', { name: 'Compact now' }).click();
        await expect(view.getByRole('status').filter({ hasText: 'Compacted' })).toHaveText(
          /^Compacted: \S+ \S*B → \S+ \S*B\.$/,
        );
        await expect(records(page)).toHaveText('63');

        await page.getByRole('link', { name: 'Explore' }).click();
        expect(await countAnswer(page)).toBe('63');
      },
    );
  });

  test('a rejected line shows its control and direction characters as escapes', async ({ page }) => {
    const dir = mkdtempSync(join(tmpdir(), 'flowscope-e2e-rejected-'));
    const file = join(dir, 'odd-lines.log');
    const [header, record] = readFileSync(MALFORMED, 'utf8').split('\n');
    // U+202E turned the rest of the line around, and ESC showed as a box.
    writeFileSync(file, `${header}\n${record}\n2 123456789012 eni-\u202Efdp.exe \u001b[31m not a record\n`);
    try {
      await visitOwnServer(
        page,
        {
          prepare: (workspace) => {
            const run = spawnSync(process.execPath, ['bin/flowscope.mjs', 'import', file, '-w', workspace], {
              cwd: root,
              encoding: 'utf8',
            });
            if (run.status !== 0) throw new Error(`flowscope import failed: ${run.stderr}`);
          },
        },
        async (server) => {
          await page.goto(`${server.url.replace(/#.*$/, '')}#imports`);
          await page.getByRole('button', { name: '1 rejected line of odd-lines.log' }).click();
          const raw = page.getByRole('dialog', { name: 'Rejected lines' }).locator('tbody tr td').last();
          await expect(raw).toHaveText('2 123456789012 eni-\\u202Efdp.exe \\u001B[31m not a record');
        },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
