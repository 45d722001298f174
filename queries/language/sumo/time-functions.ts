/**
 * Sumo Logic's time functions as registry entries (see `functions.ts`). Sumo's times are milliseconds
 * since the epoch (`_messageTime`, `now()`); Flowscope's are timestamps, and each function takes either.
 * `formatDate` takes Java's date patterns (`MM-dd-yyyy hh:mm`), as Sumo does, and an optional time zone
 * (UTC when none is given: the workspace has no user time zone).
 */
import { numeric, scalar, stringLiteral, time, type ScalarArgs } from '../builtin-functions';
import type { FunctionDef } from '../functions';

const SUMO = ['sumo'] as const;
const fn = (...def: ScalarArgs): FunctionDef => scalar(...def, SUMO);

/** Java `SimpleDateFormat` letters (by how many are written) as DuckDB `strftime` codes. */
const PATTERN: Record<string, (count: number) => string> = {
  y: (n) => (n === 2 ? '%y' : '%Y'),
  M: (n) => (n >= 4 ? '%B' : n === 3 ? '%b' : n === 2 ? '%m' : '%-m'),
  d: (n) => (n === 2 ? '%d' : '%-d'),
  D: () => '%j',
  H: (n) => (n === 2 ? '%H' : '%-H'),
  h: (n) => (n === 2 ? '%I' : '%-I'),
  m: (n) => (n === 2 ? '%M' : '%-M'),
  s: (n) => (n === 2 ? '%S' : '%-S'),
  S: () => '%g',
  a: () => '%p',
  E: (n) => (n >= 4 ? '%A' : '%a'),
  z: () => '%Z',
  Z: () => '%z',
  X: () => '%z',
};

/** A Java date pattern as a `strftime` format; null when it holds a letter with no equivalent. */
export function strftimeFormat(pattern: string): string | null {
  let out = '';
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i]!;
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      const literal = end < 0 ? pattern.slice(i + 1) : pattern.slice(i + 1, end);
      out += literal === '' ? "'" : literal.replace(/%/g, '%%');
      i = end < 0 ? pattern.length : end + 1;
      continue;
    }
    let n = 1;
    while (pattern[i + n] === c) n++;
    if (/[A-Za-z]/.test(c)) {
      const code = PATTERN[c];
      if (!code) return null;
      out += code(n);
    } else out += c.repeat(n).replace(/%/g, '%%');
    i += n;
  }
  return out;
}

export const SUMO_TIME_FUNCTIONS: FunctionDef[] = [
  fn(
    'formatDate',
    2,
    3,
    'formatDate(time, "MM-dd-yyyy HH:mm"[, "time zone"])',
    'The time as text in a Java date pattern, in UTC or the given time zone',
    'string',
    ([t, pattern, zone], ctx) => {
      const format = strftimeFormat(stringLiteral(pattern!, ctx, 'a date pattern'));
      if (format === null)
        throw ctx.problem(
          'This date pattern has a letter Flowscope cannot format.',
          pattern!.expr.span,
          'letters: y M d D H h m s S a E z Z',
        );
      const at = zone
        ? `((${time(t!)} AT TIME ZONE 'UTC') AT TIME ZONE ${ctx.literal(stringLiteral(zone, ctx, 'a time zone'))})`
        : time(t!);
      return `strftime(${at}, ${ctx.literal(format)})`;
    },
  ),
  fn(
    'fromSeconds',
    1,
    1,
    'fromSeconds(seconds)',
    'A time from seconds since the Unix epoch',
    'time',
    ([a]) => `epoch_ms(CAST(${numeric(a!)} * 1000 AS BIGINT))`,
  ),
  fn('now', 0, 0, 'now()', 'The time the query runs', 'time', () => 'CAST(now() AS TIMESTAMP)'),
  fn(
    'queryStartTime',
    0,
    0,
    'queryStartTime()',
    "The start of the query's time range (the first record's time when there is none)",
    'time',
    (_args, ctx) => ctx.range.from ?? '(SELECT min(start_time) FROM main.flows)',
  ),
  fn(
    'queryEndTime',
    0,
    0,
    'queryEndTime()',
    "The end of the query's time range (the last record's time when there is none)",
    'time',
    (_args, ctx) => ctx.range.to ?? '(SELECT max(start_time) FROM main.flows)',
  ),
  fn(
    'queryTimeRange',
    0,
    0,
    'queryTimeRange()',
    "The length of the query's time range, in milliseconds",
    'number',
    (_args, ctx) =>
      `epoch_ms(${ctx.range.to ?? '(SELECT max(start_time) FROM main.flows)'}) - epoch_ms(${ctx.range.from ?? '(SELECT min(start_time) FROM main.flows)'})`,
  ),
];
