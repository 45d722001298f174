/**
 * Files reach DuckDB only through the workspace's staging folder (the one place besides export that the
 * locked-down instance may read): a hard link where the file system allows it, a copy otherwise.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, link, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { FlowscopeError } from '../errors';

/** A fresh name in the staging folder; never derived from the user's file name, which could be anything. */
export function stagingName(stagingDir: string, suffix: string): string {
  return join(stagingDir, `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}${suffix}`);
}

export async function stageFile(source: string, stagingDir: string, signal?: AbortSignal): Promise<string> {
  const target = stagingName(stagingDir, '.staged');
  try {
    await link(source, target);
  } catch {
    // Another file system (EXDEV), or one without hard links: copy instead.
    await copyFile(source, target);
  }
  if (signal?.aborted) {
    await unstage(target);
    throw cancelled();
  }
  return target;
}

export async function unstage(path: string): Promise<void> {
  await rm(path, { force: true });
}

export function cancelled(): FlowscopeError {
  return new FlowscopeError('cancelled', 'The import was cancelled.');
}

/**
 * sha256 of a file's bytes, read in large chunks, after `identity` (what makes equal bytes another content:
 * StagedOrigin.identity).
 */
export async function hashFile(path: string, signal?: AbortSignal, identity?: string): Promise<string> {
  const hash = createHash('sha256');
  if (identity) hash.update(identity);
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (signal?.aborted) {
      stream.destroy();
      throw cancelled();
    }
    hash.update(chunk);
  }
  return hash.digest('hex');
}

/**
 * Decompresses a gzip file to nowhere, to learn whether it is whole: DuckDB's reader takes a file cut short
 * as ending early, and would import half of it without a word. It runs beside DuckDB's read of the same
 * file, so its position is also the progress shown within a file.
 */
export async function verifyGzip(
  path: string,
  shownAs: string,
  signal?: AbortSignal,
  onBytes?: (compressedBytesRead: number) => void,
): Promise<void> {
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  try {
    // Large output chunks: with zlib's default 16 KiB, the loop below costs three times the inflating.
    await pipeline(file, createGunzip({ chunkSize: 1 << 20 }), async (source: AsyncIterable<Buffer>) => {
      for await (const _chunk of source) {
        if (signal?.aborted) throw cancelled();
        onBytes?.(file.bytesRead);
      }
    });
  } catch (err) {
    if (err instanceof FlowscopeError) throw err;
    throw new FlowscopeError(
      'import_failed',
      `${shownAs} cannot be read: it is not whole gzip (${(err as Error).message}).`,
      { path: shownAs },
    );
  }
}
