import { expect, test } from '@playwright/test';
import { e2eEnv } from '../support/e2e-env';
import {
  cancelLongQuery,
  narrowTimeRange,
  openDemo,
  runInsightsAndPage,
  seeQueryError,
  watchCsp,
} from '../support/workbench-steps';

test.use({ storageState: e2eEnv('storageState') });

test.describe('the workbench in a browser, against flowscope serve', () => {
  let cspViolations: () => Promise<string[]>;

  test.beforeEach(async ({ page }) => {
    cspViolations = await watchCsp(page);
    await page.goto(`${e2eEnv('origin')}/`);
  });

  test.afterEach(async () => {
    expect(await cspViolations()).toEqual([]);
  });

  test('opens the demo workspace and shows its summary', async ({ page }, testInfo) => {
    await openDemo(page, testInfo);
  });

  test('runs an Insights query, shows rows, row count and time, and pages to the end', async ({ page }, testInfo) => {
    await openDemo(page, testInfo);
    await runInsightsAndPage(page, testInfo);
  });

  test('a narrower time range gives fewer records', async ({ page }, testInfo) => {
    await openDemo(page, testInfo);
    await narrowTimeRange(page, testInfo);
  });

  test('a query error is shown with its position', async ({ page }, testInfo) => {
    await openDemo(page, testInfo);
    await seeQueryError(page, testInfo);
  });

  test('a long query can be cancelled', async ({ page }, testInfo) => {
    await openDemo(page, testInfo);
    await cancelLongQuery(page, testInfo);
  });
});
