/**
 * Electron's security checklist, applied to every web contents the app creates: no navigation away from
 * the app (which also stops a dropped file from replacing the page), no new windows, no <webview>, no
 * permission grants, and external links opened in the user's browser only when they are on the list.
 */
import type { App, IpcMainEvent, Session, WebContents } from 'electron';

export const APP_ORIGIN = 'app://flowscope';

/** Documentation sites the app may link to; anything else is not opened at all. */
const EXTERNAL_ALLOWED = [
  /^https:\/\/docs\.aws\.amazon\.com\//,
  /^https:\/\/duckdb\.org\//,
  /^https:\/\/github\.com\/[\w.-]+\/flowscope\b/,
];

export function isAllowedExternalUrl(url: string): boolean {
  return EXTERNAL_ALLOWED.some((pattern) => pattern.test(url));
}

export function isAppUrl(url: string): boolean {
  try {
    // Node's URL gives custom schemes an opaque ("null") origin, so compare scheme and host.
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/** Only the main frame of one of our own windows, showing our own page, may talk to main. */
export function isTrustedSender(event: Pick<IpcMainEvent, 'sender' | 'senderFrame'>): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame === event.sender.mainFrame && isAppUrl(frame.url);
}

export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

export function lockDownWebContents(app: App, openExternal: (url: string) => Promise<void>): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isAllowedExternalUrl(url)) void openExternal(url);
      return { action: 'deny' };
    });
  });
}
