/**
 * DuckDB's messages for a translated Athena query that fails as it runs, in Trino's words where Trino's
 * differ, so that the message is the one an Athena user knows (and finds when searching): a cast of text
 * that is not a number names Trino's type ("Cannot cast '10.0.0.5' to INT", not DuckDB's "Could not convert
 * string '10.0.0.5' to INT32"), an overflow is "bigint multiplication overflow: 41472 * 9223372036854775807".
 * Any other message is DuckDB's.
 *
 * DuckDB says where in its own SQL nothing failed, and Trino no more than which operation; where the text
 * holds one place that operation can be (one `*` of that type, the one with the overflowing literal, the
 * only `sum`, the only division by a literal 0), `athenaRuntimePlace` finds it, so the error points there
 * as the compiler's errors do.
 */
import { parseSqlStatement } from '../sql-syntax/parser';
import { walkStatement } from '../sql-syntax/walk';
import type { Expr } from '../sql-syntax/ast';
import type { SourceSpan } from '../plan';
import { isDecimal, isInteger, typeOfName, type Scalar } from './types';

/** Each type as Trino's failed cast of text names it: `Cannot cast '1.5' to INT`. */
export const TRINO_CAST_NAME: Partial<Record<Scalar, string>> = {
  tinyint: 'TINYINT',
  smallint: 'SMALLINT',
  integer: 'INT',
  bigint: 'BIGINT',
  real: 'REAL',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
};
const CAST_NAMES = Object.values(TRINO_CAST_NAME).join('|');

/** DuckDB's internal names of those types. */
const DUCKDB_TYPE: Record<string, Scalar> = {
  INT8: 'tinyint',
  INT16: 'smallint',
  INT32: 'integer',
  INT64: 'bigint',
  FLOAT: 'real',
  DOUBLE: 'double',
  BOOL: 'boolean',
};

/** DuckDB's names of the arithmetic that overflowed, as Trino's messages name them. */
const OVERFLOW_OPERATION: Record<string, string> = { addition: '+', subtraction: '-', multiplication: '*' };

const OVERFLOW =
  /^Out of Range Error: Overflow in (addition|subtraction|multiplication) of (INT8|INT16|INT32|INT64) \((.*)\)!$/s;
/** A sum of integers, which DuckDB adds up in a HUGEINT and the translation makes a BIGINT, as Trino's is. */
const SUM_OVERFLOW =
  /^Conversion Error: Type INT128 with value (\S+) can't be cast because the value is out of range for the destination type INT64$/s;
/** A number cast to a narrower integer type: Trino's `Out of range for integer: 3000000000`. */
const OUT_OF_RANGE =
  /^Conversion Error: Type \w+ with value (\S+) can't be cast because the value is out of range for the destination type (\w+)$/s;
/** Errors the translation raises with Trino's own words, under DuckDB's prefix. */
const TRINO_RAISED = new RegExp(
  String.raw`^Invalid Input Error: (Division by zero|Cannot cast value to IPADDRESS: .*|Cannot cast '.*' to (?:${CAST_NAMES})|Value cannot be cast to (?:date|timestamp): .*|Invalid format: ".*" is malformed at ".*"|step must not be zero|sequence stop value should be .*|SQL array indices start at 1|Array subscript (?:is negative: -\d+|must be less than or equal to array length: \d+ > \d+)|Invalid CIDR|Invalid network IP address|Invalid prefix length|Prefix length exceeds address length)$`,
  's',
);

/** What each strptime specifier of a translated date_parse or parse_datetime pattern reads, as Joda's fields do. */
const SPECIFIER_READS: Record<string, string> = {
  Y: '[+-]?\\d{1,9}',
  G: '[+-]?\\d{1,9}',
  y: '\\d{1,2}',
  b: '[A-Za-z]{3}',
  B: '[A-Za-z]+',
  a: '[A-Za-z]{3}',
  A: '[A-Za-z]+',
  p: '[AaPp][Mm]',
  f: '\\d+',
  g: '\\d+',
  j: '\\d{1,3}',
  z: '[+-]\\d\\d(?::?\\d\\d)?',
  Z: '[A-Za-z][A-Za-z0-9_+\\-/]*',
  '%': '%',
};

/**
 * Joda's message for text its pattern does not read (Trino's date_parse and parse_datetime), from DuckDB's
 * strptime failure: `Invalid format: "2026/03/02" is malformed at "/03/02"`, where the first piece of the
 * pattern the text does not match begins (FormatUtils.createErrorMessage). A text every piece matches but
 * whose values are out of range keeps DuckDB's message.
 */
function jodaParseFailure(text: string, format: string): string | null {
  const pieces: string[] = [];
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== '%') pieces.push(format[i]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
    else {
      if (format[i + 1] === '-') i++;
      const spec = format[++i] ?? '';
      pieces.push(SPECIFIER_READS[spec] ?? '\\d{1,2}');
    }
  }
  const prefix = pieces.reduceRight((rest, piece) => `(?:${piece}${rest})?`, '');
  const at = new RegExp(`^${prefix}`).exec(text)?.[0].length ?? 0;
  if (at === text.length && new RegExp(`^${pieces.join('')}$`).test(text)) return null;
  const sample = text.length <= at + 35 ? text : `${text.slice(0, at + 32)}...`;
  if (at <= 0) return `Invalid format: "${sample}"`;
  if (at >= text.length) return `Invalid format: "${sample}" is too short`;
  return `Invalid format: "${sample}" is malformed at "${sample.slice(at)}"`;
}

const RULES: [RegExp, (m: RegExpExecArray) => string | null][] = [
  [
    /^Invalid Input Error: Could not parse string "(.*)" according to format specifier "(.*)"\n/s,
    (m) => jodaParseFailure(m[1]!, m[2]!),
  ],
  [OVERFLOW, (m) => `${DUCKDB_TYPE[m[2]!]} ${m[1]} overflow: ${m[3]}`],
  [SUM_OVERFLOW, (m) => `bigint addition overflow: the sum reaches ${m[1]}`],
  [TRINO_RAISED, (m) => m[1]!],
  [
    /^Conversion Error: Could not convert string '(.*)' to (\w+)$/s,
    (m) => {
      const name = TRINO_CAST_NAME[DUCKDB_TYPE[m[2]!] ?? 'any'];
      return name ? `Cannot cast '${m[1]}' to ${name}` : null;
    },
  ],
  [
    /^Conversion Error: Could not convert string "(.*)" to DECIMAL\((\d+),(\d+)\)$/s,
    (m) => `Cannot cast VARCHAR '${m[1]}' to DECIMAL(${m[2]}, ${m[3]}). Value is not a number.`,
  ],
  [
    /^Conversion Error: invalid (date|timestamp) field format: "(.*)", expected format is .*$/s,
    (m) => `Value cannot be cast to ${m[1]}: ${m[2]}`,
  ],
  [
    OUT_OF_RANGE,
    (m) => (isInteger(DUCKDB_TYPE[m[2]!] ?? 'any') ? `Out of range for ${DUCKDB_TYPE[m[2]!]}: ${m[1]}` : null),
  ],
];

/** DuckDB's message without the column it names where it pushed a cast into a scan (Trino names none). */
const withoutSourceColumn = (message: string) => message.replace(/ when casting from source column .*$/s, '');

/** Trino's message for DuckDB's `message` where the two differ, else `message`. */
export function athenaRuntimeMessage(message: string): string {
  const plain = withoutSourceColumn(message);
  for (const [pattern, trino] of RULES) {
    const m = pattern.exec(plain);
    const said = m && trino(m);
    if (said) return said;
  }
  return message;
}

/** The number a literal operand stands for (`-1` for `-1`), or null. */
function literalNumber(e: Expr): string | null {
  if (e.kind === 'number') return e.text;
  if (e.kind === 'unary' && e.op === '-' && e.operand.kind === 'number') return `-${e.operand.text}`;
  return null;
}

/** The expressions that can have raised DuckDB's `message`: of its kind, those naming most of its operands. */
function candidates(message: string, exprs: Expr[]): Expr[] {
  const plain = withoutSourceColumn(message);
  const overflow = OVERFLOW.exec(plain);
  if (overflow) {
    const op = OVERFLOW_OPERATION[overflow[1]!]!;
    const operands = new Set(overflow[3]!.split(` ${op} `).map((n) => n.trim()));
    const ops = exprs.filter((e) => e.kind === 'binary' && e.op === op);
    // The operations whose literal operands are most of the values DuckDB names (none: every one).
    const named = (e: Expr) =>
      e.kind === 'binary' ? [e.left, e.right].filter((x) => operands.has(literalNumber(x) ?? '')).length : 0;
    const most = Math.max(0, ...ops.map(named));
    return ops.filter((e) => named(e) === most);
  }
  if (SUM_OVERFLOW.test(plain)) return exprs.filter((e) => e.kind === 'call' && e.name.name.toLowerCase() === 'sum');
  if (/^Conversion Error: Could not convert string ".*" to DECIMAL\(/s.test(plain))
    return exprs.filter((e) => e.kind === 'cast' && !e.try && isDecimal(typeOfName(e.type) ?? 'any'));
  const range = OUT_OF_RANGE.exec(plain);
  if (range) {
    // The casts to that type: `CAST(3000000000 AS integer)`, `CAST(bytes AS integer)`.
    const type = DUCKDB_TYPE[range[2]!];
    return exprs.filter((e) => e.kind === 'cast' && !e.try && typeOfName(e.type) === type);
  }
  const raised = TRINO_RAISED.exec(plain);
  if (raised?.[1] === 'Division by zero') {
    const divisions = exprs.filter((e) => e.kind === 'binary' && (e.op === '/' || e.op === '%'));
    const byZero = divisions.filter((e) => e.kind === 'binary' && Number(literalNumber(e.right) ?? NaN) === 0);
    return byZero.length ? byZero : divisions;
  }
  const subscripts = exprs.filter((e) => e.kind === 'subscript');
  const called = (name: string) => exprs.filter((e) => e.kind === 'call' && e.name.name.toLowerCase() === name);
  if (raised?.[1]!.startsWith('SQL array')) return [...called('element_at'), ...subscripts];
  if (raised?.[1]!.startsWith('Array subscript')) return subscripts;
  if (raised && /^(step|sequence)/.test(raised[1]!)) return called('sequence');
  if (raised && /^(Invalid (CIDR|network|prefix)|Prefix length)/.test(raised[1]!)) return called('contains');
  if (raised?.[1]!.startsWith('Invalid format:'))
    return [...called('from_iso8601_timestamp'), ...called('from_iso8601_date')];
  if (/^Invalid Input Error: Could not parse string /.test(plain))
    return [...called('date_parse'), ...called('parse_datetime')];
  if (raised) {
    // The casts to the type named: `Cannot cast value to IPADDRESS: …`, `Cannot cast '1.5' to INT`, `… to date: …`.
    const named = new RegExp(`to (IPADDRESS|date|timestamp|${CAST_NAMES})\\b`).exec(raised[1]!)?.[1];
    const type =
      named === 'IPADDRESS' || named === 'date' || named === 'timestamp'
        ? named.toLowerCase()
        : Object.keys(TRINO_CAST_NAME).find((t) => TRINO_CAST_NAME[t as Scalar] === named);
    // Text cast to either timestamp fails alike: `Value cannot be cast to timestamp: …`.
    const cast = (t: unknown) => t === type || (type === 'timestamp' && t === 'timestamp with time zone');
    return exprs.filter((e) => e.kind === 'cast' && !e.try && cast(typeOfName(e.type)));
  }
  return [];
}

/** Where in the Athena `text` DuckDB's run-time `message` arose, when the text holds one place it can be. */
export function athenaRuntimePlace(message: string, text: string): SourceSpan | null {
  const exprs: Expr[] = [];
  try {
    walkStatement(parseSqlStatement(text).statement, (e) => exprs.push(e));
  } catch {
    return null;
  }
  const found = candidates(message, exprs);
  return found.length === 1 ? found[0]!.span : null;
}
