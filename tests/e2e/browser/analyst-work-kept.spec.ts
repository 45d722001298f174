/**
 * The analyst's work is kept: what the page keeps in the browser (the open tabs, the query history) outlives
 * a restart of `flowscope serve`, not only a reload (the browser keeps it per origin, and the server comes
 * back on the same port); two windows keep their own tabs; the history lists all it keeps; a tab keeps the saved query it came from through
 * a reload; and a saved query saved from two tabs keeps the first save rather than losing it to the second.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { HISTORY_KEY, HISTORY_MAX } from '../../../renderer/src/lib/query-history';
import { e2eEnv } from '../support/e2e-env';
import { queryEditor, runAndWait, setQuery } from '../support/query-editor';
import { spawnServe } from '../support/serve-child';
import { atEachSizeAndTheme, openLibrary, shot } from '../support/workbench-steps';

const root = new URL('../../../', import.meta.url).pathname;
let dir: string;
let workspace: string;

test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'flowscope-e2e-restart-'));
  workspace = join(dir, 'kept.duckdb');
  const made = spawnSync(process.execPath, ['bin/flowscope.mjs', 'demo', '--workspace', workspace, '--records', '3'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (made.status !== 0) throw new Error(`flowscope demo failed: ${made.stderr}`);
});

test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function stop(server: ChildProcess): Promise<void> {
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));
}

test('after serve is stopped and started again, the page has its tabs and its history', async ({ page }) => {
  const first = await spawnServe(workspace, process.env, []);
  try {
    await page.goto(first.url);
    await runAndWait(page, 'stats count(*) as kept_in_history by action');
    await page.getByRole('button', { name: 'New query tab' }).click();
    await queryEditor(page).click();
    await page.keyboard.type('fields srcAddr | limit 7');
  } finally {
    await stop(first.server);
  }
  const second = await spawnServe(workspace, process.env, []);
  try {
    expect(new URL(second.url).origin).toBe(new URL(first.url).origin);
    await page.goto(second.url);
    await expect(page.getByRole('tab')).toHaveText(['Query 1', 'Query 2']);
    await expect(queryEditor(page)).toHaveText('fields srcAddr | limit 7');
    await page.locator('summary', { hasText: 'History' }).click();
    await expect(page.getByRole('list', { name: 'Query history' })).toContainText(
      'stats count(*) as kept_in_history by action',
    );
  } finally {
    await stop(second.server);
  }
});

test.describe('on the shared server', () => {
  test.use({ storageState: e2eEnv('storageState') });

  test('a storage too full for the tabs keeps the history and the text typed, and says what a reload loses', async ({
    page,
  }, testInfo) => {
    const kept = [3, 2, 1].map((n) => ({ query: `SELECT ${n}`, dialect: 'sql', ranAt: `2026-12-05T12:00:0${n}.000Z` }));
    await page.addInitScript(
      ([key, value]) => {
        localStorage.setItem(key!, value!);
        // Another key takes all the room left, as a page of the same origin may.
        let [fits, over] = [0, 64 * 1024 * 1024];
        while (over - fits > 1) {
          const size = Math.floor((fits + over) / 2);
          try {
            localStorage.setItem('filler', 'x'.repeat(size));
            fits = size;
          } catch {
            over = size;
          }
        }
        localStorage.setItem('filler', 'x'.repeat(fits));
      },
      [HISTORY_KEY, JSON.stringify(kept)],
    );
    await page.goto(`${e2eEnv('origin')}/#explore`);
    const typed = `SELECT 4 AS typed -- ${'a long note '.repeat(100)}`;
    await page.getByLabel('Language').selectOption({ label: 'SQL' });
    await setQuery(page, typed);
    await expect(page.getByRole('alert').filter({ hasText: 'will not come back after a reload' })).toBeVisible();
    const history = page.locator('summary', { hasText: 'History' });
    await history.click();
    const items = page.getByRole('list', { name: 'Query history' }).getByRole('button');
    await expect(items).toHaveText([/SELECT 3/, /SELECT 2/, /SELECT 1/]);
    await history.click();

    await runAndWait(page, typed);
    await expect(history).toContainText('not all kept');
    await history.click();
    await expect(page.getByRole('list', { name: 'Query history' }).getByRole('status')).toContainText(
      'the history could not be kept',
    );
    await expect(items).toHaveCount(4);
    await expect(queryEditor(page)).toContainText('SELECT 4 AS typed');
    expect(await page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? '[]').length, HISTORY_KEY)).toBe(3);
    await atEachSizeAndTheme(page, (size, theme) => shot(page, testInfo, `storage-full-${size}-${theme}`));
  });

  test('the history menu lists every query it keeps, the oldest too', async ({ page }) => {
    const kept = Array.from({ length: HISTORY_MAX }, (_, i) => ({
      query: `fields srcAddr | limit ${HISTORY_MAX - i}`,
      dialect: 'insights',
      ranAt: new Date(Date.UTC(2026, 11, 5, 12, 0, HISTORY_MAX - i)).toISOString(),
    }));
    await page.addInitScript(([key, value]) => localStorage.setItem(key!, value!), [HISTORY_KEY, JSON.stringify(kept)]);
    await page.goto(`${e2eEnv('origin')}/#explore`);
    await page.locator('summary', { hasText: 'History' }).click();
    const items = page.getByRole('list', { name: 'Query history' }).getByRole('button');
    await expect(items).toHaveCount(HISTORY_MAX);
    await items.last().click();
    await expect(queryEditor(page)).toHaveText('fields srcAddr | limit 1');
  });

  test("two windows keep their own tabs through a reload, and a window opened after one closed takes that window's tabs", async ({
    page,
    context,
  }) => {
    const explore = `${e2eEnv('origin')}/#explore`;
    await page.goto(explore);
    const second = await context.newPage();
    await second.goto(explore);
    await second.getByRole('button', { name: 'New query tab' }).click();
    await setQuery(second, 'fields srcAddr | filter dstPort = 3389 -- window 2: an hour of work');
    await setQuery(page, 'SELECT 1 AS window1_typing');

    await second.reload();
    await expect(second.getByRole('tab')).toHaveText(['Query 1', 'Query 2']);
    await expect(queryEditor(second)).toHaveText('fields srcAddr | filter dstPort = 3389 -- window 2: an hour of work');
    await page.reload();
    await expect(page.getByRole('tab')).toHaveText(['Query 1']);
    await expect(queryEditor(page)).toHaveText('SELECT 1 AS window1_typing');

    await second.close();
    const third = await context.newPage();
    await third.goto(explore);
    await expect(third.getByRole('tab')).toHaveText(['Query 1', 'Query 2']);
    await expect(queryEditor(third)).toHaveText('fields srcAddr | filter dstPort = 3389 -- window 2: an hour of work');
  });

  test('a saved query saved from one tab is not overwritten by another tab that opened it before', async ({ page }) => {
    const name = `Kept from two tabs ${Date.now()}`;
    await page.goto(`${e2eEnv('origin')}/#explore`);
    await runAndWait(page, 'stats count(*) as first_version by action');
    await page.getByRole('button', { name: 'Save as…' }).click();
    await page.getByLabel('Query name').fill(name);
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);

    // A second tab opens the same file and saves a change to it.
    await page.getByRole('link', { name: 'Saved queries' }).click();
    await page.getByRole('button', { name, exact: true }).click();
    await setQuery(page, 'stats count(*) as saved_from_the_second_tab by action');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);

    // The first tab, still on its older copy, saves: refused, saying why, and the second tab's save stays.
    await page.getByRole('tab').first().click();
    await setQuery(page, 'stats count(*) as would_overwrite by action');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('dialog').getByRole('alert')).toContainText('was changed elsewhere');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('link', { name: 'Saved queries' }).click();
    await page.getByRole('button', { name, exact: true }).click();
    await expect(queryEditor(page)).toHaveText('stats count(*) as saved_from_the_second_tab by action');
  });

  test("two saved queries of one name (a teammate's imported beside one's own) are both kept and told apart by file", async ({
    page,
  }) => {
    const name = `Same name ${Date.now()}`;
    const file = (query: string) => ({
      name: 'shared.flowquery.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ version: 1, name, dialect: 'insights', query })),
    });
    await openLibrary(page);
    const entries = page
      .getByRole('list', { name: 'Saved query list' })
      .getByRole('listitem')
      .filter({ hasText: name });
    await page.getByLabel('Import saved query files').setInputFiles(file('stats count(*) by action'));
    await expect(page.getByRole('status')).toContainText(`Imported “${name}”`);
    await expect(entries).toHaveCount(1);
    await page.getByLabel('Import saved query files').setInputFiles(file('stats sum(bytes) by action'));
    await expect(entries).toHaveCount(2);
    const stem = name.toLowerCase().replace(/ /g, '-');
    await expect(entries.nth(0)).toContainText(`${stem}.flowquery.json`);
    await expect(entries.nth(1)).toContainText(`${stem}-2.flowquery.json`);
  });

  test('after a reload, a tab opened from a saved query still saves over that file, not a copy', async ({ page }) => {
    const name = `Kept through a reload ${Date.now()}`;
    await page.goto(`${e2eEnv('origin')}/#explore`);
    await runAndWait(page, 'stats count(*) as before_reload by action');
    await page.getByRole('button', { name: 'Save as…' }).click();
    await page.getByLabel('Query name').fill(name);
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await page.reload();
    await setQuery(page, 'stats count(*) as after_reload by action');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByLabel('Query name')).toHaveValue(name);
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await page.getByRole('link', { name: 'Saved queries' }).click();
    await expect(page.getByRole('button', { name, exact: true })).toHaveCount(1);
    await page.getByRole('button', { name, exact: true }).click();
    await expect(queryEditor(page)).toHaveText('stats count(*) as after_reload by action');
  });
});

test.describe('many tabs and long names at 1280×720', () => {
  test.use({ storageState: e2eEnv('storageState'), viewport: { width: 1280, height: 720 } });

  test('twenty tabs, one of a long name, scroll within their strip: the editor and its buttons stay on screen', async ({
    page,
  }, testInfo) => {
    await page.goto(`${e2eEnv('origin')}/#explore`);
    // Before, the strip grew with its tabs: "Hide editor" and "+" left the window, and the editor was cut in half.
    for (let i = 0; i < 19; i++) await page.getByRole('button', { name: 'New query tab' }).click();
    await expect(page.getByRole('tab')).toHaveCount(20);
    const inWindow = async (name: string) => {
      const box = (await page.getByRole('button', { name, exact: true }).boundingBox())!;
      return box.x >= 0 && box.x + box.width <= 1280;
    };
    expect(await inWindow('New query tab')).toBe(true);
    expect(await inWindow('Hide editor')).toBe(true);
    expect(await page.locator('main').evaluate((m) => m.scrollWidth <= m.clientWidth)).toBe(true);
    // The current tab, the last one opened, is scrolled into sight.
    const current = (await page.getByRole('tab', { selected: true }).boundingBox())!;
    expect(current.x + current.width).toBeLessThanOrEqual(1280);
    await expect(page.getByRole('tab', { selected: true })).toHaveText('Query 20');
    await expect(queryEditor(page)).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('twenty-tabs-1280.png') });
    for (let i = 0; i < 19; i++) await page.getByRole('tab').last().press('Delete');
    await expect(page.getByRole('tab')).toHaveCount(1);
  });

  test('a dashboard of a long name keeps its time range and auto-refresh in the window', async ({ page }) => {
    await page.goto(`${e2eEnv('origin')}/#explore`);
    await runAndWait(page, 'stats count(*) as n by action');
    const name = `Long name ${'x'.repeat(190)}`;
    await page.getByRole('button', { name: 'Pin to dashboard' }).click();
    await page.getByLabel('Panel title').fill('Long (e2e)');
    await page.getByLabel('Pin to', { exact: true }).selectOption('new');
    await page.getByLabel('New dashboard name').fill(name);
    await page.getByRole('dialog').getByRole('button', { name: 'Pin' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await page.goto(`${e2eEnv('origin')}/#dashboards`);
    const picker = page.getByLabel('Dashboard', { exact: true });
    await picker.selectOption({ label: name });
    // Before, the select grew to the name's width (2,400 px) and pushed both off the window.
    for (const label of ['Time range', 'Auto-refresh']) {
      const box = (await page.getByLabel(label).first().boundingBox())!;
      expect(box.x + box.width, label).toBeLessThanOrEqual(1280);
    }
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(picker.locator('option', { hasText: 'Long name' })).toHaveCount(0);
  });
});
