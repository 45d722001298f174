import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { windowOptions } from '../../../main/electron/window';

const root = new URL('../../../', import.meta.url).pathname;

/** Written out here, not imported: the test must fail when any value in window.ts changes. */
const ELEVEN_SECURE_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  spellcheck: false,
};

test('a workspace window has all eleven secure web preferences, its preload, and nothing else', () => {
  assert.equal(Object.keys(ELEVEN_SECURE_PREFERENCES).length, 11);
  assert.deepEqual(windowOptions('/app/preload.cjs', 'Flowscope', false).webPreferences, {
    ...ELEVEN_SECURE_PREFERENCES,
    devTools: true,
    preload: '/app/preload.cjs',
  });
});

test('the developer tools cannot be opened in the packaged app', () => {
  assert.equal(windowOptions('/p.cjs', 'x', true).webPreferences?.devTools, false);
  assert.equal(windowOptions('/p.cjs', 'x', false).webPreferences?.devTools, true);
});

test('every BrowserWindow in main/electron is made with windowOptions, and no source loosens a preference', () => {
  const sources = readdirSync(`${root}main/electron`).filter((f) => f.endsWith('.ts'));
  let windows = 0;
  for (const file of sources) {
    const text = readFileSync(`${root}main/electron/${file}`, 'utf8');
    for (const call of text.matchAll(/new BrowserWindow\(([^)]*)\)/g)) {
      windows++;
      assert.match(call[1]!, /^windowOptions\(/, `${file}: ${call[0]}`);
    }
    assert.doesNotMatch(
      text,
      /nodeIntegration\w*:\s*true|contextIsolation:\s*false|sandbox:\s*false|webSecurity:\s*false|webviewTag:\s*true|allowRunningInsecureContent:\s*true|experimentalFeatures:\s*true|enableBlinkFeatures|file:\/\//,
      file,
    );
  }
  assert.equal(windows, 1, 'main.ts makes its windows in one place');
});
