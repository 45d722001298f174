/**
 * `app://flowscope/…` serves the built renderer (never the file scheme): a standard, secure scheme, so the page
 * has a real origin, and every response carries the CSP. Paths cannot leave the renderer folder.
 */
import type { Protocol } from 'electron';
import { contentSecurityPolicy } from '../serve/csp';
import { readStatic } from '../serve/static-files';

const APP_SCHEME = 'app';
const APP_HOST = 'flowscope';

/** Must run before the app is ready. */
export function registerAppScheme(protocol: Protocol): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveAppScheme(protocol: Protocol, rendererDir: string): void {
  const csp = contentSecurityPolicy("'none'");
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file =
      url.host === APP_HOST ? await readStatic(rendererDir, url.pathname === '/' ? '/index.html' : url.pathname) : null;
    if (!file) return new Response('Not found', { status: 404, headers: { 'Content-Security-Policy': csp } });
    return new Response(new Uint8Array(file.body), {
      status: 200,
      headers: {
        'Content-Type': file.contentType,
        'Content-Security-Policy': csp,
        'X-Content-Type-Options': 'nosniff',
      },
    });
  });
}
