import { defineConfig } from '@playwright/test';
import { findBrowser } from './tests/support/find-browser.mjs';

/**
 * End-to-end suites. `browser`: a Chromium-family browser (found by tests/support/find-browser.mjs:
 * CHROMIUM_PATH, Playwright's own Chromium, or one installed on the machine; Debian's in CI) against a real
 * `flowscope serve` on a temp copy of the demo workspace (started by the global setup). `electron`: the
 * unpackaged app through `_electron`, skipped with its reason where the Electron binary is not installed.
 */
const browser = findBrowser();
if ('missing' in browser) {
  console.error(browser.missing);
  process.exit(1);
}

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [
    ['list'],
    ['json', { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? 'test-results/playwright.json' }],
  ],
  globalSetup: './tests/e2e/support/global-setup.ts',
  projects: [
    {
      name: 'browser',
      testMatch: 'browser/**/*.spec.ts',
      use: {
        browserName: 'chromium',
        headless: true,
        viewport: { width: 1360, height: 860 },
        launchOptions: {
          executablePath: browser.path,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
    { name: 'electron', testMatch: 'electron/**/*.spec.ts' },
  ],
});
