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

/**
 * Minutes are counted from a start 2^61 µs (some 73,000 years) before 1970, a whole number of minutes, so
 * that `//` (which rounds towards zero) rounds down for every time; grouped by that number the summary takes
 * 1.6 s to make from 100 M records, by `date_trunc('minute', …)` 2.5 s.
 */
const MINUTE_US = 60_000_000n;
const MINUTES_FROM_US = -((2n ** 61n / MINUTE_US) * MINUTE_US);

/** The summary rows of the records `where` selects from `from` (a record table), to INSERT into SUMMARY_TABLE. */
export function summarizeSql(from: string, where: string): string {
  const minute = `(epoch_us(start_time) - (${MINUTES_FROM_US})) // ${MINUTE_US}`;
  return (
    `INSERT INTO ${SUMMARY_TABLE} SELECT import_id, make_timestamp(m * ${MINUTE_US} + (${MINUTES_FROM_US})), action, ` +
    `protocol, log_status, n, b, p FROM (SELECT import_id, ${minute} AS m, action, protocol, log_status, ` +
    `count(*) AS n, sum(bytes) AS b, sum(packets) AS p FROM ${from} WHERE ${where} GROUP BY ALL)`
  );
}
