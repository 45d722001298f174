/**
 * The first-workbench path, written once and walked by both e2e projects (browser and Electron):
 * open the demo, run an Insights query and scroll its result (paged from the engine), change the time
 * range, see an error, cancel a long query.
 * Each step leaves a screenshot under test-results/.
 */
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { e2eEnv } from './e2e-env';
import { queryResults, setQuery } from './query-editor';

// One way to write a query in every spec: pasted as one edit, so no completion list can take a line break.
export { setQuery };

export const INSIGHTS_QUERY = `fields @timestamp, srcAddr, dstAddr, dstPort, action, bytes
| filter action = "ACCEPT"
| sort @timestamp desc
| limit 2000`;

/** Never finishes on its own: a triple self-join of the demo's flows. */
export const LONG_QUERY = 'SELECT count(*) AS n FROM flows a, flows b, flows c WHERE a.bytes + b.bytes > c.bytes';

export async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}

/** The sizes and themes every view is photographed at. */
const SIZES = [
  { name: '1440x900', width: 1440, height: 900 },
  { name: '1280x720', width: 1280, height: 720 },
] as const;
const THEMES = ['light', 'dark'] as const;
type Theme = (typeof THEMES)[number];

/** Switches the theme with the app's own button; under a modal dialog, which keeps the button out of reach, as it would. */
async function setTheme(page: Page, theme: Theme): Promise<void> {
  if ((await page.locator('html').getAttribute('data-theme')) !== theme) {
    if ((await page.locator('dialog[open]').count()) > 0)
      await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
    else await page.getByRole('button', { name: 'Dark theme' }).click();
  }
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

/**
 * Runs `step` at each of SIZES in light and in dark, switching with the app's own theme button, and leaves the
 * page at the first size in light.
 */
export async function atEachSizeAndTheme(
  page: Page,
  step: (size: string, theme: Theme) => Promise<void>,
): Promise<void> {
  for (const viewport of SIZES) {
    await page.setViewportSize(viewport);
    for (const theme of THEMES) {
      await setTheme(page, theme);
      await step(viewport.name, theme);
    }
  }
  await setTheme(page, 'light');
  await page.setViewportSize(SIZES[0]);
}

/** Each size and theme, for a spec that runs a test of its own at each (opened with `openAt`). */
export const SIZES_AND_THEMES = SIZES.flatMap((viewport) =>
  THEMES.map((theme) => ({ viewport, theme, tag: `${viewport.name}-${theme}` })),
);

/** Opens `url` at a size and in a theme from its first paint. */
export async function openAt(
  page: Page,
  url: string,
  { viewport, theme }: (typeof SIZES_AND_THEMES)[number],
): Promise<void> {
  await page.setViewportSize(viewport);
  await page.addInitScript((t) => localStorage.setItem('flowscope.theme', t), theme);
  await page.goto(url);
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

/** Records CSP violations in the page from its first script on, so a test can require there were none. */
export async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const fromConsole: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply|connect)/i.test(message.text()))
      fromConsole.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`),
    );
  });
  return async () => [
    ...fromConsole,
    ...(await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? [])),
  ];
}

/** The status line of the results: "N rows · T ms". */
export function resultStatus(page: Page) {
  return queryResults(page).getByRole('status').first();
}

export function resultsGrid(page: Page) {
  return page.getByRole('grid', { name: 'Results' });
}

export async function runQuery(page: Page, query: string, language = 'Detect'): Promise<void> {
  await page.getByLabel('Language').selectOption({ label: language });
  await setQuery(page, query);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
}

/** The number in the first data cell of the first result row (e.g. a count). */
async function firstNumber(page: Page): Promise<number> {
  const cell = resultsGrid(page).locator('[aria-rowindex="2"]').getByRole('gridcell').first();
  return Number((await cell.innerText()).replace(/\D/g, ''));
}

export async function openDemo(page: Page, testInfo: TestInfo): Promise<void> {
  const summary = page.getByRole('region', { name: 'Workspace summary' });
  await expect(summary).toContainText('Records');
  await expect(summary.getByText('30,000')).toBeVisible();
  await expect(page.getByLabel('Time range')).toHaveValue('all');
  await shot(page, testInfo, '01-opened');
}

/** Runs an Insights query whose result is larger than what comes with the answer, then scrolls to its end. */
export async function runInsightsAndPage(page: Page, testInfo: TestInfo): Promise<void> {
  await runQuery(page, INSIGHTS_QUERY, 'Logs Insights');
  const grid = resultsGrid(page);
  // Cut short by its limit: the status says of how many records, once they are counted.
  await expect(resultStatus(page)).toContainText(/\b2,000 of [\d,]+ records\b/);
  await expect(resultStatus(page)).toContainText(/\d+(\.\d+)? m?s\b/);
  await expect(grid.getByRole('columnheader', { name: 'srcAddr' })).toBeVisible();
  await expect(grid.locator('[aria-rowindex="2"]').getByRole('gridcell').first()).toHaveText(/^2026-03-0\d/);
  await shot(page, testInfo, '02-insights-results');
  // The last rows are not in the first answer: scrolling there makes the grid page them from the engine.
  await grid.evaluate((element) => element.scrollTo(0, element.scrollHeight));
  const last = grid.locator('[aria-rowindex="2001"]');
  await expect(last.getByRole('button', { name: 'Select row 2000', exact: true })).toBeVisible();
  await expect(last.getByRole('gridcell').first()).toHaveText(/^2026-03-0\d/);
  await shot(page, testInfo, '03-last-rows');
}

export async function narrowTimeRange(page: Page, testInfo: TestInfo): Promise<void> {
  await runQuery(page, 'stats count(*) as flows', 'Logs Insights');
  await expect(resultStatus(page)).toContainText(/\b1 row\b/);
  expect(await firstNumber(page)).toBe(30_000);
  await page.getByLabel('Time range').selectOption({ label: 'Last hour of data' });
  await page.getByRole('textbox', { name: 'Query', exact: true }).press('ControlOrMeta+Enter');
  await expect.poll(() => firstNumber(page)).toBeLessThan(30_000);
  expect(await firstNumber(page)).toBeGreaterThan(0);
  await shot(page, testInfo, '04-last-hour');
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

/**
 * Chromium's report of a connection refused by a port nobody listens on: the page reconnecting (its WebSocket)
 * or loading a resource after a test closed its own server (`own-server.ts`), before the checks after the
 * test read the console (seen once under a machine load of 13, after the storage upgrade's test). A page that
 * never reached its server fails the test's own steps.
 */
const serverGone = (text: string) =>
  /^WebSocket connection to '.*' failed: .*ERR_CONNECTION_REFUSED/.test(text) ||
  text === 'Failed to load resource: net::ERR_CONNECTION_REFUSED';

/** Called in a describe block: each of its tests must end with no CSP violation and no console or page error. */
export function requireCleanConsole(): void {
  let cspViolations: () => Promise<string[]>;
  let consoleErrors: string[];
  test.beforeEach(async ({ page }) => {
    cspViolations = await watchCsp(page);
    consoleErrors = [];
    page.on('console', (m) => m.type() === 'error' && !serverGone(m.text()) && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(e.message));
  });
  test.afterEach(async () => {
    expect(await cspViolations()).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
}

/**
 * Opens the Saved queries view once the page is connected to the engine (its list is read when the socket
 * opens): a file picked before that is refused with "Not connected to the engine.", as CI once was quick
 * enough to do.
 */
export async function openLibrary(page: Page): Promise<void> {
  await page.goto(`${e2eEnv('origin')}/#library`);
  await expect(page.getByRole('list', { name: 'Saved query list' }).getByRole('listitem').first()).toBeVisible();
}

/**
 * Drops a text file on the window, as a drag from the desktop does. Waits for the workbench first: the app
 * mounts after the page's load event, and a drop before then reaches no one.
 */
export async function dropFile(page: Page, name: string, content: string): Promise<void> {
  await expect(page.getByRole('button', { name: 'Pull from AWS…' })).toBeVisible();
  await page.evaluate(
    ({ name, content }) => {
      const data = new DataTransfer();
      data.items.add(new File([content], name, { type: 'text/plain' }));
      for (const type of ['dragenter', 'dragover', 'drop'])
        window.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    },
    { name, content },
  );
}

/**
 * Opens "Pull from AWS", fills the fields named by their labels (after choosing CloudWatch Logs when
 * `source` says so) and starts the pull; the dialog closes and the job's card takes over.
 */
export async function startPull(
  page: Page,
  source: 'S3' | 'CloudWatch Logs',
  fields: Record<string, string>,
): Promise<void> {
  await page.getByRole('button', { name: 'Pull from AWS…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Pull from AWS' });
  // An expectation, not the first fill's wait: if the dialog is not there, the failure is this one, within
  // the expect timeout, and comes with the page's snapshot (a test timeout left CI none, twice, in this step).
  await expect(dialog.getByRole('radio', { name: 'S3 bucket' })).toBeVisible();
  if (source === 'CloudWatch Logs') await dialog.getByLabel('CloudWatch Logs').check();
  for (const [label, value] of Object.entries(fields)) await dialog.getByLabel(label, { exact: true }).fill(value);
  await dialog.getByRole('button', { name: 'Start pull' }).click();
  await expect(dialog).toBeHidden();
}

/** An S3 pull of everything under `AWSLogs/` in a test server's bucket, with any `more` fields filled. */
export function startS3Pull(
  page: Page,
  s3: { endpoint: string; bucket: string },
  more: Record<string, string> = {},
): Promise<void> {
  return startPull(page, 'S3', {
    'Endpoint URL (optional)': s3.endpoint,
    Bucket: s3.bucket,
    Prefix: 'AWSLogs/',
    ...more,
  });
}
