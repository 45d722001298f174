/**
 * The import ledger: one row per file, S3 object or CloudWatch window that went into the workspace, with its
 * counts, so that a re-import adds nothing and an import can be removed again. Also pull checkpoints.
 */
import type { ImportInfo, RejectedLine } from '../../../preload/contract';
import { SUMMARY_TABLE, summarizeSql } from '../../../queries/catalog/minute-summary';
import { RECORD_TABLE, REJECTED_KEEP_PER_FILE } from './schema';

/** A value bound to `$n`; an array binds as a list (`unnest($1::VARCHAR[])` inserts many rows in one statement). */
export type SqlParam = null | boolean | number | bigint | string | Date | readonly (number | string | null)[];

/** What both a workspace and an open transaction can do. */
export interface SqlRunner {
  /** Runs statements that return no rows; answers the number of rows changed. */
  run(sql: string, params?: readonly SqlParam[]): Promise<number>;
  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
}

export type ImportSource = 'file' | 's3' | 'cloudwatch' | 'demo';

export interface ImportStart {
  source: ImportSource;
  /** File path, s3://bucket/key, or `<group>/<stream>@<from>-<to>`. */
  path: string;
  size: number | null;
  sha256: string | null;
  etag?: string | null;
  format: string;
}

export interface ImportRecord {
  id: number;
  source: ImportSource;
  path: string;
  size: number | null;
  sha256: string | null;
  etag: string | null;
  format: string;
  records: number;
  rejected: number;
  startedAt: Date;
  finishedAt: Date | null;
  status: string;
}

interface ImportRow {
  id: number;
  source: ImportSource;
  path: string;
  size: bigint | null;
  sha256: string | null;
  etag: string | null;
  format: string;
  records: bigint;
  rejected: bigint;
  started_at: Date;
  finished_at: Date | null;
  status: string;
}

function toRecord(r: ImportRow): ImportRecord {
  return {
    id: r.id,
    source: r.source,
    path: r.path,
    size: r.size === null ? null : Number(r.size),
    sha256: r.sha256,
    etag: r.etag,
    format: r.format,
    records: Number(r.records),
    rejected: Number(r.rejected),
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    status: r.status,
  };
}

/** Inside a transaction, so that ids are not handed out twice (writers take turns, see Workspace.transaction). */
export async function beginImport(tx: SqlRunner, start: ImportStart): Promise<number> {
  const [row] = await tx.all<{ id: number }>('SELECT coalesce(max(id), 0)::INTEGER + 1 AS id FROM imports');
  const id = row!.id;
  await tx.run(
    `INSERT INTO imports (id, source, path, size, sha256, etag, format, records, rejected, started_at, finished_at, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 0, 0, $8, NULL, 'running')`,
    [id, start.source, start.path, start.size, start.sha256, start.etag ?? null, start.format, new Date()],
  );
  return id;
}

export async function finishImport(
  tx: SqlRunner,
  id: number,
  done: { records: number; rejected: number; format?: string; sha256?: string },
): Promise<void> {
  await summarizeImports(tx, [id]);
  await tx.run(
    `UPDATE imports SET records = $2, rejected = $3, format = coalesce($4, format), sha256 = coalesce($6, sha256), finished_at = $5, status = 'imported' WHERE id = $1`,
    [id, done.records, done.rejected, done.format ?? null, new Date(), done.sha256 ?? null],
  );
}

export interface RejectedInput {
  line: number;
  reason: string;
  raw: string;
}

/** Keeps at most REJECTED_KEEP_PER_FILE lines of one import; the caller counts all of them. */
export async function addRejectedLines(
  tx: SqlRunner,
  importId: number,
  path: string,
  lines: readonly RejectedInput[],
): Promise<void> {
  const [row] = await tx.all<{ n: bigint }>('SELECT count(*) AS n FROM rejected_lines WHERE import_id = $1', [
    importId,
  ]);
  const room = REJECTED_KEEP_PER_FILE - Number(row!.n);
  const keep = lines.slice(0, Math.max(0, room));
  const batch = 200;
  for (let i = 0; i < keep.length; i += batch) {
    const part = keep.slice(i, i + batch);
    const values = part.map((_, j) => `($1, $2, $${3 + j * 3}, $${4 + j * 3}, $${5 + j * 3})`).join(', ');
    await tx.run(`INSERT INTO rejected_lines (import_id, path, line, reason, raw) VALUES ${values}`, [
      importId,
      path,
      ...part.flatMap((l) => [l.line, l.reason, l.raw]),
    ]);
  }
}

/** The finished import of the same content: by hash, or for S3 by key and ETag. */
export async function findImport(
  db: SqlRunner,
  by: { sha256: string } | { source: ImportSource; path: string; etag: string },
): Promise<ImportRecord | null> {
  const rows =
    'sha256' in by
      ? await db.all<ImportRow>(`SELECT * FROM imports WHERE sha256 = $1 AND status = 'imported' ORDER BY id LIMIT 1`, [
          by.sha256,
        ])
      : await db.all<ImportRow>(
          `SELECT * FROM imports WHERE source = $1 AND path = $2 AND etag = $3 AND status = 'imported' ORDER BY id LIMIT 1`,
          [by.source, by.path, by.etag],
        );
  return rows[0] ? toRecord(rows[0]) : null;
}

/**
 * Whether a finished import could hold the same bytes as a file of this size (one of that size, or an old
 * row without a size): only then does the file need its hash before it is read.
 */
export async function mayHoldSize(db: SqlRunner, size: number): Promise<boolean> {
  const rows = await db.all(`SELECT 1 FROM imports WHERE status = 'imported' AND (size = $1 OR size IS NULL) LIMIT 1`, [
    size,
  ]);
  return rows.length > 0;
}

export async function getImport(db: SqlRunner, id: number): Promise<ImportRecord | null> {
  const rows = await db.all<ImportRow>('SELECT * FROM imports WHERE id = $1', [id]);
  return rows[0] ? toRecord(rows[0]) : null;
}

/**
 * The minute summary of these imports' records, once they are final (the impossible ones taken out): in
 * the transaction that stores them, so that the summary always counts the records the workspace holds.
 */
export async function summarizeImports(tx: SqlRunner, ids: readonly number[]): Promise<void> {
  if (ids.length > 0) await tx.run(summarizeSql(RECORD_TABLE, `import_id IN (${ids.map(Number).join(', ')})`));
}

/** Deletes the import's records, their summary, rejected lines and ledger row; answers how many records went. */
export async function removeImport(tx: SqlRunner, id: number): Promise<number> {
  const removed = await tx.run(`DELETE FROM ${RECORD_TABLE} WHERE import_id = $1`, [id]);
  await tx.run(`DELETE FROM ${SUMMARY_TABLE} WHERE import_id = $1`, [id]);
  await tx.run('DELETE FROM rejected_lines WHERE import_id = $1', [id]);
  await tx.run('DELETE FROM imports WHERE id = $1', [id]);
  return removed;
}

export async function listImports(
  db: SqlRunner,
  offset: number,
  limit: number,
): Promise<{ total: number; imports: ImportInfo[] }> {
  const [count] = await db.all<{ n: bigint }>(`SELECT count(*) AS n FROM imports WHERE status = 'imported'`);
  const rows = await db.all<ImportRow>(
    `SELECT * FROM imports WHERE status = 'imported' ORDER BY id LIMIT $1 OFFSET $2`,
    [limit, offset],
  );
  return {
    total: Number(count!.n),
    imports: rows.map(toRecord).map((r) => ({
      id: r.id,
      source: r.source,
      path: r.path,
      format: r.format,
      bytes: r.size ?? 0,
      records: r.records,
      rejected: r.rejected,
      importedAt: (r.finishedAt ?? r.startedAt).toISOString(),
    })),
  };
}

export async function listRejected(
  db: SqlRunner,
  importId: number | undefined,
  offset: number,
  limit: number,
): Promise<{ total: number; lines: RejectedLine[] }> {
  const filter = importId === undefined ? '' : 'WHERE import_id = $1';
  const params: SqlParam[] = importId === undefined ? [] : [importId];
  const [count] = await db.all<{ n: bigint }>(`SELECT count(*) AS n FROM rejected_lines ${filter}`, params);
  const rows = await db.all<{ import_id: number; path: string; line: bigint; reason: string; raw: string }>(
    `SELECT * FROM rejected_lines ${filter} ORDER BY import_id, line LIMIT ${Math.trunc(limit)} OFFSET ${Math.trunc(offset)}`,
    params,
  );
  return {
    total: Number(count!.n),
    lines: rows.map((r) => ({
      importId: r.import_id,
      path: r.path,
      line: Number(r.line),
      reason: r.reason,
      raw: r.raw,
    })),
  };
}

export async function getCheckpoint(db: SqlRunner, source: string, key: string): Promise<string | null> {
  const rows = await db.all<{ value: string }>('SELECT value FROM pull_checkpoints WHERE source = $1 AND key = $2', [
    source,
    key,
  ]);
  return rows[0]?.value ?? null;
}

export async function setCheckpoint(tx: SqlRunner, source: string, key: string, value: string): Promise<void> {
  await tx.run('DELETE FROM pull_checkpoints WHERE source = $1 AND key = $2', [source, key]);
  await tx.run('INSERT INTO pull_checkpoints (source, key, value, updated_at) VALUES ($1, $2, $3, $4)', [
    source,
    key,
    value,
    new Date(),
  ]);
}
