/**
 * What a time range holds, seen from the app: the raw records behind a time bucket are those the bucket
 * counted, which for the first or last bucket of a range that cuts it are only the range's part of it, and
 * for a bucket named otherwise than by its width (`bin(1h) as hour`, Sumo's `_timeslice`) its hour still.
 */
import { expect, test, type Page } from '@playwright/test';
import { e2eEnv } from '../support/e2e-env';
import { afterNextRun, runAndWait } from '../support/query-editor';
import { requireCleanConsole, resultStatus, resultsGrid } from '../support/workbench-steps';

test.use({ storageState: e2eEnv('storageState') });
requireCleanConsole();

/** The rows the status line says the answer has ("12 rows", "12 of 1,214 records"). */
async function rowsShown(page: Page): Promise<number> {
  const shown = /([\d,]+)(?:\s+rows?| of [\d,]+ records)/.exec(await resultStatus(page).innerText());
  return shown ? Number(shown[1]!.replace(/,/g, '')) : NaN;
}

/** The workbench over a custom range, its ends typed in UTC. */
async function exploreOver(page: Page, from: string, to: string): Promise<void> {
  await page.goto(`${e2eEnv('origin')}/#explore`);
  await page.getByLabel('Time range').selectOption({ label: 'Custom…' });
  await page.getByLabel('From (UTC)').fill(from);
  await page.getByLabel('To (UTC)').fill(to);
}

test("the raw records behind a bucket the range cuts are the range's part of it, as many as it counted", async ({
  page,
}) => {
  await exploreOver(page, '2026-03-03 10:20:00', '2026-03-03 11:40:00');
  // Two buckets, each cut by the range: 10:20–11:00 and 11:00–11:40.
  await runAndWait(page, 'stats count(*) as flows by bin(1h)\n| sort flows desc');
  const grid = resultsGrid(page);
  const rows = await grid.locator('[role="row"][aria-rowindex]:not([aria-rowindex="1"])').count();
  expect(rows).toBe(2);
  const counts: { bin: string; flows: number }[] = [];
  for (const row of [1, 2]) {
    const cells = grid.getByRole('row').nth(row).getByRole('gridcell');
    counts.push({
      bin: (await cells.nth(0).innerText()).trim(),
      flows: Number((await cells.nth(1).innerText()).replace(/\D/g, '')),
    });
  }
  const first = counts.find((c) => c.bin.startsWith('2026-03-03 10:00'))!;
  const last = counts.find((c) => c.bin.startsWith('2026-03-03 11:00'))!;
  expect(first.flows).toBeGreaterThan(0);

  const open = async (bin: string) => {
    const index = counts.findIndex((c) => c.bin === bin) + 1;
    await grid
      .getByRole('row')
      .nth(index)
      .getByRole('button', { name: `Select row ${index}` })
      .click();
    await grid
      .getByRole('row')
      .nth(index)
      .getByRole('button', { name: `Open raw records of row ${index}` })
      .click();
  };
  await open(first.bin);
  await expect.poll(() => rowsShown(page)).toBe(first.flows);
  await expect(page.getByLabel('From (UTC)')).toHaveValue('2026-03-03 10:20:00');
  await expect(page.getByLabel('To (UTC)')).toHaveValue('2026-03-03 11:00:00');

  await page.getByRole('tab', { name: 'Query 1' }).click();
  await open(last.bin);
  await expect.poll(() => rowsShown(page)).toBe(last.flows);
  await expect(page.getByLabel('From (UTC)')).toHaveValue('2026-03-03 11:00:00');
  await expect(page.getByLabel('To (UTC)')).toHaveValue('2026-03-03 11:40:00');
});

for (const { dialect, query, bin } of [
  {
    dialect: 'Sumo',
    query: '_sourceCategory=vpc | timeslice 1h | count by _timeslice, action\n| sort by action, _timeslice',
    bin: '_timeslice',
  },
  {
    dialect: 'Insights',
    query: 'stats count(*) as flows by bin(1h) as hour, action\n| sort action, hour',
    bin: 'hour',
  },
]) {
  test(`the raw records behind a row whose time bucket is named ${bin} (${dialect}) are that bucket's`, async ({
    page,
  }) => {
    await exploreOver(page, '2026-03-03 10:00:00', '2026-03-03 14:00:00');
    await runAndWait(page, query);
    const grid = resultsGrid(page);
    const row = grid.getByRole('row').nth(1);
    const cells = row.getByRole('gridcell');
    const start = (await cells.nth(0).innerText()).trim();
    expect(start).toMatch(/^2026-03-03 1\d:00:00$/);
    const counted = Number((await cells.nth(2).innerText()).replace(/\D/g, ''));
    await row.getByRole('button', { name: 'Select row 1' }).click();
    await row.getByRole('button', { name: 'Open raw records of row 1' }).click();
    await expect.poll(() => rowsShown(page)).toBe(counted);
    await expect(page.getByLabel('From (UTC)')).toHaveValue(start);
  });
}

test('a drag to either end of the records histogram narrows the range, never reaching past its ends', async ({
  page,
}) => {
  await exploreOver(page, '2026-03-03 10:21:17.500', '2026-03-03 10:40:00.500');
  await runAndWait(page, 'fields @timestamp, srcAddr, action');
  const histogram = page.getByRole('region', { name: 'Records over time' });
  /** Drags from the middle of the bars to an edge of the chart: the brush stops at the axis's end. */
  const dragTo = async (edge: 'left' | 'right') => {
    const box = (await histogram.locator('[data-chart-type="bar"][data-drawn="true"]').boundingBox())!;
    const y = box.y + box.height * 0.5;
    await afterNextRun(page, async () => {
      await page.mouse.move(box.x + box.width / 2, y);
      await page.mouse.down();
      await page.mouse.move(edge === 'left' ? box.x + 1 : box.x + box.width - 1, y, { steps: 12 });
      await page.mouse.up();
    });
  };
  await dragTo('left');
  const from = await page.getByLabel('From (UTC)').inputValue();
  expect(from >= '2026-03-03 10:21:17.500', `From ${from}`).toBe(true);
  await dragTo('right');
  const to = await page.getByLabel('To (UTC)').inputValue();
  expect(to <= '2026-03-03 10:40:00.500', `To ${to}`).toBe(true);
});

test.describe('in New York, times in the local zone', () => {
  test.use({ timezoneId: 'America/New_York' });

  test('a From the clocks skip (2026-03-08 02:30) is refused, saying why', async ({ page }) => {
    await page.goto(`${e2eEnv('origin')}/#explore`);
    await page.getByLabel('Times in').selectOption({ label: 'Local time' });
    await page.getByLabel('Time range').selectOption({ label: 'Custom…' });
    await page.getByLabel('To (America/New_York)').fill('2026-03-09 00:00');
    const from = page.getByLabel('From (America/New_York)');
    await from.fill('2026-03-08 01:30');
    await from.fill('2026-03-08 02:30');
    await expect(page.getByRole('alert')).toHaveText(
      'From is not a time: the clocks of America/New_York skip it (they jump forward there), so give a time before or after the jump.',
    );
    await expect(from).toHaveAttribute('aria-invalid', 'true');
    await from.fill('2026-03-08 03:30');
    await expect(page.getByRole('alert')).toHaveCount(0);
    await from.blur();
    await expect(from).toHaveValue('2026-03-08 03:30:00');
  });
});
