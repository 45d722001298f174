/**
 * The first-workbench path in the desktop app itself: the unpackaged app (built by build/build.mjs)
 * through Playwright's `_electron`, on a temp copy of the demo workspace. Where the Electron binary is
 * not installed (Node < 22.12, or no download) the test is skipped and says why; it never passes for
 * nothing.
 */
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findElectron } from '../../../build/electron-binary.mjs';
import { e2eEnv } from '../support/e2e-env';
import {
  cancelLongQuery,
  narrowTimeRange,
  openDemo,
  runInsightsAndPage,
  seeQueryError,
  watchCsp,
} from '../support/workbench-steps';

const root = new URL('../../../', import.meta.url).pathname;
const found = findElectron();
const binary = 'path' in found ? found.path : null;
const SKIP_REASON = 'missing' in found ? found.missing : '';
if (!binary) console.log(`[electron] skipped: ${SKIP_REASON}`);

test.describe('the workbench in the Electron app', () => {
  test.skip(!binary, SKIP_REASON);

  let app: ElectronApplication;
  let page: Page;
  let dir: string;
  let cspViolations: () => Promise<string[]>;

  test.beforeAll(async () => {
    const built = spawnSync(process.execPath, ['build/build.mjs'], { cwd: root, stdio: 'inherit' });
    expect(built.status).toBe(0);
    dir = mkdtempSync(join(tmpdir(), 'flowscope-electron-'));
    const workspace = join(dir, 'demo.duckdb');
    copyFileSync(e2eEnv('workspace'), workspace);
    app = await electron.launch({ executablePath: binary!, args: [root, `--workspace=${workspace}`], cwd: root });
    page = await app.firstWindow();
    cspViolations = await watchCsp(page);
    await page.reload();
  });

  test.afterAll(async () => {
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test.afterEach(async () => {
    expect(await cspViolations()).toEqual([]);
  });

  test('the window is sandboxed: no Node in the page, only the bridge', async () => {
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
    expect(
      await page.evaluate(() => Object.keys((window as unknown as { flowscope: object }).flowscope).sort()),
    ).toEqual(['dropFiles', 'invoke', 'on', 'onConnection', 'pickFiles', 'pickSaveTarget']);
    expect(page.url()).toMatch(/^app:\/\/flowscope\//);
  });

  test('opens the demo, runs Insights, narrows the time range, shows an error, cancels', async () => {
    const testInfo = test.info();
    await openDemo(page, testInfo);
    await runInsightsAndPage(page, testInfo);
    await narrowTimeRange(page, testInfo);
    await seeQueryError(page, testInfo);
    await cancelLongQuery(page, testInfo);
  });

  test('a reload gets a fresh engine port and keeps working', async () => {
    const testInfo = test.info();
    await page.reload();
    await openDemo(page, testInfo);
  });
});
