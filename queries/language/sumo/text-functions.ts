/**
 * Sumo Logic's string, number and address functions that a flow-log query could use, as registry entries
 * (see `functions.ts`). Sumo's values are texts: a function that takes text reads a number as its digits
 * and a field the log wrote as `-` as `-` (`text()`), one that takes a number reads text that is one.
 */
import { ipv4IntegerSql } from '../../catalog/ip';
import { numeric, respelled, scalar, stringLiteral, text, type ScalarArgs } from '../builtin-functions';
import type { Arg, FunctionContext, FunctionDef } from '../functions';
import { addressSql } from '../enrichment-functions';
import { REPLACE } from './replace';
import type { Expr } from '../plan';

/** The value of a number written out (`4`, `-1`), also inside `toInt(...)`. */
export function constantNumber(e: Expr): number | null {
  if (e.kind === 'number') return e.value;
  if (e.kind === 'negate') {
    const n = constantNumber(e.operand);
    return n === null ? null : -n;
  }
  if (e.kind === 'call' && e.name.toLowerCase() === 'toint' && e.args.length === 1) return constantNumber(e.args[0]!);
  return null;
}

/**
 * An address as the CIDR operators read it: blanks around it trimmed, as Sumo's release note of 2024-12-04
 * says of `getCIDRPrefix` and `compareCIDRPrefix` (they failed on such text before). A stored address has none.
 */
export function cidrAddress(arg: Arg): Arg {
  if (arg.column === 'srcaddr' || arg.column === 'dstaddr') return arg;
  return { sql: `trim(${text(arg)})`, type: 'string', expr: arg.expr };
}

const SUMO = ['sumo'] as const;
const fn = (...def: ScalarArgs): FunctionDef => scalar(...def, SUMO);
const math = (name: string, doc: string, sql: string | ((x: string) => string)): FunctionDef =>
  fn(name, 1, 1, `${name}(number)`, doc, 'number', ([a]) =>
    typeof sql === 'string' ? `${sql}(${numeric(a!)})` : sql(numeric(a!)),
  );

/** The IPv4 netmask of a prefix length (0–32), as a 32-bit number. */
const maskSql = (bits: Arg) => {
  const host = `(32 - CAST(${numeric(bits)} AS INTEGER))`;
  return `((CAST(4294967295 AS UBIGINT) >> ${host}) << ${host})`;
};
/** A 32-bit number as a dotted IPv4 address. */
const dottedSql = (n: string) =>
  `concat_ws('.', (${n} >> 24) & 255, (${n} >> 16) & 255, (${n} >> 8) & 255, ${n} & 255)`;

/**
 * The values of `format(pattern, …)`, each as its conversion takes it: Sumo's values are texts, so `%s`
 * reads a number as its digits and a field the log wrote as `-` as `-`, and `%d`/`%f` read a text that is
 * a number (DuckDB's printf refuses a value of another type). A pattern that is not written out, or
 * numbers its arguments (`%1$s`), gets the values as they are.
 */
function formatArgs(pattern: Arg, args: Arg[], ctx: FunctionContext): string[] {
  if (pattern.expr.kind !== 'string' || pattern.expr.value.includes('$')) return args.map((a) => a.sql);
  const conversions = [...pattern.expr.value.matchAll(/%[-#+ 0,(]*\d*(?:\.\d+)?([a-zA-Z%])/g)]
    .map((m) => m[1]!)
    .filter((c) => c !== '%' && c !== 'n');
  if (conversions.length !== args.length)
    throw ctx.problem(
      `The pattern of format() takes ${conversions.length} value${conversions.length === 1 ? '' : 's'}, not ${args.length}.`,
      pattern.expr.span,
      'one value for each %s, %d or %f',
    );
  return args.map((a, i) => {
    const c = conversions[i]!.toLowerCase();
    if (c === 'd' || c === 'x' || c === 'o') return `CAST(trunc(${numeric(a)}) AS BIGINT)`;
    if (c === 'f' || c === 'e' || c === 'g') return `CAST(${numeric(a)} AS DOUBLE)`;
    return text(a);
  });
}

/**
 * A Sumo JSON path (`a.b`, `a[0]`, `labels[*].name`, `['odd key']`) as DuckDB's (`$."a"."b"`); keys are
 * quoted so any character in them is a key's.
 */
function jsonPathSql(path: string, ctx: FunctionContext, at: FunctionContext['call']['span']): string {
  let out = '$';
  const part = /\s*(?:\[\s*(\d+|\*)\s*\]|\[\s*(['"])(.*?)\2\s*\]|\.?([^.[\]]+))/y;
  for (let i = 0; i < path.length;) {
    part.lastIndex = i;
    const m = part.exec(path);
    if (!m || m[0].length === 0)
      throw ctx.problem(`\`${path}\` is not a JSON path.`, at, 'for example "labels[*].name"');
    const key = m[3] ?? m[4];
    out += key !== undefined ? `."${key.trim().replace(/"/g, '\\"')}"` : `[${m[1]}]`;
    i = part.lastIndex;
  }
  return out;
}

export const SUMO_TEXT_FUNCTIONS: FunctionDef[] = [
  fn(
    'jsonPath',
    2,
    2,
    'jsonPath(json, "path")',
    'The value at a path of a JSON text (what `json field=f "path"` reads): text as is, arrays and objects as JSON; null when absent',
    'string',
    ([doc, path], ctx) => {
      const jsonPath = ctx.literal(jsonPathSql(stringLiteral(path!, ctx, 'a JSON path'), ctx, path!.expr.span));
      const value = jsonPath.includes('[*]')
        ? `nullif(CAST(to_json(json_extract(${text(doc!)}, ${jsonPath})) AS VARCHAR), '[]')`
        : `json_extract_string(${text(doc!)}, ${jsonPath})`;
      return `CASE WHEN json_valid(${text(doc!)}) THEN ${value} END`;
    },
  ),
  fn(
    'contains',
    2,
    2,
    'contains(text, part)',
    'True if the text contains the part',
    'boolean',
    ([a, b]) => `contains(${text(a!)}, ${text(b!)})`,
  ),
  fn(...REPLACE),
  fn(
    'substring',
    2,
    3,
    'substring(text, start[, end])',
    'The characters from start (0-based) up to end (not included), or to the end',
    'string',
    ([s, start, end], ctx) => {
      // The page's "Invalid Examples": a negative start, an end before the start. Written out, the query is
      // refused there; computed, such a row has no value (DuckDB would count a negative length backwards).
      const from = constantNumber(start!.expr);
      const to = end ? constantNumber(end.expr) : null;
      if (from !== null && from < 0)
        throw ctx.problem(
          "`substring`'s start offset is never negative (Sumo's substring page).",
          start!.expr.span,
          'offsets count from 0: substring(text, 0, 4)',
        );
      if (from !== null && to !== null && to < from)
        throw ctx.problem(
          `\`substring\`'s end offset (${to}) is before its start (${from}): Sumo's substring page says such a query does not work.`,
          end!.expr.span,
          'the end is the offset after the last character: substring("Sumo Logic", 0, 4) is Sumo',
        );
      // As whole numbers: arithmetic on offsets (`s - 4`) is a HUGEINT, which DuckDB's substring does not take.
      const offset = (arg: Arg) => `CAST(${numeric(arg)} AS BIGINT)`;
      const [t, a] = [text(s!), offset(start!)];
      if (!end) return `(CASE WHEN ${a} >= 0 THEN substring(${t}, ${a} + 1) END)`;
      const b = offset(end);
      return `(CASE WHEN ${a} >= 0 AND ${b} >= ${a} THEN substring(${t}, ${a} + 1, ${b} - ${a}) END)`;
    },
  ),
  fn(
    'trim',
    1,
    1,
    'trim(text)',
    'The text without leading and trailing blanks',
    'string',
    ([a]) => `trim(${text(a!)})`,
  ),
  fn(
    'format',
    1,
    32,
    'format("%s is %d", a, b, ...)',
    'The values written into a pattern (%s text, %d whole number, %f number)',
    'string',
    ([pattern, ...args], ctx) => `printf(${[text(pattern!), ...formatArgs(pattern!, args, ctx)].join(', ')})`,
  ),
  fn(
    'urlDecode',
    1,
    1,
    'urlDecode(text)',
    'The text with %xx escapes decoded',
    'string',
    ([a]) => `url_decode(${text(a!)})`,
  ),
  fn('urlEncode', 1, 1, 'urlEncode(text)', 'The text with URL escapes', 'string', ([a]) => `url_encode(${text(a!)})`),
  fn(
    'base64Decode',
    1,
    1,
    'base64Decode(text)',
    'The text a Base64 text encodes',
    'string',
    ([a]) => `CAST(from_base64(${text(a!)}) AS VARCHAR)`,
  ),
  fn(
    'base64Encode',
    1,
    1,
    'base64Encode(text)',
    'The text in Base64',
    'string',
    ([a]) => `to_base64(CAST(${text(a!)} AS BLOB))`,
  ),
  fn(
    'isNumeric',
    1,
    1,
    'isNumeric(text)',
    'True if the text is a number',
    'boolean',
    ([a]) => `(TRY_CAST(${text(a!)} AS DOUBLE) IS NOT NULL)`,
  ),
  fn('ipv4ToNumber', 1, 1, 'ipv4ToNumber(ip)', 'An IPv4 address as its 32-bit number', 'number', ([a]) =>
    ipv4IntegerSql(text(a!)),
  ),
  respelled('isValidIp', 'isValidIP', SUMO),
  respelled('isValidIpV4', 'isValidIPv4', SUMO),
  respelled('isValidIpV6', 'isValidIPv6', SUMO),
  fn(
    'hexToDec',
    1,
    1,
    'hexToDec(hex)',
    "A hexadecimal text of up to 16 digits as a 64-bit number, in two's complement (FFFFFFFFFFFFFFFF is -1)",
    'number',
    // Sumo reads the 16 digits as a Java long's bits: from 8000000000000000 up, the number is negative.
    ([a]) => {
      const bits = `TRY_CAST('0x' || regexp_extract(${text(a!)}, '^[0-9a-fA-F]{1,16}$') AS UBIGINT)::HUGEINT`;
      return `CAST(${bits} - CASE WHEN ${bits} >= 9223372036854775808 THEN 18446744073709551616 ELSE 0 END AS BIGINT)`;
    },
  ),
  fn(
    'decToHex',
    1,
    1,
    'decToHex(number)',
    'A number as hexadecimal text',
    'string',
    ([a]) => `hex(CAST(${numeric(a!)} AS BIGINT))`,
  ),
  fn(
    'parseHex',
    1,
    1,
    'parseHex(text)',
    'The number a hexadecimal text of up to 16 digits writes ("12D230" or "0x12D230"); null for any other text',
    'number',
    ([a]) => `TRY_CAST('0x' || regexp_extract(${text(a!)}, '^(?:0[xX])?([0-9a-fA-F]{1,16})$', 1) AS UBIGINT)`,
  ),
  fn(
    'toLong',
    1,
    1,
    'toLong(value)',
    'The value as a whole number (fractions cut off)',
    'number',
    ([a]) => `CAST(trunc(${numeric(a!)}) AS BIGINT)`,
  ),
  math('sqrt', 'Square root', 'sqrt'),
  math('cbrt', 'Cube root', 'cbrt'),
  math('exp', 'e raised to the number', 'exp'),
  math('log', 'Natural logarithm', 'ln'),
  math('log10', 'Logarithm to base 10', 'log10'),
  math('signum', 'The sign: -1, 0 or 1', 'sign'),
  // The rest of Sumo's math expressions (its reference's list; `pow` is Java's Math, which Sumo documents).
  math('acos', 'Inverse cosine', 'acos'),
  math('asin', 'Inverse sine', 'asin'),
  math('atan', 'Inverse tangent', 'atan'),
  math('cos', 'Cosine', 'cos'),
  math('sin', 'Sine', 'sin'),
  math('tan', 'Tangent', 'tan'),
  math('cosh', 'Hyperbolic cosine', (x) => `((exp(${x}) + exp(-(${x}))) / 2)`),
  math('sinh', 'Hyperbolic sine', (x) => `((exp(${x}) - exp(-(${x}))) / 2)`),
  math('tanh', 'Hyperbolic tangent', (x) => `((exp(2 * ${x}) - 1) / (exp(2 * ${x}) + 1))`),
  math('expm1', 'e raised to the number, minus 1', (x) => `(exp(${x}) - 1)`),
  math('log1p', 'Natural logarithm of 1 plus the number', (x) => `ln(1 + ${x})`),
  math('toDegrees', 'Radians in degrees', 'degrees'),
  math('toRadians', 'Degrees in radians', 'radians'),
  fn('isNaN', 1, 1, 'isNaN(number)', 'True if the value is not a number', 'boolean', ([a]) => `isnan(${numeric(a!)})`),
  fn(
    'isInfinity',
    1,
    1,
    'isInfinity(number)',
    'True if the value is infinite',
    'boolean',
    ([a]) => `isinf(${numeric(a!)})`,
  ),
  fn(
    'atan2',
    2,
    2,
    'atan2(y, x)',
    'The angle of the point (x, y)',
    'number',
    ([y, x]) => `atan2(${numeric(y!)}, ${numeric(x!)})`,
  ),
  fn('pow', 2, 2, 'pow(x, y)', 'x raised to the power y', 'number', ([x, y]) => `pow(${numeric(x!)}, ${numeric(y!)})`),
  fn(
    'getCIDRPrefix',
    2,
    2,
    'getCIDRPrefix(ip, prefixLength)',
    'The network of an IPv4 address: getCIDRPrefix("10.10.1.35", 27) is 10.10.1.32',
    'string',
    ([ip, bits]) => dottedSql(`(CAST(${addressSql(cidrAddress(ip!)).ip4} AS UBIGINT) & ${maskSql(bits!)})`),
  ),
  fn(
    'maskFromCIDR',
    1,
    1,
    'maskFromCIDR(prefixLength)',
    'The IPv4 netmask of a prefix length: maskFromCIDR(29) is 255.255.255.248',
    'string',
    ([bits]) => dottedSql(maskSql(bits!)),
  ),
  fn(
    'haversine',
    4,
    4,
    'haversine(lat1, lon1, lat2, lon2)',
    'The distance between two points, in kilometres (on a sphere of 6,372.8 km, as Sumo Logic)',
    'number',
    ([lat1, lon1, lat2, lon2]) => {
      const [a, b, c, d] = [lat1!, lon1!, lat2!, lon2!].map((x) => `radians(${numeric(x)})`);
      return `(2 * 6372.8 * asin(sqrt(sin((${c} - ${a}) / 2) ^ 2 + cos(${a}) * cos(${c}) * sin((${d} - ${b}) / 2) ^ 2)))`;
    },
  ),
  fn(
    'hash',
    1,
    2,
    'hash(field[, "md5" | "sha1" | "sha2_256"])',
    'A hash of the text, in hexadecimal (MD5 unless another algorithm is named)',
    'string',
    ([a, algorithm], ctx) => {
      const name = algorithm ? stringLiteral(algorithm, ctx, 'an algorithm').toLowerCase() : 'md5';
      const sql = { md5: 'md5', sha1: 'sha1', sha2_256: 'sha256', sha_256: 'sha256', sha256: 'sha256' }[name];
      if (!sql)
        throw ctx.problem(
          `The \`${name}\` hash is not available: Flowscope hashes with md5, sha1 and sha2_256.`,
          algorithm!.expr.span,
        );
      return `${sql}(${text(a!)})`;
    },
  ),
  fn(
    'hexToAscii',
    1,
    1,
    'hexToAscii(hex)',
    'The text a hexadecimal string spells: hexToAscii("41") is A',
    'string',
    ([a]) => `TRY_CAST(decode(unhex(${text(a!)})) AS VARCHAR)`,
  ),
  fn(
    'hypot',
    2,
    2,
    'hypot(x, y)',
    'The square root of x² + y²',
    'number',
    ([x, y]) => `sqrt(${numeric(x!)} ^ 2 + ${numeric(y!)} ^ 2)`,
  ),
];
