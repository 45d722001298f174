/**
 * `npm run bench:dashboard [-- --records N]`: how long the built-in Overview dashboard takes to draw in the
 * browser on a generated workspace (default 10 million records, cached under bench-out/dashboard-<N>/).
 *
 * It starts a real `flowscope serve` on the workspace, opens the dashboards page in Debian's Chromium
 * (Playwright), and times from navigation until every panel has drawn: its answer arrived and its chart
 * canvas (or table) is on the page. Four openings are reported:
 *   cold       no result cache, warm-up off (FLOWSCOPE_WARM_DASHBOARDS=0): every panel runs on 10 M records
 *   warming    no result cache, a server as users get it: it starts warming the built-in dashboards when it
 *              opens the workspace (as it does after each import), and the page opens at once, meeting
 *              those runs half-way
 *   next       a new server on the same data: the warmed answers come from the workspace's panel cache
 *   reopen     the same page loaded again
 * Target: under 2 s.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { benchWorkspace } from './bench-workspace';
import { buildRenderer, launchBrowser, startServe, stop } from './serve-process';

const TARGET_MS = 2000;
const records = Number(process.argv.find((_a, i, all) => all[i - 1] === '--records') ?? 10_000_000);

/** Milliseconds from navigation until every panel of the dashboard on screen has drawn. */
async function timeToDrawn(page: Page, url: string): Promise<{ ms: number; panels: number; cached: number }> {
  const started = Date.now();
  await page.goto(url);
  await page.waitForSelector('[data-panel-id]', { timeout: 120_000 });
  await page.waitForFunction(
    () => {
      const panels = [...document.querySelectorAll('[data-panel-id]')];
      return (
        panels.length > 0 &&
        panels.every((p) => p.getAttribute('data-state') === 'done' && p.querySelector('canvas, table, svg') !== null)
      );
    },
    undefined,
    { timeout: 300_000, polling: 'raf' },
  );
  // One more frame, so what was drawn has been painted.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
  const ms = Date.now() - started;
  const panels = await page.locator('[data-panel-id]').count();
  const cached = await page.locator('[data-panel-id] .meta[title="From the result cache"]').count();
  return { ms, panels, cached };
}

/** The warm-up has written every built-in panel (20 of them) to the panel cache, or two minutes passed. */
async function waitForWarmUp(dir: string): Promise<void> {
  for (let i = 0; i < 240; i++) {
    if (existsSync(dir) && readdirSync(dir).filter((f) => f.endsWith('.json')).length >= 20) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function main(): Promise<void> {
  const { workspace } = await benchWorkspace('dashboard', records);
  buildRenderer();
  const browser = await launchBrowser();
  const results: [string, { ms: number; panels: number; cached: number }][] = [];
  const panelCache = `${workspace}.flowscope/panel-cache`;
  rmSync(panelCache, { recursive: true, force: true });
  try {
    for (const [label, warm] of [
      ['cold', '0'],
      ['warming', '1'],
      ['next', '1'],
    ] as const) {
      if (label === 'warming') rmSync(panelCache, { recursive: true, force: true });
      const { url, child } = await startServe(workspace, { FLOWSCOPE_WARM_DASHBOARDS: warm });
      try {
        const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
        const dashboards = `${url.replace(/\/\?token=.*$/, '')}/#dashboards`;
        // The token link only sets the session cookie; each timed opening is then a fresh page load.
        await page.goto(url);
        await page.goto('about:blank');
        results.push([label, await timeToDrawn(page, dashboards)]);
        if (label === 'warming') await waitForWarmUp(panelCache);
        if (label === 'next') {
          await page.goto('about:blank');
          results.push(['reopen', await timeToDrawn(page, dashboards)]);
          await page.screenshot({ path: 'bench-out/dashboard-overview.png' });
        }
        await page.close();
      } finally {
        await stop(child);
      }
    }
  } finally {
    await browser.close();
  }
  console.log(
    `\nbench:dashboard — built-in Overview dashboard, ${records.toLocaleString('en-US')} records, time until every panel has drawn`,
  );
  for (const [label, r] of results) {
    console.log(
      `  ${label.padEnd(9)} ${String(r.ms).padStart(6)} ms   ${r.panels} panels, ${r.cached} from the result cache   ${r.ms < TARGET_MS ? 'under' : 'OVER'} the ${TARGET_MS} ms target`,
    );
  }
}

await main();
