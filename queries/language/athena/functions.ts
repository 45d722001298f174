/**
 * The Trino functions Athena queries over flow logs use, each as DuckDB SQL with Trino's meaning: the
 * result type, NULL where Trino answers NULL (split_part past the last field, regexp_extract without a
 * match, greatest with a NULL), and Trino's semantics where DuckDB's function of the same name differs
 * (date_diff counts whole units, day_of_week is ISO, sum of integers is a BIGINT).
 *
 * Athena's session time zone is UTC; times are carried as UTC TIMESTAMPs, a zoned one with its zone beside
 * (`Tx.zone`), read on its zone's clock by the date parts and formats.
 */
import { agg, fn, textArg, win, type AthenaFunction, type Built, type FnContext } from './function-kit';
import type { Tx } from './translate';
import { jodaFormatSql, jodaParseSql, mysqlFormat, mysqlParse } from './datetime-format';
import { sqlString } from '../../catalog/sql-quote';
import { cidrContainsSql, ipv4InNetworkSql, trinoNetwork, V4_PREFIX } from './ip-sql';
import { zoneOf } from './time-zone-sql';
import { isoTextSql } from './timestamp-text';
import { re2Pattern } from '../re2';
import { trinoFormat } from './format-sql';
import { EXTENDED } from './functions-extended';
import {
  instantSql,
  offsetMinutesSql,
  offsetTextSql,
  offsetZone,
  readTimeZone,
  wallClockSql,
  type TimeZone,
} from '../../catalog/time-zones';
import {
  decimal,
  duckdbType,
  isArray,
  isDecimal,
  isInteger,
  isLoose,
  isNumeric,
  isTime,
  noCommonType,
  numericResult,
  typeText,
  type SqlType,
} from './types';

function literalText(c: FnContext, i: number, what: string): string {
  const a = c.args[i]!;
  if (typeof a.literal !== 'string') c.fail(`The ${what} of this function must be a string literal.`, a.span);
  return a.literal;
}

const UNITS = ['millisecond', 'second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'];

function unit(c: FnContext, i: number): string {
  const u = literalText(c, i, 'unit').toLowerCase();
  if (!UNITS.includes(u)) c.fail(`'${u}' is not a valid time unit`, c.args[i]!.span);
  return u;
}

function timeArg(c: FnContext, i: number): Tx {
  const a = c.args[i]!;
  if (!isLoose(a.type) && !isTime(a.type))
    c.fail(`Unexpected parameters (${c.args.map((x) => typeText(x.type)).join(', ')}) for this function`, a.span);
  return a;
}

/** A time argument as its wall clock, in its zone: what Trino's date parts and formats read. */
function clockArg(c: FnContext, i: number): Tx {
  const a = timeArg(c, i);
  return a.zone ? { ...a, sql: wallClockSql(a.sql, a.zone) } : a;
}

/** A wall-clock answer of a zoned time back as its instant, keeping the zone. */
function inZoneOf(time: Tx, built: Built): Built {
  return time.zone && built.type !== 'date'
    ? { ...built, sql: instantSql(built.sql, time.zone, time.sql), zone: time.zone }
    : built;
}

/** A zone argument (a string literal), or null for UTC. */
function zoneArg(c: FnContext, i: number): TimeZone | null {
  return zoneOf(c.args[i]!, (message, span, hint) => c.fail(message, span, hint));
}

/** A fixed offset of hours and minutes given as integer literals: Trino's `hours * 60 + minutes` (-3, -30 is -03:30). */
function offsetArg(c: FnContext): TimeZone | null {
  const [, hours, minutes] = c.args.map((a) => (typeof a.literal === 'number' ? a.literal : NaN));
  const total = hours! * 60 + minutes!;
  if (!Number.isInteger(total) || Math.abs(total) > 14 * 60)
    c.fail(
      'Flowscope reads the offset as whole hours and minutes written as numbers, at most 14 hours.',
      c.args[1]!.span,
    );
  return offsetZone(total);
}

/** A regular expression argument: a constant one with Trino's named groups written as RE2 reads them (re2.ts). */
function patternArg(c: FnContext, i: number): string {
  const a = textArg(c, i);
  return typeof a.literal === 'string' ? sqlString(re2Pattern(a.literal)) : a.sql;
}

/** `f(args…)` with the arguments' SQL, typed `type` (or by a function of the arguments). */
const same = (name: string, type: SqlType | ((c: FnContext) => SqlType), min = 1, max = min) =>
  fn(min, max, (c) => ({
    sql: `${name}(${c.args.map((a) => a.sql).join(', ')})`,
    type: typeof type === 'function' ? type(c) : type,
  }));

const firstType = (c: FnContext): SqlType => c.args.find((a) => !isLoose(a.type))?.type ?? 'unknown';

/**
 * Trino's substr: from a start of 0, past the start of the text, or for a length not above 0, it is empty
 * (DuckDB's counts a start of 0 as before the first character and a negative length backwards).
 */
function trinoSubstr(c: FnContext): Built {
  const [text, start, length] = c.args as [Tx, Tx, Tx | undefined];
  const empty = [`${start.sql} = 0`, `${start.sql} < -length(${text.sql})`, ...(length ? [`${length.sql} <= 0`] : [])];
  const args = c.args.map((a) => a.sql).join(', ');
  return { sql: `(CASE WHEN ${empty.join(' OR ')} THEN '' ELSE substring(${args}) END)`, type: 'varchar' };
}

/**
 * Trino's sequence: a step of 1 (a day for dates) towards the stop, -1 when the stop is before the start
 * (DuckDB's default step is 1 whatever the order, and a date's series is of timestamps); a step of zero, or
 * away from the stop, is Trino's error.
 */
function trinoSequence(c: FnContext): Built {
  const [start, stop, step] = c.args as [Tx, Tx, Tx | undefined];
  const type = firstType(c);
  const dated = type === 'date' || type === 'timestamp';
  const one = dated ? "INTERVAL '1' DAY" : '1';
  const by = step?.sql ?? `(CASE WHEN ${start.sql} <= ${stop.sql} THEN ${one} ELSE -${one} END)`;
  const zero = dated ? "INTERVAL '0' DAY" : '0';
  const series = `generate_series(${start.sql}, ${stop.sql}, ${by})`;
  const checked =
    `CASE WHEN ${by} = ${zero} THEN error('step must not be zero') ` +
    `WHEN (${by} > ${zero} AND ${start.sql} > ${stop.sql}) OR (${by} < ${zero} AND ${start.sql} < ${stop.sql}) THEN ` +
    `error('sequence stop value should be greater than or equal to start value if step is greater than zero otherwise stop should be less than or equal to start') ` +
    `ELSE ${type === 'date' ? `CAST(${series} AS DATE[])` : series} END`;
  return { sql: `(${checked})`, type: { array: type } };
}

/**
 * min, max, min_by, max_by: DuckDB's own (arg_min, arg_max), and with Trino's count n (the last argument,
 * a positive constant) the n values as an array, in the same order as Trino's.
 */
function extremes(c: FnContext, duck: 'min' | 'max' | 'arg_min' | 'arg_max'): Built {
  const values = duck.startsWith('arg') ? 2 : 1;
  const [n] = c.args.slice(values);
  const args = c.args.slice(0, values).map((a) => a.sql);
  if (!n) return { sql: `${duck}(${c.aggregateArgs(args)})`, type: c.args[0]!.type };
  if (!n.constant || !isInteger(n.type) || !(Number(n.literal) > 0))
    c.fail(
      `The count of ${duck.replace('arg_', '')}${values === 2 ? '_by' : ''} must be a positive integer constant.`,
      n.span,
    );
  return { sql: `${duck}(${c.aggregateArgs([...args, n.sql])})`, type: { array: c.args[0]!.type } };
}

/** A statistic of two numbers (corr, covar_pop, regr_slope, …): DuckDB's of the same name, a DOUBLE. */
function pairStatistic(c: FnContext, name: string): Built {
  return { sql: `${name}(${c.aggregateArgs([c.args[0]!.sql, c.args[1]!.sql])})`, type: 'double' };
}

/** A date part of a date or timestamp (on its zone's clock), as a BIGINT. */
const part = (sql: (x: string) => string) => fn(1, 1, (c) => ({ sql: sql(clockArg(c, 0).sql), type: 'bigint' }));

/** A time plus a number of units, keeping DATE a DATE. */
function plusUnits(time: Tx, u: string, n: string): Built {
  const interval = u === 'quarter' ? `to_months(3 * (${n}))` : `to_${u}s(${n})`;
  const sql = `(${time.sql} + ${interval})`;
  return time.type === 'date' ? { sql: `CAST(${sql} AS DATE)`, type: 'date' } : { sql, type: time.type };
}

/** ISO 8601 text of a time, as Trino's to_iso8601 writes it (milliseconds; `Z` for UTC, else `+01:00`). */
function iso8601(t: Tx): string {
  if (t.type === 'date') return `strftime(${t.sql}, '%Y-%m-%d')`;
  if (t.zone) {
    const minutes = offsetMinutesSql(t.sql, t.zone);
    const offset = offsetTextSql(t.sql, t.zone, ':');
    return `(strftime(${wallClockSql(t.sql, t.zone)}, '%Y-%m-%dT%H:%M:%S.%g') || CASE WHEN ${minutes} = 0 THEN 'Z' ELSE ${offset} END)`;
  }
  return `strftime(${t.sql}, '%Y-%m-%dT%H:%M:%S.%g${t.type === 'timestamp with time zone' ? 'Z' : ''}')`;
}

/** Trino's sum: a BIGINT for integers (DuckDB's is a HUGEINT), DECIMAL(38, s) for decimals, else its type. */
function sumType(t: SqlType): SqlType {
  if (isDecimal(t)) return decimal(38, t.decimal[1]);
  return isInteger(t) ? 'bigint' : t === 'real' ? 'real' : isNumeric(t) ? t : 'any';
}

/**
 * A rounding function (round, truncate, floor, ceil) of a decimal as Trino types it: without a number of
 * places, a whole DECIMAL (as DuckDB's is); with one, the argument's scale kept, as DECIMAL(p + 1, s)
 * (`round(1.25, 1)` is 1.30, where DuckDB answers 1.3 of scale 1). Other numbers keep their type.
 */
function rounding(name: string) {
  return fn(1, 2, (c) => {
    const [x, places] = c.args;
    const sql = `${name}(${c.args.map((a) => a.sql).join(', ')})`;
    if (!isDecimal(x!.type)) return { sql, type: firstType(c) };
    const [p, s] = x!.type.decimal;
    if (!places) return { sql, type: decimal(Math.max(1, p - s + Math.min(s, 1)), 0) };
    const type = decimal(p + 1, s);
    return { sql: `CAST(${sql} AS ${duckdbType(type)})`, type };
  });
}

const FUNCTIONS: Record<string, AthenaFunction> = {
  // ── date and time ──
  // from_unixtime(seconds[, zone]) and from_unixtime(seconds, hours, minutes): the instant in UTC or the zone.
  from_unixtime: fn(1, 3, (c) => {
    const x = c.args[0]!;
    if (!isLoose(x.type) && !isNumeric(x.type))
      c.fail(`Unexpected parameters (${typeText(x.type)}) for function from_unixtime`, x.span);
    const zone = c.args.length === 3 ? offsetArg(c) : c.args.length === 2 ? zoneArg(c, 1) : null;
    const stored = x.record?.column.secondsOf;
    // The workspace keeps start and end as timestamps already: reading them lets DuckDB skip row groups.
    if (stored) return { sql: `${x.record!.rel}.${stored}`, type: 'timestamp with time zone', zone };
    const micros = isInteger(x.type)
      ? `CAST(${x.sql} AS BIGINT) * 1000000`
      : `CAST(round(CAST(${x.sql} AS DOUBLE) * 1000000) AS BIGINT)`;
    return { sql: `make_timestamp(${micros})`, type: 'timestamp with time zone', zone };
  }),
  // The same instant in another zone.
  at_timezone: fn(2, 2, (c) => {
    const t = timeArg(c, 0);
    const zone = zoneArg(c, 1);
    return { sql: t.sql, type: 'timestamp with time zone', zone };
  }),
  // The same wall clock in a zone: another instant.
  with_timezone: fn(2, 2, (c) => {
    const t = timeArg(c, 0);
    if (t.type !== 'timestamp' && !isLoose(t.type))
      c.fail(`Unexpected parameters (${typeText(t.type)}, varchar) for function with_timezone`, t.span);
    const zone = zoneArg(c, 1);
    return { sql: instantSql(t.sql, zone), type: 'timestamp with time zone', zone };
  }),
  to_unixtime: fn(1, 1, (c) => ({ sql: `epoch(${timeArg(c, 0).sql})`, type: 'double' })),
  to_iso8601: fn(1, 1, (c) => ({ sql: iso8601(timeArg(c, 0)), type: 'varchar' })),
  from_iso8601_timestamp: fn(1, 1, (c) => {
    const s = isoTextSql(textArg(c, 0).sql, false);
    // With an offset, the instant in UTC; without one, Athena's session zone (UTC).
    const sql = `CASE WHEN regexp_matches(${s}, 'T.*(Z|[+-]\\d\\d(:?\\d\\d)?)$') THEN timezone('UTC', CAST(${s} AS TIMESTAMPTZ)) ELSE CAST(${s} AS TIMESTAMP) END`;
    // Trino's value keeps the offset written, which hour() and the formats read: known for a literal.
    const text = c.args[0]!.literal;
    const offset = typeof text === 'string' ? /T.*([+-]\d\d(?::?\d\d)?)$/.exec(text)?.[1] : undefined;
    const zone = offset ? readTimeZone(offset) : undefined;
    return { sql, type: 'timestamp with time zone', ...(zone ? { zone } : {}) };
  }),
  from_iso8601_date: fn(1, 1, (c) => ({ sql: `CAST(${isoTextSql(textArg(c, 0).sql, true)} AS DATE)`, type: 'date' })),
  date_format: fn(2, 2, (c) => ({
    sql: `strftime(${clockArg(c, 0).sql}, ${sqlString(mysqlFormat(literalText(c, 1, 'format'), c.args[1]!.span))})`,
    type: 'varchar',
  })),
  date_parse: fn(2, 2, (c) => ({
    sql: `strptime(${textArg(c, 0).sql}, ${sqlString(mysqlParse(literalText(c, 1, 'format'), c.args[1]!.span))})`,
    type: 'timestamp',
  })),
  format_datetime: fn(2, 2, (c) => {
    const t = timeArg(c, 0);
    const zoned = t.zone ? { zone: t.zone, instant: t.sql } : undefined;
    return {
      sql: jodaFormatSql(clockArg(c, 0).sql, literalText(c, 1, 'format'), c.args[1]!.span, zoned),
      type: 'varchar',
    };
  }),
  parse_datetime: fn(2, 2, (c) => ({
    sql: jodaParseSql(textArg(c, 0).sql, literalText(c, 1, 'format'), c.args[1]!.span),
    type: 'timestamp with time zone',
  })),
  date_add: fn(3, 3, (c) => {
    const u = unit(c, 0);
    const n = c.args[1]!;
    if (!isLoose(n.type) && !isInteger(n.type)) c.fail('The amount of date_add must be an integer.', n.span);
    const time = timeArg(c, 2);
    const fixedLength = ['millisecond', 'second', 'minute', 'hour'].includes(u);
    if (time.type === 'date' && fixedLength) c.fail(`'${u}' is not a valid DATE field`, c.args[0]!.span);
    // Days and longer on the zone's calendar (a day across a change of clocks is 23 or 25 hours).
    return fixedLength ? plusUnits(time, u, n.sql) : inZoneOf(time, plusUnits(clockArg(c, 2), u, n.sql));
  }),
  date_diff: fn(3, 3, (c) => {
    // Trino counts whole units from the first time to the second: DuckDB's date_sub, not its date_diff.
    // Days and longer are counted on the first time's calendar.
    const u = unit(c, 0);
    const zone = ['millisecond', 'second', 'minute', 'hour'].includes(u) ? null : timeArg(c, 1).zone;
    const [from, to] = [timeArg(c, 1), timeArg(c, 2)].map((t) => wallClockSql(t.sql, zone));
    return { sql: `date_sub(${sqlString(u)}, ${from}, ${to})`, type: 'bigint' };
  }),
  date_trunc: fn(2, 2, (c) => {
    const u = unit(c, 0);
    const time = timeArg(c, 1);
    const sql = `date_trunc(${sqlString(u)}, ${clockArg(c, 1).sql})`;
    if (time.type === 'date') return { sql: `CAST(${sql} AS DATE)`, type: 'date' };
    return inZoneOf(time, { sql, type: time.type });
  }),
  date: fn(1, 1, (c) => ({
    sql: `CAST(${c.args[0]!.zone ? clockArg(c, 0).sql : c.args[0]!.sql} AS DATE)`,
    type: 'date',
  })),
  current_date: fn(0, 0, () => ({ sql: "CAST(timezone('UTC', get_current_timestamp()) AS DATE)", type: 'date' })),
  current_timestamp: fn(0, 1, () => ({
    sql: "timezone('UTC', get_current_timestamp())",
    type: 'timestamp with time zone',
  })),
  now: fn(0, 0, () => ({ sql: "timezone('UTC', get_current_timestamp())", type: 'timestamp with time zone' })),
  localtimestamp: fn(0, 1, () => ({ sql: "timezone('UTC', get_current_timestamp())", type: 'timestamp' })),
  last_day_of_month: fn(1, 1, (c) => ({ sql: `last_day(${clockArg(c, 0).sql})`, type: 'date' })),
  year: part((x) => `year(${x})`),
  quarter: part((x) => `quarter(${x})`),
  month: part((x) => `month(${x})`),
  week: part((x) => `week(${x})`),
  week_of_year: part((x) => `week(${x})`),
  day: part((x) => `day(${x})`),
  day_of_month: part((x) => `day(${x})`),
  day_of_week: part((x) => `isodow(${x})`),
  dow: part((x) => `isodow(${x})`),
  day_of_year: part((x) => `dayofyear(${x})`),
  doy: part((x) => `dayofyear(${x})`),
  year_of_week: part((x) => `isoyear(${x})`),
  yow: part((x) => `isoyear(${x})`),
  hour: part((x) => `hour(${x})`),
  minute: part((x) => `minute(${x})`),
  second: part((x) => `second(${x})`),
  millisecond: part((x) => `(millisecond(${x}) % 1000)`),

  // ── strings ──
  split_part: fn(3, 3, (c) => {
    const n = c.args[2]!;
    if (typeof n.literal === 'number' && n.literal < 1) c.fail('Index must be greater than zero', n.span);
    // Past the last field Trino answers NULL; DuckDB's split_part answers ''.
    return { sql: `string_split(${textArg(c, 0).sql}, ${textArg(c, 1).sql})[${n.sql}]`, type: 'varchar' };
  }),
  split: fn(2, 2, (c) => ({
    sql: `string_split(${textArg(c, 0).sql}, ${textArg(c, 1).sql})`,
    type: { array: 'varchar' },
  })),
  regexp_like: fn(2, 2, (c) => ({
    sql: `regexp_matches(${textArg(c, 0).sql}, ${patternArg(c, 1)})`,
    type: 'boolean',
  })),
  regexp_extract: fn(2, 3, (c) => {
    const [s, , g] = c.args;
    const p = patternArg(c, 1);
    const group = g ? `, ${g.sql}` : '';
    // No match is NULL in Trino, '' in DuckDB.
    return {
      sql: `CASE WHEN regexp_matches(${s!.sql}, ${p}) THEN regexp_extract(${s!.sql}, ${p}${group}) END`,
      type: 'varchar',
    };
  }),
  regexp_extract_all: fn(2, 3, (c) => ({
    sql: `regexp_extract_all(${[c.args[0]!.sql, patternArg(c, 1), ...c.args.slice(2).map((a) => a.sql)].join(', ')})`,
    type: { array: 'varchar' },
  })),
  regexp_replace: fn(2, 3, (c) => {
    const [s, , r] = c.args;
    const p = patternArg(c, 1);
    let replacement = "''";
    if (r) {
      // Trino refers to groups as $1, DuckDB (RE2) as \1.
      replacement =
        typeof r.literal === 'string' ? sqlString(r.literal.replace(/\\/g, '\\\\').replace(/\$(\d)/g, '\\$1')) : r.sql;
    }
    return { sql: `regexp_replace(${s!.sql}, ${p}, ${replacement}, 'g')`, type: 'varchar' };
  }),
  regexp_count: fn(2, 2, (c) => ({
    sql: `len(regexp_extract_all(${c.args[0]!.sql}, ${patternArg(c, 1)}))`,
    type: 'bigint',
  })),
  regexp_split: fn(2, 2, (c) => ({
    sql: `regexp_split_to_array(${c.args[0]!.sql}, ${patternArg(c, 1)})`,
    type: { array: 'varchar' },
  })),
  length: fn(1, 1, (c) => ({ sql: `length(${textArg(c, 0).sql})`, type: 'bigint' })),
  lower: same('lower', 'varchar'),
  upper: same('upper', 'varchar'),
  trim: same('trim', 'varchar', 1, 2),
  ltrim: same('ltrim', 'varchar', 1, 2),
  rtrim: same('rtrim', 'varchar', 1, 2),
  reverse: fn(1, 1, (c) =>
    isArray(c.args[0]!.type)
      ? { sql: `list_reverse(${c.args[0]!.sql})`, type: c.args[0]!.type }
      : { sql: `reverse(${c.args[0]!.sql})`, type: 'varchar' },
  ),
  substr: fn(2, 3, (c) => trinoSubstr(c)),
  substring: fn(2, 3, (c) => trinoSubstr(c)),
  strpos: fn(2, 2, (c) => ({ sql: `strpos(${textArg(c, 0).sql}, ${textArg(c, 1).sql})`, type: 'bigint' })),
  replace: fn(2, 3, (c) => ({
    sql: `replace(${c.args[0]!.sql}, ${c.args[1]!.sql}, ${c.args[2]?.sql ?? "''"})`,
    type: 'varchar',
  })),
  concat: fn(1, 254, (c) => {
    if (c.args.some((a) => isArray(a.type)))
      return { sql: `list_concat(${c.args.map((a) => a.sql).join(', ')})`, type: firstType(c) };
    // Trino's concat is NULL when any argument is; DuckDB's skips NULLs, its || does not.
    return { sql: `(${c.args.map((a) => a.sql).join(' || ')})`, type: 'varchar' };
  }),
  concat_ws: same('concat_ws', 'varchar', 2, 254),
  lpad: same('lpad', 'varchar', 3),
  rpad: same('rpad', 'varchar', 3),
  starts_with: same('starts_with', 'boolean', 2),
  chr: same('chr', 'varchar'),
  codepoint: fn(1, 1, (c) => ({ sql: `unicode(${c.args[0]!.sql})`, type: 'integer' })),
  format: fn(2, 254, (c) => trinoFormat(c)),
  to_hex: fn(1, 1, (c) => ({ sql: `upper(hex(${c.args[0]!.sql}))`, type: 'varchar' })),

  // ── numbers ──
  abs: same('abs', firstType),
  ceil: rounding('ceil'),
  ceiling: rounding('ceil'),
  floor: rounding('floor'),
  round: rounding('round'),
  truncate: rounding('trunc'),
  // Trino's sign of a decimal is DECIMAL(1,0).
  sign: same('sign', (c) => (isDecimal(c.args[0]!.type) ? decimal(1, 0) : firstType(c))),
  bitwise_and: fn(2, 2, (c) => ({ sql: `(${c.args[0]!.sql} & ${c.args[1]!.sql})`, type: 'bigint' })),
  bitwise_or: fn(2, 2, (c) => ({ sql: `(${c.args[0]!.sql} | ${c.args[1]!.sql})`, type: 'bigint' })),
  sqrt: same('sqrt', 'double'),
  cbrt: same('cbrt', 'double'),
  exp: same('exp', 'double'),
  ln: same('ln', 'double'),
  log10: same('log10', 'double'),
  log2: same('log2', 'double'),
  log: fn(2, 2, (c) => ({ sql: `(ln(${c.args[1]!.sql}) / ln(${c.args[0]!.sql}))`, type: 'double' })),
  power: same('power', 'double', 2),
  pow: same('power', 'double', 2),
  mod: fn(2, 2, (c) => ({
    sql: `(${c.args[0]!.sql} % ${c.args[1]!.sql})`,
    type: numericResult('%', c.args[0]!.type, c.args[1]!.type),
  })),
  pi: same('pi', 'double', 0),
  e: fn(0, 0, () => ({ sql: 'exp(1)', type: 'double' })),
  // random(n): an integer from 0 to n - 1, of n's type.
  random: fn(0, 1, (c) => {
    const n = c.args[0];
    if (!n) return { sql: 'random()', type: 'double' };
    if (!isLoose(n.type) && !isInteger(n.type))
      c.fail(`Unexpected parameters (${typeText(n.type)}) for function random`);
    return { sql: `CAST(floor(random() * ${n.sql}) AS ${duckdbType(n.type)})`, type: n.type };
  }),
  rand: fn(0, 0, () => ({ sql: 'random()', type: 'double' })),
  infinity: fn(0, 0, () => ({ sql: "CAST('Infinity' AS DOUBLE)", type: 'double' })),
  nan: fn(0, 0, () => ({ sql: "CAST('NaN' AS DOUBLE)", type: 'double' })),
  is_nan: same('isnan', 'boolean'),
  is_finite: same('isfinite', 'boolean'),
  is_infinite: same('isinf', 'boolean'),
  greatest: fn(1, 254, (c) => ({
    // Trino's greatest and least are NULL when any argument is; DuckDB's skip NULLs.
    sql: `CASE WHEN ${c.args.map((a) => `${a.sql} IS NULL`).join(' OR ')} THEN NULL ELSE greatest(${c.args.map((a) => a.sql).join(', ')}) END`,
    type: firstType(c),
  })),
  least: fn(1, 254, (c) => ({
    sql: `CASE WHEN ${c.args.map((a) => `${a.sql} IS NULL`).join(' OR ')} THEN NULL ELSE least(${c.args.map((a) => a.sql).join(', ')}) END`,
    type: firstType(c),
  })),

  // ── conditions ──
  coalesce: fn(1, 254, (c) => {
    const mixed = noCommonType(
      'COALESCE operands',
      c.args.map((a) => a.type),
    );
    if (mixed) c.fail(mixed);
    return { sql: `coalesce(${c.args.map((a) => a.sql).join(', ')})`, type: firstType(c) };
  }),
  nullif: fn(2, 2, (c) => ({ sql: `nullif(${c.args[0]!.sql}, ${c.args[1]!.sql})`, type: c.args[0]!.type })),
  if: fn(2, 3, (c) => {
    const [cond, a, b] = c.args;
    return {
      sql: `CASE WHEN ${cond!.sql} THEN ${a!.sql}${b ? ` ELSE ${b.sql}` : ''} END`,
      type: !isLoose(a!.type) ? a!.type : (b?.type ?? 'unknown'),
    };
  }),
  // Inside try() every failure Trino's try() catches is NULL already (division by zero, a cast); DuckDB's TRY
  // is kept for the rest, but refuses an aggregate inside it (`try(sum(bytes) / sum(packets))`).
  try: fn(1, 1, (c) => ({
    sql: c.args[0]!.aggregate ? c.args[0]!.sql : `try(${c.args[0]!.sql})`,
    type: c.args[0]!.type,
  })),
  // The argument is still computed: `typeof(count(*))` is one row, as an aggregate query's.
  typeof: fn(1, 1, (c) => ({
    sql: `(${sqlString(typeText(c.args[0]!.type))} || coalesce(left(CAST(${c.args[0]!.sql} AS VARCHAR), 0), ''))`,
    type: 'varchar',
  })),

  // ── IP addresses ──
  contains: fn(2, 2, (c) => {
    const [container, element] = c.args;
    if (isArray(container!.type)) return { sql: `list_contains(${container!.sql}, ${element!.sql})`, type: 'boolean' };
    if (!isLoose(container!.type) && container!.type !== 'varchar')
      c.fail(`Unexpected parameters (${typeText(container!.type)}, ${typeText(element!.type)}) for function contains`);
    const ip = element!.type === 'ipaddress' ? element! : c.cast(element!, 'ipaddress');
    const cidr = container!.literal;
    const range = typeof cidr === 'string' ? trinoNetwork(cidr) : undefined;
    if (!range) {
      // A network known as the query runs, or a literal Trino refuses, which fails as it runs in Trino's
      // words (`10.0.0.1/8`: Invalid CIDR), NULL inside try().
      const any = cidrContainsSql(container!.sql, ip.sql, c.failure);
      return { sql: ip.ip4 ? ipv4InNetworkSql(container!.sql, ip.ip4, any) : any, type: 'boolean' };
    }
    if (range.family === 4) {
      const hex = (n: number) => `'${V4_PREFIX}${n.toString(16).padStart(8, '0')}'`;
      const generic = `${ip.sql} BETWEEN ${hex(range.lo)} AND ${hex(range.hi)}`;
      // A stored address: its IPv4 integer, and the text only for IPv6 (or text that is not an address). As
      // a filter, the integer alone, which DuckDB tests in the scan: a record without an address is left
      // out where Trino would stop at it ("Cannot cast value to IPADDRESS: -").
      const sql = !ip.ip4
        ? `(${generic})`
        : c.positive
          ? `(${ip.ip4} BETWEEN ${range.lo} AND ${range.hi})`
          : `(CASE WHEN ${ip.ip4} IS NOT NULL THEN ${ip.ip4} BETWEEN ${range.lo} AND ${range.hi} ELSE ${generic} END)`;
      return { sql, type: 'boolean' };
    }
    const inRange = `${ip.sql} BETWEEN '${range.lo}' AND '${range.hi}'`;
    // An IPv4 address is in no IPv6 network, as in Trino: a range holding IPv4-mapped addresses (`::/0`) leaves them out.
    const mapped = range.lo <= `${V4_PREFIX}ffffffff` && range.hi >= `${V4_PREFIX}00000000`;
    return {
      sql: mapped ? `(${inRange} AND NOT starts_with(${ip.sql}, '${V4_PREFIX}'))` : `(${inRange})`,
      type: 'boolean',
    };
  }),

  // Flowscope's enrichment, as in every dialect (the workspace's SQL macros).
  protocol_name: same('protocol_name', 'varchar'),
  service_name: same('service_name', 'varchar', 2),
  tcp_flag_names: same('tcp_flag_names', 'varchar'),
  traffic_path_name: same('traffic_path_name', 'varchar'),
  is_private_ip: same('is_private_ip', 'boolean'),
  is_public_ip: same('is_public_ip', 'boolean'),
  direction: same('direction', 'varchar', 2),
  ip_in_cidr: same('ip_in_cidr', 'boolean', 2),

  // ── arrays ──
  cardinality: fn(1, 1, (c) => {
    const t = c.args[0]!.type;
    // DuckDB's len counts a list, its cardinality a map.
    return { sql: `${typeof t === 'object' && 'map' in t ? 'cardinality' : 'len'}(${c.args[0]!.sql})`, type: 'bigint' };
  }),
  element_at: fn(2, 2, (c) => {
    const [a, i] = c.args;
    if (typeof a!.type === 'object' && 'map' in a!.type) return { sql: `${a!.sql}[${i!.sql}]`, type: a!.type.map[1] };
    if (i!.literal === 0) c.fail('SQL array indices start at 1', i!.span);
    const index =
      typeof i!.literal === 'number'
        ? i!.sql
        : `CASE WHEN ${i!.sql} = 0 THEN error('SQL array indices start at 1') ELSE ${i!.sql} END`;
    return { sql: `${a!.sql}[${index}]`, type: isArray(a!.type) ? a!.type.array : 'any' };
  }),
  array_join: fn(2, 3, (c) => {
    const [a, sep, nullText] = c.args;
    const list = nullText
      ? `list_transform(${a!.sql}, lambda x: coalesce(CAST(x AS VARCHAR), ${nullText.sql}))`
      : a!.sql;
    return { sql: `array_to_string(${list}, ${sep!.sql})`, type: 'varchar' };
  }),
  array_distinct: fn(1, 1, (c) => {
    const a = c.args[0]!.sql;
    // Trino keeps the first occurrence of each value, in order.
    return {
      sql: `list_filter(${a}, lambda x, i: list_position(${a}, x) = i OR (x IS NULL AND list_position(list_transform(${a}, lambda y: y IS NULL), true) = i))`,
      type: c.args[0]!.type,
    };
  }),
  array_sort: fn(1, 1, (c) => ({ sql: `list_sort(${c.args[0]!.sql}, 'ASC', 'NULLS LAST')`, type: c.args[0]!.type })),
  array_max: fn(1, 1, (c) => ({
    sql: `list_max(${c.args[0]!.sql})`,
    type: isArray(c.args[0]!.type) ? c.args[0]!.type.array : 'any',
  })),
  array_min: fn(1, 1, (c) => ({
    sql: `list_min(${c.args[0]!.sql})`,
    type: isArray(c.args[0]!.type) ? c.args[0]!.type.array : 'any',
  })),
  array_position: fn(2, 2, (c) => ({
    sql: `coalesce(list_position(${c.args[0]!.sql}, ${c.args[1]!.sql}), 0)`,
    type: 'bigint',
  })),
  array_remove: fn(2, 2, (c) => ({
    sql: `list_filter(${c.args[0]!.sql}, lambda x: x IS DISTINCT FROM ${c.args[1]!.sql})`,
    type: c.args[0]!.type,
  })),
  slice: fn(3, 3, (c) => ({
    sql: `list_slice(${c.args[0]!.sql}, ${c.args[1]!.sql}, ${c.args[1]!.sql} + ${c.args[2]!.sql} - 1)`,
    type: c.args[0]!.type,
  })),
  flatten: fn(1, 1, (c) => {
    const t = c.args[0]!.type;
    return { sql: `flatten(${c.args[0]!.sql})`, type: isArray(t) ? t.array : 'any' };
  }),
  sequence: fn(2, 3, (c) => trinoSequence(c)),
  filter: fn(2, 2, (c) => ({ sql: `list_filter(${c.args[0]!.sql}, ${c.args[1]!.sql})`, type: c.args[0]!.type })),
  transform: fn(2, 2, (c) => ({
    sql: `list_transform(${c.args[0]!.sql}, ${c.args[1]!.sql})`,
    type: { array: c.args[1]!.type },
  })),
  any_match: fn(2, 2, (c) => ({
    sql: `list_bool_or(list_transform(${c.args[0]!.sql}, ${c.args[1]!.sql}))`,
    type: 'boolean',
  })),
  all_match: fn(2, 2, (c) => ({
    sql: `list_bool_and(list_transform(${c.args[0]!.sql}, ${c.args[1]!.sql}))`,
    type: 'boolean',
  })),
  none_match: fn(2, 2, (c) => ({
    sql: `(NOT list_bool_or(list_transform(${c.args[0]!.sql}, ${c.args[1]!.sql})))`,
    type: 'boolean',
  })),

  // ── aggregates ──
  count: agg(0, 1, (c) => ({
    sql: c.args.length ? `count(${c.aggregateArgs([c.args[0]!.sql])})` : 'count(*)',
    type: 'bigint',
  })),
  sum: agg(1, 1, (c) => {
    const x = c.args[0]!;
    const type = sumType(x.type);
    // DuckDB rewrites sum(x + c) as sum(x) + c * count(x), skipping the overflow check Trino makes on each
    // addition (`integer addition overflow`); a unary plus keeps the values summed as written.
    const value = isInteger(x.type) && !x.record ? `+(${x.sql})` : x.sql;
    return {
      sql: `sum(${c.aggregateArgs([value])})`,
      type,
      ...(type === 'bigint' ? { wrap: (s: string) => `CAST(${s} AS BIGINT)` } : {}),
    };
  }),
  avg: agg(1, 1, (c) => {
    const t = c.args[0]!.type;
    const sql = `avg(${c.aggregateArgs([c.args[0]!.sql])})`;
    // Trino's average of decimals is of their type, rounded half up; DuckDB's is a DOUBLE.
    if (isDecimal(t)) return { sql, type: t, wrap: (s: string) => `CAST(${s} AS ${duckdbType(t)})` };
    return { sql, type: 'double' };
  }),
  // With a count n, the n least or greatest as an array (greatest first for max), as Trino's.
  min: agg(1, 2, (c) => extremes(c, 'min')),
  max: agg(1, 2, (c) => extremes(c, 'max')),
  max_by: agg(2, 3, (c) => extremes(c, 'arg_max')),
  min_by: agg(2, 3, (c) => extremes(c, 'arg_min')),
  arbitrary: agg(1, 1, (c) => ({ sql: `any_value(${c.aggregateArgs([c.args[0]!.sql])})`, type: c.args[0]!.type })),
  any_value: agg(1, 1, (c) => ({ sql: `any_value(${c.aggregateArgs([c.args[0]!.sql])})`, type: c.args[0]!.type })),
  array_agg: agg(1, 1, (c) => ({
    sql: `array_agg(${c.aggregateArgs([c.args[0]!.sql])})`,
    type: { array: c.args[0]!.type },
  })),
  approx_distinct: agg(1, 2, (c) => {
    // An exact count is always within Trino's standard error; DuckDB's approx_count_distinct was not
    // (21% over on a thousand addresses, where Trino's HyperLogLog errs by 2.3%). The error argument only
    // tunes the estimate, so it is checked as Trino checks it and otherwise ignored.
    const error = c.args[1];
    if (error) {
      if (!isLoose(error.type) && !isNumeric(error.type))
        c.fail(
          `Unexpected parameters (${c.args.map((a) => typeText(a.type)).join(', ')}) for function approx_distinct`,
        );
      const e = error.literal;
      if (typeof e === 'number' && !(e >= 0.0040625 && e <= 0.26))
        c.fail(`Max standard error must be in [0.0040625, 0.26]: ${e}`, error.span);
    }
    return { sql: `count(DISTINCT ${c.args[0]!.sql})`, type: 'bigint' };
  }),
  approx_percentile: agg(2, 3, (c) => {
    if (c.args.length === 3)
      c.fail('Flowscope does not compute the weighted approx_percentile(x, weight, percentage); leave the weight out.');
    const [x, p] = c.args;
    if (!p!.constant) c.fail('The percentile of approx_percentile must be a constant.', p!.span);
    // Trino's own check, in its words (DuckDB's quantile takes -1 to 1, and says so in its own).
    const written = /^\[?(-?[\d.]+(?:, -?[\d.]+)*)\]?$/.exec(p!.sql)?.[1]?.split(', ').map(Number) ?? [];
    if (written.some((n) => !(n >= 0 && n <= 1))) c.fail('Percentile must be between 0 and 1', p!.span);
    const type = isArray(p!.type) ? { array: x!.type } : x!.type;
    return { sql: `quantile_disc(${c.aggregateArgs([x!.sql, p!.sql])})`, type };
  }),
  count_if: agg(1, 1, (c) => ({ sql: `count_if(${c.aggregateArgs([c.args[0]!.sql])})`, type: 'bigint' })),
  bool_and: agg(1, 1, (c) => ({ sql: `bool_and(${c.aggregateArgs([c.args[0]!.sql])})`, type: 'boolean' })),
  every: agg(1, 1, (c) => ({ sql: `bool_and(${c.aggregateArgs([c.args[0]!.sql])})`, type: 'boolean' })),
  bool_or: agg(1, 1, (c) => ({ sql: `bool_or(${c.aggregateArgs([c.args[0]!.sql])})`, type: 'boolean' })),
  stddev: agg(1, 1, (c) => ({ sql: `stddev_samp(${c.aggregateArgs([c.args[0]!.sql])})`, type: 'double' })),
  stddev_samp: agg(1, 1, (c) => ({ sql: `stddev_samp(${c.aggregateArgs([c.args[0]!.sql])})`, type: 'double' })),
  stddev_pop: agg(1, 1, (c) => ({ sql: `stddev_pop(${c.aggregateArgs([c.args[0]!.sql])})`, type: 'double' })),
  variance: agg(1, 1, (c) => ({ sql: `var_samp(${c.aggregateArgs([c.args[0]!.sql])})`, type: 'double' })),
  var_samp: agg(1, 1, (c) => ({ sql: `var_samp(${c.aggregateArgs([c.args[0]!.sql])})`, type: 'double' })),
  var_pop: agg(1, 1, (c) => ({ sql: `var_pop(${c.aggregateArgs([c.args[0]!.sql])})`, type: 'double' })),
  corr: agg(2, 2, (c) => pairStatistic(c, 'corr')),
  covar_pop: agg(2, 2, (c) => pairStatistic(c, 'covar_pop')),
  covar_samp: agg(2, 2, (c) => pairStatistic(c, 'covar_samp')),
  regr_slope: agg(2, 2, (c) => pairStatistic(c, 'regr_slope')),
  regr_intercept: agg(2, 2, (c) => pairStatistic(c, 'regr_intercept')),
  kurtosis: agg(1, 1, (c) => ({ sql: `kurtosis(${c.aggregateArgs([c.args[0]!.sql])})`, type: 'double' })),
  skewness: agg(1, 1, (c) => ({ sql: `skewness(${c.aggregateArgs([c.args[0]!.sql])})`, type: 'double' })),
  geometric_mean: agg(1, 1, (c) => ({ sql: `geometric_mean(${c.aggregateArgs([c.args[0]!.sql])})`, type: 'double' })),
  histogram: agg(1, 1, (c) => ({
    sql: `histogram(${c.aggregateArgs([c.args[0]!.sql])})`,
    type: { map: [c.args[0]!.type, 'bigint'] },
  })),

  // ── window functions ──
  row_number: win(0, 0, () => ({ sql: 'row_number()', type: 'bigint' })),
  rank: win(0, 0, () => ({ sql: 'rank()', type: 'bigint' })),
  dense_rank: win(0, 0, () => ({ sql: 'dense_rank()', type: 'bigint' })),
  percent_rank: win(0, 0, () => ({ sql: 'percent_rank()', type: 'double' })),
  cume_dist: win(0, 0, () => ({ sql: 'cume_dist()', type: 'double' })),
  ntile: win(1, 1, (c) => ({ sql: `ntile(${c.args[0]!.sql})`, type: 'bigint' })),
  lag: win(1, 3, (c) => ({ sql: `lag(${c.args.map((a) => a.sql).join(', ')})`, type: c.args[0]!.type })),
  lead: win(1, 3, (c) => ({ sql: `lead(${c.args.map((a) => a.sql).join(', ')})`, type: c.args[0]!.type })),
  first_value: win(1, 1, (c) => ({ sql: `first_value(${c.args[0]!.sql})`, type: c.args[0]!.type })),
  last_value: win(1, 1, (c) => ({ sql: `last_value(${c.args[0]!.sql})`, type: c.args[0]!.type })),
  nth_value: win(2, 2, (c) => ({ sql: `nth_value(${c.args[0]!.sql}, ${c.args[1]!.sql})`, type: c.args[0]!.type })),
};

export function lookupFunction(name: string): AthenaFunction | undefined {
  if (Object.prototype.hasOwnProperty.call(FUNCTIONS, name)) return FUNCTIONS[name];
  return Object.prototype.hasOwnProperty.call(EXTENDED, name) ? EXTENDED[name] : undefined;
}

export const FUNCTION_NAMES: readonly string[] = [...Object.keys(FUNCTIONS), ...Object.keys(EXTENDED)];

/** The aggregate functions' names, for telling an aggregate query from its text. */
export const AGGREGATES: ReadonlySet<string> = new Set(
  [...Object.entries(FUNCTIONS), ...Object.entries(EXTENDED)].filter(([, f]) => f.kind === 'aggregate').map(([n]) => n),
);
