/**
 * Run again before the last run is over: the workbench stops on the engine what it asked for the answer it
 * will no longer show (the running query, and a shown answer's chart data, counts, histogram and fields),
 * and only the newest answer is shown. Read off the page's own socket: the `query.cancel` it sends, and the
 * engine's answers to it and to the stopped requests.
 */
import { expect, test, type Page } from '@playwright/test';
import { e2eEnv } from '../support/e2e-env';
import { afterNextRun, queryEditor, queryResults as results, runAndWait, setQuery } from '../support/query-editor';
import { cancelOf, recordCalls } from '../support/socket-calls';
import { atEachSizeAndTheme, LONG_QUERY, requireCleanConsole } from '../support/workbench-steps';

const grid = (page: Page) => page.getByRole('grid', { name: 'Results' });

/** Runs again from the keyboard, as an analyst who edited the text while the last run went on. */
async function runAgain(page: Page, text: string) {
  await setQuery(page, text);
  await queryEditor(page).press('ControlOrMeta+Enter');
}

test.describe('a new run stops what the last one still asks of the engine', () => {
  test.use({ storageState: e2eEnv('storageState') });
  requireCleanConsole();

  test('a query still running is cancelled on the engine, and only the new answer shows', async ({ page }) => {
    const calls = recordCalls(page);
    await page.goto(`${e2eEnv('origin')}/#explore`);
    await page.getByLabel('Language').selectOption({ label: 'Detect' });
    await setQuery(page, LONG_QUERY);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(results(page).getByRole('status').first()).toHaveText(/^Running… \d+ s$/);
    const slow = calls.find((c) => c.channel === 'query.run' && c.input.query === LONG_QUERY)!;

    await runAgain(page, 'stats count(*) as flows by action');
    await expect(grid(page).getByRole('columnheader', { name: /flows/ })).toBeVisible();
    await expect
      .poll(() => slow.answer?.error?.code, { message: 'the slow query ended as cancelled' })
      .toBe('cancelled');
    await expect.poll(() => cancelOf(calls, slow.input.queryId)?.answer?.value).toEqual({ cancelled: true });
    await expect(results(page).getByRole('status').first()).toContainText(/\d+ rows?/);
    await expect(results(page).getByRole('status').first()).not.toContainText('cancelled');
    await expect(grid(page).getByRole('columnheader', { name: /^n\b/ })).toHaveCount(0);
  });

  test("the shown answer's follow-ups still in flight are cancelled on the engine when the query runs again", async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const calls = recordCalls(page);
    await page.goto(`${e2eEnv('origin')}/#explore`);
    await page.getByLabel('Language').selectOption({ label: 'SQL' });
    // Six million distinct texts: counting the field's values takes seconds, far longer than a run takes to
    // follow it from the keyboard.
    const big = 'SELECT (range * 2654435761 % 4294967296)::VARCHAR AS h FROM range(6000000)';
    await setQuery(page, big);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => calls.some((c) => c.channel === 'query.fields'), { timeout: 90_000 }).toBe(true);
    const resultId = calls.find((c) => c.channel === 'query.fields')!.input.resultId;

    await page.getByLabel('Language').selectOption({ label: 'Detect' });
    await runAgain(page, 'stats count(*) as flows by action');
    await expect(grid(page).getByRole('columnheader', { name: /flows/ })).toBeVisible();

    const followUps = calls.filter((c) => c.channel !== 'query.cancel' && c.input.resultId === resultId);
    const fields = followUps.find((c) => c.channel === 'query.fields')!;
    await expect.poll(() => fields.answer?.error?.code, { message: 'the fields ended as cancelled' }).toBe('cancelled');
    await expect.poll(() => cancelOf(calls, fields.input.queryId)?.answer?.value).toEqual({ cancelled: true });
    // Every follow-up of the old answer either answered before the new run, or was cancelled: none is left.
    for (const call of followUps) {
      await expect.poll(() => call.answer !== undefined, { message: call.channel }).toBe(true);
      if (call.answer?.ok === false) expect(call.answer.error?.code, call.channel).toBe('cancelled');
    }
    // The fields shown are the new answer's.
    await expect(page.getByRole('complementary', { name: 'Fields' })).toContainText('action');
    await expect(page.getByRole('complementary', { name: 'Fields' })).not.toContainText(/\bh\b/);
  });
});

test.describe('the last answer while the next run goes', () => {
  test.use({ storageState: e2eEnv('storageState') });
  requireCleanConsole();

  test('is faded and busy, so it is not read as the new answer', async ({ page }, testInfo) => {
    await page.goto(`${e2eEnv('origin')}/#explore`);
    await page.getByLabel('Language').selectOption({ label: 'Detect' });
    await setQuery(page, 'stats sum(bytes) as total, count(*) as flows by dstPort | sort total desc');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(grid(page).getByRole('columnheader', { name: /flows/ })).toBeVisible();
    await setQuery(page, LONG_QUERY);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const last = results(page).locator('[aria-busy="true"]');
    await expect(last).toBeVisible();
    await expect.poll(() => last.evaluate((e) => Number(getComputedStyle(e).opacity))).toBeLessThan(0.6);
    await atEachSizeAndTheme(page, async (size, theme) => {
      await page.screenshot({ path: testInfo.outputPath(`last-answer-while-running-${size}-${theme}.png`) });
    });
    await page.keyboard.press('Escape');
    await expect(results(page).getByRole('status').first()).toHaveText('Query cancelled.');
  });
});

test.describe('a tab whose answer the engine no longer keeps', () => {
  test.use({ storageState: e2eEnv('storageState') });
  requireCleanConsole();

  test('says so in plain words, drops the stale grid, chart and status, and runs again', async ({ page }, testInfo) => {
    test.setTimeout(120_000);
    await page.goto(`${e2eEnv('origin')}/#explore`);
    await runAndWait(page, 'stats count(*) as flows by action');
    await expect(grid(page).getByRole('columnheader', { name: /flows/ })).toBeVisible();

    // The engine keeps the latest workbench results of all tabs: nine runs in another tab push this one out.
    await page.getByRole('button', { name: 'New query tab' }).click();
    for (let i = 0; i < 9; i++) await runAndWait(page, `stats count(*) as n${i} by dstPort`);
    await page.getByRole('tab', { name: 'Query 1' }).click();

    const status = results(page).getByRole('status').first();
    await expect(status).toContainText("This tab's result is no longer kept");
    await expect(status).not.toContainText(/\br\d+\b/);
    await expect(grid(page)).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Pin to dashboard' })).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Export result as CSV' })).toBeDisabled();
    await page.screenshot({ path: testInfo.outputPath('result-no-longer-kept.png') });

    await afterNextRun(page, () => status.getByRole('button', { name: 'Run again' }).click());
    await expect(grid(page).getByRole('columnheader', { name: /flows/ })).toBeVisible();
    await expect(status).toContainText(/\d+ rows?/);
  });
});
