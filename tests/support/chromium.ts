/**
 * How the Playwright suites and the dashboard benchmark start their browser: the one `find-browser.mjs`
 * finds, quiet, without the sandbox (containers) or a GPU.
 */
import { findBrowser } from './find-browser.mjs';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Playwright's launch options for the browser found; without one, an error that says what to install. */
export function chromiumLaunch(): { executablePath: string; args: string[] } {
  const browser = findBrowser();
  if ('missing' in browser) throw new Error(browser.missing);
  return { executablePath: browser.path, args: CHROMIUM_ARGS };
}
