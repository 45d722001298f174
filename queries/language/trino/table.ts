/**
 * The Athena table a remote query reads: its qualified name and how it is partitioned, which is what turns a
 * time range into partition predicates (so Athena scans only the days asked for). The columns are the
 * Athena names of `fields.ts`, as the DDL `flowscope athena table` writes them.
 */
import { sqlIdent } from '../../catalog/sql-quote';
import { instantMs, type TimeBounds } from '../compile';

export type PartitionScheme =
  /** No time partition: only the records' own `start` limits the scan. */
  | { kind: 'none' }
  /** A string partition of the day, `yyyy/MM/dd` (AWS's projection DDL `day`, the Bootstrap's `date_partition`). */
  | { kind: 'day'; column: string }
  /** A DATE partition (AWS's text DDL `date`). */
  | { kind: 'date'; column: string }
  /** Hive-compatible `year`/`month`/`day` strings, with `hour` for hourly partitions. */
  | { kind: 'hive'; hourly: boolean };

export interface AthenaTable {
  /** `database.table`, or `table` in the query's database. */
  name: string;
  partitions: PartitionScheme;
  /** Where the table keeps the record's region when it has no `region` column: a partition (`aws-region`). */
  regionPartition?: string;
  /**
   * The table's account partition (`aws-account-id`, `accid`, `account_partition`): the account folder each
   * object was delivered to, which a record's own `account_id` is not always (`unknown`, a shared VPC's).
   */
  accountPartition?: string;
  /**
   * The table's columns and partition keys, lower-case, as its definition has them (a table of the default
   * format has 14), when known: a record field the table lacks is not read from it.
   */
  columns?: readonly string[];
}

/** Trino reads a quoted name and a string as DuckDB does, so both quote through `catalog/sql-quote`. */
export const quoteTrino = sqlIdent;

/** The table name as Trino SQL, each part quoted. */
export function tableSql(table: AthenaTable): string {
  return table.name.split('.').map(quoteTrino).join('.');
}

const DAY_MS = 86_400_000;

function utcDays(fromMs: number, toMs: number): Date[] {
  const out: Date[] = [];
  for (let t = Math.floor(fromMs / DAY_MS) * DAY_MS; t < toMs; t += DAY_MS) out.push(new Date(t));
  return out;
}

const pad = (n: number) => String(n).padStart(2, '0');
const dayText = (d: Date, sep: string) =>
  `${d.getUTCFullYear()}${sep}${pad(d.getUTCMonth() + 1)}${sep}${pad(d.getUTCDate())}`;

/** Hive partitions of more days than this are selected by month instead of by day. */
const MAX_LISTED_DAYS = 31;

/**
 * Conditions selecting the records of a time range: on the partitions (VPC delivers a file in the folder of
 * its delivery time, so the folders run from the range's start to a day after its end) and on the records'
 * own `start`, so the answer is exact.
 */
export function timeRangePredicates(table: AthenaTable, range: TimeBounds | null | undefined): string[] {
  const from = range?.from ? instantMs(range.from) : null;
  const to = range?.to ? instantMs(range.to) : null;
  const out: string[] = [];
  // Records start on whole seconds: from 10:00:00.5 the first is 10:00:01, as on the workspace.
  if (from !== null) out.push(`"start" >= ${Math.ceil(from / 1000)}`);
  if (to !== null) out.push(`"start" < ${Math.ceil(to / 1000)}`);
  if (from === null && to === null) return out;
  const p = table.partitions;
  const { firstDay, lastDay } = partitionDays(from, to);
  switch (p.kind) {
    case 'none':
      break;
    case 'day':
      if (firstDay) out.push(`${quoteTrino(p.column)} >= '${dayText(firstDay, '/')}'`);
      if (lastDay) out.push(`${quoteTrino(p.column)} <= '${dayText(lastDay, '/')}'`);
      break;
    case 'date':
      if (firstDay) out.push(`${quoteTrino(p.column)} >= DATE '${dayText(firstDay, '-')}'`);
      if (lastDay) out.push(`${quoteTrino(p.column)} <= DATE '${dayText(lastDay, '-')}'`);
      break;
    case 'hive': {
      if (!firstDay || !lastDay) {
        // Open-ended: the year alone bounds the scan.
        if (firstDay) out.push(`"year" >= '${firstDay.getUTCFullYear()}'`);
        if (lastDay) out.push(`"year" <= '${lastDay.getUTCFullYear()}'`);
        break;
      }
      const days = utcDays(firstDay.getTime(), lastDay.getTime() + DAY_MS);
      if (days.length <= MAX_LISTED_DAYS) {
        const byMonth = new Map<string, string[]>();
        for (const d of days) {
          const key = `"year" = '${d.getUTCFullYear()}' AND "month" = '${pad(d.getUTCMonth() + 1)}'`;
          byMonth.set(key, [...(byMonth.get(key) ?? []), `'${pad(d.getUTCDate())}'`]);
        }
        out.push(`(${[...byMonth].map(([m, ds]) => `(${m} AND "day" IN (${ds.join(', ')}))`).join(' OR ')})`);
      } else {
        const months = new Set(
          days.map((d) => `("year" = '${d.getUTCFullYear()}' AND "month" = '${pad(d.getUTCMonth() + 1)}')`),
        );
        out.push(`(${[...months].join(' OR ')})`);
      }
      break;
    }
  }
  return out;
}

/** The first and the last day folder the partition predicates select: a day after the range for late delivery. */
function partitionDays(from: number | null, to: number | null): { firstDay: Date | null; lastDay: Date | null } {
  return {
    firstDay: from === null ? null : new Date(Math.floor(from / DAY_MS) * DAY_MS),
    lastDay: to === null ? null : new Date(Math.floor((to - 1) / DAY_MS) * DAY_MS + DAY_MS),
  };
}

/**
 * The delivery times (ms; null: unbounded) of the folders `timeRangePredicates` selects, which Athena reads
 * whole whatever the condition on `start`: what a scan estimate must count. Whole days (an hourly table's
 * hours are not selected one by one), whole months for a long Hive range, whole years for an open one,
 * everything for a table without a time partition.
 */
export function partitionSpan(table: AthenaTable, range: TimeBounds | null | undefined): ScanSpan {
  const from = range?.from ? instantMs(range.from) : null;
  const to = range?.to ? instantMs(range.to) : null;
  const { firstDay, lastDay } = partitionDays(from, to);
  const end = (d: Date | null) => (d === null ? null : d.getTime() + DAY_MS);
  switch (table.partitions.kind) {
    case 'none':
      return { from: null, to: null };
    case 'day':
    case 'date':
      return { from: firstDay?.getTime() ?? null, to: end(lastDay) };
    case 'hive': {
      if (!firstDay || !lastDay)
        return {
          from: firstDay ? Date.UTC(firstDay.getUTCFullYear(), 0, 1) : null,
          to: lastDay ? Date.UTC(lastDay.getUTCFullYear() + 1, 0, 1) : null,
        };
      if (utcDays(firstDay.getTime(), lastDay.getTime() + DAY_MS).length <= MAX_LISTED_DAYS)
        return { from: firstDay.getTime(), to: end(lastDay) };
      return {
        from: Date.UTC(firstDay.getUTCFullYear(), firstDay.getUTCMonth(), 1),
        to: Date.UTC(lastDay.getUTCFullYear(), lastDay.getUTCMonth() + 1, 1),
      };
    }
  }
}

export interface ScanSpan {
  from: number | null;
  to: number | null;
}
