/**
 * Issue 15's dashboard and raw-records points, in Debian's Chromium against `flowscope serve`: the time range
 * is one for the workbench and the dashboards; a panel may have its own range, says it, and its answer is
 * an independent query's over that range; a single number is a big number; panels refresh while a pull
 * lands data and stop when it ends; above a list of records, a histogram of every matched record over time
 * whose bars add up to an independent count, and a drag across it narrows the time range. Views are
 * photographed at 1440×900 and 1280×720, light and dark.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { writeFlowLogFile } from '../../../main/engine/ingest/generator';
import { pullEnv, type PullEnv } from '../../support/pull-env';
import { S3RVER_CREDENTIALS, startS3Server, type S3TestServer } from '../../support/s3-server';
import { e2eEnv } from '../support/e2e-env';
import { startOwnServer } from '../support/own-server';
import { afterNextRun, queryResults as results, runAndWait } from '../support/query-editor';
import { openAt, requireCleanConsole, SIZES_AND_THEMES, startS3Pull, watchCsp } from '../support/workbench-steps';

/** The number in the first cell of the result (a count), as the grid shows it. */
async function firstNumber(page: Page): Promise<number> {
  const cell = page.getByRole('grid', { name: 'Results' }).locator('[aria-rowindex="2"]').getByRole('gridcell').first();
  await expect(cell).toHaveText(/\d/);
  return Number((await cell.innerText()).replace(/\D/g, ''));
}

/** The records histogram once its bars have come. */
async function histogramTotal(page: Page): Promise<number> {
  const histogram = page.getByRole('region', { name: 'Records over time' });
  await expect(histogram).toHaveAttribute('data-total', /\d+/);
  return Number(await histogram.getAttribute('data-total'));
}

/** A big number on a panel, as drawn ("1,234"). */
async function bigNumber(panel: Locator): Promise<number> {
  return Number((await panel.locator('[data-chart-type="number"] strong').first().innerText()).replace(/\D/g, ''));
}

async function go(page: Page, section: 'Explore' | 'Dashboards') {
  // In-page navigation: the time range lives in the page, as it does in the app.
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: section }).click();
}

/** Pins the current result to the dashboard `dashboard`, made by this pin when `create`. */
async function pin(page: Page, title: string, dashboard: string, create = false) {
  await page.getByRole('button', { name: 'Pin to dashboard' }).click();
  await page.getByLabel('Panel title').fill(title);
  if (create) {
    await page.getByLabel('Pin to', { exact: true }).selectOption('new');
    await page.getByLabel('New dashboard name').fill(dashboard);
  } else await page.getByLabel('Pin to', { exact: true }).selectOption({ label: dashboard });
  await page.getByRole('dialog').getByRole('button', { name: 'Pin' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
}

/** Deletes a dashboard this spec made: the demo's library is shared with other specs (the pin dialog offers its first). */
async function deleteDashboard(page: Page, name: string) {
  await go(page, 'Dashboards');
  const picker = page.getByLabel('Dashboard', { exact: true });
  await picker.selectOption({ label: name });
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(picker.locator('option', { hasText: name })).toHaveCount(0);
}

async function openDashboard(page: Page, name: string) {
  await go(page, 'Dashboards');
  await page.getByLabel('Dashboard', { exact: true }).selectOption({ label: name });
  await settledDashboard(page);
}

/** Every panel answered for what is asked now, and drawn. */
async function settledDashboard(page: Page) {
  await expect(page.locator('article[data-panel-id]').first()).toBeVisible();
  await expect(page.getByRole('region', { name: 'Dashboards' })).toHaveAttribute('data-pending', '0', {
    timeout: 60_000,
  });
  await expect(page.locator('article[data-state="loading"]')).toHaveCount(0);
  await expect(page.locator('[data-chart-type][data-drawn="false"]')).toHaveCount(0);
}

/** The range a panel says it shows, as the instants it was asked for. */
async function panelRange(panel: Locator): Promise<{ from: string; to: string; own: boolean }> {
  const range = panel.locator('[data-range-from]');
  return {
    from: (await range.getAttribute('data-range-from')) ?? '',
    to: (await range.getAttribute('data-range-to')) ?? '',
    own: (await range.getAttribute('data-own-range')) === 'true',
  };
}

/** An independent count: SQL over the stored start times, not the app's time-range machinery. */
function countSql(from: string, to: string, where = 'true'): string {
  return `SELECT count(*) AS n FROM main.flows WHERE start_time >= TIMESTAMP '${from.replace('T', ' ').replace('Z', '')}' AND start_time < TIMESTAMP '${to.replace('T', ' ').replace('Z', '')}' AND ${where}`;
}

test.describe('dashboards and the workbench share time; records show their histogram', () => {
  test.use({ storageState: e2eEnv('storageState') });
  requireCleanConsole();

  test('one time range: chosen on a dashboard it is the workbench’s, chosen in the workbench it is the dashboard’s', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await page.goto(`${e2eEnv('origin')}/#dashboards`);
    await expect(page.getByLabel('Dashboard', { exact: true })).toHaveValue('builtin:overview');
    await settledDashboard(page);
    const first = page.locator('article[data-panel-id]').first();
    expect(await panelRange(first)).toEqual({ from: '', to: '', own: false });
    await expect(first.locator('[data-range-from]')).toContainText('Whole workspace');

    await page.getByLabel('Time range', { exact: true }).selectOption('1h');
    await expect.poll(async () => (await panelRange(first)).from).not.toBe('');
    await settledDashboard(page);
    const hour = await panelRange(first);
    expect(Date.parse(hour.to) - Date.parse(hour.from)).toBe(3_600_000);
    // Every panel shows the same range, and says it.
    for (const panel of await page.locator('article[data-panel-id]').all())
      expect(await panelRange(panel)).toEqual(hour);

    await go(page, 'Explore');
    await expect(page.getByLabel('Time range', { exact: true })).toHaveValue('1h');
    await runAndWait(page, 'stats count(*) as n');
    const inHour = await firstNumber(page);
    await runAndWait(page, countSql(hour.from, hour.to));
    expect(await firstNumber(page)).toBe(inHour);

    await page.getByLabel('Time range', { exact: true }).selectOption('24h');
    await go(page, 'Dashboards');
    await expect(page.getByLabel('Time range', { exact: true })).toHaveValue('24h');
    await expect.poll(async () => (await panelRange(first)).from).not.toBe(hour.from);
    const day = await panelRange(first);
    expect(Date.parse(day.to) - Date.parse(day.from)).toBe(86_400_000);
    expect(day.to).toBe(hour.to);
    await settledDashboard(page);
    await expect(page.locator('article[data-state="error"]')).toHaveCount(0);

    await page.getByLabel('Time range', { exact: true }).selectOption('all');
    await expect.poll(async () => (await panelRange(first)).from).toBe('');
  });

  test('a panel with its own range says so, answers for that range alone, keeps it saved; one number is a big number', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await page.goto(`${e2eEnv('origin')}/#explore`);
    await page.getByLabel('Time range', { exact: true }).selectOption('all');
    await runAndWait(page, 'stats count(*) as flows');
    await pin(page, 'Flows', 'E2E own ranges', true);
    await runAndWait(page, 'filter action = "REJECT" | stats count(*) as rejects');
    await pin(page, 'Rejects', 'E2E own ranges');

    await openDashboard(page, 'E2E own ranges');
    const flows = page.getByRole('article', { name: 'Flows' });
    const rejects = page.getByRole('article', { name: 'Rejects' });
    await expect(flows.locator('[data-chart-type="number"]')).toBeVisible();
    const whole = await bigNumber(flows);

    await flows.getByLabel('Own range of Flows').selectOption('1h');
    await expect(flows.locator('[data-own-range="true"]')).toContainText('Own range');
    await settledDashboard(page);
    const own = await panelRange(flows);
    expect(own.own).toBe(true);
    expect(Date.parse(own.to) - Date.parse(own.from)).toBe(3_600_000);
    const inHour = await bigNumber(flows);
    expect(inHour).toBeLessThan(whole);
    // The other panel still shows the dashboard's range, the whole workspace.
    expect(await panelRange(rejects)).toEqual({ from: '', to: '', own: false });
    await expect(rejects.locator('[data-range-from]')).toContainText('Whole workspace');

    // The panel is saved with its range: after a reload it still has it.
    await page.reload();
    await page.getByLabel('Dashboard', { exact: true }).selectOption({ label: 'E2E own ranges' });
    await settledDashboard(page);
    await expect(flows.getByLabel('Own range of Flows')).toHaveValue('1h');
    expect(await panelRange(flows)).toEqual(own);
    expect(await bigNumber(flows)).toBe(inHour);

    // The dashboard's range changes; the panel's own does not.
    await page.getByLabel('Time range', { exact: true }).selectOption('24h');
    await expect.poll(async () => (await panelRange(rejects)).from).not.toBe('');
    await settledDashboard(page);
    expect(await panelRange(flows)).toEqual(own);

    // An independent count over the panel's range.
    await go(page, 'Explore');
    await runAndWait(page, countSql(own.from, own.to));
    expect(await firstNumber(page)).toBe(inHour);
    await deleteDashboard(page, 'E2E own ranges');
  });

  test('a quiet refresh that fails keeps the answer drawn and says so; the next answer clears it', async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto(`${e2eEnv('origin')}/#explore`);
    await page.getByLabel('Time range', { exact: true }).selectOption('all');
    // Answers over the whole workspace and fails over its last hour, as a query can on a range it cannot serve.
    await runAndWait(
      page,
      "SELECT CASE WHEN count(*) < 20000 THEN error('Too few records for this panel') ELSE count(*) END AS flows FROM flows",
    );
    await pin(page, 'Flows', 'E2E refresh fails', true);
    await openDashboard(page, 'E2E refresh fails');
    const flows = page.getByRole('article', { name: 'Flows' });
    const whole = await bigNumber(flows);
    await expect(flows.getByRole('alert')).toHaveCount(0);

    await page.getByLabel('Time range', { exact: true }).selectOption('1h');
    await expect(flows.getByRole('alert')).toContainText('Showing the answer from before: the refresh failed.');
    await expect(flows.getByRole('alert')).toContainText('Too few records for this panel');
    expect(await bigNumber(flows)).toBe(whole);
    await expect(flows.locator('[data-range-from]')).toContainText('Whole workspace');

    await page.getByLabel('Time range', { exact: true }).selectOption('all');
    await expect(flows.getByRole('alert')).toHaveCount(0);
    expect(await bigNumber(flows)).toBe(whole);
    await deleteDashboard(page, 'E2E refresh fails');
  });

  test('above a list of records, every matched record over time: the bars add up to an independent count; a drag narrows the range', async ({
    page,
  }) => {
    await page.goto(`${e2eEnv('origin')}/#explore`);
    await page.getByLabel('Time range', { exact: true }).selectOption('all');
    await runAndWait(page, 'filter dstPort = 22 | stats count(*) as n');
    await expect(page.getByRole('region', { name: 'Records over time' })).toHaveCount(0);
    const independent = await firstNumber(page);
    expect(independent).toBeGreaterThan(100);

    await runAndWait(page, 'fields @timestamp, srcAddr, action | filter dstPort = 22 | limit 100');
    const total = await histogramTotal(page);
    expect(total).toBe(independent);
    // "N records matched" counts the same records.
    await expect(results(page).getByRole('status').first()).toContainText(
      `${independent.toLocaleString('en-US')} records matched`,
    );
    const histogram = page.getByRole('region', { name: 'Records over time' });
    await expect(histogram.locator('[data-chart-type="bar"][data-drawn="true"]')).toBeVisible();

    // Drag across the middle third of the bars: the time range narrows to it and the query runs again.
    const canvas = histogram.locator('[data-chart-type="bar"]');
    const box = (await canvas.boundingBox())!;
    await afterNextRun(page, async () => {
      await page.mouse.move(box.x + box.width * 0.35, box.y + box.height * 0.5);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5, { steps: 8 });
      await page.mouse.move(box.x + box.width * 0.65, box.y + box.height * 0.5, { steps: 8 });
      await page.mouse.up();
    });
    await expect(page.getByLabel('Time range', { exact: true })).toHaveValue('custom');
    const narrowed = await histogramTotal(page);
    expect(narrowed).toBeLessThan(total);
    expect(narrowed).toBeGreaterThan(0);
    await runAndWait(page, 'filter dstPort = 22 | stats count(*) as n');
    expect(await firstNumber(page)).toBe(narrowed);
    await page.getByLabel('Time range', { exact: true }).selectOption('all');
  });

  for (const at of SIZES_AND_THEMES) {
    const { viewport, theme, tag } = at;
    test(`the histogram and a dashboard with its own range at ${viewport.name} in ${theme}`, async ({
      page,
    }, testInfo) => {
      test.setTimeout(120_000);
      await openAt(page, `${e2eEnv('origin')}/#explore`, at);
      await runAndWait(page, 'fields @timestamp, srcAddr, dstAddr, dstPort, action, bytes | sort @timestamp desc');
      await histogramTotal(page);
      await expect(page.locator('[data-chart-type][data-drawn="false"]')).toHaveCount(0);
      // The compact chart has no legend: the caption names the bars' colours (the demo has NODATA records).
      await expect(page.getByRole('region', { name: 'Records over time' }).locator('.key')).toHaveText([
        'ACCEPT',
        'REJECT',
        'Other',
      ]);
      await page.screenshot({ path: testInfo.outputPath(`${tag}-01-records-histogram.png`) });

      const name = `E2E ranges ${tag}`;
      await runAndWait(page, 'stats count(*) as flows');
      await pin(page, 'Flows', name, true);
      await runAndWait(page, 'stats count(*) as flows by bin(5m), action');
      await pin(page, 'Flows by action', name);
      await openDashboard(page, name);
      const panel = page.getByRole('article', { name: 'Flows by action' });
      await panel.getByLabel('Own range of Flows by action').selectOption('24h');
      await expect(panel.locator('[data-own-range="true"]')).toBeVisible();
      await settledDashboard(page);
      await page.screenshot({ path: testInfo.outputPath(`${tag}-02-dashboard-own-range.png`) });
      await deleteDashboard(page, name);
    });
  }
});

test.describe('panels refresh while a pull lands data', () => {
  let s3: S3TestServer;
  let env: PullEnv;
  let pulled = 0;

  test.beforeAll(async () => {
    env = pullEnv(S3RVER_CREDENTIALS);
    s3 = await startS3Server('live-refresh');
    // Each object held back a second, so the pull (4 downloads at once) lasts about 8 s on any machine: on an
    // idle one it had ended before the panel's first refresh, and the test saw no count in between.
    s3.downloads.delayMs = 1_000;
    for (let i = 0; i < 30; i++) {
      const path = join(env.dir, `live-${i}.log.gz`);
      await writeFlowLogFile(path, { seed: 100 + i, records: 40, gzip: true, accountId: '111111111111' });
      const body = readFileSync(path);
      pulled += gunzipSync(body).toString('utf8').trim().split('\n').length - 1;
      const key = `AWSLogs/111111111111/vpcflowlogs/us-east-1/2026/03/02/111111111111_vpcflowlogs_us-east-1_fl-1_20260302T10${String(i).padStart(2, '0')}Z_a.log.gz`;
      await s3.put(key, body);
    }
  });

  test.afterAll(async () => {
    await s3?.close();
    env?.cleanup();
  });

  test('a big-number panel redraws as objects land, ends on the whole count, and stops refreshing after', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    const cspViolations = await watchCsp(page);
    const server = await startOwnServer();
    try {
      await page.goto(server.url);
      await runAndWait(page, 'stats count(*) as flows');
      const start = await firstNumber(page);
      await pin(page, 'Flows', 'Live', true);
      await openDashboard(page, 'Live');
      const panel = page.getByRole('article', { name: 'Flows' });
      expect(await bigNumber(panel)).toBe(start);

      await startS3Pull(page, s3);

      // Watch the panel while the job runs: it shows counts between the first and the last.
      const dashboard = page.getByRole('region', { name: 'Dashboards' });
      const seenWhileLive = new Set<number>();
      const job = page.getByRole('article', { name: /S3 pull/ });
      await expect(dashboard).toHaveAttribute('data-live', 'true', { timeout: 30_000 });
      while ((await dashboard.getAttribute('data-live')) === 'true') {
        seenWhileLive.add(await bigNumber(panel));
        await page.waitForTimeout(200);
      }
      await expect(job.getByRole('status')).toContainText(`Imported ${pulled.toLocaleString('en-US')} records`, {
        timeout: 30_000,
      });
      await expect.poll(() => bigNumber(panel), { timeout: 30_000 }).toBe(start + pulled);
      const between = [...seenWhileLive].filter((n) => n > start && n < start + pulled);
      expect(between.length, `counts seen while the pull ran: ${[...seenWhileLive].join(', ')}`).toBeGreaterThan(0);

      // Once the job has ended, nothing refreshes any more.
      await expect(dashboard).toHaveAttribute('data-pending', '0');
      const refreshes = await dashboard.getAttribute('data-refreshes');
      await page.waitForTimeout(5_000);
      await expect(dashboard).toHaveAttribute('data-refreshes', refreshes!);
      await expect(dashboard).toHaveAttribute('data-live', 'false');
      expect(await cspViolations()).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
