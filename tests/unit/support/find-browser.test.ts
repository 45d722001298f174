/**
 * How `npm test` finds its browser (tests/support/find-browser.mjs), with each kind of browser present or
 * absent: real files on a PATH of our own and a PLAYWRIGHT_BROWSERS_PATH of our own for this OS, and the
 * usual places of macOS and Windows by their paths. Nothing is downloaded.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { browserMissing, findBrowser } from '../../support/find-browser.mjs';

const root = new URL('../../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'flowscope-find-browser-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A fake executable (discovery only looks for the file; nothing runs it). */
function executable(path: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, '#!/bin/sh\nexit 0\n');
  chmodSync(path, 0o755);
  return path;
}

const noPlaywright = () => join(dir, 'no-playwright', 'chrome');

test('on Linux: Chromium, Chrome or Edge on PATH, none, CHROMIUM_PATH, and Playwright’s own first', () => {
  const empty = join(dir, 'empty-bin');
  mkdirSync(empty);
  const linux = (env: Record<string, string>, playwrightChromium = noPlaywright) =>
    findBrowser({ env, platform: 'linux', playwrightChromium });

  assert.deepEqual(linux({ PATH: empty }), { missing: browserMissing('linux') });
  for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge']) {
    const bin = join(dir, `bin-${name}`);
    const path = executable(join(bin, name));
    assert.deepEqual(linux({ PATH: `${empty}:${bin}` }), { path, source: 'system' }, name);
  }
  const both = join(dir, 'bin-both');
  executable(join(both, 'google-chrome'));
  const chromium = executable(join(both, 'chromium'));
  assert.deepEqual(linux({ PATH: both }), { path: chromium, source: 'system' }, 'Chromium before Chrome');

  const playwright = executable(join(dir, 'ms-playwright', 'chromium-1', 'chrome-linux', 'chrome'));
  assert.deepEqual(
    linux({ PATH: both }, () => playwright),
    { path: playwright, source: 'playwright' },
  );

  const chosen = executable(join(dir, 'chosen', 'chrome'));
  assert.deepEqual(
    linux({ PATH: both, CHROMIUM_PATH: chosen }, () => playwright),
    {
      path: chosen,
      source: 'CHROMIUM_PATH',
    },
  );
  const wrong = linux({ PATH: both, CHROMIUM_PATH: join(dir, 'nowhere') });
  assert.match('missing' in wrong ? wrong.missing : '', /^CHROMIUM_PATH is set to .*nowhere, which is not a browser/);
});

test('on macOS: the Applications folders (the system one and the user’s), then PATH', () => {
  const there = (...paths: string[]) => {
    const files = new Set(paths);
    return (file: string) => files.has(file);
  };
  const mac = (exists: (file: string) => boolean) =>
    findBrowser({
      env: { PATH: '/usr/bin:/opt/homebrew/bin', HOME: '/Users/me' },
      platform: 'darwin',
      exists,
      playwrightChromium: noPlaywright,
    });
  const chrome = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
  const userEdge = '/Users/me/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge';
  assert.deepEqual(mac(there(chrome)), { path: chrome, source: 'system' });
  assert.deepEqual(mac(there(userEdge)), { path: userEdge, source: 'system' });
  assert.deepEqual(mac(there('/opt/homebrew/bin/chromium')), { path: '/opt/homebrew/bin/chromium', source: 'system' });
  assert.deepEqual(mac(there()), { missing: browserMissing('darwin') });
  assert.match(browserMissing('darwin'), /Google Chrome, Chromium or Microsoft Edge in \/Applications/);
});

test('on Windows: the per-user and Program Files installs of Chrome and Edge, then PATH', () => {
  const env = {
    Path: 'C:\\Windows\\system32;C:\\Tools',
    LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local',
    PROGRAMFILES: 'C:\\Program Files',
    'PROGRAMFILES(X86)': 'C:\\Program Files (x86)',
  };
  const windows = (...paths: string[]) =>
    findBrowser({ env, platform: 'win32', exists: (file) => paths.includes(file), playwrightChromium: noPlaywright });
  const userChrome = 'C:\\Users\\me\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe';
  const edge = 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe';
  assert.deepEqual(windows(userChrome), { path: userChrome, source: 'system' });
  assert.deepEqual(windows(edge), { path: edge, source: 'system' });
  assert.deepEqual(windows('C:\\Tools\\chromium.exe'), { path: 'C:\\Tools\\chromium.exe', source: 'system' });
  assert.deepEqual(windows(), { missing: browserMissing('win32') });
});

/** Node alone on PATH (a folder with only a link to it), and a Playwright cache of our own. */
function bareEnv(playwrightDir: string): NodeJS.ProcessEnv {
  const nodeOnly = join(dir, 'node-only');
  if (!existsSync(nodeOnly)) {
    mkdirSync(nodeOnly);
    symlinkSync(process.execPath, join(nodeOnly, 'node'));
  }
  const { CHROMIUM_PATH: _chosen, ...env } = process.env;
  return { ...env, PATH: nodeOnly, PLAYWRIGHT_BROWSERS_PATH: playwrightDir };
}

test('Playwright’s own Chromium is found where Playwright keeps it (PLAYWRIGHT_BROWSERS_PATH)', () => {
  const cache = join(dir, 'playwright-cache');
  mkdirSync(cache);
  const find = () =>
    spawnSync(process.execPath, ['tests/support/find-browser.mjs'], {
      cwd: root,
      env: bareEnv(cache),
      encoding: 'utf8',
    });
  const none = find();
  assert.equal(none.status, 1);
  assert.equal(none.stderr, `${browserMissing()}\n`);
  const where = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "import { chromium } from '@playwright/test'; console.log(chromium.executablePath())",
    ],
    { cwd: root, env: bareEnv(cache), encoding: 'utf8' },
  ).stdout.trim();
  assert.ok(where.startsWith(cache), where);
  executable(where);
  assert.deepEqual(JSON.parse(find().stdout), { path: where, source: 'playwright' });
});

test('npm test without any browser stops at once with the one line saying what to install', () => {
  const cache = join(dir, 'empty-playwright-cache');
  mkdirSync(cache);
  const run = spawnSync(process.execPath, ['tests/run.mjs'], {
    cwd: root,
    env: bareEnv(cache),
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(run.status, 1);
  assert.equal(run.stdout, '');
  assert.equal(run.stderr, `${browserMissing()}\n`);
});
