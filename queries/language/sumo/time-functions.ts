/**
 * Sumo Logic's time functions as registry entries (see `functions.ts`). Sumo's times are milliseconds
 * since the epoch (`_messageTime`, `now()`); Flowscope's are timestamps, and each function takes either.
 * `formatDate` takes Java's date patterns (`MM-dd-yyyy hh:mm`), as Sumo does, and an optional time zone
 * (UTC when none is given: the workspace has no user time zone).
 */
import {
  durationMs,
  intervalSql,
  numeric,
  scalar,
  stringLiteral,
  time,
  timeZoneArg,
  type ScalarArgs,
} from '../builtin-functions';
import { instantSql, offsetMinutesSql, wallClockSql } from '../../catalog/time-zones';
import { epochBucketSql } from '../../catalog/time-buckets';
import { queryRangeSql, type Arg, type FunctionContext, type FunctionDef } from '../functions';

const SUMO = ['sumo'] as const;
const fn = (...def: ScalarArgs): FunctionDef => scalar(...def, SUMO);

/** Java `SimpleDateFormat` letters (by how many are written) as DuckDB `strftime` codes; the zone's are below. */
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
};

/**
 * The zone as Java writes it, for an offset of `minutes` east of UTC (SQL): `Z` as `+0530`, `X` `+05`,
 * `XX` `+0530`, `XXX` `+05:30`, the X forms `Z` for UTC. (`strftime` writes a timestamp's zone as `+00`.)
 */
function offsetSql(letter: 'Z' | 'X', count: number, minutes: string): string {
  const sign = `CASE WHEN ${minutes} < 0 THEN '-' ELSE '+' END`;
  const hours = `abs(${minutes}) // 60`;
  const offset =
    letter === 'X' && count === 1
      ? `printf('%s%02d', ${sign}, ${hours})`
      : `printf('%s%02d${letter === 'X' && count === 3 ? ':' : ''}%02d', ${sign}, ${hours}, abs(${minutes}) % 60)`;
  return letter === 'X' ? `CASE WHEN ${minutes} = 0 THEN 'Z' ELSE ${offset} END` : offset;
}

/**
 * Java's `Y`, the week year, as Sumo's US locale counts weeks: from Sunday, week 1 the one holding January 1.
 * So a day's week year is the year of its week's Saturday (`YYYY-MM-dd`, a common slip for `yyyy`, writes
 * 2027-12-31 for 2026-12-31); `YY` its last two digits.
 */
function weekYearSql(at: string, count: number): string {
  const year = `year(CAST(${at} AS DATE) + (6 - dayofweek(${at}))::INTEGER)`;
  return count === 2 ? `lpad((${year} % 100)::VARCHAR, 2, '0')` : `${year}::VARCHAR`;
}

/**
 * A Java date pattern as SQL that formats `at`, whose zone is `minutes` east of UTC ('0': UTC, whose zone
 * is plain text); null when the pattern holds a letter with no equivalent. `z` names only UTC (DuckDB knows
 * no zone's abbreviation).
 */
function formatSql(pattern: string, at: string, minutes: string, ctx: FunctionContext): string | null {
  const parts: string[] = [];
  let format = '';
  const flush = () => {
    if (format) parts.push(`strftime(${at}, ${ctx.literal(format)})`);
    format = '';
  };
  for (const piece of patternPieces(pattern)) {
    if ('text' in piece) {
      format += piece.text.replace(/%/g, '%%');
      continue;
    }
    const { letter: c, count: n } = piece;
    const zone = c === 'Z' || (c === 'X' && n <= 3) ? c : null;
    if (minutes === '0' && (zone || c === 'z'))
      format += zone === 'Z' ? '+0000' : zone === 'X' ? 'Z' : n >= 4 ? 'Coordinated Universal Time' : 'UTC';
    else if (zone) {
      flush();
      parts.push(offsetSql(zone, n, minutes));
    } else if (c === 'Y') {
      flush();
      parts.push(weekYearSql(at, n));
    } else {
      const code = PATTERN[c];
      if (!code) return null;
      format += code(n);
    }
  }
  flush();
  return parts.length ? parts.join(' || ') : `strftime(${at}, '')`;
}

/**
 * A Java date pattern as a DuckDB `strptime` format, which reads one or two digits for `%m`, `%d`, … as Java
 * reads `M` or `MM`; null for a letter with no equivalent (a zone's among them).
 */
function parseFormat(pattern: string): string | null {
  let format = '';
  for (const piece of patternPieces(pattern)) {
    if ('text' in piece) format += piece.text.replace(/%/g, '%%');
    else {
      const code = PATTERN[piece.letter];
      if (!code) return null;
      format += code(piece.count).replace('%-', '%');
    }
  }
  return format;
}

/** A Java date pattern's pieces: runs of one letter, and text (quoted with `'`, `''` a quote, or not a letter). */
function patternPieces(pattern: string): ({ text: string } | { letter: string; count: number })[] {
  const pieces: ({ text: string } | { letter: string; count: number })[] = [];
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i]!;
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      const literal = end < 0 ? pattern.slice(i + 1) : pattern.slice(i + 1, end);
      pieces.push({ text: literal === '' ? "'" : literal });
      i = end < 0 ? pattern.length : end + 1;
      continue;
    }
    let n = 1;
    while (pattern[i + n] === c) n++;
    i += n;
    pieces.push(/[A-Za-z]/.test(c) ? { letter: c, count: n } : { text: c.repeat(n) });
  }
  return pieces;
}

const rangeMsSql = (ctx: FunctionContext) => {
  const { from, to } = queryRangeSql(ctx.range);
  return `(epoch_ms(${to}) - epoch_ms(${from}))`;
};

/** The clock-aligned slice lengths `timeslice N buckets` chooses from (beyond a day, whole days). */
const CLOCK_SLICES_MS = [
  1, 5, 10, 15, 30, 60, 300, 600, 900, 1800, 3600, 7200, 10800, 14400, 21600, 28800, 43200, 86400,
].map((s) => s * 1000);

/**
 * The time slice of the record: `timeslice 5m` slices of the period; `timeslice N buckets` ("a target or
 * maximum", which Sumo meets with "a reasonable clock-aligned resolution") the shortest clock-aligned
 * length that cuts the query's time range into N slices or fewer; a bare `timeslice` one slice, the range.
 */
function sliceSql(slice: Arg | undefined, ctx: FunctionContext): { start: string; end: string } {
  if (!slice) {
    const { from, to } = queryRangeSql(ctx.range);
    return { start: from, end: to };
  }
  let width: string;
  if (slice.expr.kind === 'number') {
    const n = slice.expr.value;
    if (!Number.isInteger(n) || n < 1)
      throw ctx.problem('The number of buckets must be a whole number above 0.', slice.expr.span);
    const span = rangeMsSql(ctx);
    const lengths = CLOCK_SLICES_MS.map((ms) => `(${ms})`).join(', ');
    width =
      `to_milliseconds((SELECT coalesce(min(ms), CAST(ceil(${span} / ${n} / 86400000) * 86400000 AS BIGINT)) ` +
      `FROM (VALUES ${lengths}) AS l(ms) WHERE CAST(ms AS BIGINT) * ${n} >= ${span}))`;
  } else width = intervalSql(durationMs(slice, ctx));
  // Slices are multiples of their length since the epoch, as Sumo makes them.
  const start = epochBucketSql(width, ctx.timestamp(ctx.call.span));
  return { start, end: `(${start} + ${width})` };
}

export const SUMO_TIME_FUNCTIONS: FunctionDef[] = [
  fn(
    'formatDate',
    1,
    3,
    'formatDate(time, "MM-dd-yyyy HH:mm"[, "time zone"])',
    'The time as text in a Java date pattern, in UTC or the given time zone',
    'string',
    ([t, pattern, zone], ctx) => {
      // Sumo's page says only that without a format the text is "in US-style date format" and the user's
      // time zone: not which pattern, so no text written here could be sure to be Sumo's.
      if (!pattern)
        throw ctx.problem(
          '`formatDate` needs a format here: without one Sumo writes a "US-style date format", and its reference does not say which pattern that is, so Flowscope cannot write the same text.',
          ctx.call.span,
          'give the pattern, such as formatDate(_messageTime, "MM/dd/yyyy HH:mm:ss")',
        );
      const tz = zone ? timeZoneArg(zone, ctx) : null;
      const sql = formatSql(
        stringLiteral(pattern!, ctx, 'a date pattern'),
        wallClockSql(time(t!), tz),
        offsetMinutesSql(time(t!), tz),
        ctx,
      );
      if (sql === null)
        throw ctx.problem(
          'This date pattern has a letter Flowscope cannot format.',
          pattern!.expr.span,
          tz ? 'letters: y Y M d D H h m s S a E Z X (z names UTC only)' : 'letters: y Y M d D H h m s S a E z Z X',
        );
      return sql;
    },
  ),
  fn(
    'parseDate',
    2,
    3,
    'parseDate(text, "MM-dd-yyyy HH:mm"[, "time zone"])',
    'The time written as text in a Java date pattern, read in UTC or the given time zone; null where it is not',
    'time',
    ([t, pattern, zone], ctx) => {
      const format = parseFormat(stringLiteral(pattern!, ctx, 'a date pattern'));
      if (format === null)
        throw ctx.problem(
          'This date pattern has a letter Flowscope cannot read.',
          pattern!.expr.span,
          'letters: y M d D H h m s S a E',
        );
      return instantSql(
        `try_strptime(CAST(${t!.sql} AS VARCHAR), ${ctx.literal(format)})`,
        zone ? timeZoneArg(zone, ctx) : null,
      );
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
    (_args, ctx) => queryRangeSql(ctx.range).from,
  ),
  fn(
    'queryEndTime',
    0,
    0,
    'queryEndTime()',
    "The end of the query's time range (the last record's time when there is none)",
    'time',
    (_args, ctx) => queryRangeSql(ctx.range).to,
  ),
  fn(
    'queryTimeRange',
    0,
    0,
    'queryTimeRange()',
    "The length of the query's time range, in milliseconds",
    'number',
    (_args, ctx) => rangeMsSql(ctx),
  ),
  fn(
    'timeslice',
    0,
    1,
    'timeslice([period | buckets])',
    'The start of the record’s time slice (the `timeslice` operator): of a period (5m), of N buckets, or of the whole time range',
    'time',
    ([slice], ctx) => sliceSql(slice, ctx).start,
  ),
  fn(
    'timesliceEnd',
    0,
    1,
    'timesliceEnd([period | buckets])',
    'The end of the record’s time slice (the `__timeslice_end` field the `timeslice` operator makes)',
    'time',
    ([slice], ctx) => sliceSql(slice, ctx).end,
  ),
];
