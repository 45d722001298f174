/**
 * The first-workbench path, written once and walked by both e2e projects (browser and Electron):
 * open the demo, run an Insights query, page, change the time range, see an error, cancel a long query.
 * Each step leaves a screenshot under test-results/.
 */
import { expect, type Page, type TestInfo } from '@playwright/test';

export const INSIGHTS_QUERY = `fields @timestamp, srcAddr, dstAddr, dstPort, action, bytes
| filter action = "ACCEPT"
| sort @timestamp desc
| limit 500`;

/** Never finishes on its own: a triple self-join of the demo's flows. */
export const LONG_QUERY = 'SELECT count(*) AS n FROM flows a, flows b, flows c WHERE a.bytes + b.bytes > c.bytes';

export async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}

/** Records CSP violations in the page from its first script on, so a test can require there were none. */
export async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const fromConsole: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply|connect)/i.test(message.text())) fromConsole.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`));
  });
  return async () => [...fromConsole, ...(await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []))];
}

export function rowCount(page: Page) {
  return page.getByRole('status').filter({ hasText: /rows?\b/ });
}

export async function runQuery(page: Page, query: string, language = 'Detect'): Promise<void> {
  await page.getByLabel('Language').selectOption({ label: language });
  await page.getByLabel('Query', { exact: true }).fill(query);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
}

export async function openDemo(page: Page, testInfo: TestInfo): Promise<void> {
  const summary = page.getByRole('region', { name: 'Workspace summary' });
  await expect(summary).toContainText('Records');
  await expect(summary.getByText('30,000')).toBeVisible();
  await expect(page.getByLabel('Time range')).toHaveValue('all');
  await shot(page, testInfo, '01-opened');
}

export async function runInsightsAndPage(page: Page, testInfo: TestInfo): Promise<number> {
  await runQuery(page, INSIGHTS_QUERY, 'Logs Insights');
  const results = page.getByRole('table', { name: 'Results' });
  await expect(results.getByRole('row')).toHaveCount(101); // header + the first page of 100
  await expect(rowCount(page)).toContainText('500 rows');
  await expect(results.getByRole('columnheader', { name: 'srcAddr' })).toBeVisible();
  await shot(page, testInfo, '02-insights-results');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText('Rows 101–200 of 500')).toBeVisible();
  await expect(results.getByRole('cell', { name: '101', exact: true })).toBeVisible();
  await shot(page, testInfo, '03-second-page');
  return 500;
}

export async function narrowTimeRange(page: Page, testInfo: TestInfo): Promise<void> {
  await page.getByLabel('Time range').selectOption({ label: 'Last hour of data' });
  await page.getByLabel('Query', { exact: true }).fill('stats count(*) as flows');
  await page.getByLabel('Language').selectOption({ label: 'Logs Insights' });
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const results = page.getByRole('table', { name: 'Results' });
  await expect(rowCount(page)).toContainText('1 row');
  const lastHour = Number((await results.getByRole('cell').nth(1).innerText()).replace(/\D/g, ''));
  expect(lastHour).toBeGreaterThan(0);
  expect(lastHour).toBeLessThan(30_000);
  await shot(page, testInfo, '04-last-hour');
  await page.getByLabel('Time range').selectOption({ label: 'Whole workspace' });
  await page.getByLabel('Query', { exact: true }).press('Control+Enter');
  await expect(results.getByRole('cell', { name: '30000', exact: true })).toBeVisible();
}

export async function seeQueryError(page: Page, testInfo: TestInfo): Promise<void> {
  await runQuery(page, 'fields srcAddr\n| filter dstPort >', 'Logs Insights');
  const error = page.getByRole('alert', { name: 'Query error' });
  await expect(error).toBeVisible();
  await expect(error).toContainText(/Line 2, column \d+/);
  await shot(page, testInfo, '05-query-error');
}

export async function cancelLongQuery(page: Page, testInfo: TestInfo): Promise<void> {
  await runQuery(page, LONG_QUERY, 'SQL');
  await expect(page.getByText('Running…')).toBeVisible();
  await shot(page, testInfo, '06-long-query-running');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByText('Query cancelled.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeEnabled();
  await shot(page, testInfo, '07-cancelled');
}
