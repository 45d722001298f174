/**
 * The app:// scheme against a double of Electron's `protocol` that keeps what it is given: the scheme's
 * privileges, and a handler the test calls with real `Request`s over a real renderer folder.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { CustomScheme, Protocol } from 'electron';
import { registerAppScheme, serveAppScheme } from '../../../main/electron/app-protocol';

/** Written out here, not imported: the test must fail when any directive of the app's policy changes. */
const APP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const outside = mkdtempSync(join(tmpdir(), 'flowscope-app-protocol-'));
const rendererDir = join(outside, 'renderer');
writeFileSync(join(outside, 'secret.txt'), 'not for the page');
mkdirSync(rendererDir);
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Flowscope</title>');
after(() => rmSync(outside, { recursive: true, force: true }));

function protocolDouble() {
  const kept: { schemes: CustomScheme[]; handler: ((request: Request) => Promise<Response>) | null } = {
    schemes: [],
    handler: null,
  };
  const protocol = {
    registerSchemesAsPrivileged: (schemes: CustomScheme[]) => kept.schemes.push(...schemes),
    handle: (_scheme: string, handler: (request: Request) => Promise<Response>) => (kept.handler = handler),
  };
  return { protocol: protocol as unknown as Protocol, kept };
}

test('app:// is registered standard and secure with fetch, and no privilege beyond', () => {
  const { protocol, kept } = protocolDouble();
  registerAppScheme(protocol);
  assert.deepEqual(kept.schemes, [
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
});

test('app://flowscope serves the renderer with the CSP; any other host gets nothing', async () => {
  const { protocol, kept } = protocolDouble();
  serveAppScheme(protocol, rendererDir);
  const get = (url: string) => kept.handler!(new Request(url));

  for (const url of ['app://flowscope/', 'app://flowscope/index.html']) {
    const page = await get(url);
    assert.equal(page.status, 200, url);
    assert.match(await page.text(), /<title>Flowscope<\/title>/);
    assert.equal(page.headers.get('Content-Security-Policy'), APP_CSP, url);
    assert.equal(page.headers.get('X-Content-Type-Options'), 'nosniff');
  }
  for (const url of ['app://other/index.html', 'app://flowscope.evil/index.html', 'app://localhost/index.html']) {
    const refused = await get(url);
    assert.equal(refused.status, 404, url);
    assert.equal(refused.headers.get('Content-Security-Policy'), APP_CSP, 'refusals carry the CSP too');
  }
});

test('no app:// path reaches outside the renderer folder', async () => {
  const { protocol, kept } = protocolDouble();
  serveAppScheme(protocol, rendererDir);
  for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/..%5csecret.txt', '/%00'])
    assert.equal((await kept.handler!(new Request(`app://flowscope${path}`))).status, 404, path);
});
