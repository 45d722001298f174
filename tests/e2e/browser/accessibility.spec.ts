/**
 * Flowscope driven from the keyboard and read by a screen reader: every main view, in light and in dark, has no
 * axe-core violation of impact serious or critical (names and roles, contrast, ARIA structure, keyboard reach of
 * scrolling boxes); a dialog takes focus, keeps it, closes on Escape or its own button and gives focus back; the
 * toolbar menus close on Escape; a query is written, run and its answer walked without the mouse.
 *
 * No axe rule is excluded. Moderate and minor findings are not asserted (axe's own best-practice rules such as
 * `region`, which wants every text inside a landmark, would fail on each dialog's body without saying more).
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { e2eEnv } from '../support/e2e-env';
import { afterNextRun, queryEditor, queryResults, runAndWait, setQuery } from '../support/query-editor';
import { INSIGHTS_QUERY, openAt, requireCleanConsole, resultsGrid, SIZES_AND_THEMES } from '../support/workbench-steps';

test.use({ storageState: e2eEnv('storageState') });
requireCleanConsole();

/** The serious and critical violations on the page as it is now, one line each: the rule and where it fails. */
async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Where the keyboard focus is, looking into the editor's shadow root. */
function focused(page: Page) {
  return page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    return {
      tag: element?.tagName.toLowerCase() ?? '',
      role: element?.getAttribute('role') ?? '',
      name: element?.getAttribute('aria-label') ?? element?.textContent?.trim() ?? '',
      inDialog: element?.closest('dialog[open]') !== null && element?.closest('dialog[open]') !== undefined,
    };
  });
}

/** Presses Tab until `reached` holds for the focused element, at most `limit` times; whether it did. */
async function tabUntil(
  page: Page,
  reached: (f: Awaited<ReturnType<typeof focused>>) => boolean,
  limit = 60,
): Promise<boolean> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (reached(await focused(page))) return true;
  }
  return false;
}

/** Each main view, opened and settled: what axe is run on. */
const VIEWS: { name: string; hash: string; ready: (page: Page) => Promise<void> }[] = [
  {
    name: 'workbench with a result table and the field list',
    hash: '#explore',
    ready: async (page) => {
      await runAndWait(page, INSIGHTS_QUERY);
      await expect(page.getByRole('complementary', { name: 'Fields' }).getByRole('button').nth(2)).toBeVisible();
    },
  },
  {
    name: 'workbench with an answer to another range than the one now chosen',
    hash: '#explore',
    ready: async (page) => {
      await runAndWait(page, INSIGHTS_QUERY);
      await page.getByLabel('Time range', { exact: true }).selectOption({ label: 'Last hour of data' });
      await expect(queryResults(page)).toContainText('Run to update');
    },
  },
  {
    name: 'workbench with a chart',
    hash: '#explore',
    ready: async (page) => {
      await runAndWait(page, 'stats count(*) as flows, sum(bytes) as total by bin(1h)');
      await expect(page.locator('[data-chart-type][data-drawn="true"]').first()).toBeVisible();
    },
  },
  {
    name: 'workbench with a query error',
    hash: '#explore',
    ready: async (page) => {
      await runAndWait(page, 'fields srcAddr\n| filter dstPort >');
      await expect(page.getByRole('alert', { name: 'Query error' })).toBeVisible();
    },
  },
  {
    name: 'workbench with an answer without rows',
    hash: '#explore',
    ready: async (page) => {
      await runAndWait(page, 'fields @timestamp, srcAddr | filter srcAddr = "192.0.2.255"');
      await expect(queryResults(page).getByRole('status').first()).toContainText(/^0 rows\b/);
    },
  },
  {
    name: 'Saved queries',
    hash: '#library',
    ready: (page) =>
      expect(page.getByRole('list', { name: 'Saved query list' }).getByRole('listitem').first()).toBeVisible(),
  },
  {
    name: 'a dashboard',
    hash: '#dashboards',
    ready: async (page) => {
      await expect(page.locator('article[data-panel-id]').first()).toBeVisible();
      await expect(page.getByRole('region', { name: 'Dashboards' })).toHaveAttribute('data-pending', '0', {
        timeout: 60_000,
      });
      await expect(page.locator('article[data-state="loading"]')).toHaveCount(0);
    },
  },
  {
    name: 'Imports',
    hash: '#imports',
    ready: (page) => expect(page.getByRole('table', { name: 'Imports' }).getByRole('row').nth(1)).toBeVisible(),
  },
  {
    name: 'Reference data',
    hash: '#reference',
    ready: (page) => expect(page.getByRole('heading', { level: 1, name: 'Reference data' })).toBeVisible(),
  },
  {
    name: 'About',
    hash: '#about',
    ready: (page) => expect(page.getByRole('table', { name: 'Software' })).toBeVisible(),
  },
  {
    name: 'the entity view of a port',
    hash: '#entity/443',
    ready: async (page) => {
      await expect(page.getByRole('heading', { level: 1, name: '443' })).toBeVisible();
      await expect(page.locator('.spinner')).toHaveCount(0, { timeout: 30_000 });
    },
  },
  {
    name: 'the Pull from AWS dialog',
    hash: '#explore',
    ready: async (page) => {
      await page.getByRole('button', { name: 'Pull from AWS…' }).click();
      await expect(page.getByRole('dialog', { name: 'Pull from AWS' })).toBeVisible();
    },
  },
];

// The first size (1440x900) in each theme: contrast and names do not change with the size.
for (const at of SIZES_AND_THEMES.filter((s) => s.viewport.width === 1440)) {
  for (const view of VIEWS) {
    test(`${view.name}, ${at.theme}: no serious or critical axe violation`, async ({ page }) => {
      await openAt(page, `${e2eEnv('origin')}/${view.hash}`, at);
      await view.ready(page);
      expect(await seriousViolations(page)).toEqual([]);
    });
  }
}

test('a dialog takes focus, keeps it, and gives it back on Escape and on its own Close button', async ({ page }) => {
  await page.goto(`${e2eEnv('origin')}/#explore`);
  const opener = page.getByRole('button', { name: 'Pull from AWS…' });
  const dialog = page.getByRole('dialog', { name: 'Pull from AWS' });
  for (const leave of ['Escape', 'Close button'] as const) {
    await opener.focus();
    await page.keyboard.press('Enter');
    await expect(dialog).toBeVisible();
    expect((await focused(page)).inDialog).toBe(true);
    // Round the whole dialog and beyond: focus never reaches the page under it. Past the last button it
    // leaves the document for the browser's own controls (nothing in the page focused, the body), then comes
    // back to the dialog's first field.
    const path: string[] = [];
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press('Tab');
      const f = await focused(page);
      path.push(f.inDialog ? 'dialog' : f.tag);
    }
    expect(
      path.filter((p) => p !== 'dialog' && p !== 'body'),
      'focus outside the dialog',
    ).toEqual([]);
    expect(path.lastIndexOf('dialog')).toBeGreaterThan(path.indexOf('body'));
    if (leave === 'Escape') await page.keyboard.press('Escape');
    else {
      expect(await tabUntil(page, (f) => f.tag === 'button' && f.name === 'Close')).toBe(true);
      await page.keyboard.press('Enter');
    }
    await expect(dialog).toHaveCount(0);
    await expect(opener, `focus back on the opener after ${leave}`).toBeFocused();
  }
});

test('the History and Columns menus close on Escape and give focus back to their button', async ({ page }) => {
  await page.goto(`${e2eEnv('origin')}/#explore`);
  await runAndWait(page, INSIGHTS_QUERY);
  for (const name of ['History', 'Columns']) {
    const summary = page.locator('summary', { hasText: name });
    await summary.focus();
    await page.keyboard.press('Enter');
    const menu = page.locator('details[open]', { has: summary });
    await expect(menu).toHaveCount(1);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Escape');
    await expect(menu).toHaveCount(0);
    await expect(summary).toBeFocused();
  }
});

test('a query is written, run and its answer walked without the mouse', async ({ page }) => {
  await page.goto(`${e2eEnv('origin')}/#explore`);
  await expect(page.getByRole('region', { name: 'Workspace summary' })).toContainText('30,000');
  // The query box is reached by Tab, and says how to run and how to leave it.
  expect(await tabUntil(page, (f) => f.name === 'Query')).toBe(true);
  await expect(queryEditor(page)).toHaveAttribute('aria-description', /Control\+Enter runs.*Escape then Tab leaves/);
  // Cleared first: Chromium's own editing, typing over a selection of several lines, tries an inline style the
  // CSP refuses (CodeMirror draws the text right either way).
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('stats count(*) as flows by action');
  await afterNextRun(page, () => page.keyboard.press('ControlOrMeta+Enter'));
  await expect(resultsGrid(page).getByRole('columnheader', { name: 'flows' })).toBeVisible();

  // Escape then Tab leaves the editor (a completion list still open takes the first Escape, as it says; the
  // engine's list can open a moment after the typing, as it did on a loaded machine, and take the Escape meant
  // to leave: then the two keys are pressed again); Run is reached by Tab and pressed with Enter.
  await expect(async () => {
    if ((await page.locator('.cm-tooltip-autocomplete').count()) > 0) await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    expect((await focused(page)).name).not.toBe('Query');
  }).toPass({ timeout: 10_000 });
  expect(await tabUntil(page, (f) => f.tag === 'button' && f.name.startsWith('Run'))).toBe(true);
  await afterNextRun(page, () => page.keyboard.press('Enter'));

  // Past the field list's values in one step (the skip button shows while focused) to the results grid, where
  // arrows move the active cell, which a screen reader follows.
  expect(await tabUntil(page, (f) => f.name === 'Skip to the results grid', 30)).toBe(true);
  await expect(page.getByRole('button', { name: 'Skip to the results grid' })).toBeInViewport();
  await page.keyboard.press('Enter');
  expect((await focused(page)).role).toBe('grid');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  const grid = resultsGrid(page);
  await expect(grid).toHaveAttribute('aria-activedescendant', /^cell-\d+-\d+$/);
  const active = grid.locator('[role="gridcell"][aria-selected="true"]');
  await expect(active).toHaveCount(1);
  await expect(active).toHaveAttribute('id', (await grid.getAttribute('aria-activedescendant'))!);
});

test('query tabs follow the tab list pattern: arrows move, Delete closes, focus stays on a tab', async ({ page }) => {
  await page.goto(`${e2eEnv('origin')}/#explore`);
  await page.getByRole('button', { name: 'New query tab' }).click();
  const tabs = page.getByRole('tablist', { name: 'Query tabs' }).getByRole('tab');
  await expect(tabs).toHaveCount(2);
  await tabs.nth(1).focus();
  await page.keyboard.press('ArrowLeft');
  await expect(tabs.nth(0)).toBeFocused();
  await expect(tabs.nth(0)).toHaveAttribute('aria-selected', 'true');
  // One Tab stop for the whole list: the tab not chosen is reached by arrows only.
  await expect(tabs.nth(1)).toHaveAttribute('tabindex', '-1');
  await page.keyboard.press('ArrowRight');
  await expect(tabs.nth(1)).toBeFocused();
  await page.keyboard.press('Delete');
  await expect(tabs).toHaveCount(1);
  await expect(tabs.first()).toBeFocused();
});

test('Tab leaves the results grid past its headers, not through every row; Shift+Space selects a row', async ({
  page,
}) => {
  await page.goto(`${e2eEnv('origin')}/#explore`);
  await runAndWait(page, INSIGHTS_QUERY);
  const grid = resultsGrid(page);
  await grid.focus();
  // The grid is one stop (its cells are reached by the arrows), then its column headers' sort buttons: 2,000
  // rows' number buttons each took a Tab, the grid scrolling on under the focus.
  const inGrid = () => grid.evaluate((element) => element.contains(document.activeElement));
  const headers = await grid.getByRole('columnheader').getByRole('button').count();
  for (let i = 0; i <= headers; i++) await page.keyboard.press('Tab');
  expect(await inGrid(), 'focus still in the grid after its headers').toBe(false);

  // A row is selected from the keyboard (the number buttons are the mouse's way): Shift+Space on the active cell.
  await grid.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Shift+Space');
  await expect(grid.locator('[role="row"].selected')).toHaveAttribute('aria-rowindex', '3');
  await expect(page.getByRole('button', { name: 'Copy rows' })).toBeEnabled();
});

test('at 200% zoom of a 1280x720 window the query tab stays in sight and nothing is drawn over the hint', async ({
  page,
}) => {
  // The page's zoom is its CSS pixels: 200% of 1280x720 lays out as a 640x360 window.
  await page.setViewportSize({ width: 640, height: 360 });
  await page.goto(`${e2eEnv('origin')}/#explore`);
  const tab = page.getByRole('tablist', { name: 'Query tabs' }).getByRole('tab', { selected: true });
  await expect(tab).toBeVisible();
  const boxes = await page.evaluate(() => {
    const box = (selector: string) => document.querySelector(selector)!.getBoundingClientRect().toJSON() as DOMRect;
    return {
      list: box('[role="tablist"]'),
      tab: box('[role="tab"][aria-selected="true"]'),
      add: box('button[aria-label="New query tab"]'),
      hint: box('.tabs-row .keys'),
    };
  });
  // The whole tab inside its strip (the strip had shrunk to nothing, the tab scrolled out of it).
  expect(boxes.tab.left).toBeGreaterThanOrEqual(boxes.list.left - 0.5);
  expect(boxes.tab.right).toBeLessThanOrEqual(boxes.list.right + 0.5);
  // The + beside the tabs, not over the hint's first words.
  expect(boxes.add.right, 'the + button over the hint').toBeLessThanOrEqual(boxes.hint.left + 0.5);
});

test("a chart's description reads what it draws: its measures, keys, rows and values as the grid writes them", async ({
  page,
}) => {
  await page.goto(`${e2eEnv('origin')}/#explore`);
  await runAndWait(page, 'stats count(*) as flows by action');
  const chart = page.locator('[data-chart-type="bar"][role="img"]');
  await expect(chart).toHaveAttribute('data-drawn', 'true');
  // The grid's rows, each action and its count, are what the chart says (a canvas alone said nothing).
  const rows = await resultsGrid(page)
    .locator('[role="row"][aria-rowindex]:not([aria-rowindex="1"])')
    .evaluateAll((all) =>
      all.map((row) => [...row.querySelectorAll('[role="gridcell"]')].map((c) => c.textContent!.trim())),
    );
  expect(rows).toHaveLength(3);
  await expect(chart).toHaveAccessibleDescription(/^flows by action, 3 rows: /);
  const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  for (const [action, flows] of rows)
    await expect(chart).toHaveAccessibleDescription(new RegExp(`[:;] ${escaped(action!)}: ${escaped(flows!)}[;.]`));
});

test("the keyboard's focus survives a run: Run gets it back, and a drill's new answer or raw records tab gets it in its grid", async ({
  page,
}) => {
  await page.goto(`${e2eEnv('origin')}/#explore`);
  await setQuery(page, 'stats count(*) as flows by action, dstPort | sort flows desc');
  // Run, hidden while Cancel takes its place, dropped the focus to the page's start.
  const run = page.getByRole('button', { name: 'Run', exact: true });
  await run.focus();
  await afterNextRun(page, () => page.keyboard.press('Enter'));
  await expect(run).toBeFocused();

  // Enter on a cell adds its filter and runs: the answer's grid was made anew, the focus lost with the old one.
  const grid = resultsGrid(page);
  await grid.focus();
  await page.keyboard.press('ArrowDown');
  await afterNextRun(page, () => page.keyboard.press('Enter'));
  await expect(queryEditor(page)).toContainText('filter');
  await expect(grid).toBeFocused();

  // Shift+Enter opens the row's raw records in a new tab: its grid takes the focus once they come.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Shift+Enter');
  await expect(page.getByRole('tablist', { name: 'Query tabs' }).getByRole('tab')).toHaveCount(2);
  await expect(grid.getByRole('columnheader', { name: /srcAddr/ })).toBeVisible();
  await expect(grid).toBeFocused();
});

test('a save made from the keyboard is said: the dialog closes onto Save and a status names the saved query', async ({
  page,
}) => {
  await page.goto(`${e2eEnv('origin')}/#explore`);
  await runAndWait(page, 'stats count(*) as flows by action');
  const save = page.getByRole('button', { name: 'Save', exact: true });
  await save.focus();
  await page.keyboard.press('Enter');
  const name = `Said when saved ${Date.now()}`;
  await page.getByLabel('Query name').fill(name);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(save).toBeFocused();
  // Nothing else on screen changes with a save: only the dialog's closing said it, and a reader heard nothing.
  await expect(page.getByRole('group', { name: 'Saved query and export' }).getByRole('status')).toHaveText(
    `Saved as “${name}”`,
  );

  // The demo's library is shared with other specs.
  await page.goto(`${e2eEnv('origin')}/#library`);
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: `Delete ${name}` }).click();
  await expect(page.getByRole('button', { name: `Delete ${name}` })).toHaveCount(0);
});
