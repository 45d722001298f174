/**
 * `GET /export/<downloadId>`: the browser's end of `export.result`. The engine wrote the whole result into the
 * workspace's export folder; this streams it once, as an attachment, and removes it. Ids are random and
 * single-use, and the request needs the page's session cookie like everything else.
 */
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { DOWNLOAD_PREFIX } from '../../preload/contract';

export interface DownloadSource {
  /** The file for an id, forgotten at once; `done` removes it. Throws when the id is unknown. */
  take(downloadId: string): { path: string; fileName: string; done: () => void };
}

const TYPES: Record<string, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json',
  parquet: 'application/vnd.apache.parquet',
};

/** Answers false when the path is not a download, so the caller serves it some other way. */
export async function serveDownload(
  pathname: string,
  req: IncomingMessage,
  res: ServerResponse,
  source: DownloadSource,
  headers: Record<string, string>,
): Promise<boolean> {
  if (!pathname.startsWith(DOWNLOAD_PREFIX)) return false;
  const id = pathname.slice(DOWNLOAD_PREFIX.length);
  let file;
  try {
    if (!/^[0-9a-f]{32}$/.test(id)) throw new Error('not an export id');
    file = source.take(id);
  } catch {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('That export is no longer available; export again.');
    return true;
  }
  try {
    const ext = file.fileName.split('.').pop() ?? '';
    res.writeHead(200, {
      ...headers,
      'Content-Type': TYPES[ext] ?? 'application/octet-stream',
      'Content-Length': String(statSync(file.path).size),
      'Content-Disposition': `attachment; filename="${file.fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
    });
    if (req.method === 'HEAD') res.end();
    else await pipeline(createReadStream(file.path), res);
  } finally {
    file.done();
  }
  return true;
}
