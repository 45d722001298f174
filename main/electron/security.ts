/**
 * Electron's security checklist, applied to every web contents the app creates: no navigation away from
 * the app in any frame (which also stops a dropped file from replacing the page), no new windows, no
 * <webview>, no permission or device grants, and external links opened in the user's browser only when
 * they are on the list. ARCHITECTURE.md lists every checklist item with its code and test.
 */
import type { App, Session, WebContents } from 'electron';

export const APP_ORIGIN = 'app://flowscope';

/**
 * The only pages a link may open in the user's browser: the references for the flow-log fields and for
 * DuckDB SQL. The renderer links nowhere today; anything else is not opened at all.
 */
const EXTERNAL_ALLOWED: readonly { host: string; path: string }[] = [
  { host: 'docs.aws.amazon.com', path: '/vpc/latest/userguide/' },
  { host: 'duckdb.org', path: '/docs/' },
];

/** Compared parsed, so no spelling of a URL (case, dots, credentials, a port, `..`) gets past the list. */
export function isAllowedExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.port) return false;
  return EXTERNAL_ALLOWED.some(({ host, path }) => parsed.hostname === host && parsed.pathname.startsWith(path));
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

/** The app needs no permission (camera, notifications, clipboard, …) and no device (USB, HID, serial). */
export function denyPermissions(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'>,
): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

export function lockDownWebContents(app: Pick<App, 'on'>, openExternal: (url: string) => Promise<void>): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    const stayOnApp = (event: { url: string; preventDefault(): void }) => {
      if (!isAppUrl(event.url)) event.preventDefault();
    };
    // will-navigate is the main frame's; will-frame-navigate also covers any subframe.
    contents.on('will-navigate', stayOnApp);
    contents.on('will-frame-navigate', stayOnApp);
    contents.on('will-redirect', stayOnApp);
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isAllowedExternalUrl(url)) void openExternal(url);
      return { action: 'deny' };
    });
  });
}
