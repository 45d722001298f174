/**
 * Trino's types as the Athena translation tracks them, and the DuckDB type each is carried in.
 *
 * The translation needs types where Trino and DuckDB differ: integer division (`/` of two integers
 * truncates in Trino), date arithmetic (a DATE plus days stays a DATE), IPADDRESS (carried as 32 hex
 * digits, which sort like the 128-bit number), and the checks Trino makes that DuckDB does not (comparing
 * a varchar with a number is an error). `unknown` is the NULL literal's type, which fits anything;
 * `any` is what the translation does not know, and is never checked.
 */
import type { TypeName } from '../sql-syntax/ast';

export type Scalar =
  | 'tinyint'
  | 'smallint'
  | 'integer'
  | 'bigint'
  | 'real'
  | 'double'
  | 'decimal'
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
  Scalar | { array: SqlType } | { map: [SqlType, SqlType] } | { row: { name: string | null; type: SqlType }[] };

const INTEGERS = ['tinyint', 'smallint', 'integer', 'bigint'];

export const isInteger = (t: SqlType): boolean => typeof t === 'string' && INTEGERS.includes(t);
export const isNumeric = (t: SqlType): boolean =>
  typeof t === 'string' && (INTEGERS.includes(t) || t === 'real' || t === 'double' || t === 'decimal');
export const isTime = (t: SqlType): boolean =>
  t === 'date' || t === 'timestamp' || t === 'timestamp with time zone' || t === 'time';
export const isLoose = (t: SqlType): boolean => t === 'unknown' || t === 'any';
export const isArray = (t: SqlType): t is { array: SqlType } => typeof t === 'object' && 'array' in t;

/** The wider of two integer types, as Trino's arithmetic widens. */
export function widerInteger(a: SqlType, b: SqlType): SqlType {
  const ia = INTEGERS.indexOf(a as string);
  const ib = INTEGERS.indexOf(b as string);
  return INTEGERS[Math.max(ia, ib, 2)] as SqlType;
}

/** The result type of arithmetic on two numbers. */
export function numericResult(a: SqlType, b: SqlType): SqlType {
  if (isLoose(a)) return isLoose(b) ? 'any' : b;
  if (isLoose(b)) return a;
  if (a === 'double' || b === 'double') return 'double';
  if (a === 'real' || b === 'real') return 'real';
  if (a === 'decimal' || b === 'decimal') return 'decimal';
  return widerInteger(a, b);
}

/** Trino's name of a type, for messages and typeof(). */
export function typeText(t: SqlType): string {
  if (typeof t === 'string') return t === 'any' ? 'unknown' : t;
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

const TYPE_ALIASES: Record<string, Scalar> = {
  int: 'integer',
  integer: 'integer',
  bigint: 'bigint',
  smallint: 'smallint',
  tinyint: 'tinyint',
  double: 'double',
  float: 'real',
  real: 'real',
  decimal: 'decimal',
  numeric: 'decimal',
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
  return TYPE_ALIASES[t.name] ?? null;
}

/** The DuckDB type a Trino type is carried in (IPADDRESS: its 32 hex digits; a zoned timestamp: UTC). */
export function duckdbType(t: SqlType, written?: TypeName): string {
  if (typeof t === 'object') {
    if ('array' in t) return `${duckdbType(t.array)}[]`;
    if ('map' in t) return `MAP(${duckdbType(t.map[0])}, ${duckdbType(t.map[1])})`;
    return `STRUCT(${t.row.map((f, i) => `"${(f.name ?? `field${i}`).replace(/"/g, '""')}" ${duckdbType(f.type)}`).join(', ')})`;
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
    case 'decimal': {
      const [p, s] = (written?.params ?? []) as number[];
      return p === undefined ? 'DECIMAL(38, 0)' : `DECIMAL(${p}, ${s ?? 0})`;
    }
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
