/**
 * An answer on screen says what it answers: the time range it ran over, and that it is no longer the
 * answer once the range or the text changed; an answer without rows says that no record matched there
 * rather than drawing an empty chart; a time column names its zone; a min of `start` reads as `start`
 * does; and a reload keeps every tab's text.
 */
import { expect, test, type Page } from '@playwright/test';
import { e2eEnv } from '../support/e2e-env';
import { afterNextRun, queryEditor, queryResults, runAndWait, setQuery } from '../support/query-editor';
import { requireCleanConsole, resultStatus, resultsGrid } from '../support/workbench-steps';

test.use({ storageState: e2eEnv('storageState') });
requireCleanConsole();

const run = (page: Page) => afterNextRun(page, () => page.getByRole('button', { name: 'Run', exact: true }).click());

test('the status line names the range an answer ran over, and marks it once the range or text changed', async ({
  page,
}) => {
  await page.goto(`${e2eEnv('origin')}/#explore`);
  await runAndWait(page, 'stats count(*) as flows by action');
  await expect(resultStatus(page)).toContainText('Answer for the whole workspace');
  await expect(resultStatus(page)).not.toContainText('changed');

  await page.getByLabel('Time range').selectOption({ label: 'Last hour of data' });
  await expect(resultStatus(page)).toContainText('Answer for the whole workspace; the range changed — Run to update');
  await run(page);
  const lastHour = /Answer for 2026-03-04 \d\d:\d\d → 2026-03-0[45] \d\d:\d\d UTC$/;
  await expect(page.getByTestId('answer-range')).toHaveText(lastHour);

  // Custom… opens on the range in force: still the same range, so the answer stays current.
  await page.getByLabel('Time range').selectOption({ label: 'Custom…' });
  await expect(page.getByTestId('answer-range')).toHaveText(lastHour);
  await page.getByLabel('From (UTC)').fill('2026-03-03T10:00:00');
  await expect(page.getByTestId('answer-range')).toContainText('the range changed — Run to update');

  await run(page);
  await expect(page.getByTestId('answer-range')).toHaveText(/^Answer for 2026-03-03 10:00 → /);
  await queryEditor(page).press('End');
  await page.keyboard.type(' ');
  await expect(page.getByTestId('answer-range')).toContainText('the query text changed — Run to update');
});

test('a custom range that ends before it starts is refused with the reason, and the range in force stays', async ({
  page,
}) => {
  await page.goto(`${e2eEnv('origin')}/#explore`);
  await page.getByLabel('Time range').selectOption({ label: 'Custom…' });
  await page.getByLabel('From (UTC)').fill('2026-03-03T12:00:00');
  await page.getByLabel('To (UTC)').fill('2026-03-04T12:00:00');
  await runAndWait(page, 'stats count(*) as flows');
  const answered = /^Answer for 2026-03-03 12:00 → 2026-03-04 12:00 UTC$/;
  await expect(page.getByTestId('answer-range')).toHaveText(answered);

  await page.getByLabel('From (UTC)').fill('2026-03-04T13:00:00');
  await expect(page.getByRole('alert')).toHaveText('Ends before it starts: choose a To after the From.');
  await expect(page.getByLabel('From (UTC)')).toHaveAttribute('aria-invalid', 'true');
  await run(page);
  await expect(page.getByTestId('answer-range')).toHaveText(answered);

  // Typing a later From first, then its To, passes through such a draft: the range follows once it is one.
  await page.getByLabel('To (UTC)').fill('2026-03-04T18:00:00');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await run(page);
  await expect(page.getByTestId('answer-range')).toHaveText(/^Answer for 2026-03-04 13:00 → 2026-03-04 18:00 UTC$/);
});

test("a query over 100,000 characters is refused as it is pasted, in the app's words, and Run does not send it", async ({
  page,
}) => {
  await page.goto(`${e2eEnv('origin')}/#explore`);
  await setQuery(page, `-- ${'x'.repeat(100_000)}\nfields srcAddr | limit 5`);
  const alert = page.getByRole('alert').filter({ hasText: 'This query has 100,028 characters and does not run.' });
  await expect(alert).toContainText('A query has at most 100,000 characters here');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  // Only the run of the shortened text reaches the engine (the first would have come back "Bad input for …").
  await runAndWait(page, 'fields srcAddr | limit 5');
  await expect(alert).toHaveCount(0);
  await expect(queryResults(page)).toHaveAttribute('data-finished-runs', '1');
  await expect(page.getByText(/Bad input/)).toHaveCount(0);
});

test('an answer the text may not mean says why: a misspelt field, main.flows past the range', async ({ page }) => {
  await page.goto(`${e2eEnv('origin')}/#explore`);
  const warnings = page.getByRole('list', { name: 'Warnings about this answer' });
  // As in CloudWatch, a field the records lack groups every record under null: the answer says so.
  await runAndWait(page, 'filter dstPort = 22 | stats count(*) as n by srcAdr');
  await expect(warnings).toContainText('Line 1, column 46 No field `srcAdr` here: it is null in every record.');
  await expect(warnings).toContainText('in every record. (did you mean `srcAddr`?)');
  await warnings.getByRole('button', { name: 'Line 1, column 46' }).click();
  await expect
    .poll(() =>
      queryEditor(page).evaluate((el) =>
        (el.getRootNode() as ShadowRoot & { getSelection?: () => Selection | null }).getSelection?.()?.toString(),
      ),
    )
    .toBe('srcAdr');

  await page.getByLabel('Time range').selectOption({ label: 'Last hour of data' });
  await page.getByLabel('Language').selectOption({ label: 'SQL' });
  await runAndWait(page, 'SELECT count(*) AS every_record FROM main.flows');
  await expect(warnings).toHaveText(
    /`main.flows` reads every record of the workspace: the time range applies to `flows` only/,
  );
  await runAndWait(page, 'SELECT count(*) AS in_the_range FROM flows');
  await expect(warnings).toHaveCount(0);
});

test('an answer without rows draws no chart and says no record matched in its range', async ({ page }) => {
  await page.goto(`${e2eEnv('origin')}/#explore`);
  // A Sankey's shape (two addresses and a measure), with an address the demo does not have.
  await runAndWait(page, 'filter srcAddr = "172.20.0.10" | stats sum(bytes) as b by srcAddr, dstAddr');
  await expect(resultStatus(page)).toContainText(/\b0 rows\b/);
  await expect(page.getByRole('note').filter({ hasText: 'No record matched in the whole workspace.' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Chart' })).toHaveCount(0);

  // A range beside the data held no record at all: the answer says where the records are.
  await page.getByLabel('Time range').selectOption({ label: 'Custom…' });
  await page.getByLabel('From (UTC)').fill('2027-01-01T00:00:00');
  await page.getByLabel('To (UTC)').fill('2027-01-02T00:00:00');
  const held =
    "No record in 2027-01-01 00:00 → 2027-01-02 00:00 UTC: the workspace's records span 2026-03-02 00:00 → 2026-03-05 00:00 UTC.";
  await runAndWait(page, 'fields srcAddr, dstAddr');
  await expect(page.getByRole('note').filter({ hasText: held })).toBeVisible();
  // A count of nothing is a row (0): it says the same.
  await runAndWait(page, 'stats count(*) as flows');
  await expect(resultStatus(page)).toContainText(/\b1 row\b/);
  await expect(page.getByRole('note').filter({ hasText: held })).toBeVisible();
});

test("a tab's first screen offers questions to ask in one click, each in a language the box reads", async ({
  page,
}) => {
  await page.goto(`${e2eEnv('origin')}/#explore`);
  const examples = page.getByRole('group', { name: 'Example queries' });
  await expect(examples.getByRole('button')).toHaveText([
    'Top talkers',
    'Traffic over time',
    'Rejected ports (Sumo)',
    'Records per action (SQL)',
  ]);
  await afterNextRun(page, () => examples.getByRole('button', { name: 'Records per action (SQL)' }).click());
  await expect(page.getByText('Detected: SQL')).toBeVisible();
  await expect(resultStatus(page)).toContainText(/\b3 rows\b/);
  await expect(queryEditor(page)).toContainText('SELECT action, count(*) AS records');
  await expect(examples).toHaveCount(0);
});

test("a min of start reads as start does: epoch seconds, not a count's thousands", async ({ page }) => {
  await page.goto(`${e2eEnv('origin')}/#explore`);
  await page.getByLabel('Language').selectOption({ label: 'SQL' });
  await runAndWait(
    page,
    "SELECT dstport, min(start) first_seen, start FROM flows WHERE action = 'REJECT' GROUP BY dstport, start ORDER BY 1, 3 LIMIT 5",
  );
  const cells = resultsGrid(page).getByRole('row').nth(1).getByRole('gridcell');
  await expect(cells.nth(1)).toHaveText(/^\d{10}(\s|$)/);
  await expect(cells.nth(2)).toHaveText(/^\d{10}(\s|$)/);
});

test.describe('times in local time', () => {
  test.use({ timezoneId: 'America/New_York' });

  test("a time column's header names the zone its times read in", async ({ page }) => {
    await page.goto(`${e2eEnv('origin')}/#explore`);
    await runAndWait(page, 'fields @timestamp, srcAddr | sort @timestamp desc | limit 5');
    const header = resultsGrid(page).getByRole('columnheader', { name: '@timestamp' });
    await expect(header).toContainText('(UTC)');
    await page.getByLabel('Times in').selectOption({ label: 'Local time' });
    await expect(header).toContainText('(America/New_York)');
    await expect(resultsGrid(page).getByRole('row').nth(1).getByRole('gridcell').first()).toHaveText(
      /^2026-03-04 18:\d\d:\d\d(\s|$)/,
    );
    await page.getByLabel('Time range').selectOption({ label: 'Custom…' });
    await expect(page.getByLabel('From (America/New_York)')).toBeVisible();
  });
});

test.describe('custom range ends in local time', () => {
  test.use({ timezoneId: 'America/New_York', viewport: { width: 1280, height: 720 } });

  test('are ISO with a 24-hour clock, and the hour a DST fall-back repeats keeps its offset both ways', async ({
    page,
  }, testInfo) => {
    await page.goto(`${e2eEnv('origin')}/#explore`);
    await page.getByLabel('Times in').selectOption({ label: 'Local time' });
    await page.getByLabel('Time range').selectOption({ label: 'Last 24 hours of data' });
    await page.getByLabel('Time range').selectOption({ label: 'Custom…' });
    const from = page.getByLabel('From (America/New_York)');
    const to = page.getByLabel('To (America/New_York)');
    await expect(from).toHaveValue(/^2026-03-0\d \d\d:\d\d:\d\d$/);
    await expect(to).toHaveValue(/^2026-03-0\d \d\d:\d\d:\d\d$/);
    await page.screenshot({ path: testInfo.outputPath('custom-range-iso.png') });

    // 01:30 is there twice on 2025-11-02: the hour between is a range, written and read back as typed.
    await from.fill('2025-11-02 01:30:00 -04:00');
    await to.fill('2025-11-02 01:30:00 -05:00');
    await to.blur();
    await expect(from).toHaveValue('2025-11-02 01:30:00 -04:00');
    await expect(to).toHaveValue('2025-11-02 01:30:00 -05:00');
    await expect(page.getByRole('alert')).toHaveCount(0);
    await runAndWait(page, 'stats count(*) as flows');
    await expect(page.getByTestId('answer-range')).toHaveText(
      'Answer for 2025-11-02 01:30 -04:00 → 2025-11-02 01:30 -05:00 America/New_York',
    );

    // What is not a time says so, and the range in force stays.
    await from.fill('11/02/2025, 1:30 AM');
    await expect(page.getByRole('alert')).toHaveText(
      'From is not a time: write it as 2026-03-03 23:59:58 (24-hour clock).',
    );
    await expect(from).toHaveAttribute('aria-invalid', 'true');
  });
});

test('a reload keeps every tab, its text unrun or not, its language and which tab was in front', async ({ page }) => {
  await page.goto(`${e2eEnv('origin')}/#explore`);
  await runAndWait(page, 'stats count(*) as flows by action');
  await page.getByRole('button', { name: 'New query tab' }).click();
  await page.getByLabel('Language').selectOption({ label: 'SQL' });
  await queryEditor(page).click();
  await page.keyboard.type('SELECT 42 AS not_run_yet');
  await page.reload();
  await expect(page.getByRole('tab')).toHaveText(['Query 1', 'Query 2']);
  await expect(queryEditor(page)).toHaveText('SELECT 42 AS not_run_yet');
  await expect(page.getByLabel('Language')).toHaveValue('sql');
  await page.getByRole('tab', { name: 'Query 1' }).click();
  await expect(queryEditor(page)).toHaveText('stats count(*) as flows by action');
  await page.getByRole('button', { name: 'New query tab' }).click();
  await expect(page.getByRole('tab').last()).toHaveText('Query 3');
});
