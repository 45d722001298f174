/**
 * Where the Electron binary is, or null: `electron` is an optional dependency (its installer needs
 * Node 22.12+ and a download), so a checkout may well be without it.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

export const NO_ELECTRON_MESSAGE =
  'Flowscope: the Electron binary is not installed here (the desktop app needs Node.js 22.12+ and Electron downloaded at npm install); run `npm run serve` to use Flowscope in your browser.';

export function electronBinary() {
  try {
    const path = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}
