import { defineConfig } from '@playwright/test';
import { CHROMIUM_LAUNCH } from './tests/support/chromium';

/**
 * End-to-end suites. `browser`: Debian's Chromium against a real `flowscope serve` on a temp copy of the
 * demo workspace (started by the global setup). `electron`: the unpackaged app through `_electron`,
 * skipped with its reason where the Electron binary is not installed.
 */
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
        launchOptions: CHROMIUM_LAUNCH,
      },
    },
    { name: 'electron', testMatch: 'electron/**/*.spec.ts' },
  ],
});
