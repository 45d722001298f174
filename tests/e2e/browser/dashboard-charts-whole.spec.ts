/**
 * A dashboard never draws part of its data unsaid (an outside tester's probe, issue s14): a dashboard shared as a
 * plain file, imported and opened in Debian's Chromium against `flowscope serve`, whose panels are the shapes
 * that were drawn wrong: maxima per minute re-binned (their sum was drawn, 30 times too tall), rows without a
 * time (drawn at 1970) and a pie with a value below zero (shares of 200% and -100%). Each panel says what it
 * left out, and draws no more than its data.
 */
import { expect, test, type Page } from '@playwright/test';
import { e2eEnv } from '../support/e2e-env';
import { openLibrary } from '../support/workbench-steps';

test.use({ storageState: e2eEnv('storageState') });

const NAME = 'Charts drawn whole';

const panel = (id: string, dialect: string, query: string, chart: Record<string, unknown>, x: number, y: number) => ({
  id,
  title: id,
  query: { version: 1, name: id, dialect, query },
  chart,
  layout: { x, y, w: 6, h: 4 },
});

async function deleteDashboard(page: Page) {
  const picker = page.getByLabel('Dashboard', { exact: true });
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(picker.locator('option', { hasText: NAME })).toHaveCount(0);
}

test('an imported dashboard says what each chart leaves out: maxima not added up, rows without a time, values below zero', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openLibrary(page);
  await page.getByLabel('Import saved query files').setInputFiles({
    name: 'charts-drawn-whole.flowdash.json',
    mimeType: 'application/json',
    buffer: Buffer.from(
      JSON.stringify({
        version: 1,
        name: NAME,
        panels: [
          // Its own range, the demo's whole three days, whatever range an earlier test left chosen.
          {
            ...panel(
              'maxima',
              'insights',
              'stats max(bytes) as m by bin(1m) as t',
              { type: 'bar', x: 't', y: 'm' },
              0,
              0,
            ),
            timeRange: { last: '7d' },
          },
          panel(
            'no-time',
            'sql',
            "SELECT CASE WHEN i % 2 = 0 THEN TIMESTAMP '2026-03-02 00:00:00' + i * INTERVAL 5 MINUTE END AS t, i AS v FROM (SELECT 0 AS i UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3)",
            { type: 'line', x: 't', y: 'v' },
            6,
            0,
          ),
          panel(
            'below-zero',
            'sql',
            "SELECT * FROM (VALUES ('a', -5), ('b', 10), ('c', 3)) AS t(k, v)",
            { type: 'pie', x: 'k', y: 'v' },
            0,
            4,
          ),
        ],
      }),
    ),
  });
  await expect(page.getByText(`Imported “${NAME}”`)).toBeVisible();
  await page.goto(`${e2eEnv('origin')}/#dashboards`);
  await page.getByLabel('Dashboard', { exact: true }).selectOption({ label: NAME });
  await page
    .getByRole('dialog', { name: 'Run the queries of a dashboard from elsewhere?' })
    .getByRole('button', { name: 'Trust and run' })
    .click();
  const panelOf = (id: string) => page.locator(`article[data-panel-id="${id}"]`);
  for (const id of ['maxima', 'no-time', 'below-zero'])
    await expect(panelOf(id)).toHaveAttribute('data-state', 'done', { timeout: 60_000 });

  // The demo's three days of minutes in a half-width panel: re-binned, each bucket its highest maximum.
  await expect(panelOf('maxima')).toContainText(/points: the highest m of each \d+-minute bucket/);
  await expect(panelOf('maxima')).not.toContainText('added up');
  // Two of four rows have no time: two points drawn, two said to be left out.
  await expect(panelOf('no-time')).toContainText('Not drawn: 2 rows with no t');
  await expect(panelOf('no-time').locator('[data-chart-type="line"]')).toHaveAttribute('data-points', '2');
  // The pie is of b and c; a's -5 is said to be left out.
  await expect(panelOf('below-zero')).toContainText('Not drawn: 1 row whose v is below zero');
  await expect(panelOf('below-zero').locator('[data-chart-type="pie"]')).toHaveAttribute('data-points', '2');

  await deleteDashboard(page);
});
