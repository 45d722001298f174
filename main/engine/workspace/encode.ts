/**
 * DuckDB values to wire cells, by the `CellValue` rule of `preload/contract/wire.ts`: nothing is rounded
 * (big integers and decimals travel as digit text) and times are ISO 8601 in UTC.
 */
import {
  createDuckDBValueConverter,
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBTypeId,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  arrayFromArrayValue,
  arrayFromListValue,
  fromVariantValue,
  objectArrayFromMapValue,
  objectFromStructValue,
  objectFromUnionValue,
  unsupportedConverter,
  type DuckDBType,
  type DuckDBValue,
  type DuckDBValueConverter,
} from '@duckdb/node-api';
import type { CellValue, Column } from '../../../preload/contract';

function integerCell(value: DuckDBValue): CellValue {
  if (typeof value === 'number') return value;
  const n = BigInt(value as bigint);
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();
}

function floatCell(value: DuckDBValue): CellValue {
  const n = value as number;
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return n;
}

/**
 * A FLOAT (Trino's REAL) as the shortest decimal that is the same 32-bit value, as DuckDB, Trino and Athena's
 * console write one: 0.3, where the double it widens to is 0.30000001192092896.
 */
function realCell(value: DuckDBValue): CellValue {
  const n = value as number;
  for (let digits = 1; Number.isFinite(n) && digits < 9; digits++) {
    const shortest = Number(n.toPrecision(digits));
    if (Math.fround(shortest) === n) return shortest;
  }
  return floatCell(n);
}

const text = (value: DuckDBValue): CellValue => String(value);

/**
 * The proleptic Gregorian date of a day counted from 1970-01-01 (H. Hinnant's `civil_from_days`). A JavaScript
 * Date stops at ±275,760 years and DuckDB's timestamps reach 294,247: `TIMESTAMP '290000-01-01'` failed the
 * whole answer with "Invalid time value".
 */
function civilFromDays(days: number): [year: number, month: number, day: number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const m = Math.floor((5 * dayOfYear + 2) / 153);
  const month = m < 10 ? m + 3 : m - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, dayOfYear - Math.floor((153 * m + 2) / 5) + 1];
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * An instant as ISO 8601 with a Z; `fraction` holds the sub-second digits (6 for micro, 9 for nano). A year
 * outside 0–9999 is written as `Date.toISOString` writes one: signed, six digits.
 */
export function isoFromEpoch(units: bigint, perSecond: bigint, digits: number): string {
  let seconds = units / perSecond;
  let fraction = units % perSecond;
  if (fraction < 0n) {
    fraction += perSecond;
    seconds -= 1n;
  }
  let days = seconds / 86_400n;
  let ofDay = Number(seconds % 86_400n);
  if (ofDay < 0) {
    ofDay += 86_400;
    days -= 1n;
  }
  const [y, mo, d] = civilFromDays(Number(days));
  const year =
    y >= 0 && y <= 9999 ? String(y).padStart(4, '0') : `${y < 0 ? '-' : '+'}${String(Math.abs(y)).padStart(6, '0')}`;
  const time = `${pad2(Math.floor(ofDay / 3600))}:${pad2(Math.floor(ofDay / 60) % 60)}:${pad2(ofDay % 60)}`;
  return `${year}-${pad2(mo)}-${pad2(d)}T${time}.${fraction.toString().padStart(digits, '0')}Z`;
}

function timestampCell(value: DuckDBValue): CellValue {
  if (value instanceof DuckDBTimestampValue || value instanceof DuckDBTimestampTZValue) {
    return value.isFinite ? isoFromEpoch(value.micros, 1_000_000n, 6) : value.toString();
  }
  if (value instanceof DuckDBTimestampNanosecondsValue)
    return value.isFinite ? isoFromEpoch(value.nanos, 1_000_000_000n, 9) : value.toString();
  if (value instanceof DuckDBTimestampMillisecondsValue)
    return value.isFinite ? isoFromEpoch(value.millis * 1000n, 1_000_000n, 6) : value.toString();
  if (value instanceof DuckDBTimestampSecondsValue)
    return value.isFinite ? isoFromEpoch(value.seconds * 1_000_000n, 1_000_000n, 6) : value.toString();
  return String(value);
}

/** A date as DuckDB writes it; its infinities as DuckDB names them (the client's text is the date next to them). */
function dateCell(value: DuckDBValue): CellValue {
  const date = value as DuckDBDateValue;
  return date.isFinite ? date.toString() : date.days > 0 ? 'infinity' : '-infinity';
}

function blobCell(value: DuckDBValue): CellValue {
  return Buffer.from((value as DuckDBBlobValue).bytes).toString('base64');
}

const I = DuckDBTypeId;
const cellConverter: DuckDBValueConverter<CellValue> = createDuckDBValueConverter<CellValue>({
  [I.BOOLEAN]: (v) => v as boolean,
  [I.TINYINT]: integerCell,
  [I.SMALLINT]: integerCell,
  [I.INTEGER]: integerCell,
  [I.BIGINT]: integerCell,
  [I.HUGEINT]: integerCell,
  [I.UTINYINT]: integerCell,
  [I.USMALLINT]: integerCell,
  [I.UINTEGER]: integerCell,
  [I.UBIGINT]: integerCell,
  [I.UHUGEINT]: integerCell,
  [I.BIGNUM]: integerCell,
  [I.FLOAT]: realCell,
  [I.DOUBLE]: floatCell,
  [I.DECIMAL]: text,
  [I.VARCHAR]: text,
  [I.ENUM]: text,
  [I.UUID]: text,
  [I.BIT]: text,
  [I.DATE]: dateCell,
  [I.TIME]: text,
  [I.TIME_NS]: text,
  [I.TIME_TZ]: text,
  [I.INTERVAL]: text,
  [I.GEOMETRY]: text,
  [I.TIMESTAMP]: timestampCell,
  [I.TIMESTAMP_S]: timestampCell,
  [I.TIMESTAMP_MS]: timestampCell,
  [I.TIMESTAMP_NS]: timestampCell,
  [I.TIMESTAMP_TZ]: timestampCell,
  [I.BLOB]: blobCell,
  [I.LIST]: arrayFromListValue,
  [I.ARRAY]: arrayFromArrayValue,
  [I.STRUCT]: objectFromStructValue,
  [I.MAP]: objectArrayFromMapValue,
  [I.UNION]: objectFromUnionValue,
  [I.VARIANT]: fromVariantValue,
  [I.SQLNULL]: () => null,
  [I.INVALID]: unsupportedConverter,
  [I.ANY]: unsupportedConverter,
  [I.STRING_LITERAL]: unsupportedConverter,
  [I.INTEGER_LITERAL]: unsupportedConverter,
});

function encodeCell(value: DuckDBValue, type: DuckDBType): CellValue {
  return cellConverter(value, type, cellConverter);
}

/** One row of DuckDB values, as wire cells in the same order. */
export function encodeCells(values: readonly DuckDBValue[], types: readonly DuckDBType[]): CellValue[] {
  return values.map((v, i) => encodeCell(v, types[i]!));
}

/** Column names and DuckDB type names, as result pages carry them. */
export function describeColumns(names: readonly string[], types: readonly DuckDBType[]): Column[] {
  return names.map((name, i) => ({ name, type: types[i]!.toString() }));
}
