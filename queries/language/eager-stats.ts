/**
 * Eager aggregation for `stats`: when a group key is computed from one stored column (a country looked up
 * from the source address, a protocol name made by five `if`s), the records are first grouped by that column
 * (and by the keys read as they are stored), each key is then computed once per group rather than once per
 * record, and the groups' partial aggregates are added up by the keys. The answer is the same: a key is a
 * function of the columns it reads, and count, sum, min and max of a group are those of its parts.
 *
 * Over 100 million records, the Sumo app's "Source Address Locations" looked up every record's country and
 * joined the answer back (16 s, 1.7 GB); grouped by the address first it looks up each address once. The
 * Overview's "Flow Records per Protocol by Hour" named the protocol of every record (4.7 s).
 */
import { addressKeysFromText, withKeysFromText } from './enrichment-functions';
import { bucketOf, bucketStart, EPOCH_ORIGIN, timeBucket, type Bucket } from '../catalog/time-buckets';
import { code, isIdentifier, readsRecords, storedColumnsIn } from './record-sql';
import { summaryGrouping } from './summary-stats';

/** The record times: a key that reads only these (a `bin`, a `timeslice`) is cheap and is computed first. */
const TIME_COLUMNS = new Set(['start_time', 'end_time', 'start', 'end']);

/** `bin`/`timeslice` of a record time by a width in milliseconds, as `epochBucketSql` writes it. */
const BUCKET_SQL = new RegExp(
  `^time_bucket\\(INTERVAL '(\\d+) milliseconds', (start_time|end_time), ${EPOCH_ORIGIN}\\)$`,
);

/**
 * A key grouped by in the inner SELECT, and how the next one shows it. `time_bucket` of a record time by a
 * width in milliseconds (`bin`, `timeslice`) is grouped by as the bucket's number (`catalog/time-buckets.ts`:
 * numbered so that `//` rounds down for every record time, the import refusing times before 1970), which
 * DuckDB computes and hashes in half the time (100 M records by protocol and hour: 1.7 s of CPU against
 * 3.7 s), and shown as the same time: the buckets keep the epoch as origin (`epochBucketSql`).
 */
function bucketNumber(sql: string): { grouped: string; shown: (column: string) => string; bucket: Bucket | null } {
  const m = BUCKET_SQL.exec(sql.trim());
  if (!m) return { grouped: sql, shown: (column) => column, bucket: null };
  const bucket = timeBucket(m[2]!, BigInt(m[1]!) * 1000n);
  return { grouped: bucketOf(bucket, bucket.column), shown: (column) => bucketStart(bucket, column), bucket };
}

/** The arguments of a call of `fn` that is the whole text (`count(*) FILTER (…)` is not), split at its commas. */
function callArgs(sql: string, fn: string): string[] | null {
  const text = sql.trim();
  if (!text.toLowerCase().startsWith(`${fn}(`)) return null;
  const read = code(text);
  const cuts = [fn.length];
  let depth = 0;
  for (let i = fn.length; i < read.length; i++) {
    if (read[i] === '(') depth++;
    else if (read[i] === ')' && --depth === 0 && i !== read.length - 1) return null;
    else if (read[i] === ',' && depth === 1) cuts.push(i);
  }
  return cuts.map((at, i) => text.slice(at + 1, cuts[i + 1] ?? -1).trim());
}

/**
 * `count(…)`, `sum(…)`, `min(…)`, `max(…)` (or one of them with a default, Sumo's `coalesce(sum(…), 0)`),
 * and how the groups' parts combine into the whole; else null.
 */
function decompose(sql: string): { partial: string; combine: (p: string) => string } | null {
  const fallback = callArgs(sql, 'coalesce');
  if (fallback?.length === 2 && /^(?:-?\d+|'(?:[^']|'')*')$/.test(fallback[1]!)) {
    const inner = decompose(fallback[0]!);
    return inner && { partial: inner.partial, combine: (p) => `coalesce(${inner.combine(p)}, ${fallback[1]})` };
  }
  for (const fn of ['count', 'sum', 'min', 'max']) {
    const args = callArgs(sql, fn);
    if (args?.length !== 1 || /^distinct\b/i.test(args[0]!)) continue;
    const partial = sql.trim();
    return { partial, combine: (p) => (fn === 'count' ? `CAST(sum(${p}) AS BIGINT)` : `${fn}(${p})`) };
  }
  return null;
}

export interface EagerStats {
  /** The FROM of the grouping SELECT: the records grouped by the columns the keys read, the keys computed. */
  from: string;
  /** Each key's SQL and each aggregate's over that FROM. */
  keys: string[];
  values: string[];
}

/**
 * The eager form of `SELECT keys, aggregates FROM records GROUP BY keys`, where `keys` and `aggregates` are
 * SQL over the records, and `records(select, groupBy)` writes a SELECT of them (with the query's conditions,
 * which are `selection` over `main.flows`, where they are known); null where it does not apply or gains
 * nothing: an aggregate that does not split (avg, count_distinct, percentiles), neither a key computed from
 * a stored column nor a time bucket nor an answer from the minute summary (`summary-stats.ts`), or a
 * computed key reading more than one stored column (grouped by both, there may be as many groups as records).
 */
export function eagerStats(
  keys: readonly string[],
  aggregates: readonly string[],
  selection: readonly string[] | null,
  records: (select: string[], groupBy: string[]) => string,
  alias: (prefix: string) => string,
): EagerStats | null {
  if (keys.length === 0) return null;
  const parts = aggregates.map(decompose);
  if (parts.some((p) => p === null)) return null;
  // Not per record: SQL that reads other records (a subquery over them, a window), outside its texts.
  if ([...keys, ...aggregates].some(readsRecords)) return null;
  const shapes = keys.map((record) => {
    const reads = storedColumnsIn(record);
    const first = isIdentifier(record) || (reads.length > 0 && reads.every((c) => TIME_COLUMNS.has(c)));
    // A lookup computed per group reads the address text, which groups faster than its key (0.5 s of CPU
    // against 1.6 s over 100 M records) and has as many values.
    return { sql: record, inputs: storedColumnsIn(first ? record : addressKeysFromText(record)), first };
  });
  const computed = shapes.filter((k) => !k.first);
  if (computed.some((k) => k.inputs.length > 1)) return null;
  // A key read first is grouped by in the inner SELECT (a time bucket as its number) and passed on.
  const firsts = shapes.flatMap((k, i) => (k.first ? [{ ...bucketNumber(k.sql), key: i }] : []));
  const inputs = [...new Set(computed.flatMap((k) => k.inputs))].map((c) => `"${c}"`);
  const summary =
    selection &&
    summaryGrouping(
      firsts.map((f) => ({ sql: f.grouped, bucket: f.bucket })),
      inputs,
      parts.map((p) => p!.partial),
      selection,
    );
  if (!summary && !computed.some((k) => k.inputs.length === 1) && !firsts.some((f) => f.bucket)) return null;

  const names = keys.map(() => alias('_k'));
  const partials = parts.map(() => alias('_p'));
  const selectOf = (firstKeys: readonly string[], partialSql: readonly string[]) => [
    ...firstKeys.map((sql, i) => `${sql} AS ${names[firsts[i]!.key]}`),
    ...inputs,
    ...partialSql.map((sql, i) => `${sql} AS ${partials[i]}`),
  ];
  const overRecords = selectOf(
    firsts.map((f) => f.grouped),
    parts.map((p) => p!.partial),
  );
  const inner = summary
    ? summary.select(selectOf(summary.keys, summary.partials), overRecords)
    : records(overRecords, [...firsts.map((f) => f.grouped), ...inputs]);
  const outer = shapes.map((k, i) => {
    const f = firsts.find((x) => x.key === i);
    return `${f ? f.shown(names[i]!) : k.sql} AS ${names[i]}`;
  });
  const grouped = withKeysFromText(`(${inner})`, outer);
  const middle = `SELECT ${[...grouped.sqls, ...partials].join(', ')} FROM ${grouped.from} AS ${alias('_g')}`;
  return {
    from: `(${middle}) AS ${alias('_e')}`,
    keys: names,
    values: parts.map((p, i) => p!.combine(partials[i]!)),
  };
}
