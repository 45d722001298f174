/**
 * Time buckets as numbers: the bucket of `width` µs a time falls in, counted from a start a whole number of
 * widths and some 73,000 years (2^61 µs) before 1970, so that `//` (which rounds towards
 * zero) rounds down for every time since 1970 without a CASE; a time past the year 200,000 overflows BIGINT,
 * which DuckDB stops with an error rather than a wrong bucket. The eager form of a stats groups by them
 * (`queries/language/eager-stats.ts`), and the minute summary is made by minute number (`minute-summary.ts`).
 */

const REACH_US = 2n ** 61n;

/** The origin `epochBucketSql` writes, which the eager form of a stats reads back (`eager-stats.ts`). */
export const EPOCH_ORIGIN = "DATE '1970-01-01'";

/**
 * `time_bucket` of `time` (SQL) by `width` (an SQL interval), counted from the Unix epoch: each bucket starts
 * at a multiple of the width since 1970-01-01 UTC, as CloudWatch's `bin`/`datefloor` and Sumo's `timeslice`
 * make them (the floor of the epoch time divided by the width). DuckDB's own origin is 2000-01-03 (months:
 * 2000-01-01), from which a width that does not divide a day (7m, 1w) starts elsewhere (`bin(1w)` on
 * Mondays, not Thursdays). A DATE origin keeps the time's type (a DATE stays one).
 */
export const epochBucketSql = (width: string, time: string) => `time_bucket(${width}, ${time}, ${EPOCH_ORIGIN})`;

/** Buckets of `width` µs of the time in `column`, numbered from `start` µs. */
export interface Bucket {
  column: string;
  width: bigint;
  start: bigint;
}

/** The buckets of `widthUs` of the time in `column`, each starting at a multiple of the width since 1970. */
export function timeBucket(column: string, widthUs: bigint): Bucket {
  return { column, width: widthUs, start: -(REACH_US / widthUs) * widthUs };
}

/** The number of the bucket a time falls in, read from `column` (the bucket's time, or a time standing for it). */
export const bucketOf = (b: Bucket, column: string) => `((epoch_us(${column}) - (${b.start})) // ${b.width})`;

/** The start of the bucket a number (SQL) names, as a TIMESTAMP. */
export const bucketStart = (b: Bucket, number: string) => `make_timestamp(${number} * ${b.width} + (${b.start}))`;
