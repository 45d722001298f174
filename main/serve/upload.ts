/**
 * `POST /upload`: the browser's way to hand the engine a file the user dropped or chose. The body is the
 * file's bytes; its name comes in the `X-Flowscope-File-Name` header (only for display and for the
 * format's suffix, never as a path). The file lands in the workspace's staging folder, under a fresh
 * random folder, and the answer is a file handle for `ingest.files`, as if the user had picked it.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { UPLOAD_NAME_HEADER } from '../../preload/contract';
import { FlowscopeError } from '../engine/errors';

/** Large enough for a day of busy flow logs in one file; uploads bigger than this are refused. */
const MAX_UPLOAD_BYTES = 16 * 1024 ** 3;

export interface UploadTarget {
  stagingDir: string;
  register(path: string): string;
}

/** A display name reduced to a plain file name: no folders, no control characters, not empty. */
export function safeFileName(raw: string | undefined): string {
  let name = raw ?? '';
  try {
    name = decodeURIComponent(name);
  } catch {
    // Not percent-encoded: use it as it came.
  }
  name = [...basename(name.replace(/\\/g, '/'))]
    .map((c) => (c.charCodeAt(0) < 0x20 || c === '\u007f' || '/:*?"<>|'.includes(c) ? '_' : c))
    .join('')
    .slice(0, 200);
  return name === '' || name === '.' || name === '..' ? 'upload' : name;
}

export async function receiveUpload(
  req: IncomingMessage,
  target: UploadTarget,
  maxBytes = MAX_UPLOAD_BYTES,
): Promise<{ handle: string; name: string; bytes: number }> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes)
    throw new FlowscopeError('bad_request', `The file is larger than ${maxBytes} bytes.`);
  const header = req.headers[UPLOAD_NAME_HEADER];
  const name = safeFileName(Array.isArray(header) ? header[0] : header);
  const folder = join(target.stagingDir, 'uploads', randomBytes(9).toString('base64url'));
  await mkdir(folder, { recursive: true });
  const path = join(folder, name);
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      done(
        bytes > maxBytes ? new FlowscopeError('bad_request', `The file is larger than ${maxBytes} bytes.`) : null,
        chunk,
      );
    },
  });
  try {
    await pipeline(req, counter, createWriteStream(path, { flags: 'wx' }));
  } catch (err) {
    await rm(folder, { recursive: true, force: true });
    throw err;
  }
  return { handle: target.register(path), name, bytes };
}
