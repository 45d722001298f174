/**
 * A stats answered from the minute summary (`queries/catalog/minute-summary.ts`) rather than from every
 * record: the inner SELECT of the eager form (`eager-stats.ts`) groups the summary's rows, whose counts and
 * sums are those of the records they stand for. It applies only where the answer is the same:
 * - every key the inner SELECT groups by is a summary key (action, protocol, log status, import) or a time
 *   bucket of the start time a whole number of minutes wide; a computed key reads one summary key;
 * - every aggregate is a count of records, a sum of bytes or packets, or a minimum or maximum of a summary key;
 * - every condition reads summary keys only, apart from the time range, whose whole minutes the summary
 *   answers and whose cut minutes at either end (a range from 10:00:30) the records themselves answer.
 *
 * The Overview over 100 million records: its counts by action, by protocol and hour, by log status and of
 * rejections per minute took 3.6 s of CPU together; from the summary, a few milliseconds.
 */
import { MINUTE_US, SUMMARY_KEYS, SUMMARY_TABLE } from '../catalog/minute-summary';
import { sqlTimestamp, timestampMs } from '../catalog/sql-quote';
import { bucketOf, type Bucket } from '../catalog/time-buckets';
import { code, isIdentifier, readsRecords, storedColumnsIn } from './record-sql';

/** A key the inner SELECT groups by as the records have it: a stored column, or a time bucket. */
export interface GroupedKey {
  sql: string;
  bucket: Bucket | null;
}

export interface SummaryGrouping {
  /** Each grouped key as SQL over the summary, in order. */
  keys: string[];
  /** Each partial aggregate as SQL over the summary. */
  partials: string[];
  /**
   * The grouping SELECT: `list` (the keys, then the columns computed keys read, then the partials) from the
   * summary, and with it `records` (the same over the records) from the records in the minutes the time
   * range cuts.
   */
  select: (list: readonly string[], records: readonly string[]) => string;
}

const MINUTE_MS = Number(MINUTE_US / 1000n);
const KEYS: ReadonlySet<string> = new Set(SUMMARY_KEYS);

/**
 * Whether SQL over the records reads summary keys only (and none of the summary's other column names), and
 * each record's own: a window over the records (`OVER`) would read the summary's rows instead.
 */
const readsKeysOnly = (sql: string) =>
  storedColumnsIn(sql).every((c) => KEYS.has(c)) && !/\b(?:minute|records)\b/i.test(code(sql)) && !readsRecords(sql);

/** A grouped key over the summary, or null where the summary does not have it. */
function summaryKey(key: GroupedKey): string | null {
  const b = key.bucket;
  if (b)
    return b.column === 'start_time' && b.width % MINUTE_US === 0n && b.start % MINUTE_US === 0n
      ? bucketOf(b, 'minute')
      : null;
  return isIdentifier(key.sql) && storedColumnsIn(key.sql).length === 1 && readsKeysOnly(key.sql) ? key.sql : null;
}

/** A partial aggregate over the records (as eager-stats splits them) over the summary, or null. */
function summaryPartial(partial: string): string | null {
  const text = partial.trim();
  if (/^count\(\*\)$/i.test(text)) return 'sum(records)';
  const m = /^(sum|min|max)\((?:"([a-z_]+)"|([a-z_]+))\)$/i.exec(text);
  if (!m) return null;
  const fn = m[1]!.toLowerCase();
  const column = (m[2] ?? m[3]!).toLowerCase();
  if (fn === 'sum') return column === 'bytes' || column === 'packets' ? `sum(${column})` : null;
  return KEYS.has(column) ? `${fn}(${column})` : null;
}

/** The time range's bounds among the conditions, in ms, and the other conditions; null if they are not simple. */
function splitConditions(where: readonly string[]): { from?: number; to?: number; others: string[] } | null {
  const out: { from?: number; to?: number; others: string[] } = { others: [] };
  for (const condition of where) {
    const bound = /^start_time (>=|<) (TIMESTAMP '[^']*')$/.exec(condition.trim());
    if (!bound) {
      if (!readsKeysOnly(condition)) return null;
      out.others.push(condition);
      continue;
    }
    const ms = timestampMs(bound[2]!);
    const side = bound[1] === '>=' ? 'from' : 'to';
    if (Number.isNaN(ms) || out[side] !== undefined) return null;
    out[side] = ms;
  }
  return out;
}

/** `SELECT list FROM table WHERE conditions GROUP BY groupBy`. */
function groupingSelect(
  list: readonly string[],
  table: string,
  conditions: readonly string[],
  groupBy: readonly string[],
) {
  const where = conditions.length ? ` WHERE ${conditions.map((c) => `(${c})`).join(' AND ')}` : '';
  return `SELECT ${list.join(', ')} FROM ${table}${where} GROUP BY ${groupBy.join(', ')}`;
}

/**
 * The inner SELECT's grouping from the summary: `keys` as eager-stats groups by them, `inputs` the stored
 * columns its computed keys read, `partials` its partial aggregates, `selection` the conditions that select
 * the records from `main.flows`; null where the summary would not give the records' answer.
 */
export function summaryGrouping(
  keys: readonly GroupedKey[],
  inputs: readonly string[],
  partials: readonly string[],
  selection: readonly string[],
): SummaryGrouping | null {
  const overSummary = keys.map(summaryKey);
  const partialsOver = partials.map(summaryPartial);
  const conditions = splitConditions(selection);
  if (overSummary.some((k) => k === null) || partialsOver.some((p) => p === null) || !conditions) return null;
  if (keys.length + inputs.length === 0 || !inputs.every(readsKeysOnly)) return null;
  // The summary answers the whole minutes of the range, the records the part minutes at its ends.
  const { from, to, others } = conditions;
  const wholeFrom = from === undefined ? undefined : Math.ceil(from / MINUTE_MS) * MINUTE_MS;
  const wholeTo = to === undefined ? undefined : Math.floor(to / MINUTE_MS) * MINUTE_MS;
  if (wholeFrom !== undefined && wholeTo !== undefined && wholeFrom >= wholeTo) return null;
  const between = (a: number, b: number) => [
    ...others,
    `start_time >= ${sqlTimestamp(a)}`,
    `start_time < ${sqlTimestamp(b)}`,
  ];
  const edges: string[][] = [];
  if (from !== undefined && wholeFrom! > from) edges.push(between(from, wholeFrom!));
  if (to !== undefined && wholeTo! < to) edges.push(between(wholeTo!, to));
  const summaryWhere = [
    ...others,
    ...(wholeFrom === undefined ? [] : [`minute >= ${sqlTimestamp(wholeFrom)}`]),
    ...(wholeTo === undefined ? [] : [`minute < ${sqlTimestamp(wholeTo)}`]),
  ];
  const summaryKeys = overSummary as string[];
  return {
    keys: summaryKeys,
    partials: partialsOver as string[],
    select: (list, records) =>
      [
        groupingSelect(list, `main.${SUMMARY_TABLE}`, summaryWhere, [...summaryKeys, ...inputs]),
        ...edges.map((edge) => groupingSelect(records, 'main.flows', edge, [...keys.map((k) => k.sql), ...inputs])),
      ].join(' UNION ALL '),
  };
}
