/**
 * The Content-Security-Policy both hosts send with the renderer: scripts and styles only from the app
 * itself (no inline script, no eval), no plugins, no framing, no form posts. `connect` says where the
 * page may open connections: the serving origin in the browser, nowhere under Electron (its engine
 * port is a MessagePort, which CSP does not govern).
 */
export function contentSecurityPolicy(connect: "'self'" | "'none'"): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
