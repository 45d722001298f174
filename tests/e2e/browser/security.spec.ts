import { expect, test } from '@playwright/test';
import { e2eEnv } from '../support/e2e-env';
import { visitOwnServer } from '../support/own-server';
import { shot } from '../support/workbench-steps';

test.describe('flowscope serve refuses who has neither cookie nor token', () => {
  test('a page request without the cookie is refused', async ({ page }, testInfo) => {
    const response = await page.goto(`${e2eEnv('origin')}/`);
    expect(response?.status()).toBe(401);
    await expect(page.getByText('Open the link that flowscope serve printed.')).toBeVisible();
    await shot(page, testInfo, 'refused-without-cookie');
  });

  test('the printed token does not work a second time', async ({ page }) => {
    const response = await page.goto(e2eEnv('usedUrl'));
    expect(response?.status()).toBe(403);
  });

  test('assets and the WebSocket are refused without the cookie', async ({ page, request }) => {
    expect((await request.get(`${e2eEnv('origin')}/index.html`)).status()).toBe(401);
    await page.goto('about:blank');
    const origin = e2eEnv('origin');
    const outcome = await page.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          const socket = new WebSocket(url);
          socket.onopen = () => resolve('open');
          socket.onerror = () => resolve('refused');
        }),
      `${origin.replace('http', 'ws')}/ws`,
    );
    expect(outcome).toBe('refused');
  });

  test('the session cookie is HttpOnly and SameSite=Strict, and the URL loses its token', async ({ browser }) => {
    const context = await browser.newContext({ storageState: e2eEnv('storageState') });
    const [cookie] = (await context.cookies()).filter((c) => c.name.startsWith('flowscope_session'));
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Strict');
    const page = await context.newPage();
    await page.goto(`${e2eEnv('origin')}/`);
    expect(page.url()).not.toContain('token');
    expect(await page.evaluate(() => document.cookie)).toBe('');
    await context.close();
  });

  test('a second flowscope serve on the same machine leaves the first one’s session as it was', async ({ browser }) => {
    const context = await browser.newContext({ storageState: e2eEnv('storageState') });
    const page = await context.newPage();
    await visitOwnServer(page, {}, async (other) => {
      await page.goto(other.url);
      await expect(page.getByRole('button', { name: 'Pull from AWS…' })).toBeVisible();
      // Cookies are kept by host, not port: under one name, the second server's replaced the first's, whose
      // page was then refused ("Open the link that flowscope serve printed").
      const first = await page.goto(`${e2eEnv('origin')}/`);
      expect(first?.status()).toBe(200);
      await expect(page.getByRole('button', { name: 'Pull from AWS…' })).toBeVisible();
      expect((await context.cookies()).filter((c) => c.name.startsWith('flowscope_session'))).toHaveLength(2);
    });
    await context.close();
  });
});
