/** The app's one kind of window: a workspace, rendered from app:// with every web security switch on. */
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import { APP_ORIGIN } from './security';

/** Electron's secure defaults and then some, spelled out so that a changed default cannot loosen them. */
const SECURE_WEB_PREFERENCES = {
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
} as const satisfies WebPreferences;

export const RENDERER_URL = `${APP_ORIGIN}/index.html`;

/** `packaged`: the shipped app, where the developer tools cannot be opened at all. */
export function windowOptions(preload: string, title: string, packaged: boolean): BrowserWindowConstructorOptions {
  return {
    width: 1360,
    height: 880,
    minWidth: 900,
    minHeight: 560,
    title,
    show: false,
    backgroundColor: '#f6f7f9',
    webPreferences: { ...SECURE_WEB_PREFERENCES, devTools: !packaged, preload },
  };
}
