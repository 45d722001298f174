/**
 * The histogram above a list of records, as Sumo Logic and CloudWatch Logs Insights draw one above their
 * messages: every record the query matched (not the page on screen, nor the rows a limit kept) counted per
 * time bucket, ACCEPT, REJECT and the rest (NODATA, SKIPDATA) apart, in one aggregation over the compiler's
 * `recordsSql`. The bucket is a round width (1 minute, 5 minutes, 1 hour, …) that puts the query's time
 * range into about as many bars as the chart has room for.
 * Pure: SQL text only, read by the engine.
 */
import { roundBucketMs } from './chart-data';

/** Pixels per bar: narrow bars, as the consoles draw them, with a gap between. */
const PIXELS_PER_BAR = 8;

/** How many bars a histogram `width` pixels wide draws: at least 12, at most 240. */
export function histogramBars(width: number): number {
  return Math.min(240, Math.max(12, Math.floor(width / PIXELS_PER_BAR)));
}

/** The bucket width for a time range drawn in `bars` bars at most. */
export function histogramBucketMs(fromMs: number, toMs: number, bars: number): number {
  return roundBucketMs(Math.max(1000, toMs - fromMs), bars);
}

/** One row: the first and last matched record's start, in epoch milliseconds (null when none matched). */
export function histogramSpanSql(recordsSql: string): string {
  return `SELECT epoch_ms(min(start_time)), epoch_ms(max(start_time)) FROM (${recordsSql})`;
}

/**
 * A row per bucket that has records, in time order: its start in epoch milliseconds (`at_ms`, a multiple of
 * the width, so buckets line up with the clock), then the ACCEPT, REJECT and other records in it. Records
 * without a start time make one row whose `at_ms` is null, so the buckets always add up to the records.
 */
export function histogramSql(recordsSql: string, bucketMs: number): string {
  const width = Math.max(1, Math.round(bucketMs));
  return (
    `SELECT (epoch_ms(start_time) // ${width}) * ${width} AS at_ms, ` +
    `count(*) FILTER (WHERE action = 'ACCEPT') AS accept, ` +
    `count(*) FILTER (WHERE action = 'REJECT') AS reject, ` +
    `count(*) FILTER (WHERE action IS NULL OR action NOT IN ('ACCEPT', 'REJECT')) AS other ` +
    `FROM (${recordsSql}) GROUP BY at_ms ORDER BY at_ms NULLS LAST`
  );
}
