/**
 * The minute summary: each import's records counted per minute of their start time and per value of the
 * few fields with a handful of values (action, protocol, log status), with the sums of their bytes and
 * packets. The workspace keeps it beside the records (written when an import commits, removed with it); the
 * compiler answers a `stats` from it where that gives the same answer (`summary-stats.ts`).
 *
 * Over 100 million records a count by action, by protocol and hour or by log status read every record (0.4
 * to 2 s of CPU each, the Overview's four of them 3.6 s of its 6.7); the summary has some thirty rows per
 * minute whatever the traffic. Interfaces and addresses, with as many values as a VPC has ENIs and peers,
 * would make it as large as the records, so they stay out.
 */
import { bucketOf, bucketStart, timeBucket } from './time-buckets';

export const SUMMARY_TABLE = 'flow_minutes';

/** The fields grouped by, as stored in the records and in the summary, with the import they came in. */
export const SUMMARY_KEYS = ['import_id', 'action', 'protocol', 'log_status'] as const;

/** The summary's columns: its keys, the minute, and the records' count and sums per group. */
export const SUMMARY_COLUMNS: readonly (readonly [name: string, type: string])[] = [
  ['import_id', 'INTEGER'],
  ['minute', 'TIMESTAMP'],
  ['action', 'VARCHAR'],
  ['protocol', 'SMALLINT'],
  ['log_status', 'VARCHAR'],
  ['records', 'BIGINT'],
  ['bytes', 'HUGEINT'],
  ['packets', 'HUGEINT'],
];

/** A minute, in µs: the summary's time grain. */
export const MINUTE_US = 60_000_000n;

/**
 * The minute of a record's start time, grouped by as its number (`time-buckets.ts`): the summary takes 1.6 s
 * to make from 100 M records so, 2.5 s by `date_trunc('minute', …)`.
 */
const MINUTE = timeBucket('start_time', MINUTE_US);

/** The summary rows of the records `where` selects from `from` (a record table), to INSERT into SUMMARY_TABLE. */
export function summarizeSql(from: string, where: string): string {
  return (
    `INSERT INTO ${SUMMARY_TABLE} SELECT import_id, ${bucketStart(MINUTE, 'm')}, action, protocol, log_status, ` +
    `n, b, p FROM (SELECT import_id, ${bucketOf(MINUTE, MINUTE.column)} AS m, action, protocol, log_status, ` +
    `count(*) AS n, sum(bytes) AS b, sum(packets) AS p FROM ${from} WHERE ${where} GROUP BY ALL)`
  );
}
