/**
 * The times a query's range, a pull's window and the CLI's `--from`/`--to` are given in: ISO 8601 text, a
 * date or a date and time, UTC unless it carries an offset. Read strictly: JavaScript's `Date.parse` rolls
 * `2026-02-30` over to 2 March and `T24:00` to the next day, so a mistyped range silently asked about
 * other days; here a date or time that does not exist is no time at all.
 */
const ISO_TIME =
  /^(\d{4})-(\d\d)-(\d\d)(?:[Tt ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?)?(?:([zZ])|([+-])(\d\d):?(\d\d))?$/;

/** What the accepted forms look like, for messages. */
const ISO_TIME_EXAMPLE = '2026-03-02, 2026-03-02T10:00 or 2026-03-02T10:00:00.000Z';

/** What a refusal says of a text that is not such a time. */
export const NOT_AN_ISO_TIME = `not an ISO 8601 time that exists (such as ${ISO_TIME_EXAMPLE})`;

/** The text's moment in milliseconds since the epoch, or null where it is not a time that exists. */
export function isoTimeMs(text: string): number | null {
  const m = ISO_TIME.exec(text.trim());
  if (!m) return null;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((p) => Number(p ?? 0));
  const fraction = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  if (month! < 1 || month! > 12 || hour > 23 || minute > 59 || second > 59) return null;
  const date = new Date(0);
  date.setUTCFullYear(year!, month! - 1, day!);
  if (date.getUTCMonth() !== month! - 1 || date.getUTCDate() !== day) return null;
  const offsetMinutes = m[9] ? (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11])) : 0;
  if (m[9] && (Number(m[10]) > 23 || Number(m[11]) > 59)) return null;
  return date.getTime() + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + Math.floor(fraction);
}
