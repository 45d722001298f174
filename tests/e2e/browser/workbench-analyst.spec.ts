/**
 * The path a new analyst takes through the workbench, in Debian's Chromium against `flowscope serve`:
 * import the fixture folder, write an Insights query with completion and a live error, run Sumo, chart
 * bin() and top-N results, brush a chart to narrow the time range, drill down, scroll a million rows,
 * switch to dark. Every step leaves a screenshot under test-results/.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { e2eEnv } from '../support/e2e-env';
import { startOwnServer } from '../support/own-server';
import { afterNextRun, queryEditor as editor, runAndWait, setQuery } from '../support/query-editor';
import { dropFile, resultStatus as status, watchCsp } from '../support/workbench-steps';

const FIXTURES = new URL('../../fixtures/ingest', import.meta.url).pathname;

async function shot(page: Page, testInfo: TestInfo, name: string) {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`) });
}

/**
 * Type at the cursor key by key; a new line closes the completion list first, and waits until it is gone
 * (its options come from the engine, asynchronously), so Enter is a line break and never picks an option.
 */
async function type(page: Page, text: string) {
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    if (i > 0) {
      await page.keyboard.press('Escape');
      await expect(page.locator('.cm-tooltip-autocomplete')).toHaveCount(0);
      await page.keyboard.press('Enter');
    }
    await page.keyboard.type(line, { delay: 15 });
  }
}

/** Run a query and wait for its answer, and for Run to be ready again. */
async function run(page: Page, text: string) {
  await runAndWait(page, text);
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeEnabled();
}

async function rowCountShown(page: Page): Promise<number> {
  const text = await status(page).innerText();
  // "50 rows", or for a list of records cut short, "50 of 1,214 records".
  const shown = /([\d,]+)(?:\s+rows?| of [\d,]+ records)/.exec(text);
  return shown ? Number(shown[1]!.replace(/,/g, '')) : NaN;
}

function chart(page: Page) {
  return page.getByRole('region', { name: 'Chart' }).locator('[data-chart-type]');
}

test.describe('an analyst at the workbench', () => {
  let cspViolations: () => Promise<string[]>;

  test.beforeEach(async ({ page }) => {
    cspViolations = await watchCsp(page);
  });

  test.afterEach(async () => {
    expect(await cspViolations()).toEqual([]);
  });

  test('imports the fixture folder with progress, a summary, and the rejected lines', async ({ page }, testInfo) => {
    const server = await startOwnServer();
    try {
      await page.goto(server.url);
      await expect(page.getByRole('region', { name: 'Workspace summary' })).toContainText('Records');
      // Remember every progress bar that shows, however briefly.
      await page.evaluate(() => {
        const seen = ((window as unknown as { __progress: string[] }).__progress = [] as string[]);
        new MutationObserver(() => {
          for (const bar of document.querySelectorAll('[role="progressbar"]'))
            seen.push(bar.getAttribute('aria-valuenow') ?? 'indeterminate');
        }).observe(document.body, { subtree: true, childList: true, attributes: true });
      });
      await page.getByLabel('Choose a folder of flow logs').setInputFiles(FIXTURES);
      const job = page.getByRole('region', { name: 'Data' }).getByRole('article');
      await expect(job).toBeVisible();
      await shot(page, testInfo, '01-import-started');
      await expect(job.getByText(/Imported [\d,]+ records/)).toBeVisible({ timeout: 60_000 });
      const seen = await page.evaluate(() => (window as unknown as { __progress: string[] }).__progress);
      expect(seen.length).toBeGreaterThan(0);
      await expect(
        page
          .getByRole('region', { name: 'Workspace summary' })
          .getByText(/^[1-9][\d,]*$/)
          .first(),
      ).toBeVisible();
      await shot(page, testInfo, '02-import-done');
      await job.getByRole('button', { name: /rejected lines/ }).click();
      const dialog = page.getByRole('dialog', { name: 'Rejected lines' });
      await expect(dialog.getByRole('row').nth(1)).toBeVisible();
      await shot(page, testInfo, '03-rejected-lines');
      await dialog.getByRole('button', { name: 'Close' }).click();

      // A file dropped on the window is uploaded to the engine's staging folder and imported; this one's
      // records came with the folder already, and the import says so instead of counting them twice.
      const dropped = readFileSync(`${FIXTURES}/custom-v5-order.log`, 'utf8');
      await dropFile(page, 'dropped-flows.log', dropped);
      const droppedJob = page.getByRole('article', { name: 'Import: dropped-flows.log' });
      await expect(droppedJob.getByText('1 already imported')).toBeVisible({ timeout: 30_000 });
      await shot(page, testInfo, '03b-dropped-file');

      // The same records under other bytes (CRLF line ends, as a Windows copy has them): not counted twice,
      // and the card names the file that brought them.
      await dropFile(page, 'windows-copy.log', dropped.replaceAll('\n', '\r\n'));
      const copyJob = page.getByRole('article', { name: 'Import: windows-copy.log' });
      await expect(copyJob.getByText('1 already imported')).toBeVisible({ timeout: 30_000 });
      await copyJob.getByText('1 file holds the same records as another file, stored once').click();
      await expect(copyJob.getByText('windows-copy.log: the same records as custom-v5-order.log')).toBeVisible();

      // Two CloudWatch exports of overlapping minutes (`aws logs create-export-task` lines: the event's time,
      // then its message): the second stores only the events the first did not bring, and says so.
      const event = (i: number) =>
        `${new Date((1772445600 + i * 60 + 75) * 1000).toISOString()} 2 123456789012 eni-0e2e0e2e0e2e0e2e0 10.9.0.${i} 203.0.113.7 ${41000 + i} 443 6 3 ${300 + i} ${1772445600 + i * 60} ${1772445660 + i * 60} ACCEPT OK`;
      for (const [name, first] of [
        ['export-a.log', 0],
        ['export-b.log', 5],
      ] as const) {
        await dropFile(page, name, Array.from({ length: 10 }, (_, i) => event(first + i)).join('\n') + '\n');
        const job = page.getByRole('article', { name: `Import: ${name}` });
        await expect(job.getByRole('status')).toContainText(`Imported ${first ? 5 : 10} records`, { timeout: 30_000 });
      }
      await expect(page.getByRole('article', { name: 'Import: export-b.log' })).toContainText(
        '5 records were already held by earlier imports: stored once, not counted again.',
      );
    } finally {
      await server.close();
    }
  });

  test.describe('on the demo workspace', () => {
    test.use({ storageState: e2eEnv('storageState') });

    test.beforeEach(async ({ page }) => {
      await page.goto(`${e2eEnv('origin')}/`);
      await expect(page.getByRole('region', { name: 'Workspace summary' })).toContainText('Records');
    });

    test('writes an Insights query with completion, sees an error underlined, fixes it and runs it', async ({
      page,
    }, testInfo) => {
      await setQuery(page, '');
      await type(page, 'filter action = "REJECT"\n| sta');
      // Enter takes the selected option: it must be stats, not an option of a list the engine has not yet narrowed.
      await expect(page.locator('.cm-tooltip-autocomplete').getByRole('option', { selected: true })).toContainText(
        'stats',
      );
      await shot(page, testInfo, '04-completion');
      await page.keyboard.press('Enter');
      await expect(editor(page)).toContainText('| stats');
      await type(page, 'count(*) as flows by dstPort\n| sortt flows desc');
      await expect(editor(page)).toContainText('| stats count(*) as flows by dstPort');
      const underline = page.locator('.cm-lintRange-error');
      await expect(underline).toHaveText('sortt');
      await shot(page, testInfo, '05-error-underlined');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Home');
      for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Delete');
      await expect(underline).toHaveCount(0);
      await page.keyboard.press('End');
      await type(page, '\n| limit 10');
      await page.keyboard.press('Control+Enter');
      await expect(status(page)).toContainText(/\b([1-9]|10) rows?\b/);
      await expect(page.getByRole('columnheader', { name: 'dstPort' })).toBeVisible();
      await shot(page, testInfo, '06-insights-run');
    });

    test('runs a Sumo query and shows the detected dialect', async ({ page }, testInfo) => {
      await run(
        page,
        '_sourceCategory=vpc/flowlogs\n| where action = "REJECT"\n| count by srcaddr\n| sort by _count desc\n| limit 10',
      );
      await expect(page.getByText('Detected: Sumo Logic')).toBeVisible();
      await expect(status(page)).toContainText('Sumo Logic');
      expect(await rowCountShown(page)).toBe(10);
      await expect(page.getByRole('columnheader', { name: '_count' })).toBeVisible();
      await shot(page, testInfo, '07-sumo');

      // The query is in the history, which outlives a reload and puts a past query back in the editor.
      await setQuery(page, 'fields srcAddr');
      await page.reload();
      await page.getByText('History', { exact: true }).click();
      await page
        .getByRole('list', { name: 'Query history' })
        .getByRole('button', { name: /_sourceCategory=vpc\/flowlogs/ })
        .click();
      await expect(editor(page)).toContainText('| count by srcaddr');
    });

    test('charts bin() as lines and a top-N as bars, and brushing the time chart narrows the range', async ({
      page,
    }, testInfo) => {
      await run(page, 'stats sum(bytes) as total by srcAddr\n| sort total desc\n| limit 10');
      await expect(chart(page)).toHaveAttribute('data-chart-type', 'bar');
      await shot(page, testInfo, '08-top-n-bars');
      for (const [button, starts] of [
        ['PNG', '\u0089PNG'],
        ['SVG', '<svg'],
      ] as const) {
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('region', { name: 'Chart' }).getByRole('button', { name: button }).click(),
        ]);
        const bytes = readFileSync(await download.path());
        expect(bytes.toString('latin1').trimStart().startsWith(starts), `${button} export`).toBe(true);
        if (button === 'SVG') expect(bytes.toString('utf8')).toContain('10.0.');
      }

      // A measure that is not a count or bytes is a line (counts per bin are bars: results-right-and-readable.spec.ts).
      await run(page, 'stats count_distinct(srcAddr) as sources by bin(1h)');
      await expect(chart(page)).toHaveAttribute('data-chart-type', 'line');
      await expect(chart(page)).toHaveAttribute('data-brushable', 'true');
      const before = await rowCountShown(page);
      await shot(page, testInfo, '09-bin-lines');

      const box = (await chart(page).boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.35, box.y + box.height * 0.5);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5, { steps: 8 });
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 8 });
      await page.mouse.up();
      await expect(page.getByLabel('Time range')).toHaveValue('custom');
      await expect(page.getByLabel(/^From/)).not.toHaveValue('');
      await expect.poll(() => rowCountShown(page)).toBeLessThan(before);
      const after = await rowCountShown(page);
      expect(after).toBeGreaterThan(0);
      await shot(page, testInfo, '10-brushed');
    });

    test('drills down from an IP, and opens the raw records behind an aggregate row', async ({ page }, testInfo) => {
      await run(page, 'fields @timestamp, srcAddr, dstAddr, dstPort, action\n| limit 50');
      const grid = page.getByRole('grid', { name: 'Results' });
      const cell = grid.getByRole('row').nth(1).getByRole('gridcell').nth(1);
      const ip = (await cell.innerText()).trim();
      await cell.click();
      await afterNextRun(page, () => grid.getByRole('button', { name: `Filter on srcAddr = ${ip}` }).click());
      await expect(editor(page)).toContainText(`filter srcAddr = "${ip}"`);
      // Every row of the new result is from that address.
      const sources = await grid
        .locator('[role="row"][aria-rowindex]:not([aria-rowindex="1"])')
        .evaluateAll((rows) => rows.map((r) => r.querySelectorAll('[role="gridcell"]')[1]?.textContent?.trim() ?? ''));
      expect(sources.length).toBeGreaterThan(0);
      expect(new Set(sources)).toEqual(new Set([ip]));
      const shown = await rowCountShown(page);
      expect(shown).toBeGreaterThan(0);
      expect(shown).toBeLessThanOrEqual(50);
      await shot(page, testInfo, '11-drilled');

      await run(page, 'stats count(*) as flows by srcAddr, dstPort\n| sort flows desc\n| limit 5');
      const firstRow = grid.getByRole('row').nth(1);
      const flows = Number((await firstRow.getByRole('gridcell').nth(2).innerText()).replace(/\D/g, ''));
      await firstRow.getByRole('button', { name: 'Select row 1' }).click();
      await firstRow.getByRole('button', { name: 'Open raw records of row 1' }).click();
      await expect(page.getByRole('tab', { name: 'Query 2' })).toHaveAttribute('aria-selected', 'true');
      await expect(editor(page)).toContainText('| filter dstPort =');
      await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeEnabled();
      await expect.poll(() => rowCountShown(page)).toBe(flows);
      await shot(page, testInfo, '12-raw-records');
    });

    test('scrolls a million-row result without a frame over 100 ms', async ({ page }, testInfo) => {
      await page.getByLabel('Language').selectOption({ label: 'SQL' });
      const started = Date.now();
      await run(page, 'SELECT range AS n, range * 1500 AS bytes FROM range(1000000)');
      await expect(status(page)).toContainText('1,000,000 rows');
      const openedMs = Date.now() - started;
      const grid = page.getByRole('grid', { name: 'Results' });
      await expect(grid.getByRole('row').nth(1)).toContainText('0');

      // One pass: scroll down frame by frame, then jump across the result, recording every frame over 50 ms
      // (long animation frames; long tasks where those are not supported).
      const scrollPass = () =>
        page.evaluate(async () => {
          const durations: number[] = [];
          const type = PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')
            ? 'long-animation-frame'
            : 'longtask';
          const observer = new PerformanceObserver((list) =>
            list.getEntries().forEach((e) => durations.push(e.duration)),
          );
          const scroller = document.querySelector('[role="grid"][aria-label="Results"]') as HTMLElement;
          const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
          scroller.scrollTop = 0;
          for (let i = 0; i < 10; i++) await frame();
          observer.observe({ type });
          const max = scroller.scrollHeight - scroller.clientHeight;
          for (let i = 0; i < 120; i++) {
            scroller.scrollTop += 900;
            await frame();
          }
          for (const at of [0.25, 0.5, 0.75, 0.999, 1]) {
            scroller.scrollTop = max * at;
            for (let i = 0; i < 20; i++) await frame();
          }
          await new Promise((resolve) => setTimeout(resolve, 500));
          observer.disconnect();
          return { type, durations: durations.map(Math.round) };
        });
      // The machine is shared with other test runs: a pass may catch the browser descheduled. Up to three
      // passes; the app must manage one without any frame over 100 ms.
      const passes: Awaited<ReturnType<typeof scrollPass>>[] = [];
      for (let i = 0; i < 3 && !passes.some((p) => Math.max(0, ...p.durations) < 100); i++)
        passes.push(await scrollPass());
      const measured = `opened in ${openedMs} ms; ${passes[0]!.type} entries per pass (ms): ${passes.map((p) => JSON.stringify(p.durations)).join(' ')}`;
      testInfo.annotations.push({ type: 'measured', description: measured });
      console.log(`1M rows ${measured}`);
      expect(Math.min(...passes.map((p) => Math.max(0, ...p.durations)))).toBeLessThan(100);
      await expect(grid.getByRole('row').last()).toContainText('999,999');
      await shot(page, testInfo, '13-million-rows-end');
    });

    test('sorts the whole result by a header, hides a column and copies rows as TSV', async ({
      page,
      context,
    }, testInfo) => {
      await context.grantPermissions(['clipboard-read', 'clipboard-write']);
      await page.getByLabel('Language').selectOption({ label: 'SQL' });
      await run(page, 'SELECT range AS n, range % 7 AS k FROM range(1000000)');
      const grid = page.getByRole('grid', { name: 'Results' });
      const header = grid.getByRole('columnheader', { name: 'n', exact: true });
      await header.getByRole('button').click();
      await expect(header).toHaveAttribute('aria-sort', 'ascending');
      await header.getByRole('button').click();
      await expect(header).toHaveAttribute('aria-sort', 'descending');
      await expect(grid.getByRole('row').nth(1).getByRole('gridcell').first()).toHaveText('999,999');

      await page.getByText('Columns', { exact: true }).click();
      await page.getByRole('group', { name: 'Shown columns' }).getByLabel('k').uncheck();
      await expect(grid.getByRole('columnheader', { name: 'k', exact: true })).toHaveCount(0);
      await page.getByText('Columns', { exact: true }).click();

      await grid.getByRole('button', { name: 'Select row 1', exact: true }).click();
      await grid.getByRole('button', { name: 'Select row 3', exact: true }).click({ modifiers: ['Shift'] });
      await page.getByRole('button', { name: 'Copy rows' }).click();
      await expect(page.getByText('3 rows copied')).toBeVisible();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('n\n999999\n999998\n999997');
      await shot(page, testInfo, '13b-sorted-hidden-copied');
    });

    test('offers S3 and CloudWatch pulls with profile, region, bucket/prefix and log group pickers', async ({
      page,
    }, testInfo) => {
      await page.getByRole('button', { name: 'Pull from AWS…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Pull from AWS' });
      await expect(dialog.getByLabel('Profile')).toBeVisible();
      await expect(dialog.getByLabel('Region', { exact: true })).toBeVisible();
      await expect(dialog.getByLabel('Bucket', { exact: true })).toBeVisible();
      await expect(dialog.getByLabel('Prefix')).toHaveValue('AWSLogs/');
      await shot(page, testInfo, '13c-pull-s3');
      await dialog.getByLabel('CloudWatch Logs').check();
      await expect(dialog.getByLabel('Log group')).toBeVisible();
      await expect(dialog.getByRole('button', { name: 'List log groups' })).toBeVisible();
      await dialog.getByRole('button', { name: 'Close' }).click();
      await expect(dialog).toBeHidden();
    });

    test.describe('in New York', () => {
      test.use({ timezoneId: 'America/New_York' });

      test('shows times in UTC by default and in the local zone when switched', async ({ page }, testInfo) => {
        await run(page, 'fields @timestamp, srcAddr\n| sort @timestamp asc\n| limit 5');
        const first = page.getByRole('grid', { name: 'Results' }).getByRole('row').nth(1).getByRole('gridcell').first();
        await expect(first).toHaveText('2026-03-02 00:00:00');
        await page.getByLabel('Times in').selectOption({ label: 'Local time' });
        await expect(first).toHaveText('2026-03-01 19:00:00');
        await shot(page, testInfo, '13d-local-time');
        await page.getByLabel('Times in').selectOption({ label: 'UTC' });
        await expect(first).toHaveText('2026-03-02 00:00:00');
      });

      test('keeps the columns as the analyst set them (widths, hidden ones) when the zone changes', async ({
        page,
      }) => {
        await run(page, 'fields @timestamp, srcAddr, dstPort, bytes\n| limit 5');
        const grid = page.getByRole('grid', { name: 'Results' });
        const srcAddr = grid.getByRole('columnheader', { name: 'srcAddr', exact: true });
        const before = (await srcAddr.boundingBox())!.width;
        const edge = (await grid.getByRole('separator', { name: 'Resize srcAddr' }).boundingBox())!;
        await page.mouse.move(edge.x + edge.width / 2, edge.y + edge.height / 2);
        await page.mouse.down();
        await page.mouse.move(edge.x + edge.width / 2 + 90, edge.y + edge.height / 2, { steps: 5 });
        await page.mouse.up();
        const widened = (await srcAddr.boundingBox())!.width;
        expect(widened).toBeGreaterThan(before + 60);
        await page.getByText('Columns', { exact: true }).click();
        await page.getByRole('group', { name: 'Shown columns' }).getByLabel('dstPort').uncheck();
        await page.getByText('Columns', { exact: true }).click();

        const time = grid.getByRole('columnheader', { name: '@timestamp' });
        const utcWidth = (await time.boundingBox())!.width;
        await page.getByLabel('Times in').selectOption({ label: 'Local time' });
        await expect(time).toContainText('America/New_York');
        // The time column grows to fit its longer zone name beside "@timestamp".
        expect((await time.boundingBox())!.width).toBeGreaterThan(utcWidth);
        await expect(grid.getByRole('columnheader', { name: 'dstPort', exact: true })).toHaveCount(0);
        expect((await srcAddr.boundingBox())!.width).toBe(widened);
      });
    });

    test('switches to dark, and the chart follows', async ({ page }, testInfo) => {
      await run(page, 'stats count(*) as flows by bin(30m), action');
      await expect(chart(page)).toHaveAttribute('data-chart-type', 'area');
      await page.getByRole('button', { name: 'Dark theme' }).click();
      await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(background).toBe('rgb(15, 19, 25)');
      await shot(page, testInfo, '14-dark');
      await page.getByRole('button', { name: 'Dark theme' }).click();
      await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    });
  });
});
