/**
 * The built renderer, served from one folder. A request path can never leave that folder: it is
 * decoded, resolved against the root and checked to still be inside it.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/** The file a URL path names inside `root`, or null when it would leave `root`. */
export function containedPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const base = resolve(root);
  const target = resolve(base, `.${decoded.endsWith('/') ? `${decoded}index.html` : decoded}`);
  return target === base || target.startsWith(base + sep) ? target : null;
}

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

export async function readStatic(root: string, urlPath: string): Promise<StaticFile | null> {
  const path = containedPath(root, urlPath);
  if (!path) return null;
  try {
    if (!(await stat(path)).isFile()) return null;
    return { body: await readFile(path), contentType: TYPES[extname(path)] ?? 'application/octet-stream' };
  } catch {
    return null;
  }
}
