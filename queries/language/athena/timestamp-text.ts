/**
 * Text cast to `timestamp` and `timestamp with time zone` as Trino reads it (`VarcharToTimestampCast`,
 * `VarcharToTimestampWithTimeZoneCast`, both on `DateTimes.DATETIME_PATTERN`): a date, an optional time of
 * one- or two-digit parts with a fraction, and an optional zone after it, name or offset
 * (`2026-03-02 10:00:00 UTC`, `2026-03-02 10:00 Europe/Paris`, `2026-03-02 10:00:00+01:00`). To `timestamp`
 * the zone is checked and dropped (the clock as written); to `timestamp with time zone` it is the instant
 * those clocks show, in that zone (UTC, Athena's session zone, without one). Anything else, `2026/03/02` or
 * `2026-03-02T10:00:00` (which DuckDB's casts read), and an unknown zone, is Trino's
 * `Value cannot be cast to timestamp: …`.
 */
import { sqlString } from '../../catalog/sql-quote';
import { readTimeZone, type TimeZone } from '../../catalog/time-zones';

/** Trino's DATETIME_PATTERN (its groups: date, hour, minute, second, fraction, zone), matched whole. */
const DATETIME = String.raw`([-+]?\d{4,}-\d{1,2}-\d{1,2})(?: (?:(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d+))?)?)?\s*(.+)?)?`;

/** Java's ZoneOffset.of forms: `+h`, `+hh`, `+hh:mm`, `+hhmm`. */
const OFFSET = String.raw`[+-](?:\d|\d\d(?::?\d\d)?)`;

export function castFailure(text: string): string {
  return `Value cannot be cast to timestamp: ${text}`;
}

/** A text literal read at compile time: its wall clock as DuckDB TIMESTAMP text and its zone, or null. */
export function readTimestampText(text: string): { wall: string; zone: TimeZone | null } | null {
  const m = new RegExp(`^${DATETIME}$`).exec(text.trim());
  if (!m) return null;
  const [, date, h = '0', mi = '0', s = '0', fraction, zoneText] = m;
  const [y, mo, d] = date!.split(/(?<=\d)-/).map(Number) as [number, number, number];
  const when = new Date(Date.UTC(2000, mo - 1, d, Number(h), Number(mi), Number(s)));
  when.setUTCFullYear(y);
  // ZonedDateTime.of refuses a day the month lacks and a part out of range, which Date would roll over.
  if (when.getUTCMonth() !== mo - 1 || when.getUTCDate() !== d || when.getUTCHours() !== Number(h)) return null;
  if (when.getUTCMinutes() !== Number(mi) || when.getUTCSeconds() !== Number(s)) return null;
  let zone: TimeZone | null = null;
  if (zoneText !== undefined) {
    if (!new RegExp(`^(?:${OFFSET}|[A-Za-z][A-Za-z0-9_+\\-/]*)$`).test(zoneText)) return null;
    const read = readTimeZone(zoneText);
    if (read === undefined) return null;
    zone = read;
  }
  const two = (n: string) => n.padStart(2, '0');
  const wall = `${date!.replace(/-(\d)(?!\d)/g, '-0$1')} ${two(h)}:${two(mi)}:${two(s)}${fraction ? `.${fraction}` : ''}`;
  return { wall, zone };
}

/**
 * SQL of a text value cast at run time: the instant (`zoned`) or the wall clock as written, NULL where
 * Trino's cast fails (the caller raises Trino's error or, for TRY_CAST, leaves it NULL). A zone in the text
 * varies by row, so a `timestamp with time zone` from a column is its instant, shown in UTC.
 */
export function timestampFromTextSql(value: string, zoned: boolean): string {
  const v = `trim(${value})`;
  const parts = `regexp_extract(${v}, ${sqlString(`^${DATETIME}$`)}, ['d', 'h', 'mi', 's', 'f', 'z'])`;
  const part = (p: string, otherwise: string) => `coalesce(nullif(${parts}.${p}, ''), '${otherwise}')`;
  const wallText =
    `(${parts}.d || ' ' || ${part('h', '0')} || ':' || ${part('mi', '0')} || ':' || ${part('s', '0')}` +
    ` || CASE WHEN ${parts}.f = '' THEN '' ELSE '.' || ${parts}.f END)`;
  const wall = `TRY_CAST(${wallText} AS TIMESTAMP)`;
  const z = `${parts}.z`;
  const utc = `(${z} = '' OR regexp_full_match(${z}, '(?i)utc|z|gmt|ut|uct|zulu|universal|greenwich|etc/(utc|gmt|uct|zulu|universal|greenwich)'))`;
  const minutes =
    `(CASE WHEN left(${z}, 1) = '-' THEN -1 ELSE 1 END * (CAST(regexp_extract(${z}, '^[+-](\\d\\d?)', 1) AS INTEGER) * 60` +
    ` + coalesce(TRY_CAST(regexp_extract(${z}, '^[+-]\\d\\d:?(\\d\\d)$', 1) AS INTEGER), 0)))`;
  // A name DuckDB's ICU does not know is NULL here (TRY_CAST), where timezone() would fail in its words.
  const instant =
    `CASE WHEN ${utc} THEN ${wall}` +
    ` WHEN regexp_full_match(${z}, ${sqlString(OFFSET)}) THEN (${wall} - to_minutes(${minutes}))` +
    ` WHEN regexp_full_match(${z}, '[A-Za-z][A-Za-z0-9_+\\-/]*') THEN timezone('UTC', TRY_CAST(strftime(${wall}, '%Y-%m-%d %H:%M:%S.%f') || ' ' || ${z} AS TIMESTAMPTZ)) END`;
  const read = zoned ? instant : `CASE WHEN (${instant}) IS NULL THEN NULL ELSE ${wall} END`;
  return `CASE WHEN regexp_full_match(${v}, ${sqlString(DATETIME)}) THEN ${read} END`;
}

/**
 * ISO 8601 text as Trino's from_iso8601_timestamp and from_iso8601_date read it (Joda's
 * `ISODateTimeFormat.dateTimeParser` and `dateParser`): a date of a year, a month or a day, then `T` and an
 * hour with optional minutes, seconds and fraction, then `Z` or an offset. The longest piece Joda reads is
 * matched by a greedy prefix; text beyond it is Joda's `Invalid format: "…" is malformed at "…"`
 * (`2026-03-02 10:00:00`, with a space, which DuckDB's cast reads; `2026/03/02`).
 */
const ISO_DATE = String.raw`[+-]?\d{4}(?:-\d\d(?:-\d\d)?)?`;
const ISO_PREFIX = String.raw`^${ISO_DATE}(?:T(?:\d\d(?::\d\d(?::\d\d(?:[.,]\d+)?)?)?)?(?:Z|[+-]\d\d(?::?\d\d)?)?)?`;

/** SQL: the ISO text `text` (of a date, `dateOnly`) as DuckDB's casts read it, or Joda's error. */
export function isoTextSql(text: string, dateOnly: boolean): string {
  const prefix = dateOnly ? `^${ISO_DATE}` : ISO_PREFIX;
  const read = `regexp_extract(${text}, ${sqlString(prefix)})`;
  const rest = `substr(${text}, length(${read}) + 1)`;
  const failure = `error('Invalid format: "' || ${text} || '" is malformed at "' || ${rest} || '"')`;
  const parts = `regexp_extract(${text}, ${sqlString(String.raw`^([+-]?\d{4})(?:-(\d\d)(?:-(\d\d))?)?(?:T(\d\d)(?::(\d\d)(?::(\d\d)(?:[.,](\d+))?)?)?)?(.*)$`)}, ['y', 'mo', 'd', 'h', 'mi', 's', 'f', 'z'])`;
  const or = (p: string, v: string) => `coalesce(nullif(${parts}.${p}, ''), '${v}')`;
  const date = `${parts}.y || '-' || ${or('mo', '01')} || '-' || ${or('d', '01')}`;
  const normal = dateOnly
    ? date
    : `${date} || 'T' || ${or('h', '00')} || ':' || ${or('mi', '00')} || ':' || ${or('s', '00')} || ` +
      `CASE WHEN ${parts}.f = '' THEN '' ELSE '.' || ${parts}.f END || ${parts}.z`;
  return `(CASE WHEN ${rest} = '' THEN ${normal} ELSE ${failure} END)`;
}
