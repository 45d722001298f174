/**
 * Time buckets as numbers: the bucket of `width` µs a time falls in, counted from a start a whole number of
 * widths before an origin and some 73,000 years (2^61 µs) before 1970, so that `//` (which rounds towards
 * zero) rounds down for every time since 1970 without a CASE; a time past the year 200,000 overflows BIGINT,
 * which DuckDB stops with an error rather than a wrong bucket. The eager form of a stats groups by them
 * (`queries/language/eager-stats.ts`), and the minute summary is made by minute number (`minute-summary.ts`).
 */

const REACH_US = 2n ** 61n;

/** Buckets of `width` µs of the time in `column`, numbered from `start` µs. */
export interface Bucket {
  column: string;
  width: bigint;
  start: bigint;
}

/** The buckets of `widthUs` of the time in `column`, one of them starting at `originUs` (µs since 1970). */
export function timeBucket(column: string, widthUs: bigint, originUs = 0n): Bucket {
  return { column, width: widthUs, start: originUs - (REACH_US / widthUs) * widthUs };
}

/** The number of the bucket a time falls in, read from `column` (the bucket's time, or a time standing for it). */
export const bucketOf = (b: Bucket, column: string) => `((epoch_us(${column}) - (${b.start})) // ${b.width})`;

/** The start of the bucket a number (SQL) names, as a TIMESTAMP. */
export const bucketStart = (b: Bucket, number: string) => `make_timestamp(${number} * ${b.width} + (${b.start}))`;
