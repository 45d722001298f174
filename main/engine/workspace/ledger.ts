/**
 * The import ledger: one row per file, S3 object or CloudWatch window that went into the workspace, with its
 * counts, so that a re-import adds nothing and an import can be removed again. Also pull checkpoints.
 */
import type { ImportInfo, RejectedLine } from '../../../preload/contract';
import { rejectUnit } from '../../../preload/contract/rejects';
import { SUMMARY_TABLE, summarizeSql } from '../../../queries/catalog/minute-summary';
import { HELD_TABLE, RECORD_TABLE, REJECTED_KEEP_PER_FILE } from './schema';

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

/** Where removeImport keeps the highest id handed out, in `meta`. */
const LAST_IMPORT_ID = 'last_import_id';

/**
 * The id of the next import: one past every id handed out, a removed one's too (kept by removeImport), so an
 * id names one import for good. Handed out again, a removed last import's id would be taken for it by
 * what still names it: a pull that read its checkpoint before the removal releases that id when it commits,
 * and a job card lists that id's rejected lines. Run inside a transaction (writers take turns, see
 * Workspace.transaction), so that no two imports get the same one.
 */
export const NEXT_IMPORT_ID_SQL =
  `SELECT (greatest(coalesce(max(id), 0), coalesce((SELECT max(TRY_CAST(value AS INTEGER)) FROM meta ` +
  `WHERE key = '${LAST_IMPORT_ID}'), 0)) + 1)::INTEGER AS id FROM imports`;

export async function beginImport(tx: SqlRunner, start: ImportStart): Promise<number> {
  const [row] = await tx.all<{ id: number }>(NEXT_IMPORT_ID_SQL);
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

/** The finished import of an S3 object's version (by key and ETag) that holds the records wanted. */
export async function findImport(
  db: SqlRunner,
  by: { source: ImportSource; path: string; etag: string },
  wanted: KeptRange,
): Promise<ImportRecord | null> {
  const rows = await db.all<ImportRow>(
    `SELECT * FROM imports WHERE source = $1 AND path = $2 AND etag = $3 AND status = 'imported' ORDER BY id`,
    [by.source, by.path, by.etag],
  );
  const holder = rows.find((r) => rangeCovers(keptOf(r.sha256 ?? ''), wanted));
  return holder ? toRecord(holder) : null;
}

/** A time range of records: Unix seconds in the ledger, ms in pull checkpoints; null is an open end. */
export interface KeptRange {
  from: number | null;
  to: number | null;
}

const WHOLE: KeptRange = { from: null, to: null };

export function rangeCovers(held: KeptRange, wanted: KeptRange): boolean {
  const fromOk = held.from === null || (wanted.from !== null && held.from <= wanted.from);
  const toOk = held.to === null || (wanted.to !== null && held.to >= wanted.to);
  return fromOk && toOk;
}

/** The smallest range holding both (what lies between two apart is kept too: more records, never twice). */
export function rangeUnion(a: KeptRange, b: KeptRange): KeptRange {
  return {
    from: a.from === null || b.from === null ? null : Math.min(a.from, b.from),
    to: a.to === null || b.to === null ? null : Math.max(a.to, b.to),
  };
}

/**
 * What the ledger knows an import's content by (its `sha256` column): the content hash, and for an import
 * that kept only the records of a time range (a pull's `--from`/`--to`), that range: `<hash>@<from>-<to>` in
 * Unix seconds, an open end empty. So the same bytes imported whole later are not taken for held (the records
 * outside the range would be missing), while a whole import still holds any part of them. Kept in the one
 * column so that no schema change was needed; a row from before has its plain hash, read as whole.
 */
export function contentKey(hash: string, kept: KeptRange): string {
  return kept.from === null && kept.to === null ? hash : `${hash}@${kept.from ?? ''}-${kept.to ?? ''}`;
}

function keptOf(key: string): KeptRange {
  const at = key.indexOf('@');
  if (at < 0) return WHOLE;
  const [from, to] = key.slice(at + 1).split('-');
  return { from: from ? Number(from) : null, to: to ? Number(to) : null };
}

/** A finished import of some content, with the part of its records it kept. */
export interface HeldContent {
  id: number;
  kept: KeptRange;
}

/** What a new import of content (its hash, the range wanted) is to the ledger. */
export type ContentPlan =
  /** An import already holds every record wanted: the new one adds nothing. */
  | { held: number }
  /**
   * Import it keeping `keep`, and take the place of `replaces` (imports of the same content that kept less)
   * in the same transaction (replaceImports), so no record is ever held twice.
   */
  | { keep: KeptRange; replaces: number[] };

export async function planContent(db: SqlRunner, hash: string, wanted: KeptRange): Promise<ContentPlan> {
  return (await planContents(db, [hash], wanted)).get(hash)!;
}

/**
 * planContent of many contents wanted over one range (a batch of small files), in one look at the ledger: a
 * look per file was 2 ms, 4 s of a folder of 2,000 files' 8 (twice DuckDB's whole load of them).
 */
export async function planContents(
  db: SqlRunner,
  hashes: readonly string[],
  wanted: KeptRange,
): Promise<Map<string, ContentPlan>> {
  const same = new Map<string, HeldContent[]>(hashes.map((h) => [h, []]));
  if (hashes.length > 0) {
    const rows = await db.all<{ id: number; sha256: string }>(
      `SELECT id, sha256 FROM imports WHERE status = 'imported' AND split_part(sha256, '@', 1) IN ` +
        `(SELECT unnest($1::VARCHAR[])) ORDER BY id`,
      [[...same.keys()]],
    );
    for (const r of rows) same.get(r.sha256.split('@')[0]!)?.push({ id: r.id, kept: keptOf(r.sha256) });
  }
  const plans = new Map<string, ContentPlan>();
  for (const [hash, held] of same) {
    const holder = held.find((s) => rangeCovers(s.kept, wanted));
    plans.set(
      hash,
      holder
        ? { held: holder.id }
        : { keep: held.reduce((k, s) => rangeUnion(s.kept, k), wanted), replaces: held.map((s) => s.id) },
    );
  }
  return plans;
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

/** An import that holds records, as an outcome names it. */
export interface HoldingImport {
  id: number;
  path: string;
}

/**
 * An S3 delivery's object name (`<account>_vpcflowlogs_<region>_<flow log id>_<yyyymmdd>T<hhmm>Z_<hash>`),
 * as the path's last part starts, if it is one: two deliveries are never a copy of each other, though their
 * records, or even bytes, may be equal (two flow logs of both ends of a flow, in a format without
 * `interface-id`). So an import's content key (StagedOrigin.identity) and its twins (importsWithSameRecords)
 * tell them apart.
 */
export function s3DeliveryName(path: string): string | undefined {
  return /(?:^|[\\/])(\d{12}_vpcflowlogs_[a-z0-9-]+_fl-[0-9a-z]+_\d{8}T\d{4}Z_[0-9a-z]+)[^\\/]*$/i.exec(path)?.[1];
}

/** Whether two paths are two S3 deliveries (s3DeliveryName). */
function otherDeliveries(a: string, b: string): boolean {
  const [x, y] = [s3DeliveryName(a), s3DeliveryName(b)];
  return x !== undefined && y !== undefined && x !== y;
}

/**
 * The same records under other bytes: a file and its gzip'd copy, a copy with CRLF line ends, a CloudWatch
 * export of what an S3 object holds. Their hashes differ, so planContent cannot tell; their records do
 * not, and would be counted twice. For each new import (its id → the records it stored, in the transaction
 * that stores them), the earliest other import holding exactly the same records, if any: the same count and
 * the same sum of each record's hash (every stored column), which is blind to order and not to a record
 * held twice, and not another S3 delivery (otherDeliveries). An earlier import is compared by all it
 * brought: its records and those it left out as held before (dropRecordsHeldBefore). Only imports of the
 * same count are compared, so a new count costs one look at the ledger.
 */
export async function importsWithSameRecords(
  tx: SqlRunner,
  added: ReadonlyMap<number, number>,
): Promise<Map<number, HoldingImport>> {
  const twins = new Map<number, HoldingImport>();
  const counts = [...new Set([...added.values()].filter((n) => n > 0))];
  if (counts.length === 0) return twins;
  const newIds = [...added.keys()];
  // Not a CloudWatch stream's window: a format without interface-id can log the same records for two
  // interfaces (both ends of a flow), which its stream alone tells apart (StagedOrigin.identity).
  const candidates = await tx.all<{ id: number; path: string; records: number }>(
    `SELECT id, path, records FROM (SELECT id, path, source, status, records + coalesce((SELECT count(*) FROM ` +
      `${HELD_TABLE} h WHERE h.import_id = i.id), 0) AS records FROM imports i) WHERE source <> 'cloudwatch' AND ` +
      `((status = 'imported' AND records IN (${counts.join(', ')})) OR id IN (${newIds.join(', ')})) ORDER BY id`,
  );
  const countOf = (c: { id: number; records: number }) => added.get(c.id) ?? Number(c.records);
  const alike = candidates.filter((c) => candidates.some((o) => o.id !== c.id && countOf(o) === countOf(c)));
  if (!alike.some((c) => added.has(c.id))) return twins;
  const sums = new Map(
    (
      await tx.all<{ import_id: number; fingerprint: string }>(
        `SELECT import_id, sum(${RECORD_HASH}::HUGEINT)::VARCHAR AS fingerprint ` +
          `FROM (FROM ${RECORD_TABLE} UNION ALL BY NAME FROM ${HELD_TABLE}) WHERE import_id IN (${alike.map((c) => Number(c.id)).join(', ')}) GROUP BY import_id`,
      )
    ).map((r) => [r.import_id, r.fingerprint]),
  );
  for (const c of alike) {
    if (!added.has(c.id)) continue;
    const twin = alike.find(
      (o) =>
        o.id < c.id &&
        !twins.has(o.id) &&
        countOf(o) === countOf(c) &&
        sums.get(o.id) === sums.get(c.id) &&
        !otherDeliveries(o.path, c.path),
    );
    if (twin) twins.set(c.id, { id: twin.id, path: twin.path });
  }
  return twins;
}

/**
 * The fields that make a record one flow of one interface in one interval: a format with all of them (the
 * default one has) logs an equal record only once, so equal records of two imports are the same record.
 * Without one (`version interface-id start end action log-status packets bytes`), two flows may log the same
 * line, in one delivery or in two.
 */
const FLOW_IDENTITY = ['interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'start'];

/**
 * Whether an import's records identify their flows (FLOW_IDENTITY, or `default`), by the ledger's format
 * column: every layout of it (a subscription delivery names one per log group, `A | B`).
 */
const identifiesFlows = (format: string) => {
  const names = (name: string) => `regexp_matches(p, '(^| )${name}( |$)')`;
  const identifies = `${names('default')} OR (${FLOW_IDENTITY.map(names).join(' AND ')})`;
  return `coalesce(list_bool_and(list_transform(string_split(${format}, ' | '), p -> ${identifies})), false)`;
};
/** A window of a CloudWatch stream pulled (a file, S3 object or export is any other import). */
const PULLED = `source = 'cloudwatch'`;

/**
 * A record's hash: every stored column but its import and where CloudWatch said it was logged (`extra`'s
 * `log-owner`, `log-group`, `log-stream`), which is not the record. An event exported by filter-log-events (its stream named)
 * is the one pulled or exported to S3 (the stream in the import's path), or delivered to S3 by another flow log.
 */
const PROVENANCE_KEYS = `('log-owner', 'log-group', 'log-stream')`;
const RECORD_HASH =
  `hash(*COLUMNS(* EXCLUDE (import_id, extra)), CASE WHEN len(list_filter(map_keys(extra), k -> k NOT IN ${PROVENANCE_KEYS})) > 0 ` +
  `THEN map_from_entries(list_filter(map_entries(extra), e -> e.key NOT IN ${PROVENANCE_KEYS})) END)`;

/** The row ids dropRecordsHeldBefore takes out of one import, moved aside and deleted by the same list. */
const HELD_NOW = 'held_now';

/** What two records that are the same share, cheaper to hash than every column (RECORD_HASH). */
const RECORD_KEY = 'hash(interface_id, start, srcaddr, dstaddr, srcport, dstport, bytes)';

/** Whether a record is of one of the interfaces these imports have records of (a logged `-`, NULL, is one too). */
const ofInterfacesOf = (list: string) =>
  `coalesce(interface_id, '') IN (SELECT DISTINCT coalesce(interface_id, '') FROM ${RECORD_TABLE} WHERE import_id IN (${list}))`;

/**
 * Of these imports (being stored), those with a record whose RECORD_KEY an earlier import identifying
 * flows stores too: only they can hold a record held before, and only they are hashed whole. Each look
 * reads less than the next would. Whether an earlier import has records within their span of `start` at
 * all (a file of new hours: nothing more is read); whether one has records there of the new imports'
 * interfaces (another VPC's file of the same hours has none: no key is made, where keying every record of
 * both was a GROUP BY over all of them); then one pass over those records only, for all of them at once (a
 * folder's adjacent objects overlap in `start`, yet rarely hold the same record; looks and a pass per
 * object read the batch's uncommitted records once for each: 13.7 CPU-s against 10.6 for a folder of 100).
 */
async function sharingEarlier(tx: SqlRunner, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const list = ids.map(Number).join(', ');
  const [span] = await tx.all<{ lo: bigint | null; hi: bigint | null }>(
    `SELECT min(start) AS lo, max(start) AS hi FROM ${RECORD_TABLE} WHERE import_id IN (${list})`,
  );
  if (!span || span.lo === null) return new Set();
  const last = Math.max(...ids);
  const inSpan =
    `FROM ${RECORD_TABLE} WHERE start BETWEEN ${span.lo} AND ${span.hi} AND import_id IN (SELECT id FROM imports ` +
    `WHERE id <= ${last} AND status IN ('imported', 'running') AND ${identifiesFlows('format')})`;
  const overlapping = `${inSpan} AND ${ofInterfacesOf(list)}`;
  for (const look of [inSpan, overlapping]) {
    if ((await tx.all(`SELECT 1 ${look} AND import_id < ${last} LIMIT 1`)).length === 0) return new Set();
  }
  const rows = await tx.all<{ id: number }>(
    `WITH keyed AS (SELECT import_id, ${RECORD_KEY} AS k ${overlapping}), ` +
      `firsts AS (SELECT k, min(import_id) AS first FROM keyed GROUP BY k) ` +
      `SELECT DISTINCT import_id AS id FROM keyed JOIN firsts USING (k) WHERE first < import_id AND import_id IN (${list})`,
  );
  return new Set(rows.map((r) => r.id));
}

/**
 * The same records brought again: a `zcat` of S3 objects already imported, a file that holds another's records
 * and more, a CloudWatch export (JSON, to S3, a Firehose delivery, a pull) of what a file held, two exports of
 * overlapping hours, a Firehose object redelivered. A flow log writes one record per flow of one interface per
 * aggregation interval, so a record that identifies its flow (FLOW_IDENTITY) is one flow log record wherever it
 * came from (for CloudWatch: one event, since each interface has a stream of its own): equal records of two
 * imports are the same record. For each import given (in the transaction that stores it, before its summary)
 * whose format identifies flows, takes out of its records those earlier imports that identify them already
 * hold, as many copies as they hold (a multiset difference, so a record logged twice in one file stays twice),
 * compared by the hash of every stored column but provenance (RECORD_HASH), and answers how many it took out
 * of each. A pulled window is thinned against earlier imports that are not pulled windows only: each
 * stream's records are its own (StagedOrigin.identity), and a window fetched again replaces the one before
 * it: thinned against it, it would lose what that one goes with. A format without one of FLOW_IDENTITY keeps
 * all its records (two interfaces, streams or flows may log the same line).
 *
 * The records taken out are kept aside in HELD_TABLE under the import's id, not deleted: what the import
 * brought is its stored records plus those, so when an earlier import goes, the later ones are thinned
 * again from what they brought (removeImport, thinAgain) and each record is still held once.
 */
export async function dropRecordsHeldBefore(tx: SqlRunner, ids: readonly number[]): Promise<Map<number, number>> {
  const dropped = new Map<number, number>();
  if (ids.length === 0) return dropped;
  const imports = await tx.all<{ id: number; pulled: boolean }>(
    `SELECT id, ${PULLED} AS pulled FROM imports WHERE id IN (${ids.map(Number).join(', ')}) ` +
      `AND ${identifiesFlows('format')} ORDER BY id`,
  );
  const shared = await sharingEarlier(
    tx,
    imports.map((i) => i.id),
  );
  for (const { id, pulled } of imports) {
    if (!shared.has(id)) continue;
    const holders =
      `SELECT id FROM imports WHERE id < ${id} AND status IN ('imported', 'running') ` +
      `AND ${identifiesFlows('format')}${pulled ? ` AND NOT ${PULLED}` : ''}`;
    const [{ lo, hi }] = (await tx.all<{ lo: bigint; hi: bigint }>(
      `SELECT min(start) AS lo, max(start) AS hi FROM ${RECORD_TABLE} WHERE import_id = ${id}`,
    )) as [{ lo: bigint; hi: bigint }];
    await tx.run(
      `CREATE OR REPLACE TEMP TABLE ${HELD_NOW} AS (` +
        // Only the record's own columns are hashed: the bounds are literals, not a joined table.
        `WITH held AS (SELECT ${RECORD_HASH} AS h, count(*) AS c FROM ${RECORD_TABLE} WHERE import_id IN (${holders}) ` +
        `AND start BETWEEN ${lo} AND ${hi} GROUP BY h), ` +
        `mine AS (SELECT rid, h, row_number() OVER (PARTITION BY h ORDER BY rid) AS k FROM ` +
        `(SELECT rowid AS rid, ${RECORD_HASH} AS h FROM ${RECORD_TABLE} WHERE import_id = ${id})) ` +
        `SELECT rid FROM mine JOIN held USING (h) WHERE mine.k <= held.c)`,
    );
    const n = await tx.run(
      `INSERT INTO ${HELD_TABLE} BY NAME SELECT * FROM ${RECORD_TABLE} WHERE rowid IN (SELECT rid FROM ${HELD_NOW})`,
    );
    await tx.run(`DELETE FROM ${RECORD_TABLE} WHERE rowid IN (SELECT rid FROM ${HELD_NOW})`);
    await tx.run(`DROP TABLE ${HELD_NOW}`);
    if (n > 0) dropped.set(id, n);
  }
  return dropped;
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

/**
 * A pull checkpoint that stands for an import says so in its JSON value's `importId` (an S3 object's
 * version, a CloudWatch window); other checkpoints (a log group's format) are not JSON.
 */
const CHECKPOINT_IMPORT_ID = `CASE WHEN json_valid(value) THEN json_extract(value, '$.importId')::INTEGER END`;

/**
 * Deletes the import's records, their summary, rejected lines, ledger row and the pull checkpoints that
 * stand for it (so the object or window it held is pulled again, not taken for held), then thins the later
 * imports again without it (thinAgain): the records they left out because this one held them
 * are theirs again. Answers how many records the workspace no longer holds.
 */
export async function removeImport(tx: SqlRunner, id: number): Promise<number> {
  const later = await thinnedAgainst(tx, id);
  const removed = await tx.run(`DELETE FROM ${RECORD_TABLE} WHERE import_id = $1`, [id]);
  await tx.run(`DELETE FROM ${HELD_TABLE} WHERE import_id = $1`, [id]);
  await tx.run(`DELETE FROM ${SUMMARY_TABLE} WHERE import_id = $1`, [id]);
  await tx.run('DELETE FROM rejected_lines WHERE import_id = $1', [id]);
  const [next] = await tx.all<{ id: number }>(NEXT_IMPORT_ID_SQL);
  await tx.run('DELETE FROM meta WHERE key = $1', [LAST_IMPORT_ID]);
  await tx.run('INSERT INTO meta VALUES ($1, $2)', [LAST_IMPORT_ID, String(next!.id - 1)]);
  await tx.run('DELETE FROM imports WHERE id = $1', [id]);
  await tx.run(`DELETE FROM pull_checkpoints WHERE ${CHECKPOINT_IMPORT_ID} = $1`, [id]);
  let handedBack = 0;
  for (const l of later) handedBack += await thinAgain(tx, l);
  return removed - handedBack;
}

/**
 * The finished imports after `id` whose thinning (dropRecordsHeldBefore) may have counted its records:
 * imports identifying flows that hold, stored or left out, a record of one of its interfaces within its
 * span (a record is compared by every column, so no other can have matched). One whose own thinning is still
 * to come (running, in the transaction that stores it) is left to that. A removed pulled window was held
 * only for later imports that are not windows, and through them for later windows: without one of those,
 * nothing was thinned against it.
 */
async function thinnedAgainst(tx: SqlRunner, id: number): Promise<number[]> {
  const [gone] = await tx.all<{ holder: boolean }>(
    `SELECT ${identifiesFlows('format')} AND (NOT ${PULLED} OR EXISTS ` +
      `(SELECT 1 FROM imports e WHERE e.id > $1 AND NOT e.${PULLED})) AS holder FROM imports WHERE id = $1`,
    [id],
  );
  if (!gone?.holder) return [];
  const rows = await tx.all<{ id: number }>(
    // A logged `-` is NULL, and still an interface to compare (an empty one is never logged).
    `WITH mine AS (SELECT start, coalesce(interface_id, '') AS interface_id FROM ${RECORD_TABLE} WHERE import_id = $1), ` +
      `span AS (SELECT min(start) AS lo, max(start) AS hi FROM mine), ` +
      `candidates AS (SELECT id FROM imports WHERE id > $1 AND status = 'imported' AND ${identifiesFlows('format')}) ` +
      `SELECT DISTINCT import_id AS id FROM (SELECT import_id, start, interface_id FROM ${RECORD_TABLE} ` +
      `UNION ALL SELECT import_id, start, interface_id FROM ${HELD_TABLE}) ` +
      `WHERE import_id IN (SELECT id FROM candidates) AND start BETWEEN (SELECT lo FROM span) AND (SELECT hi FROM span) ` +
      `AND coalesce(interface_id, '') IN (SELECT DISTINCT interface_id FROM mine) ORDER BY id`,
    [id],
  );
  return rows.map((r) => r.id);
}

/**
 * Thins a finished import again from all it fetched (its records and those it left out), against the
 * imports before it as they are now, in id order as they were first stored: the same multiset difference
 * as then, so an event logged twice is still held twice, and every record of its window is held by it or
 * by an earlier import, never by both. Its ledger count and summary follow. Answers how many records it
 * holds more than before.
 */
async function thinAgain(tx: SqlRunner, id: number): Promise<number> {
  const count = async () =>
    Number((await tx.all<{ n: bigint }>(`SELECT count(*) AS n FROM ${RECORD_TABLE} WHERE import_id = $1`, [id]))[0]!.n);
  const before = await count();
  await tx.run(`INSERT INTO ${RECORD_TABLE} BY NAME SELECT * FROM ${HELD_TABLE} WHERE import_id = $1`, [id]);
  await tx.run(`DELETE FROM ${HELD_TABLE} WHERE import_id = $1`, [id]);
  await dropRecordsHeldBefore(tx, [id]);
  const more = (await count()) - before;
  if (more !== 0) {
    await tx.run(`UPDATE imports SET records = records + $2 WHERE id = $1`, [id, more]);
    await tx.run(`DELETE FROM ${SUMMARY_TABLE} WHERE import_id = $1`, [id]);
    await summarizeImports(tx, [id]);
  }
  return more;
}

/**
 * A pull's older import (a replaced object version, a window fetched again) goes, unless a checkpoint of
 * another source (`except` is the one being rewritten) stands for it: byte-identical objects share one
 * import, and its records are that other source's too. Answers the counts removed (zero when it stays).
 */
export async function releaseImport(
  tx: SqlRunner,
  id: number,
  except: { source: string; key: string },
): Promise<{ records: number; rejected: number }> {
  const others = await tx.all(
    `SELECT 1 FROM pull_checkpoints WHERE ${CHECKPOINT_IMPORT_ID} = $1 AND NOT (source = $2 AND key = $3) LIMIT 1`,
    [id, except.source, except.key],
  );
  const row = others.length === 0 ? await getImport(tx, id) : null;
  if (!row) return { records: 0, rejected: 0 };
  return { records: await removeImport(tx, id), rejected: row.rejected };
}

/**
 * The new import `by` takes the place of `olds` (imports of the same content that kept fewer of its
 * records): the checkpoints that stood for them now stand for it, then they go. Answers the counts removed.
 */
export async function replaceImports(
  tx: SqlRunner,
  olds: readonly number[],
  by: number,
): Promise<{ records: number; rejected: number }> {
  const gone = { records: 0, rejected: 0 };
  for (const id of olds) {
    const row = await getImport(tx, id);
    if (!row) continue;
    await tx.run(
      `UPDATE pull_checkpoints SET value = json_merge_patch(value, json_object('importId', $2))::VARCHAR, updated_at = $3 WHERE ${CHECKPOINT_IMPORT_ID} = $1`,
      [id, by, new Date()],
    );
    gone.records += await removeImport(tx, id);
    gone.rejected += row.rejected;
  }
  return gone;
}

export async function listImports(
  db: SqlRunner,
  offset: number,
  limit: number,
  newestFirst = false,
): Promise<{ total: number; imports: ImportInfo[] }> {
  const [count] = await db.all<{ n: bigint }>(`SELECT count(*) AS n FROM imports WHERE status = 'imported'`);
  const rows = await db.all<ImportRow>(
    `SELECT * FROM imports WHERE status = 'imported' ORDER BY id ${newestFirst ? 'DESC' : ''} LIMIT $1 OFFSET $2`,
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
  // What `line` counts (a line, a log event's place among the file's events, a Parquet row) follows from the
  // import's source and format.
  const rows = await db.all<{
    import_id: number;
    path: string;
    line: bigint;
    reason: string;
    raw: string;
    source: string | null;
    format: string | null;
  }>(
    `SELECT r.*, i.source, i.format FROM rejected_lines AS r LEFT JOIN imports AS i ON i.id = r.import_id ` +
      `${filter.replace('import_id', 'r.import_id')} ` +
      `ORDER BY r.import_id, r.line LIMIT ${Math.trunc(limit)} OFFSET ${Math.trunc(offset)}`,
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
      unit: rejectUnit(r.source ?? '', r.format ?? ''),
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
