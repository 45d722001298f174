/**
 * The browser the end-to-end tests drive, found without downloading anything, on Linux, macOS and Windows:
 *   1. `CHROMIUM_PATH`, when set: an explicit choice wins (and a wrong one is said, not skipped);
 *   2. Playwright's own Chromium, when `npx playwright install chromium` has put it in place
 *      (where Playwright keeps it: its cache, or `PLAYWRIGHT_BROWSERS_PATH`);
 *   3. a Chromium, Google Chrome or Microsoft Edge installed the usual way: on `PATH`, and in the
 *      Applications folders on macOS or the Program Files and per-user folders on Windows.
 * None found: `browserMissing()` is the one line that says what to install. `node tests/support/find-browser.mjs`
 * prints what it finds, as JSON, or that line (exit code 1).
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

/** Executable names on PATH, best first (Debian's and Fedora's Chromium, Chrome, Edge). */
const PATH_NAMES = [
  'chromium',
  'chromium-browser',
  'google-chrome',
  'google-chrome-stable',
  'microsoft-edge',
  'microsoft-edge-stable',
];

const MAC_APPS = [
  'Chromium.app/Contents/MacOS/Chromium',
  'Google Chrome.app/Contents/MacOS/Google Chrome',
  'Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
];

const WINDOWS_APPS = [
  'Chromium\\Application\\chrome.exe',
  'Google\\Chrome\\Application\\chrome.exe',
  'Microsoft\\Edge\\Application\\msedge.exe',
];

const isFile = (file) => {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
};

/**
 * @param {object} [options]
 * @param {Record<string, string | undefined>} [options.env]
 * @param {NodeJS.Platform} [options.platform]
 * @param {(file: string) => boolean} [options.exists] whether an executable file is there
 * @param {() => string | null} [options.playwrightChromium] where Playwright keeps its Chromium
 * @returns {{ path: string, source: 'CHROMIUM_PATH' | 'playwright' | 'system' } | { missing: string }}
 */
export function findBrowser({
  env = process.env,
  platform = process.platform,
  exists = isFile,
  playwrightChromium = defaultPlaywrightChromium,
} = {}) {
  if (env.CHROMIUM_PATH) {
    return exists(env.CHROMIUM_PATH)
      ? { path: env.CHROMIUM_PATH, source: 'CHROMIUM_PATH' }
      : {
          missing: `CHROMIUM_PATH is set to ${env.CHROMIUM_PATH}, which is not a browser executable: fix or unset it.`,
        };
  }
  const playwright = playwrightChromium();
  if (playwright && exists(playwright)) return { path: playwright, source: 'playwright' };
  const system = systemBrowsers(env, platform).find(exists);
  return system ? { path: system, source: 'system' } : { missing: browserMissing(platform) };
}

/** Where a Chromium-family browser is usually installed, best first. */
export function systemBrowsers(env, platform) {
  const files = platform === 'win32' ? path.win32 : path.posix;
  const dirs = (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : ':').filter(Boolean);
  const exe = platform === 'win32' ? '.exe' : '';
  const onPath = dirs.flatMap((dir) => PATH_NAMES.map((name) => files.join(dir, name + exe)));
  if (platform === 'darwin') {
    const roots = ['/Applications', ...(env.HOME ? [files.join(env.HOME, 'Applications')] : [])];
    return [...roots.flatMap((root) => MAC_APPS.map((app) => files.join(root, app))), ...onPath];
  }
  if (platform === 'win32') {
    const roots = [
      env.LOCALAPPDATA,
      env.PROGRAMFILES,
      env['PROGRAMFILES(X86)'],
      env.ProgramFiles,
      env['ProgramFiles(x86)'],
    ];
    const unique = [...new Set(roots.filter(Boolean))];
    return [...unique.flatMap((root) => WINDOWS_APPS.map((app) => files.join(root, app))), ...onPath];
  }
  return onPath;
}

/** The one line `npm test` stops with when there is no browser. */
export function browserMissing(platform = process.platform) {
  const system =
    platform === 'darwin'
      ? 'Google Chrome, Chromium or Microsoft Edge in /Applications'
      : platform === 'win32'
        ? 'Google Chrome or Microsoft Edge'
        : 'Chromium or Google Chrome on your PATH (Debian/Ubuntu: sudo apt install chromium)';
  return `npm test needs a Chromium-family browser for its end-to-end tests and found none: run \`npx playwright install chromium\`, or install ${system}, or set CHROMIUM_PATH to one.`;
}

/** Where Playwright keeps its own Chromium (whether or not it is there), or null. */
function defaultPlaywrightChromium() {
  try {
    return chromium.executablePath();
  } catch {
    return null;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const found = findBrowser();
  if ('missing' in found) {
    console.error(found.missing);
    process.exit(1);
  }
  console.log(JSON.stringify(found));
}
