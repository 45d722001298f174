/**
 * Trino's format(): Java's Formatter over the arguments as Trino hands them to it (every integer a Long,
 * DOUBLE a Double, DECIMAL a BigDecimal, VARCHAR a String, a date or time a java.time value, whose `%s` is
 * its ISO text: `2024-01-01T00:00`, `…Z[UTC]`; NULL written `null`). The format must be a
 * literal: it is read here, and each specifier becomes DuckDB SQL for its argument. DuckDB's printf cannot
 * stand in for it: its `%s` refuses a number, and it prints a double's `%f` from the binary value where Java
 * rounds the shortest decimal half up (`format('%.2f', 1.005)` is 1.01).
 *
 * What Java would refuse fails with Trino's message (`Invalid format string: %d (IllegalFormatConversion:
 * d != java.lang.String)`), here as the query compiles where Trino fails as it runs. Written: `%s %S %d %x
 * %X %f %n %%`, an argument index (`%2$s`, `%<s`), width, precision and the flags `- 0 + , #` and space; any
 * other conversion Java has (dates with `%t`, `%e`, `%b`, …) is refused by name.
 */
import type { FnContext, Built } from './function-kit';
import type { Tx } from './translate';
import { sqlString } from '../../catalog/sql-quote';
import { ipToTextSql } from './ip-sql';
import { javaNumberTextSql } from './java-number-text';
import { isDecimal, isInteger, isLoose, typeText } from './types';
import { bindOnce } from './bind-sql';
import { offsetMinutesSql, offsetTextSql, wallClockSql, type TimeZone } from '../../catalog/time-zones';

interface Specifier {
  /** As Java prints it in its messages: `%-5s` (no argument index). */
  text: string;
  /** The argument: the next one, the one before (`<`), or a position from 1. */
  index: 'next' | 'previous' | number;
  flags: string;
  width: number | null;
  precision: number | null;
  /** Lower case; `upper` for `%S`, `%X`. */
  conversion: string;
  upper: boolean;
}

/** Java's specifier: `%[index$][flags][width][.precision][t]conversion`. */
const SPECIFIER = /%(\d+\$)?([-#+ 0,(<]*)(\d+)?(\.\d+)?([tT])?([a-zA-Z%])/y;
const WRITTEN = new Set(['s', 'd', 'x', 'f', 'n', '%']);
/** The flags Java lets each conversion have (`#` of %s only for a Formattable, which no SQL value is). */
const FLAGS: Record<string, string> = { s: '-', d: '-+ 0,', x: '-#0', f: '-#+ 0,' };

/** The Java class Trino hands a value of the type to Formatter as. */
function javaClass(t: Tx): string {
  if (isInteger(t.type)) return 'java.lang.Long';
  if (isDecimal(t.type)) return 'java.math.BigDecimal';
  const named: Record<string, string> = {
    double: 'java.lang.Double',
    real: 'java.lang.Float',
    boolean: 'java.lang.Boolean',
    date: 'java.time.LocalDate',
    time: 'java.time.LocalTime',
    timestamp: 'java.time.LocalDateTime',
    'timestamp with time zone': 'java.time.ZonedDateTime',
  };
  return named[t.type as string] ?? 'java.lang.String';
}

export function trinoFormat(c: FnContext): Built {
  const [first, ...args] = c.args;
  const format = first!.literal;
  if (typeof format !== 'string') return c.fail('The format of format() must be a string literal.', first!.span);
  const invalid = (exception: string, message: string): never =>
    c.fail(`Invalid format string: ${format} (${exception}: ${message})`);

  // Java reads the whole format before it formats anything: its errors come first.
  const pieces: (string | Specifier)[] = [];
  let text = '';
  for (let at = 0; at < format.length;) {
    if (format[at] !== '%') {
      text += format[at++];
      continue;
    }
    SPECIFIER.lastIndex = at;
    const m = SPECIFIER.exec(format);
    if (!m) return invalid('UnknownFormatConversion', `Conversion = '${format[at + 1] ?? '%'}'`);
    at = SPECIFIER.lastIndex;
    const [, index, flags = '', width, precision, time, written] = m;
    const conversion = written!.toLowerCase();
    const specifier: Specifier = {
      text: `%${flags.replace('<', '')}${width ?? ''}${precision ?? ''}${time ?? ''}${written}`,
      index: flags.includes('<') ? 'previous' : index ? Number(index.slice(0, -1)) : 'next',
      flags: flags.replace('<', ''),
      width: width ? Number(width) : null,
      precision: precision ? Number(precision.slice(1)) : null,
      conversion,
      upper: written !== conversion,
    };
    if (time || !WRITTEN.has(conversion)) {
      if (!time && !'bhcoeag'.includes(conversion))
        return invalid('UnknownFormatConversion', `Conversion = '${written}'`);
      return c.fail(`Flowscope's format() does not write ${specifier.text}: it writes %s, %d, %x, %f, %n and %%.`);
    }
    if (conversion === 'n' || conversion === '%') {
      if (specifier.flags || width || precision)
        return c.fail(`Flowscope's format() does not write ${specifier.text}: write %${conversion} alone.`);
      text += conversion === 'n' ? '\n' : '%';
      continue;
    }
    const bad = [...specifier.flags].find((f) => !FLAGS[conversion]!.includes(f));
    if (bad) return invalid('FormatFlagsConversionMismatch', `Conversion = ${conversion}, Flags = ${bad}`);
    if (precision && (conversion === 'd' || conversion === 'x'))
      return invalid('IllegalFormatPrecision', String(specifier.precision));
    if ((flags.includes('-') && flags.includes('0')) || (flags.includes('+') && flags.includes(' ')))
      return invalid('IllegalFormatFlags', `Flags = '${specifier.flags}'`);
    if ((flags.includes('-') || flags.includes('0')) && !width) return invalid('MissingFormatWidth', specifier.text);
    if (text) pieces.push(text);
    text = '';
    pieces.push(specifier);
  }
  if (text) pieces.push(text);

  let next = 0;
  let last = -1;
  const sql = pieces.map((piece) => {
    if (typeof piece === 'string') return sqlString(piece);
    const i = piece.index === 'next' ? next++ : piece.index === 'previous' ? last : piece.index - 1;
    const arg = args[i];
    if (!arg) return invalid('MissingFormatArgument', `Format specifier '${piece.text}'`);
    last = i;
    const written = specifierSql(piece, arg, c, invalid);
    return piece.upper ? `upper(${written})` : written;
  });
  return { sql: sql.length ? `(${sql.join(' || ')})` : "''", type: 'varchar' };
}

/** SQL: text padded to the specifier's width, on the left unless its flags say `-`. */
function padded(s: Specifier, text: string): string {
  return s.width ? `printf(${sqlString(`%${s.flags.includes('-') ? '-' : ''}${s.width}s`)}, ${text})` : text;
}

/** SQL: one specifier's text of its argument, `null` (padded) for NULL, as Java writes a null argument. */
function specifierSql(
  s: Specifier,
  arg: Tx,
  c: FnContext,
  invalid: (exception: string, message: string) => never,
): string {
  const mismatch = () => invalid('IllegalFormatConversion', `${s.conversion} != ${javaClass(arg)}`);
  const printf = (spec: string, value: string) =>
    `printf(${sqlString(`%${s.flags}${s.width ?? ''}${spec}`)}, ${value})`;
  const orNull = (sql: string) => `coalesce(${sql}, ${padded(s, "'null'")})`;
  if (isLoose(arg.type)) return padded(s, "'null'");
  if (s.conversion === 's') {
    const text = stringOf(arg, c);
    return orNull(padded(s, s.precision === null ? text : `left(${text}, ${s.precision})`));
  }
  if (s.conversion === 'd' || s.conversion === 'x') {
    if (!isInteger(arg.type)) return mismatch();
    return orNull(printf(s.conversion, `CAST(${arg.sql} AS BIGINT)`));
  }
  // %f: rounded half up to its places from the exact decimal (a double's shortest one), then printed.
  const places = s.precision ?? 6;
  if (isDecimal(arg.type)) return orNull(printf(`.${places}f`, `round(${arg.sql}, ${places})`));
  if (arg.type !== 'double' && arg.type !== 'real') return mismatch();
  const x = `CAST(${arg.sql} AS DOUBLE)`;
  const exact = `CAST(CAST(${x} AS VARCHAR) AS DECIMAL(38, ${places}))`;
  const infinity = `CASE WHEN ${x} > 0 THEN '${s.flags.includes('+') ? '+' : ''}Infinity' ELSE '-Infinity' END`;
  return orNull(
    `CASE WHEN isnan(${x}) THEN ${padded(s, "'NaN'")} WHEN isinf(${x}) THEN ${padded(s, infinity)} ` +
      `WHEN abs(${x}) < 1e${37 - places} THEN ${printf(`.${places}f`, exact)} ELSE ${printf(`.${places}f`, x)} END`,
  );
}

/**
 * SQL: java.time's text of a TIMESTAMP's wall clock, `2024-01-01T00:00`: seconds only where they or a
 * fraction are not zero, the fraction in milliseconds or microseconds (`T16:17:03`, `T16:17:03.500`).
 * `time` leaves the date out, as LocalTime does.
 */
function javaWallClockSql(ts: string, part: 'date and time' | 'time'): string {
  const us = `microsecond(t_)`; // of the minute
  const seconds = `CASE WHEN ${us} = 0 THEN '' WHEN ${us} % 1000000 = 0 THEN strftime(t_, ':%S') WHEN ${us} % 1000 = 0 THEN strftime(t_, ':%S.%g') ELSE strftime(t_, ':%S.%f') END`;
  return bindOnce(ts, 't_', `strftime(t_, '${part === 'time' ? '' : '%Y-%m-%dT'}%H:%M') || ${seconds}`);
}

/**
 * SQL: a zoned timestamp as ZonedDateTime.toString writes it: the wall clock, its offset (`Z` for none) and
 * a named zone in brackets (`2024-01-01T00:00Z[UTC]`, `…T19:00-05:00[America/New_York]`, `…T05:30+05:30`).
 */
function javaZonedSql(instant: string, zone: TimeZone | null): string {
  const clock = javaWallClockSql(wallClockSql(instant, zone), 'date and time');
  if (zone?.kind === 'offset') return `(${clock} || ${sqlString(zone.name)})`;
  if (!zone) return `(${clock} || 'Z[UTC]')`;
  const offset = `CASE WHEN ${offsetMinutesSql(instant, zone)} = 0 THEN 'Z' ELSE ${offsetTextSql(instant, zone, ':')} END`;
  return `(${clock} || ${offset} || ${sqlString(`[${zone.name}]`)})`;
}

/** SQL: a value's text as Java's String.valueOf gives it (Trino casts the types Java has no class for). */
function stringOf(arg: Tx, c: FnContext): string {
  if (arg.type === 'double' || arg.type === 'real') return javaNumberTextSql(arg.sql);
  if (arg.type === 'date') return `strftime(${arg.sql}, '%Y-%m-%d')`;
  if (arg.type === 'timestamp') return javaWallClockSql(arg.sql, 'date and time');
  if (arg.type === 'time') return javaWallClockSql(`(DATE '1970-01-01' + ${arg.sql})`, 'time');
  if (arg.type === 'timestamp with time zone') return javaZonedSql(arg.sql, arg.zone ?? null);
  if (arg.type === 'ipaddress') return ipToTextSql(arg.sql);
  if (arg.type === 'varchar' || arg.type === 'boolean' || isInteger(arg.type) || isDecimal(arg.type))
    return `CAST(${arg.sql} AS VARCHAR)`;
  // Trino refuses what it cannot cast to varchar as it analyzes the query.
  if (typeof arg.type === 'object') return c.fail(`Type not supported for formatting: ${typeText(arg.type)}`, arg.span);
  return c.fail(
    `Flowscope's format() writes numbers, text, booleans, dates, times and addresses with %s, not ${typeText(arg.type)}.`,
    arg.span,
  );
}
