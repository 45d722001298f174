/**
 * Small things an analyst reads at a glance, found by an outside probe of the browser app: the value an active
 * cell is about to filter on, a running query's time, the panes' room at 1280×720, the tabs' names, the
 * dashboard filter's example and what the panels answer under it, and numbers that line up in their column.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { e2eEnv } from '../support/e2e-env';
import { afterNextRun, queryEditor, setQuery } from '../support/query-editor';
import { LONG_QUERY, requireCleanConsole, resultStatus, resultsGrid } from '../support/workbench-steps';

async function run(page: Page, text: string, language = 'Logs Insights') {
  await page.getByLabel('Language').selectOption({ label: language });
  await setQuery(page, text);
  await afterNextRun(page, () => page.getByRole('button', { name: 'Run', exact: true }).click());
}

/** The box on screen of a cell's own text (its first text node), clipped to what its cell shows. */
async function textBox(cell: Locator) {
  return cell.evaluate((element) => {
    const text = [...element.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim())!;
    const range = document.createRange();
    range.selectNodeContents(text);
    const r = range.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, text: text.textContent!.trim() };
  });
}

test.describe('read at a glance', () => {
  test.use({ storageState: e2eEnv('storageState'), viewport: { width: 1280, height: 720 } });
  requireCleanConsole();

  test('the active cell shows its whole value with its entity and filter buttons beside it, not over it', async ({
    page,
  }) => {
    await page.goto(`${e2eEnv('origin')}/#explore`);
    await run(page, 'stats count(*) as n by srcAddr, dstAddr | sort n desc | limit 10');
    const grid = resultsGrid(page);
    await grid.locator('[aria-rowindex="2"]').getByRole('gridcell').first().click();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    const active = grid.locator('[role="gridcell"][aria-selected="true"]');
    const { text: value } = await textBox(active);
    expect(value).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const filter = grid.getByRole('button', { name: `Filter on dstAddr = ${value}` });
    const entity = grid.getByRole('link', { name: `Entity view of ${value}` });
    await expect(filter).toBeVisible();
    await expect(entity).toBeVisible();
    // No button lies over the value where the cell draws it (in a column this narrow they covered all of it).
    const own = await textBox(active);
    const apart = async (t: { left: number; right: number; top: number; bottom: number }) => {
      for (const button of [filter, entity]) {
        const b = (await button.boundingBox())!;
        const overlaps = b.x < t.right && b.x + b.width > t.left && b.y < t.bottom && b.y + b.height > t.top;
        expect(overlaps, `${await button.getAttribute('aria-label')} lies over the value`).toBe(false);
      }
    };
    await apart(own);
    // It is drawn whole above its neighbours, the buttons after it.
    const shown = active.getByText(value, { exact: true }).last();
    await expect(shown).toBeVisible();
    const text = await shown.evaluate((e) => {
      const r = e.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, cut: e.scrollWidth > e.clientWidth + 1 };
    });
    expect(text.cut).toBe(false);
    await apart(text);
    // What lies on top at the value's middle is the value itself.
    const middle = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.textContent ?? '', {
      x: (text.left + text.right) / 2,
      y: (text.top + text.bottom) / 2,
    });
    expect(middle).toBe(value);
  });

  test('a running query shows its seconds, ticking, and Cancel takes the place of Run: nothing moves', async ({
    page,
  }) => {
    await page.goto(`${e2eEnv('origin')}/#explore`);
    await page.getByLabel('Language').selectOption({ label: 'SQL' });
    await setQuery(page, LONG_QUERY);
    const toolbar = {
      enter: page.getByLabel('Enter runs'),
      history: page.locator('summary', { hasText: 'History' }),
      language: page.getByLabel('Language'),
    };
    const where = async () => {
      const out: Record<string, { x: number; y: number }> = {};
      for (const [name, control] of Object.entries(toolbar)) {
        const b = (await control.boundingBox())!;
        out[name] = { x: Math.round(b.x), y: Math.round(b.y) };
      }
      return out;
    };
    const before = await where();
    const run = page.getByRole('button', { name: 'Run', exact: true });
    const runBox = (await run.boundingBox())!;
    await run.click();
    const cancel = page.getByRole('button', { name: 'Cancel' });
    await expect(cancel).toBeVisible();
    await expect(resultStatus(page)).toHaveText(/^Running… \d+ s$/);
    expect(await where()).toEqual(before);
    // In Run's place: its right edge where Run's was.
    const cancelBox = (await cancel.boundingBox())!;
    expect(Math.round(cancelBox.x + cancelBox.width)).toBe(Math.round(runBox.x + runBox.width));
    expect(Math.round(cancelBox.y)).toBe(Math.round(runBox.y));
    // The seconds tick.
    await expect(resultStatus(page)).toHaveText(/^Running… [2-9] s$/, { timeout: 10_000 });
    expect(await where()).toEqual(before);
    await queryEditor(page).press('Escape');
    await expect(resultStatus(page)).toHaveText('Query cancelled.');
    await expect(run).toBeEnabled();
    await expect(cancel).toHaveCount(0);
    expect(await where()).toEqual(before);
  });

  test('at 1280×720 a six-line query shows every line, the chart has room to read, and a short one leaves ten rows', async ({
    page,
  }) => {
    await page.goto(`${e2eEnv('origin')}/#explore`);
    const lines = [
      'filter action = "REJECT"',
      '| fields @timestamp, srcAddr, dstAddr, dstPort, bytes',
      '| stats sum(bytes) as bytes, count(*) as flows',
      '  by bin(1h), action',
      '| sort bin(1h) asc',
      '| limit 500',
    ];
    await run(page, lines.join('\n'));
    await expect(page.locator('[data-chart-type][data-points="0"]')).toHaveCount(0);
    // Every line is inside the editor's box: nothing scrolled away above or below.
    const editor = page.locator('#query-editor');
    const box = (await editor.boundingBox())!;
    for (const text of [lines[0]!, lines.at(-1)!]) {
      const line = page.locator('.cm-line', { hasText: text }).first();
      const l = (await line.boundingBox())!;
      expect(l.y, `"${text}" starts inside the editor`).toBeGreaterThanOrEqual(box.y);
      expect(l.y + l.height, `"${text}" ends inside the editor`).toBeLessThanOrEqual(box.y + box.height);
    }
    // The chart's canvas keeps a height a series can be read in (122 px left some 60 px of plot).
    const canvas = (await page.locator('#chart-canvas').boundingBox())!;
    expect(canvas.height).toBeGreaterThanOrEqual(160);
    // Its header stays one line, however long its notes.
    const header = (await page.getByRole('region', { name: 'Chart' }).locator('header').boundingBox())!;
    expect(header.height).toBeLessThanOrEqual(32);

    // A one-line query: the grid's ten rows are in the window with the chart and the editor.
    await run(page, 'stats count(*) as flows by bin(5m)');
    await expect(page.locator('[data-chart-type="bar"]')).toBeVisible();
    const rows = await resultsGrid(page).evaluate((scroller) => {
      const header = scroller.querySelector('[aria-rowindex="1"]')!.getBoundingClientRect();
      const bottom = Math.min(scroller.getBoundingClientRect().top + scroller.clientHeight, window.innerHeight);
      return [...scroller.querySelectorAll('[role="row"]:not([aria-rowindex="1"])')].filter((row) => {
        const r = row.getBoundingClientRect();
        return r.top >= header.bottom - 1 && r.bottom <= bottom + 1;
      }).length;
    });
    expect(rows).toBeGreaterThanOrEqual(10);
    expect((await page.locator('#chart-canvas').boundingBox())!.height).toBeGreaterThanOrEqual(160);
  });

  test('with many tabs, no tab in sight has its name cut at its start', async ({ page }) => {
    await page.goto(`${e2eEnv('origin')}/#explore`);
    const list = page.getByRole('tablist', { name: 'Query tabs' });
    for (let i = 0; i < 14; i++) await page.getByRole('button', { name: 'New query tab' }).click();
    const tabs = list.getByRole('tab');
    await expect(tabs).toHaveCount(15);
    /** The tabs drawn in the strip, each with how much of its start the strip cuts. */
    const cutAtStart = () =>
      list.evaluate((strip) => {
        const box = strip.getBoundingClientRect();
        return [...strip.querySelectorAll('[role="tab"]')]
          .map((tab) => ({ name: tab.textContent!.trim(), r: tab.parentElement!.getBoundingClientRect() }))
          .filter(({ r }) => r.right > box.left + 1 && r.left < box.right - 1)
          .filter(({ r }) => r.left < box.left - 1)
          .map(({ name }) => name);
      });
    // Opened last, the new tab is in sight; the strip has scrolled, and it cuts no tab at its start.
    await expect(tabs.last()).toBeInViewport();
    expect(await list.evaluate((strip) => strip.scrollLeft)).toBeGreaterThan(0);
    await expect.poll(cutAtStart).toEqual([]);
    // Scrolled by hand to anywhere, it comes to rest at a tab's start.
    for (const by of [37, 150, 260]) {
      await list.evaluate((strip, x) => strip.scrollTo({ left: x }), by);
      await expect.poll(cutAtStart).toEqual([]);
    }
    await tabs.last().focus();
    await page.keyboard.press('Home');
    await expect(tabs.first()).toBeFocused();
    await expect.poll(cutAtStart).toEqual([]);
  });

  test("the dashboard filter's example reads as one, and each panel names the filters it answers under", async ({
    page,
  }) => {
    await page.goto(`${e2eEnv('origin')}/#dashboards`);
    const bar = page.getByRole('form', { name: 'Dashboard filters' });
    const source = bar.getByLabel('Source IP or CIDR');
    await expect(source).toHaveValue('');
    await expect(source).toHaveAttribute('placeholder', /^e\.g\. /);
    // Drawn muted, not in the colour of a value typed in.
    const colours = await source.evaluate((input) => ({
      text: getComputedStyle(input).color,
      example: getComputedStyle(input, '::placeholder').color,
      style: getComputedStyle(input, '::placeholder').fontStyle,
    }));
    expect(colours.example).not.toBe(colours.text);
    expect(colours.style).toBe('italic');

    const panels = page.locator('article[data-panel-id]');
    await expect(panels.first()).toBeVisible();
    await bar.getByLabel('Port').fill('22');
    await bar.getByRole('button', { name: 'Apply filters' }).click();
    const ranges = page.locator('article[data-panel-id] [data-range-from]');
    await expect.poll(() => ranges.count()).toBeGreaterThan(3);
    for (const range of await ranges.all()) await expect(range).toContainText('Whole workspace · port 22');
    await bar.getByLabel('Action').selectOption('REJECT');
    await bar.getByRole('button', { name: 'Apply filters' }).click();
    await expect(ranges.first()).toContainText('Whole workspace · port 22 · REJECT');
    await bar.getByRole('button', { name: 'Clear' }).click();
    await expect(ranges.first()).toHaveText(/Whole workspace$/);
  });

  test('the entity view says what it is over with one space between its words', async ({ page }) => {
    await page.goto(`${e2eEnv('origin')}/#entity/10.0.1.10`);
    const over = page.locator('.fact', { hasText: /^Over/ });
    await expect(over).toContainText('the whole workspace');
    // The drawn gap after the label is one space wide, as between any two words of the line.
    const gaps = await over.evaluate((fact) => {
      const label = fact.querySelector('.label')!;
      const rest = label.nextSibling!;
      const range = document.createRange();
      range.setStart(rest, rest.textContent!.indexOf('the'));
      range.setEnd(rest, rest.textContent!.indexOf('the') + 1);
      const word = document.createRange();
      const at = rest.textContent!.indexOf('whole');
      word.setStart(rest, at - 1);
      word.setEnd(rest, at);
      return {
        afterLabel: range.getBoundingClientRect().left - label.getBoundingClientRect().right,
        space: word.getBoundingClientRect().width,
      };
    });
    expect(gaps.afterLabel).toBeLessThanOrEqual(gaps.space + 0.5);
  });

  test('a column of fractions shows the same decimals on every row, digits lined up, and copies whole', async ({
    page,
    context,
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto(`${e2eEnv('origin')}/#explore`);
    await run(page, 'SELECT * FROM (VALUES (68337.735::DOUBLE), (704.94::DOUBLE), (12::DOUBLE)) t(mb)', 'SQL');
    const cells = resultsGrid(page).locator('[role="row"]:not([aria-rowindex="1"]) [role="gridcell"]');
    await expect(cells).toHaveText(['68,337.735', '704.940', '12.000']);
    // Right-aligned with tabular digits: the decimal points stand one above the other.
    const points = await cells.evaluateAll((all) =>
      all.map((cell) => {
        const text = cell.firstChild!;
        const range = document.createRange();
        const at = text.textContent!.indexOf('.');
        range.setStart(text, at);
        range.setEnd(text, at + 1);
        return Math.round(range.getBoundingClientRect().left);
      }),
    );
    expect(new Set(points).size).toBe(1);
    await cells.nth(1).click();
    await page.keyboard.press('Control+c');
    await expect(page.getByText('Cell copied')).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('704.94');
  });
});
