/**
 * `npm run bench:ui [-- --records N]`: how soon the workbench shows the first page of a top-N after Run, in
 * browser mode, on a generated workspace (default 10 million records; the same cached workspace as
 * bench:dashboard, bench-out/dashboard-<N>/).
 *
 * A real `flowscope serve` (dashboard warm-up off, so nothing else runs), Debian's Chromium, the explore
 * page: for each query, click Run and time until the grid's first row is on the page. Each query runs five
 * times; the median is reported beside the engine's own time for the same run (the status line's "N ms",
 * measured in the engine around the query), so the ratio says what the browser, the socket and the grid
 * add. Target: the first page within 200 ms after Run.
 */
import type { Page } from '@playwright/test';
import { benchWorkspace } from './bench-workspace';
import { buildRenderer, launchBrowser, startServe, stop } from './serve-process';

const TARGET_MS = 200;
const RUNS = 5;
const records = Number(process.argv.find((a, i, all) => all[i - 1] === '--records') ?? 10_000_000);

const QUERIES: [string, string, string][] = [
  ['Insights top 10 sources', 'Logs Insights', 'stats count(*) as flows by srcAddr | sort flows desc | limit 10'],
  ['Sumo top 10 ports', 'Sumo Logic', '_sourceCategory=vpc | count by dstport | sort by _count | limit 10'],
  ['SQL top 10 by bytes', 'SQL', 'SELECT dstaddr, sum(bytes) AS total FROM flows GROUP BY 1 ORDER BY 2 DESC LIMIT 10'],
];

/** Puts text into the CodeMirror editor as one paste (typing would time the editor, not the run). */
async function setQuery(page: Page, text: string): Promise<void> {
  const editor = page.getByRole('textbox', { name: 'Query', exact: true });
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await editor.evaluate((element, pasted) => {
    const data = new DataTransfer();
    data.setData('text/plain', pasted);
    element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/** Milliseconds from the Run click until the first row of the new result is on the page, and the engine's time. */
async function timeRun(page: Page): Promise<{ ms: number; engineMs: number }> {
  const results = page.getByRole('region', { name: 'Query results' });
  const before = Number(await results.getAttribute('data-finished-runs'));
  const started = Date.now();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.waitForFunction(
    (n) => {
      const region = document.querySelector('[aria-label="Query results"]');
      return (
        Number(region?.getAttribute('data-finished-runs')) > n &&
        region?.querySelector('[role="row"][aria-rowindex="2"] [role="gridcell"]')?.textContent?.trim() !== ''
      );
    },
    before,
    { timeout: 120_000, polling: 'raf' },
  );
  const ms = Date.now() - started;
  const status = await results.getByRole('status').first().innerText();
  const engineMs = Number(/·\s*([\d.,]+)\s*ms/.exec(status)?.[1]?.replace(/,/g, '') ?? NaN);
  return { ms, engineMs };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const { workspace } = await benchWorkspace('dashboard', records);
  buildRenderer();
  const browser = await launchBrowser();
  const { url, child } = await startServe(workspace, { FLOWSCOPE_WARM_DASHBOARDS: '0' });
  const rows: { name: string; first: number; ms: number; engineMs: number }[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(url);
    await page.goto(`${url.replace(/\/\?token=.*$/, '')}/#explore`);
    await page.getByRole('region', { name: 'Workspace summary' }).getByText('Records').waitFor();
    for (const [name, language, query] of QUERIES) {
      await page.getByLabel('Language').selectOption({ label: language });
      await setQuery(page, query);
      const runs: { ms: number; engineMs: number }[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await timeRun(page));
      rows.push({
        name,
        first: runs[0]!.ms,
        ms: median(runs.map((r) => r.ms)),
        engineMs: median(runs.map((r) => r.engineMs)),
      });
    }
  } finally {
    await stop(child);
    await browser.close();
  }
  console.log(
    `\nbench:ui — first page of a top-N after Run, browser mode, ${records.toLocaleString('en-US')} records (median of ${RUNS})`,
  );
  for (const r of rows) {
    console.log(
      `  ${r.name.padEnd(26)} ${String(r.ms).padStart(6)} ms (first ${r.first} ms)   engine ${r.engineMs.toFixed(0).padStart(5)} ms   ×${(r.ms / r.engineMs).toFixed(2)} of the engine   ${r.ms < TARGET_MS ? 'under' : 'OVER'} the ${TARGET_MS} ms target`,
    );
  }
}

await main();
