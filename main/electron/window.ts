/** The app's one kind of window: a workspace, rendered from app:// with every web security switch on. */
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import { APP_ORIGIN } from './security';

/** Checked by a static test: these must stay exactly so. */
export const SECURE_WEB_PREFERENCES = {
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

export function windowOptions(preload: string, title: string): BrowserWindowConstructorOptions {
  return {
    width: 1360,
    height: 880,
    minWidth: 900,
    minHeight: 560,
    title,
    show: false,
    backgroundColor: '#f6f7f9',
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload },
  };
}
