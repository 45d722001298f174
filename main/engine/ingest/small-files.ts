/**
 * Many small files (S3 delivers one per ENI every five minutes) cost more in per-file statements and
 * commits than in reading. Small text files of one layout are therefore read together: one CSV scan, one
 * ledger insert and one commit a batch (batchFull). Each file still gets its own import (ledger row,
 * counts, rejected lines, line numbers). The batch is all or nothing like a single file; if it fails, its
 * files are imported one by one, so that only an unreadable file is refused. importMany reads the files
 * of the next batch while one is being written.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { rejectUnit } from '../../../preload/contract/rejects';
import { FlowscopeError } from '../errors';
import type { ContentPlan, Transaction, Workspace } from '../workspace';
import { contentKey, NEXT_IMPORT_ID_SQL } from '../workspace/ledger';
import { keptRange, type StagedText } from './flows-sql';
import type { FileOutcome, StagedOrigin } from './import-file';
import { sniffBytes, type FileKind } from './sniff';
import { layoutKey } from './log-format';
import { cancelled, stageFile, unstage } from './stage';

export const SMALL_FILE_BYTES = 1 << 20;

/**
 * A batch closes at this much text or this many files. Its commit writes whole row groups (122,880 records)
 * straight into the file and the rest through the write-ahead log, some 60 ms a commit: 2,000 files of 250
 * records took 580 ms of commits in batches of 200 files, 30 ms in batches of 1,000. A batch's text
 * (about 600,000 default-format records) is never held in memory: DuckDB reads the staged files.
 */
const BATCH_TEXT_BYTES = 64 << 20;
const BATCH_FILES = 4000;

export function batchFull(files: number, textBytes: number): boolean {
  return files >= BATCH_FILES || textBytes >= BATCH_TEXT_BYTES;
}

/** Small files read and recognised ahead of the one being batched (at most this many MiB held at once). */
export const PREPARE_AHEAD = 16;

/**
 * The preparation of item `i`, with the preparations of the items up to `depth` after it started too. For a
 * folder of small files the time went to round trips to the file system (open, read, close for each, one
 * after the other: the main thread idle for two thirds of a 2,000-file import); these overlap. A
 * preparation must not reject: one left behind by a cancelled import is never awaited.
 */
export function preparedAhead<T, R>(
  items: readonly T[],
  depth: number,
  prepare: (item: T) => Promise<R>,
): (i: number) => Promise<R> {
  const started = new Map<number, Promise<R>>();
  let next = 0;
  return (i) => {
    for (; next < items.length && next <= i + depth; next++) started.set(next, prepare(items[next]!));
    const preparation = started.get(i)!;
    started.delete(i);
    return preparation;
  };
}

export interface SmallText {
  path: string;
  /** What the ledger and the outcome call it. */
  origin: StagedOrigin;
  size: number;
  sha256: string;
  /** Its length as text (after gunzip). */
  textBytes: number;
  kind: Extract<FileKind, { kind: 'text' }>;
}

/** A small file read once: hashed, checked (whole gzip), recognised. Other kinds go the single-file way. */
export async function prepareSmallFile(
  ws: Workspace,
  path: string,
  origin: StagedOrigin,
): Promise<SmallText | FileOutcome | undefined> {
  const bytes = await readFile(path);
  const sha256 = createHash('sha256')
    .update(origin.identity ?? '')
    .update(bytes)
    .digest('hex');
  const gzip = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (bytes.subarray(0, 4).toString('latin1') === 'PAR1') return undefined;
  let whole: Buffer;
  try {
    whole = gzip ? gunzipSync(bytes) : bytes;
  } catch (err) {
    return failedOutcome(
      origin.path,
      new FlowscopeError(
        'import_failed',
        `${origin.path} cannot be read: it is not whole gzip (${(err as Error).message}).`,
      ),
    );
  }
  try {
    const kind = sniffBytes(whole, gzip, origin.logFormat, origin.path);
    return kind.kind === 'text'
      ? { path, origin, size: bytes.length, sha256, textBytes: whole.length, kind }
      : undefined;
  } catch (err) {
    // The same bytes may have gone in before, read with a log format given then.
    const plan = await ws.planContent(sha256, keptRange(origin));
    return 'held' in plan
      ? { path: origin.path, importId: plan.held, records: 0, rejected: 0, status: 'already-imported' }
      : failedOutcome(origin.path, err);
  }
}

/** Files read in one statement share a layout and the time bounds of their records. */
export function batchKey(f: SmallText): string {
  return `${f.kind.gzip}|${f.kind.header}|${f.kind.blankLines ?? 0}|${layoutKey(f.kind.layout)}|${f.origin.timeFrom}|${f.origin.timeTo}`;
}

/** Reads the staged files of one layout in the import's transaction: the records and rejected lines of each, by import id. */
type ReadText = (
  tx: Transaction,
  files: readonly StagedText[],
  kind: SmallText['kind'],
) => Promise<Map<number, { records: number; rejected: number }>>;

/** Imports a batch of small text files with the same layout; answers one outcome per file, in order. */
export async function importSmallBatch(
  ws: Workspace,
  batch: readonly SmallText[],
  readText: ReadText,
  importOne: (staged: string, file: SmallText) => Promise<FileOutcome>,
  signal?: AbortSignal,
): Promise<FileOutcome[]> {
  const outcomes = new Map<SmallText, FileOutcome>();
  const todo: SmallText[] = [];
  const alone: SmallText[] = [];
  const firstOf = new Map<string, SmallText>();
  // The files of a batch share their time bounds (batchKey): one look at the ledger plans them all.
  const plans = batch.length
    ? await ws.planContents([...new Set(batch.map((f) => f.sha256))], keptRange(batch[0]!.origin))
    : new Map<string, ContentPlan>();
  for (const f of batch) {
    if (firstOf.has(f.sha256)) continue;
    firstOf.set(f.sha256, f);
    const plan = plans.get(f.sha256)!;
    if ('held' in plan)
      outcomes.set(f, {
        path: f.origin.path,
        importId: plan.held,
        records: 0,
        rejected: 0,
        status: 'already-imported',
      });
    // It takes the place of an import that kept less of it: the single-file path does that.
    else if (plan.replaces.length > 0) alone.push(f);
    else todo.push(f);
  }
  const staged: { file: SmallText; staged: string }[] = [];
  try {
    // Linked (or copied) into staging all at once, as they are removed from it.
    const links = await Promise.allSettled(todo.map((file) => stageFile(file.path, ws.stagingDir, signal)));
    links.forEach((l, i) => l.status === 'fulfilled' && staged.push({ file: todo[i]!, staged: l.value }));
    const refused = links.find((l) => l.status === 'rejected');
    if (refused) throw refused.reason;
    if (staged.length > 0) {
      try {
        const done = await ws.transaction((tx) => importTogether(tx, staged, readText, signal));
        staged.forEach(({ file }, i) => outcomes.set(file, done[i]!));
      } catch {
        if (signal?.aborted) throw cancelled();
        // One of them could not be read: one by one, so the others still go in.
        for (const s of staged.splice(0)) outcomes.set(s.file, await importOne(s.staged, s.file));
      }
    }
    for (const file of alone)
      outcomes.set(file, await importOne(await stageFile(file.path, ws.stagingDir, signal), file));
  } finally {
    await Promise.all(staged.map((s) => unstage(s.staged)));
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
  readText: ReadText,
  signal?: AbortSignal,
): Promise<FileOutcome[]> {
  const stop = () => tx.interrupt();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    const [row] = await tx.all<{ id: number }>(NEXT_IMPORT_ID_SQL);
    const first = row!.id;
    const kind = staged[0]!.file.kind;
    // The ledger rows as lists bound once: a VALUES list of literals took 0.1 ms a file to bind.
    const ids = staged.map((_, i) => first + i);
    const origins = staged.map(({ file }) => file.origin);
    await tx.run(
      `INSERT INTO imports (id, source, path, size, sha256, etag, format, records, rejected, started_at, finished_at, status) ` +
        `SELECT unnest($1::INTEGER[]), unnest($2::VARCHAR[]), unnest($3::VARCHAR[]), unnest($4::BIGINT[]), ` +
        `unnest($5::VARCHAR[]), unnest($6::VARCHAR[]), $7, 0, 0, $8, NULL, 'running'`,
      [
        ids,
        origins.map((o) => o.source),
        origins.map((o) => o.path),
        staged.map(({ file }) => file.size),
        staged.map(({ file }) => contentKey(file.sha256, keptRange(file.origin))),
        origins.map((o) => o.etag ?? null),
        kind.layout.description,
        new Date(),
      ],
    );
    const files = staged.map(({ file, staged: s }, i) => ({ staged: s, importId: first + i, path: file.origin.path }));
    const counts = await readText(tx, files, kind);
    if (signal?.aborted) throw cancelled();
    const twins = await tx.importsWithSameRecords(new Map(ids.map((id) => [id, counts.get(id)!.records])));
    for (const id of twins.keys()) await tx.dropImport(id);
    const kept = ids.filter((id) => !twins.has(id));
    const held = await tx.dropRecordsHeldBefore(kept);
    for (const [id, n] of held) counts.get(id)!.records -= n;
    await tx.summarizeImports(kept);
    await tx.run(
      `UPDATE imports SET records = v.records, rejected = v.rejected, finished_at = $1, status = 'imported' ` +
        `FROM (SELECT unnest($2::INTEGER[]) AS id, unnest($3::BIGINT[]) AS records, unnest($4::BIGINT[]) AS rejected) v ` +
        `WHERE imports.id = v.id`,
      [new Date(), kept, kept.map((id) => counts.get(id)!.records), kept.map((id) => counts.get(id)!.rejected)],
    );
    return files.map((f, i): FileOutcome => {
      const twin = twins.get(f.importId);
      return twin
        ? {
            path: f.path,
            importId: twin.id,
            records: 0,
            rejected: 0,
            status: 'already-imported',
            sameRecordsAs: twin.path,
          }
        : {
            path: f.path,
            importId: f.importId,
            ...counts.get(f.importId)!,
            status: 'imported',
            unit: rejectUnit(origins[i]!.source, kind.layout.description),
            ...(held.has(f.importId) ? { heldBefore: held.get(f.importId)! } : {}),
          };
    });
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}

function failedOutcome(path: string, err: unknown): FileOutcome {
  return { path, records: 0, rejected: 0, status: 'failed', error: err instanceof Error ? err.message : String(err) };
}
