/**
 * DuckDB values to wire cells, by the `CellValue` rule of `preload/contract/wire.ts`: nothing is rounded
 * (big integers and decimals travel as digit text) and times are ISO 8601 in UTC.
 */
import {
  createDuckDBValueConverter,
  DuckDBBlobValue,
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

const text = (value: DuckDBValue): CellValue => String(value);

/** An instant as ISO 8601 with a Z; `fraction` holds the sub-second digits (6 for micro, 9 for nano). */
export function isoFromEpoch(units: bigint, perSecond: bigint, digits: number): string {
  let seconds = units / perSecond;
  let fraction = units % perSecond;
  if (fraction < 0n) {
    fraction += perSecond;
    seconds -= 1n;
  }
  const whole = new Date(Number(seconds) * 1000).toISOString().slice(0, -5); // drop ".000Z"
  return `${whole}.${fraction.toString().padStart(digits, '0')}Z`;
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
  [I.FLOAT]: floatCell,
  [I.DOUBLE]: floatCell,
  [I.DECIMAL]: text,
  [I.VARCHAR]: text,
  [I.ENUM]: text,
  [I.UUID]: text,
  [I.BIT]: text,
  [I.DATE]: text,
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
