/**
 * Drill-down, written into the query in its own dialect so the analyst sees (and can edit) what changed:
 *  - a clicked value becomes a filter on the records the query starts from;
 *  - an aggregate row opens the raw records behind it: the query's record filters, one filter per group
 *    key, and, for a time bucket, the bucket as the time range.
 */
import type { CellValue, Column, Dialect, TimeRange } from '../../../preload/contract';
import { calendarUnitMonths, durationUnitMs } from '../../../queries/language/lexer';
import { isoTimeMs } from '../../../queries/catalog/iso-time';
import { sqlIdent, sqlLiteral } from '../../../queries/catalog/sql-quote';
import { SUMO_OPERATORS } from '../../../queries/language/sumo/vocabulary';
import { columnKind, flowColumnOf, isMeasure, isNumericType, readsAsNumbers } from '../../../queries/chart/column-kind';

/** Stages that narrow or extend records without grouping them: they stay in front of a drill-down. */
/** The pipe dialects; Athena SQL drills down like DuckDB SQL. */
type PipeDialect = Exclude<Dialect, 'sql' | 'athena'>;
const isSql = (dialect: Dialect): dialect is 'sql' | 'athena' => dialect === 'sql' || dialect === 'athena';

const RECORD_STAGES: Record<PipeDialect, ReadonlySet<string>> = {
  insights: new Set(['filter', 'parse']),
  sumo: new Set(['where', 'parse', 'json', 'filter']),
};
const AGGREGATE_STAGES: Record<PipeDialect, RegExp> = {
  insights: /^stats\b/i,
  sumo: new RegExp(`^(${[...SUMO_OPERATORS.filter((o) => o.aggregate).map((o) => o.name), 'top'].join('|')})\\b`, 'i'),
};
const SQL_AGGREGATE = /\b(group\s+by|count\s*\(|sum\s*\(|avg\s*\(|min\s*\(|max\s*\()/i;

function pipeLiteral(value: CellValue): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `"${String(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A name as the pipe dialects accept it: bare when it is a plain word, else in backticks. */
function pipeName(name: string): string {
  return /^[A-Za-z_@][A-Za-z0-9_@.$]*$/.test(name) ? name : `\`${name}\``;
}

/**
 * A cell's value as a filter writes it: a port or a count that Sumo and Insights show as logged text is the
 * number it reads as (`dstPort = 22`); `-` stays the text it is.
 */
export function filterValue(column: Column, value: CellValue): CellValue {
  const number = typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : null;
  return number !== null && readsAsNumbers(column) && !isNumericType(column.type) ? number : value;
}

/** `field = value` in a dialect; null tests NULL. */
function condition(dialect: Dialect, field: string, value: CellValue): string {
  if (isSql(dialect))
    return value === null
      ? `${sqlIdent(field)} IS NULL`
      : `${sqlIdent(field)} = ${sqlLiteral(typeof value === 'object' ? String(value) : value)}`;
  if (value === null)
    return dialect === 'insights' ? `not ispresent(${pipeName(field)})` : `isNull(${pipeName(field)})`;
  return `${pipeName(field)} = ${pipeLiteral(value)}`;
}

/**
 * Offsets of the pipes that separate stages, outside strings, backtick names, regular expressions
 * between slashes after `~`, and comments.
 */
export function stageBoundaries(text: string, dialect: PipeDialect): number[] {
  const out: number[] = [];
  const comment = dialect === 'insights' ? '#' : '//';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'" || c === '`') {
      i++;
      while (i < text.length && text[i] !== c) i += text[i] === '\\' ? 2 : 1;
    } else if (text.startsWith(comment, i)) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '|') out.push(i);
  }
  return out;
}

function stagesOf(text: string, dialect: PipeDialect): string[] {
  const cuts = stageBoundaries(text, dialect);
  const starts = [0, ...cuts.map((c) => c + 1)];
  return starts.map((start, i) => text.slice(start, cuts[i] ?? text.length).trim());
}

/** The query with `field = value` added where it filters the records the query starts from. */
export function addFilter(query: string, dialect: Dialect, field: string, value: CellValue): string {
  const test = condition(dialect, field, value);
  if (isSql(dialect)) return `SELECT * FROM (\n${query.trim().replace(/;\s*$/, '')}\n) AS drill WHERE ${test}`;
  if (dialect === 'insights') return query.trim() === '' ? `filter ${test}` : `filter ${test}\n| ${query.trimStart()}`;
  // Sumo: right after the scope, which ends at the first pipe.
  const first = stageBoundaries(query, 'sumo')[0];
  if (first === undefined) return `${query.trimEnd()}\n| where ${test}`;
  return `${query.slice(0, first).trimEnd()}\n| where ${test}\n${query.slice(first)}`;
}

export function isAggregate(query: string, dialect: Dialect): boolean {
  if (isSql(dialect)) return SQL_AGGREGATE.test(query);
  return stagesOf(query, dialect).some((stage) => AGGREGATE_STAGES[dialect].test(stage));
}

/** `bin(5m)` → 300000: the width of a time bucket named by its column, when the name says it. */
export function bucketMs(columnName: string): number | null {
  const m = /(?:bin|timeslice)\s*\(?\s*(\d+)\s*([a-z]+)/i.exec(columnName);
  const unit = m ? durationUnitMs(m[2]!.toLowerCase()) : undefined;
  return m && unit ? Number(m[1]) * unit : null;
}

/**
 * Where the time bucket that starts at `from` ends, for a column named `bin(5m)` or, on the UTC calendar,
 * `bin(1mo)`/`bin(1q)`/`bin(1y)` (Insights' calendar bins); null when the name does not say.
 */
export function bucketEnd(columnName: string, from: number): number | null {
  const ms = bucketMs(columnName);
  if (ms !== null) return from + ms;
  const m = /bin\s*\(\s*(\d+)\s*([a-z]+)/i.exec(columnName);
  const months = m ? calendarUnitMonths(m[2]!.toLowerCase()) : undefined;
  if (m === null || months === undefined) return null;
  const d = new Date(from);
  d.setUTCMonth(d.getUTCMonth() + Number(m[1]) * months);
  return d.getTime();
}

/**
 * The range the raw records behind a row are read over: the range its answer ran over (null: the whole
 * workspace), narrowed to the row's time bucket (or to a brushed stretch of a chart). The range may cut its
 * first and last buckets short, and those counted only the range's part: the whole bucket held records the
 * row never counted.
 */
export function recordsRange(bucket: TimeRange | null, ranOver: TimeRange | null): TimeRange | null {
  if (!bucket) return ranOver;
  const ms = (iso: string | null | undefined) => (iso ? isoTimeMs(iso) : null);
  const [from, to] = [ms(ranOver?.from), ms(ranOver?.to)];
  return {
    from: from !== null && from > ms(bucket.from)! ? ranOver!.from : bucket.from,
    to: to !== null && to < ms(bucket.to)! ? ranOver!.to : bucket.to,
  };
}

/**
 * The bucket a time column stands for where its name does not say its width: the query's `bin(1h) as hour`
 * (Insights), `timeslice 1h` (Sumo's `_timeslice`) or `timeslice 1h as slot`, written as `bucketEnd` reads
 * it; null where the query makes no such bucket under that name.
 */
export function namedBucket(query: string, dialect: Dialect, name: string): string | null {
  const alias = `\\s+as\\s+\`?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\`?(?![\\w@.$])`;
  if (dialect === 'insights') {
    const bin = new RegExp(`\\bbin\\s*\\(\\s*(\\d+\\s*[a-z]+)\\s*\\)${alias}`, 'i').exec(query);
    return bin ? `bin(${bin[1]})` : null;
  }
  if (dialect !== 'sumo') return null;
  // Sumo names an unnamed slice `_timeslice`; the last timeslice of that name is the one a later stage reads.
  const named = name.toLowerCase() === '_timeslice' ? '(?!\\s+as\\b)' : alias;
  const slices = [...query.matchAll(new RegExp(`\\btimeslice\\s+(?:by\\s+)?(\\d+\\s*[a-z]+)\\b${named}`, 'gi'))];
  return slices.length ? `timeslice ${slices.at(-1)![1]}` : null;
}

export interface RawRecords {
  query: string;
  timeRange: TimeRange | null;
}

/**
 * Why `rawRecordsQuery` found nothing to filter on, in words for the analyst: the row's keys that are no
 * flow-log field (a computed or looked-up column), or that it has only measures.
 */
export function noRawRecords(columns: readonly Column[]): string {
  const keys = columns.filter((c) => columnKind(c) !== 'time' && !isMeasure(c)).map((c) => c.name);
  const lead = 'No raw records to open here: ';
  if (keys.length === 0) return `${lead}the row has no flow-log field to filter the records on, only measures.`;
  const names = keys.length === 1 ? keys[0]! : `${keys.slice(0, -1).join(', ')} and ${keys.at(-1)!}`;
  return `${lead}${names} ${keys.length === 1 ? 'is not a flow-log field' : 'are not flow-log fields'} to filter the records on.`;
}

/**
 * The query of the raw records behind an aggregate row, or null when the row has no group key to filter on.
 * `bucket`: the width of a time bucket when its column's name does not say it (a chart re-binned by the engine).
 */
export function rawRecordsQuery(
  query: string,
  dialect: Dialect,
  columns: readonly Column[],
  row: readonly CellValue[],
  bucket?: number,
): RawRecords | null {
  const keys: { field: string; value: CellValue }[] = [];
  let timeRange: TimeRange | null = null;
  columns.forEach((column, i) => {
    const value = row[i] ?? null;
    if (columnKind(column) === 'time') {
      if (typeof value === 'string') {
        const from = Date.parse(value.endsWith('Z') ? value : `${value}Z`);
        const named = namedBucket(query, dialect, column.name);
        const to =
          bucket !== undefined
            ? from + bucket
            : (bucketEnd(column.name, from) ?? (named === null ? null : bucketEnd(named, from)));
        if (to !== null) timeRange = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
      }
      return;
    }
    const flow = flowColumnOf(column.name);
    if (flow && !isMeasure(column))
      keys.push({ field: isSql(dialect) ? flow : column.name, value: filterValue(column, value) });
  });
  if (keys.length === 0 && !timeRange) return null;

  if (isSql(dialect)) {
    const where = keys.length ? ` WHERE ${keys.map((k) => condition(dialect, k.field, k.value)).join(' AND ')}` : '';
    // Athena's tables have no start_time: `start` is the record's Unix seconds.
    const order = dialect === 'athena' ? '"start"' : 'start_time';
    return { query: `SELECT * FROM flows${where} ORDER BY ${order} DESC`, timeRange };
  }
  const stages = stagesOf(query, dialect);
  const kept: string[] = [];
  const firstIsScope = dialect === 'sumo' && stages[0] !== undefined && !AGGREGATE_STAGES.sumo.test(stages[0]);
  for (const [i, stage] of stages.entries()) {
    if (AGGREGATE_STAGES[dialect].test(stage)) break;
    const word = /^\w+/.exec(stage)?.[0]?.toLowerCase() ?? '';
    if ((i === 0 && firstIsScope) || RECORD_STAGES[dialect].has(word)) kept.push(stage);
  }
  const verb = dialect === 'insights' ? 'filter' : 'where';
  const filters = keys.map((k) => `${verb} ${condition(dialect, k.field, k.value)}`);
  const tail = dialect === 'insights' ? ['sort @timestamp desc'] : [];
  const all = [...kept, ...filters, ...tail];
  return { query: dialect === 'sumo' && !firstIsScope ? `| ${all.join('\n| ')}` : all.join('\n| '), timeRange };
}
