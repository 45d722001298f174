/**
 * What makes a flow-log record impossible, as SQL over the values of a record already typed: a negative
 * count, port or time, a port above 65535 or a protocol above 255, an address that is neither IPv4 nor IPv6
 * (`999.1.1.1`), text holding a NUL byte, no start time (the record could never be found by time), a start after its end, and (for
 * Parquet and CSV, whose columns are cast by us rather than by the reader) a value that is not a number at all, or
 * (CSV) not one as flow logs write it: 1.23457E+11 for bytes or an account id, which a spreadsheet wrote.
 * The import stores such a record as a rejected line with these reasons instead.
 */
import type { FlowField } from '../../../queries/catalog/fields';
import { sqlString } from '../../../queries/catalog/sql-quote';

/** Unix seconds that make a valid TIMESTAMP (years 1970 to 9999). */
export const MAX_UNIX = 253_402_300_799;

/** What a record's value must be, beyond its type. */
const LIMITS: Record<string, { max: number; what: string }> = {
  srcport: { max: 65_535, what: 'a port is 0 to 65535' },
  dstport: { max: 65_535, what: 'a port is 0 to 65535' },
  protocol: { max: 255, what: 'a protocol number is 0 to 255' },
  start: { max: MAX_UNIX, what: 'a time is Unix seconds from 0 to the year 9999' },
  end: { max: MAX_UNIX, what: 'a time is Unix seconds from 0 to the year 9999' },
};

/**
 * Text fields whose form a spreadsheet destroys (an account id becomes 1.23457E+11, or loses its leading zero):
 * a comma-separated file's values must match (flows-sql.ts, `csvProjection`).
 */
export const AS_LOGGED: Record<string, { pattern: string; what: string }> = Object.fromEntries(
  ['account-id', 'tgw-src-vpc-account-id', 'tgw-dst-vpc-account-id'].map((name) => [
    name,
    { pattern: '[0-9]{12}|unknown', what: 'an account id is 12 digits (a spreadsheet writes it as a number)' },
  ]),
);

const ADDRESS_FIELDS = new Set(['srcaddr', 'dstaddr', 'pkt-srcaddr', 'pkt-dstaddr']);

const HEX = '[0-9a-fA-F]{1,4}';
const IPV4_TAIL = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}';
/** RFC 4291 text forms: eight groups, `::` for a run of zeros, an IPv4 tail (`::ffff:1.2.3.4`). */
const IPV6 = [
  `(${HEX}:){7}${HEX}`,
  `(${HEX}:){1,7}:`,
  `(${HEX}:){1,6}:${HEX}`,
  `(${HEX}:){1,5}(:${HEX}){1,2}`,
  `(${HEX}:){1,4}(:${HEX}){1,3}`,
  `(${HEX}:){1,3}(:${HEX}){1,4}`,
  `(${HEX}:){1,2}(:${HEX}){1,5}`,
  `${HEX}:(:${HEX}){1,6}`,
  `:((:${HEX}){1,7}|:)`,
  `(${HEX}:){6}${IPV4_TAIL}`,
  `::(${HEX}:){0,5}${IPV4_TAIL}`,
  `(${HEX}:){1,5}:(${HEX}:){0,4}${IPV4_TAIL}`,
].join('|');

const BITS: Record<string, number> = { SMALLINT: 16, INTEGER: 32, BIGINT: 64 };
const COUNTERS = /^(bytes|packets|packets-lost-.*)$/;

/** What kind of file a record's values come from: its text (a log, a CSV), or a Parquet file's columns. */
export type RecordFile = 'text' | 'parquet';

/**
 * Why a number that reads as one is refused because it is not written as flow logs write numbers (1.23457E+11,
 * 443.7, 1e3, a double's 2.5): in text most likely a spreadsheet's rounding, which a Parquet file has no part in.
 */
const NOT_AS_LOGGED: Record<RecordFile, string> = {
  text: ': not a whole number as flow logs write it (a spreadsheet rounds them)',
  parquet: ': not a whole number in digits, as flow logs write it',
};

/**
 * Why `text`, a number field's value as the file holds it, did not become the field's integer (SQL text of
 * `: <why>`): a whole number outside the field's range (a port's 0 to 65535, or more than its 64 bits hold:
 * 18446744073709551616 bytes), something else that reads as a number (a spreadsheet's 1.23457E+11, a Parquet
 * double's 2.5), or no number at all.
 */
export function numberWhy(field: FlowField, text: string, file: RecordFile = 'text'): string {
  const limit = LIMITS[field.aws];
  const kind = COUNTERS.test(field.aws) ? 'counter' : 'number';
  const tooBig = limit ? limit.what : `more than a flow log's ${BITS[field.type] ?? 64}-bit ${kind} holds`;
  const whole = `regexp_full_match(trim(${text}), '[+-]?[0-9]+')`;
  return (
    `CASE WHEN ${whole} AND starts_with(trim(${text}), '-') THEN ${sqlString(`: ${limit ? limit.what : 'it cannot be negative'}`)} ` +
    `WHEN ${whole} THEN ${sqlString(`: ${tooBig}`)} ` +
    `WHEN try_cast(replace(${text}, ',', '.') AS DOUBLE) IS NULL THEN ': not a number' ` +
    `ELSE ${sqlString(NOT_AS_LOGGED[file])} END`
  );
}

/** A field of the record as the check sees it. */
export interface CheckedValue {
  field: FlowField;
  /** Its typed value (a column of the relation the checks run on). */
  value: string;
  /**
   * Its value as the file holds it, '-' as NULL, when the cast to the type may have failed silently: text, or
   * (a Parquet integer column) the column itself, read as text only for a rejected record's reason.
   */
  text?: string;
  /** For an address: its IPv4 integer, NULL when it is not dotted IPv4. */
  ip4?: string;
}

interface Check {
  failing: string;
  reason: string;
}

function fieldChecks(v: CheckedValue, file: RecordFile): Check[] {
  const name = v.field.aws;
  const quoted = sqlString(`field "${name}" is `);
  const checks: Check[] = [];
  if (v.text !== undefined) {
    // A number a spreadsheet rounded (1.23457E+11, 1.5, or with a decimal comma in a `;`-separated CSV,
    // 1,23457E+11) is one DuckDB would cast, changed: refused as such.
    const text = `${v.text}::VARCHAR`;
    const why =
      v.field.type === 'VARCHAR'
        ? sqlString(`: ${AS_LOGGED[name]?.what ?? 'not as logged'}`)
        : numberWhy(v.field, text, file);
    checks.push({
      failing: `(${v.text} IS NOT NULL AND ${v.value} IS NULL)`,
      reason: `${quoted} || ${text} || ${why}`,
    });
  }
  if (v.field.type !== 'VARCHAR') {
    const limit = LIMITS[name];
    checks.push({
      failing: limit ? `(${v.value} NOT BETWEEN 0 AND ${limit.max})` : `(${v.value} < 0)`,
      reason: `${quoted} || ${v.value} || ${sqlString(limit ? `: ${limit.what}` : ': it cannot be negative')}`,
    });
  }
  if (v.field.type === 'VARCHAR') {
    // A NUL (a file written over, a disk's zeros) would be stored inside the text, where `logStatus = "OK"`
    // no longer finds it.
    checks.push({
      failing: `contains(${v.value}, chr(0))`,
      reason: `${quoted} || replace(${v.value}, chr(0), '\\0') || ': it holds a NUL byte'`,
    });
  }
  if (ADDRESS_FIELDS.has(name) && v.ip4 !== undefined) {
    checks.push({
      failing: `(${v.value} IS NOT NULL AND ${v.ip4} IS NULL AND NOT regexp_full_match(${v.value}, ${sqlString(IPV6)}))`,
      reason: `${quoted} || ${v.value} || ': not an IPv4 or IPv6 address'`,
    });
  }
  return checks;
}

export interface RecordChecks {
  /** TRUE for an impossible record, FALSE or NULL for a possible one. */
  invalid: string;
  /** Every reason of an impossible record, joined by "; ". */
  reason: string;
}

/** The checks of a record with these values, read from `file`; `start`/`end` by the field's AWS name. */
export function recordChecks(values: readonly CheckedValue[], file: RecordFile = 'text'): RecordChecks {
  const checks = values.flatMap((v) => fieldChecks(v, file));
  const start = values.find((v) => v.field.aws === 'start')?.value;
  const end = values.find((v) => v.field.aws === 'end')?.value;
  if (start)
    checks.push({ failing: `(${start} IS NULL)`, reason: `'field "start" is missing: the record has no time'` });
  if (start && end) {
    checks.push({
      failing: `(${start} > ${end})`,
      reason: `'field "start" (' || ${start} || ') is after "end" (' || ${end} || ')'`,
    });
  }
  return {
    invalid: checks.length ? `(${checks.map((c) => c.failing).join(' OR ')})` : 'false',
    reason: `concat_ws('; ', ${checks.map((c) => `CASE WHEN ${c.failing} THEN ${c.reason} END`).join(', ') || 'NULL'})`,
  };
}
