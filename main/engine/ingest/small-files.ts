/**
 * Many small files (S3 delivers one per ENI every five minutes) cost more in per-file statements and
 * commits than in reading. Small text files of one layout are therefore read together: one CSV scan, one
 * ledger insert and one commit for up to BATCH_FILES files. Each file still gets its own import (ledger row,
 * counts, rejected lines, line numbers). The batch is all or nothing like a single file; if it fails, its
 * files are imported one by one, so that only an unreadable file is refused.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { FlowscopeError } from '../errors';
import { sqlString } from '../../../queries/catalog/sql-quote';
import type { Transaction, Workspace } from '../workspace';
import type { StagedText } from './flows-sql';
import type { FileOutcome, StagedOrigin } from './import-file';
import { sniffText, type FileKind } from './sniff';
import { cancelled, stageFile, unstage } from './stage';

export const SMALL_FILE_BYTES = 1 << 20;
export const BATCH_FILES = 200;

export interface SmallText {
  path: string;
  /** What the ledger and the outcome call it. */
  origin: StagedOrigin;
  size: number;
  sha256: string;
  kind: Extract<FileKind, { kind: 'text' }>;
}

/** A small file read once: hashed, checked (whole gzip), recognised. Other kinds go the single-file way. */
export async function prepareSmallFile(
  ws: Workspace,
  path: string,
  origin: StagedOrigin,
): Promise<SmallText | FileOutcome | undefined> {
  const bytes = await readFile(path);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const gzip = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (bytes.subarray(0, 4).toString('latin1') === 'PAR1') return undefined;
  let text: string;
  try {
    text = (gzip ? gunzipSync(bytes) : bytes).subarray(0, 64 * 1024).toString('utf8');
  } catch (err) {
    return failedOutcome(
      origin.path,
      new FlowscopeError('import_failed', `${path} cannot be read: it is not whole gzip (${(err as Error).message}).`),
    );
  }
  try {
    const kind = sniffText(text, gzip, origin.logFormat, origin.path);
    return kind.kind === 'text' ? { path, origin, size: bytes.length, sha256, kind } : undefined;
  } catch (err) {
    // The same bytes may have gone in before, read with a log format given then.
    const known = await ws.findImport({ sha256 });
    return known
      ? { path: origin.path, importId: known.id, records: 0, rejected: 0, status: 'already-imported' }
      : failedOutcome(origin.path, err);
  }
}

export function batchKey(f: SmallText): string {
  return `${f.kind.gzip}|${f.kind.header}|${f.kind.layout.description}`;
}

/** Imports a batch of small text files with the same layout; answers one outcome per file, in order. */
export async function importSmallBatch(
  ws: Workspace,
  batch: readonly SmallText[],
  readText: (
    tx: Transaction,
    files: readonly StagedText[],
    kind: SmallText['kind'],
  ) => Promise<Map<number, { records: number; rejected: number }>>,
  importOne: (staged: string, path: string) => Promise<FileOutcome>,
  signal?: AbortSignal,
): Promise<FileOutcome[]> {
  const outcomes = new Map<SmallText, FileOutcome>();
  const known = await ws.all<{ sha256: string; id: number }>(
    `SELECT sha256, min(id) AS id FROM imports WHERE status = 'imported' AND sha256 IN (${batch.map((f) => sqlString(f.sha256)).join(', ')}) GROUP BY sha256`,
  );
  const knownIds = new Map(known.map((k) => [k.sha256, k.id]));
  const todo: SmallText[] = [];
  const firstOf = new Map<string, SmallText>();
  for (const f of batch) {
    const id = knownIds.get(f.sha256);
    if (id !== undefined)
      outcomes.set(f, { path: f.origin.path, importId: id, records: 0, rejected: 0, status: 'already-imported' });
    else if (firstOf.has(f.sha256)) continue;
    else {
      firstOf.set(f.sha256, f);
      todo.push(f);
    }
  }
  const staged: { file: SmallText; staged: string }[] = [];
  try {
    for (const file of todo) staged.push({ file, staged: await stageFile(file.path, ws.stagingDir, signal) });
    if (staged.length > 0) {
      try {
        const done = await ws.transaction((tx) => importTogether(tx, staged, readText, signal));
        staged.forEach(({ file }, i) => outcomes.set(file, done[i]!));
      } catch {
        if (signal?.aborted) throw cancelled();
        // One of them could not be read: one by one, so the others still go in.
        for (const s of staged.splice(0)) outcomes.set(s.file, await importOne(s.staged, s.file.path));
      }
    }
  } finally {
    for (const s of staged) await unstage(s.staged);
  }
  return batch.map((f) => {
    const own = outcomes.get(f);
    if (own) return own;
    const first = outcomes.get(firstOf.get(f.sha256)!)!;
    return {
      path: f.origin.path,
      ...(first.importId !== undefined ? { importId: first.importId } : {}),
      records: 0,
      rejected: 0,
      status: first.status === 'imported' ? 'already-imported' : first.status,
      ...(first.error ? { error: first.error } : {}),
    };
  });
}

async function importTogether(
  tx: Transaction,
  staged: readonly { file: SmallText; staged: string }[],
  readText: (
    tx: Transaction,
    files: readonly StagedText[],
    kind: SmallText['kind'],
  ) => Promise<Map<number, { records: number; rejected: number }>>,
  signal?: AbortSignal,
): Promise<FileOutcome[]> {
  const stop = () => tx.interrupt();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    const [row] = await tx.all<{ id: number }>('SELECT coalesce(max(id), 0)::INTEGER + 1 AS id FROM imports');
    const first = row!.id;
    const kind = staged[0]!.file.kind;
    const rows = staged.map(
      ({ file }, i) =>
        `(${first + i}, ${sqlString(file.origin.source)}, ${sqlString(file.origin.path)}, ${file.size}, ${sqlString(file.sha256)}, NULL, ${sqlString(kind.layout.description)}, 0, 0, $1, NULL, 'running')`,
    );
    await tx.run(
      `INSERT INTO imports (id, source, path, size, sha256, etag, format, records, rejected, started_at, finished_at, status) VALUES ${rows.join(', ')}`,
      [new Date()],
    );
    const files = staged.map(({ file, staged: s }, i) => ({ staged: s, importId: first + i, path: file.origin.path }));
    const counts = await readText(tx, files, kind);
    if (signal?.aborted) throw cancelled();
    const values = files.map(
      (f) => `(${f.importId}, ${counts.get(f.importId)!.records}, ${counts.get(f.importId)!.rejected})`,
    );
    await tx.summarizeImports(files.map((f) => f.importId));
    await tx.run(
      `UPDATE imports SET records = v.records, rejected = v.rejected, finished_at = $1, status = 'imported' FROM (VALUES ${values.join(', ')}) v(id, records, rejected) WHERE imports.id = v.id`,
      [new Date()],
    );
    return files.map((f) => ({
      path: f.path,
      importId: f.importId,
      ...counts.get(f.importId)!,
      status: 'imported' as const,
    }));
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}

function failedOutcome(path: string, err: unknown): FileOutcome {
  return { path, records: 0, rejected: 0, status: 'failed', error: err instanceof Error ? err.message : String(err) };
}
