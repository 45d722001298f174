/**
 * Trino's types as the Athena translation tracks them, and the DuckDB type each is carried in.
 *
 * The translation needs types where Trino and DuckDB differ: integer division (`/` of two integers
 * truncates in Trino), decimal arithmetic (a decimal's precision and scale decide what `/` rounds to), date arithmetic (a DATE plus days stays a DATE), IPADDRESS (carried as 32 hex
 * digits, which sort like the 128-bit number), and the checks Trino makes that DuckDB does not (comparing
 * a varchar with a number is an error). `unknown` is the NULL literal's type, which fits anything;
 * `any` is what the translation does not know, and is never checked.
 */
import type { TypeName } from '../sql-syntax/ast';
import { sqlIdent } from '../../catalog/sql-quote';

export type Scalar =
  | 'tinyint'
  | 'smallint'
  | 'integer'
  | 'bigint'
  | 'real'
  | 'double'
  | 'varchar'
  | 'boolean'
  | 'date'
  | 'time'
  | 'timestamp'
  | 'timestamp with time zone'
  | 'interval day to second'
  | 'interval year to month'
  | 'ipaddress'
  | 'varbinary'
  | 'unknown'
  | 'any';

export type SqlType =
  | Scalar
  | { decimal: [precision: number, scale: number] }
  | { array: SqlType }
  | { map: [SqlType, SqlType] }
  | { row: { name: string | null; type: SqlType }[] };

const INTEGERS = ['tinyint', 'smallint', 'integer', 'bigint'];

export const isInteger = (t: SqlType): boolean => typeof t === 'string' && INTEGERS.includes(t);
export const isDecimal = (t: SqlType): t is { decimal: [number, number] } => typeof t === 'object' && 'decimal' in t;
export const isNumeric = (t: SqlType): boolean =>
  isDecimal(t) || (typeof t === 'string' && (INTEGERS.includes(t) || t === 'real' || t === 'double'));
export const isTime = (t: SqlType): boolean =>
  t === 'date' || t === 'timestamp' || t === 'timestamp with time zone' || t === 'time';
export const isLoose = (t: SqlType): boolean => t === 'unknown' || t === 'any';
export const isArray = (t: SqlType): t is { array: SqlType } => typeof t === 'object' && 'array' in t;

/** The wider of two integer types, as Trino's arithmetic widens. */
function widerInteger(a: SqlType, b: SqlType): SqlType {
  const ia = INTEGERS.indexOf(a as string);
  const ib = INTEGERS.indexOf(b as string);
  return INTEGERS[Math.max(ia, ib, 2)] as SqlType;
}

/** DECIMAL(precision, scale), with Trino's limit of 38 digits. */
export function decimal(precision: number, scale: number): SqlType {
  return { decimal: [Math.min(38, precision), scale] };
}

/** The type Trino gives a number literal with a point (`1.0` is DECIMAL(2,1)); a double past 38 digits. */
export function decimalLiteralType(text: string): SqlType {
  const [whole = '', fraction = ''] = text.replace(/^[+-]/, '').split('.');
  const precision = Math.max(1, whole.replace(/^0+/, '').length + fraction.length);
  return precision > 38 ? 'double' : decimal(precision, fraction.length);
}

/** An exact number as Trino's decimal arithmetic sees it: an integer type is DECIMAL(digits, 0). */
function decimalOf(t: SqlType): [number, number] | null {
  if (isDecimal(t)) return t.decimal;
  const digits = { tinyint: 3, smallint: 5, integer: 10, bigint: 19 }[t as string];
  return digits === undefined ? null : [digits, 0];
}

/**
 * The result type of arithmetic on two numbers. With a decimal and an exact number, Trino's precision
 * and scale: `+`/`-` keep the larger scale, `*` adds the scales, `/` keeps the larger scale (and rounds
 * to it), `%` too.
 */
export function numericResult(op: string, a: SqlType, b: SqlType): SqlType {
  if (isLoose(a)) return isLoose(b) ? 'any' : b;
  if (isLoose(b)) return a;
  if (a === 'double' || b === 'double') return 'double';
  if (a === 'real' || b === 'real') return 'real';
  const x = decimalOf(a);
  const y = decimalOf(b);
  if (!x || !y || !(isDecimal(a) || isDecimal(b))) return widerInteger(a, b);
  const [[p1, s1], [p2, s2]] = [x, y];
  const scale = Math.max(s1, s2);
  switch (op) {
    case '*':
      return decimal(p1 + p2, s1 + s2);
    case '/':
      return decimal(p1 + s2 + Math.max(s2 - s1, 0), scale);
    case '%':
      return decimal(Math.min(p1 - s1, p2 - s2) + scale, scale);
    default:
      return decimal(Math.max(p1 - s1, p2 - s2) + scale + 1, scale);
  }
}

/** Trino's name of a type, for messages and typeof(). */
export function typeText(t: SqlType): string {
  // Trino names a timestamp with its precision: 3 for from_unixtime, date_parse, current_timestamp and a cast.
  if (t === 'timestamp' || t === 'timestamp with time zone') return t.replace('timestamp', 'timestamp(3)');
  if (typeof t === 'string') return t === 'any' ? 'unknown' : t;
  if ('decimal' in t) return `decimal(${t.decimal.join(',')})`;
  if ('array' in t) return `array(${typeText(t.array)})`;
  if ('map' in t) return `map(${typeText(t.map[0])}, ${typeText(t.map[1])})`;
  return `row(${t.row.map((f) => (f.name ? `${f.name} ${typeText(f.type)}` : typeText(f.type))).join(', ')})`;
}

/** Whether two values can be compared (`=`, `<`, IN, BETWEEN) in Trino, after its implicit coercions. */
export function comparable(a: SqlType, b: SqlType): boolean {
  if (isLoose(a) || isLoose(b)) return true;
  if (isNumeric(a) && isNumeric(b)) return true;
  if (isTime(a) && isTime(b)) return a !== 'time' || b === 'time';
  if (typeof a === 'object' || typeof b === 'object') return typeText(a).split('(')[0] === typeText(b).split('(')[0];
  return a === b;
}

/**
 * Trino's compile-time error where values that must share a type (CASE results, COALESCE operands) have
 * none in common (`CASE … THEN 1 ELSE 'x' END`), or null. DuckDB would cast one to the other as it runs.
 */
export function noCommonType(what: string, types: SqlType[]): string | null {
  const known = [...new Map(types.filter((t) => !isLoose(t)).map((t) => [typeText(t), t])).values()];
  const other = known.find((t) => !comparable(known[0]!, t));
  if (other === undefined) return null;
  return (
    `All ${what} must be the same type or coercible to a common type. Cannot find common type between ` +
    `${typeText(known[0]!)} and ${typeText(other)}, all types (without duplicates): [${known.map(typeText).join(', ')}]`
  );
}

const TYPE_ALIASES: Record<string, Scalar> = {
  int: 'integer',
  integer: 'integer',
  bigint: 'bigint',
  smallint: 'smallint',
  tinyint: 'tinyint',
  double: 'double',
  float: 'real',
  real: 'real',
  varchar: 'varchar',
  char: 'varchar',
  string: 'varchar',
  boolean: 'boolean',
  date: 'date',
  time: 'time',
  timestamp: 'timestamp',
  'timestamp with time zone': 'timestamp with time zone',
  ipaddress: 'ipaddress',
  varbinary: 'varbinary',
};

/** A written type as a SqlType; null when Flowscope does not know it. */
export function typeOfName(t: TypeName): SqlType | null {
  if (t.name === 'array' && t.params.length === 1 && typeof t.params[0] === 'object') {
    const of = typeOfName(t.params[0]);
    return of && { array: of };
  }
  if (t.name === 'map' && t.params.length === 2 && typeof t.params[0] === 'object' && typeof t.params[1] === 'object') {
    const k = typeOfName(t.params[0]);
    const v = typeOfName(t.params[1]);
    return k && v && { map: [k, v] };
  }
  if (t.name === 'row') {
    const fields: { name: string | null; type: SqlType }[] = [];
    for (const p of t.params) {
      if (typeof p !== 'object') return null;
      const inner = p.params.length === 1 && typeof p.params[0] === 'object' ? typeOfName(p.params[0]) : null;
      const type = inner ?? typeOfName(p);
      if (!type) return null;
      fields.push({ name: inner ? p.name : null, type });
    }
    return { row: fields };
  }
  if (t.name === 'decimal' || t.name === 'numeric') {
    // Trino's DECIMAL is DECIMAL(38, 0), DECIMAL(p) is DECIMAL(p, 0).
    const [precision = 38, scale = 0] = t.params.filter((p): p is number => typeof p === 'number');
    return decimal(precision, scale);
  }
  return TYPE_ALIASES[t.name] ?? null;
}

/** The DuckDB type a Trino type is carried in (IPADDRESS: its 32 hex digits; a zoned timestamp: UTC). */
export function duckdbType(t: SqlType): string {
  if (typeof t === 'object') {
    if ('decimal' in t) return `DECIMAL(${t.decimal.join(', ')})`;
    if ('array' in t) return `${duckdbType(t.array)}[]`;
    if ('map' in t) return `MAP(${duckdbType(t.map[0])}, ${duckdbType(t.map[1])})`;
    return `STRUCT(${t.row.map((f, i) => `${sqlIdent(f.name ?? `field${i}`)} ${duckdbType(f.type)}`).join(', ')})`;
  }
  switch (t) {
    case 'tinyint':
      return 'TINYINT';
    case 'smallint':
      return 'SMALLINT';
    case 'integer':
      return 'INTEGER';
    case 'bigint':
      return 'BIGINT';
    case 'real':
      return 'FLOAT';
    case 'double':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'date':
      return 'DATE';
    case 'time':
      return 'TIME';
    case 'timestamp':
    case 'timestamp with time zone':
      return 'TIMESTAMP';
    case 'varbinary':
      return 'BLOB';
    case 'interval day to second':
    case 'interval year to month':
      return 'INTERVAL';
    default:
      return 'VARCHAR';
  }
}
