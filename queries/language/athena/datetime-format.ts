/**
 * Trino's two date-format languages turned into DuckDB's strftime/strptime patterns:
 *  - MySQL specifiers (`date_format`, `date_parse`: `%Y-%m-%d %H:%i:%s`), with the ones Trino itself does
 *    not support (`%D %U %u %V %w %X`) refused as Trino refuses them;
 *  - Joda-Time patterns (`format_datetime`, `parse_datetime`: `yyyy-MM-dd HH:mm:ss`).
 * Athena's session time zone is UTC, so zone fields print UTC, unless the time carries a zone of its own
 * (`AT TIME ZONE`): then `Z`/`ZZ` are its offset at that instant and `ZZZ` its name.
 */
import { QueryProblem } from '../source';
import type { SourceSpan } from '../plan';
import { sqlString } from '../../catalog/sql-quote';
import { offsetTextSql, type TimeZone } from '../../catalog/time-zones';

const MYSQL_FORMAT: Record<string, string> = {
  a: '%a',
  b: '%b',
  c: '%-m',
  d: '%d',
  e: '%-d',
  f: '%f',
  H: '%H',
  h: '%I',
  I: '%I',
  i: '%M',
  j: '%j',
  k: '%-H',
  l: '%-I',
  M: '%B',
  m: '%m',
  p: '%p',
  r: '%I:%M:%S %p',
  S: '%S',
  s: '%S',
  T: '%H:%M:%S',
  v: '%V',
  W: '%A',
  x: '%G',
  Y: '%Y',
  y: '%y',
  '%': '%%',
};

/** strptime reads unpadded numbers through the padded specifiers. */
const MYSQL_PARSE: Record<string, string> = { ...MYSQL_FORMAT, c: '%m', e: '%d', k: '%H', l: '%I' };

const UNSUPPORTED = new Set(['D', 'U', 'u', 'V', 'w', 'X']);

function mysql(pattern: string, span: SourceSpan, table: Record<string, string>): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c !== '%') {
      out += c;
      continue;
    }
    const spec = pattern[++i];
    if (spec === undefined) break;
    if (UNSUPPORTED.has(spec)) throw new QueryProblem(`%${spec} not supported in date format string`, span);
    out += table[spec] ?? spec.replace('%', '%%');
  }
  return out;
}

export const mysqlFormat = (pattern: string, span: SourceSpan) => mysql(pattern, span, MYSQL_FORMAT);
export const mysqlParse = (pattern: string, span: SourceSpan) => mysql(pattern, span, MYSQL_PARSE);

/** Joda letters by run length; the longest listed length applies to longer runs. */
const JODA: Record<string, Record<number, string>> = {
  y: { 1: '%Y', 2: '%y', 3: '%Y' },
  Y: { 1: '%Y', 2: '%y', 3: '%Y' },
  x: { 1: '%G' },
  w: { 1: '%V' },
  e: { 1: '%u' },
  E: { 1: '%a', 4: '%A' },
  D: { 1: '%-j', 3: '%j' },
  M: { 1: '%-m', 2: '%m', 3: '%b', 4: '%B' },
  d: { 1: '%-d', 2: '%d' },
  a: { 1: '%p' },
  h: { 1: '%-I', 2: '%I' },
  H: { 1: '%-H', 2: '%H' },
  m: { 1: '%-M', 2: '%M' },
  s: { 1: '%-S', 2: '%S' },
  S: { 1: '%g', 4: '%f' },
  z: { 1: 'UTC' },
  Z: { 1: '+0000', 2: '+00:00', 3: 'UTC' },
};

/** A number at least `n` digits wide, zeros before it, as Joda pads a numeric field. */
const padded = (value: string, n: number) => `printf('%0${n}d', ${value})`;

/** Joda letters strftime has no form of, written from the time `t` in a run of `n`. */
const JODA_WRITTEN: Record<string, (t: string, n: number) => string> = {
  // Clock hour of the day, 1 to 24 (midnight is 24), and hour of the half day, 0 to 11.
  k: (t, n) => padded(`CASE WHEN hour(${t}) = 0 THEN 24 ELSE hour(${t}) END`, n),
  K: (t, n) => padded(`hour(${t}) % 12`, n),
  // The era's text (AD, or BC for the years before 1) and the century of the era.
  G: (t) => `CASE WHEN year(${t}) > 0 THEN 'AD' ELSE 'BC' END`,
  C: (t, n) => padded(`abs(year(${t})) // 100`, n),
};

/**
 * A Joda pattern cut into what strftime writes and the fields it cannot write as Joda does: an unpadded ISO
 * week, and fractions of n digits (strftime writes 3, 6 or 9). Those carry their SQL and their strptime form.
 */
type JodaPiece = { strftime: string } | { sql: (time: string) => string; parse: string };

/** The zone a formatted time is read in: its own, and the instant (as UTC) its offset is taken at. */
export interface ZonedTime {
  zone: TimeZone;
  instant: string;
}

/** A zone letter of a time in its own zone: `Z` `-0500`, `ZZ` `-05:00`, `ZZZ` and a fixed offset's `z` the name. */
function zonePiece(c: string, n: number, { zone, instant }: ZonedTime, span: SourceSpan): string {
  if (c === 'Z' && n < 3) return offsetTextSql(instant, zone, n === 1 ? '' : ':');
  if (c === 'Z' || zone.kind === 'offset') return sqlString(zone.name);
  throw new QueryProblem(
    `The Joda-Time letter \`z\` writes ${zone.name}'s short name (as EST or CET) from Java's own tables, which Flowscope does not have.`,
    span,
    'ZZZ writes the zone name, Z or ZZ its offset',
  );
}

function jodaPieces(pattern: string, span: SourceSpan, zoned?: ZonedTime | 'parse'): JodaPiece[] {
  const pieces: JodaPiece[] = [];
  const text = (t: string) => {
    const last = pieces[pieces.length - 1];
    if (last && 'strftime' in last) last.strftime += t;
    else pieces.push({ strftime: t });
  };
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i]!;
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === i + 1) text("'");
      else text(pattern.slice(i + 1, end < 0 ? pattern.length : end).replace(/%/g, '%%'));
      i = end < 0 ? pattern.length : end + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(c)) {
      text(c === '%' ? '%%' : c);
      i++;
      continue;
    }
    let n = 1;
    while (pattern[i + n] === c) n++;
    const written = JODA_WRITTEN[c];
    if (written) {
      if (zoned === 'parse')
        throw new QueryProblem(
          `The Joda-Time pattern letter \`${c}\` is not read by Flowscope's parse_datetime.`,
          span,
        );
      pieces.push({ sql: (t) => written(t, n), parse: '' });
      i += n;
      continue;
    }
    const forms = JODA[c];
    if (!forms) throw new QueryProblem(`The Joda-Time pattern letter \`${c}\` is not supported.`, span);
    const length = Math.max(
      ...Object.keys(forms)
        .map(Number)
        .filter((k) => k <= n),
    );
    const parse = forms[length]!;
    // Joda reads an offset (`+0100`, `+01:00`) for `Z` and `ZZ` and a zone's id for `ZZZ`: strptime's %z and %Z.
    if (zoned === 'parse' && c === 'Z') text(n < 3 ? '%z' : '%Z');
    else if (zoned && zoned !== 'parse' && (c === 'z' || c === 'Z')) {
      const sql = zonePiece(c, n, zoned, span);
      pieces.push({ sql: () => sql, parse });
    } else if (c === 'w' && n === 1) pieces.push({ sql: (t) => `CAST(weekofyear(${t}) AS VARCHAR)`, parse });
    else if (c === 'S') pieces.push({ sql: (t) => `rpad(strftime(${t}, '%n'), ${n}, '0')`, parse });
    else text(parse);
    i += n;
  }
  return pieces;
}

/** The strptime pattern of a Joda pattern (parse_datetime, Insights' parseDate). */
export function jodaFormat(pattern: string, span: SourceSpan): string {
  return jodaPieces(pattern, span)
    .map((p) => ('strftime' in p ? p.strftime : p.parse))
    .join('');
}

/**
 * SQL reading text as parse_datetime does: the instant as a UTC TIMESTAMP, read at the offset or zone the
 * text names where the pattern has `Z` (strptime then answers a TIMESTAMPTZ), else as UTC (Athena's session
 * zone). Insights' parseDate keeps `jodaFormat`, which writes `Z` as UTC's `+0000`.
 */
export function jodaParseSql(text: string, pattern: string, span: SourceSpan): string {
  const pieces = jodaPieces(pattern, span, 'parse');
  const format = pieces.map((p) => ('strftime' in p ? p.strftime : p.parse)).join('');
  const sql = `strptime(${text}, ${sqlString(format)})`;
  return /%[zZ]/.test(format.replace(/%%/g, '')) ? `timezone('UTC', ${sql})` : sql;
}

/** SQL writing the time `time` (an SQL expression, its wall clock) as format_datetime does with a Joda pattern. */
export function jodaFormatSql(time: string, pattern: string, span: SourceSpan, zoned?: ZonedTime): string {
  const parts = jodaPieces(pattern, span, zoned).map((p) =>
    'strftime' in p ? `strftime(${time}, ${sqlString(p.strftime)})` : p.sql(time),
  );
  return parts.length === 0 ? `(CASE WHEN ${time} IS NULL THEN NULL ELSE '' END)` : parts.join(' || ');
}
