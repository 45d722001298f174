/**
 * Dashboard panels at 1280×720 read whole, found by an outside probe (s11): nine built-in panel titles were
 * cut with "…" ("Top 10 REJECT destination addresse…") beside the panel's range and Open.
 */
import { expect, test } from '@playwright/test';
import { e2eEnv } from '../support/e2e-env';
import { requireCleanConsole } from '../support/workbench-steps';

test.describe('dashboard panels at 1280×720', () => {
  test.use({ storageState: e2eEnv('storageState'), viewport: { width: 1280, height: 720 } });
  requireCleanConsole();

  test('every panel title is shown whole, on a second line where it needs one, and named whole on hover', async ({
    page,
  }) => {
    await page.goto(`${e2eEnv('origin')}/#dashboards`);
    const picker = page.getByLabel('Dashboard', { exact: true });
    for (const [name, panel] of [
      ['Accepts and Rejects', 'Top 10 REJECT destination addresses'],
      ['Live - Rejections', 'Top 10 REJECT Destination Addresses, Ports'],
    ] as const) {
      // Chosen again until it shows: the view opens on the dashboard open last (another test's, in the whole
      // suite), which can arrive after a choice made at once.
      await expect(async () => {
        const label = (await picker.locator('option').allTextContents()).find((o) => o.includes(name))!;
        await picker.selectOption({ label });
        await expect(page.locator('article[data-panel-id] header h2', { hasText: panel }).first()).toBeVisible({
          timeout: 5_000,
        });
      }).toPass({ timeout: 60_000 });
      const titles = await page.locator('article[data-panel-id] header h2').evaluateAll((list) =>
        list.map((h) => ({
          text: h.textContent ?? '',
          title: h.getAttribute('title'),
          cut: h.scrollWidth > h.clientWidth + 1 || h.scrollHeight > h.clientHeight + 1,
          lines: Math.round(
            h.clientHeight /
              (parseFloat(getComputedStyle(h).lineHeight) || 1.2 * parseFloat(getComputedStyle(h).fontSize)),
          ),
        })),
      );
      expect(titles.length).toBeGreaterThan(3);
      for (const t of titles) {
        expect(t.title).toBe(t.text);
        expect(t.cut, `"${t.text}" is cut`).toBe(false);
        expect(t.lines, `"${t.text}" on ${t.lines} lines`).toBeLessThanOrEqual(2);
      }
    }
  });
});
