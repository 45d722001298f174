/**
 * Time zones named in queries (`formatDate(t, "…", "America/New_York")`, Trino's `AT TIME ZONE 'Europe/Paris'`,
 * `from_unixtime(x, 5, 30)`), checked when the query is compiled and turned into DuckDB SQL.
 *
 * The workspace keeps instants as UTC TIMESTAMPs; a zone only changes how one is read as a wall clock. A name
 * is checked against the ICU zone database of the JavaScript engine (Node or the renderer's Chromium), which
 * holds every canonical name DuckDB's ICU extension knows (`pg_timezone_names()`) and the same aliases
 * (`US/Eastern`, `Etc/GMT+5`, `Asia/Calcutta`), so an unknown name is a diagnostic at its place in the query
 * rather than DuckDB's run-time error. A fixed offset (`+05:30`, as Trino writes and accepts one) is minutes
 * added: DuckDB's `timezone()` takes names only.
 */
import { sqlString } from './sql-quote';

export type TimeZone =
  /** An IANA zone, by the name DuckDB is given and the name the answer shows. */
  | { kind: 'named'; name: string }
  /** A fixed distance from UTC, shown `+05:30`. */
  | { kind: 'offset'; minutes: number; name: string };

/** The names of UTC, which need no conversion (Trino's, and Java's `Z`). */
const UTC_NAMES =
  /^(utc|z|gmt|ut|uct|zulu|universal|greenwich|etc\/(utc|gmt|uct|zulu|universal|greenwich)|[+-]00:?00)$/i;

let canonical: Map<string, string> | undefined;

/** The zone name as the zone database spells it (`america/new_york` → `America/New_York`), else as written. */
function spelled(name: string): string {
  canonical ??= new Map(Intl.supportedValuesOf('timeZone').map((z) => [z.toLowerCase(), z]));
  return canonical.get(name.toLowerCase()) ?? name;
}

function knownToIcu(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** A fixed offset from whole hours and minutes (Trino's `from_unixtime(x, hours, minutes)`), `+05:30`. */
export function offsetZone(minutes: number): TimeZone | null {
  if (minutes === 0) return null;
  const abs = Math.abs(minutes);
  const two = (n: number) => String(n).padStart(2, '0');
  return { kind: 'offset', minutes, name: `${minutes < 0 ? '-' : '+'}${two(Math.floor(abs / 60))}:${two(abs % 60)}` };
}

/**
 * The zone a text names: `null` for UTC (no conversion), `undefined` for a name no zone database knows.
 * Offsets are `+hh:mm`, `+hhmm` or `+hh` up to 14 hours, as Trino accepts them.
 */
export function readTimeZone(text: string): TimeZone | null | undefined {
  const name = text.trim();
  if (UTC_NAMES.test(name)) return null;
  const offset = /^([+-])(\d\d):?(\d\d)?$/.exec(name);
  if (offset) {
    const minutes = Number(offset[2]) * 60 + Number(offset[3] ?? 0);
    if (minutes > 14 * 60 || Number(offset[3] ?? 0) > 59) return undefined;
    return offsetZone(offset[1] === '-' ? -minutes : minutes);
  }
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name) || !knownToIcu(name)) return undefined;
  return { kind: 'named', name: spelled(name) };
}

/** The wall-clock TIMESTAMP in `zone` of an instant held as a UTC TIMESTAMP. */
export function wallClockSql(instant: string, zone: TimeZone | null | undefined): string {
  if (!zone) return instant;
  if (zone.kind === 'offset') return `(${instant} + to_minutes(${zone.minutes}))`;
  return `timezone(${sqlString(zone.name)}, timezone('UTC', ${instant}))`;
}

/**
 * The instant, as a UTC TIMESTAMP, at which the clocks of `zone` show a wall-clock TIMESTAMP. Given `near`,
 * the instant a wall clock was worked out from (truncated, a day or a month added), the instant at `near`'s
 * offset where the clocks show that wall time at it, as Trino (Joda's zoned chronology) resolves it: 01:30
 * EDT on 1 November floors to 01:00 EDT, where DuckDB takes the later 01:00 (EST) of the hour shown twice.
 */
export function instantSql(wallClock: string, zone: TimeZone | null | undefined, near?: string): string {
  if (!zone) return wallClock;
  if (zone.kind === 'offset') return `(${wallClock} - to_minutes(${zone.minutes}))`;
  const own = `timezone('UTC', timezone(${sqlString(zone.name)}, ${wallClock}))`;
  if (near === undefined) return own;
  const atNearOffset = `(${wallClock} - (${wallClockSql(near, zone)} - ${near}))`;
  return `(CASE WHEN ${wallClockSql(atNearOffset, zone)} = ${wallClock} THEN ${atNearOffset} ELSE ${own} END)`;
}

/** The zone's distance from UTC at an instant, in minutes (for a pattern's offset letters). */
export function offsetMinutesSql(instant: string, zone: TimeZone | null | undefined): string {
  if (!zone) return '0';
  return `date_diff('minute', ${instant}, ${wallClockSql(instant, zone)})`;
}

/**
 * SQL: the zone's distance from UTC at an instant as text, `-0500`, or `-05:00` with `:` as the separator
 * (strftime's `%z`, Joda's `Z` and `ZZ`). A fixed offset, or UTC, is text known when compiled.
 */
export function offsetTextSql(instant: string, zone: TimeZone | null | undefined, separator = ''): string {
  if (zone?.kind !== 'named') return sqlString((zone?.name ?? '+00:00').replace(':', separator));
  const m = offsetMinutesSql(instant, zone);
  // Not printf or lpad: on a query connection those are guarded macros, which Athena's try() refuses.
  const two = (n: string) => `right('0' || CAST(${n} AS VARCHAR), 2)`;
  return `(CASE WHEN ${m} < 0 THEN '-' ELSE '+' END || ${two(`abs(${m}) // 60`)} || '${separator}' || ${two(`abs(${m}) % 60`)})`;
}
