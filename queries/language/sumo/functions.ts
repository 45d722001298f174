/**
 * Functions only the Sumo Logic dialect knows, as registry entries (see `functions.ts`). The enrichment
 * functions (isPrivateIP, isPublicIP, ...) come from `queries/language/enrichment-functions.ts`, which both
 * pipe dialects share; registry lookup ignores case, so `isPrivateIP` finds `isPrivateIp`.
 */
import type { Arg, FunctionDef } from '../functions';
import { parseCidr } from '../../catalog/ip';
import { PRIVATE_RANGES, RESERVED_IPV4_RANGES, ranges } from '../../catalog/address-ranges';
import { rangeTestSql } from '../../catalog/address-sql';
import { numeric, respelled, scalar, text, type ScalarArgs } from '../builtin-functions';
import { cidrAddress, constantNumber } from './text-functions';
import { addressSql, notPublicRanges } from '../enrichment-functions';

const SUMO = ['sumo'] as const;

const reservedRanges = ranges(RESERVED_IPV4_RANGES.map((r) => r.cidr));
const rfc1918Ranges = ranges(PRIVATE_RANGES.filter((r) => r.name === 'RFC 1918 private').map((r) => r.cidr));

/**
 * One of Sumo's IPv4 tests (isPrivateIP, isPublicIP, isReservedIP): "Invalid IPv4 addresses are dropped from
 * the results", so an IPv6 address or text that is no address is NULL, which drops the record in a `where`,
 * negated too (dropsInvalid).
 */
function ipv4Test(
  name: string,
  doc: string,
  inside: Parameters<typeof rangeTestSql>[1],
  outside = ranges([]),
): FunctionDef {
  return {
    ...fn(name, 1, 1, `${name}(ip)`, doc, 'boolean', ([a]) =>
      rangeTestSql({ ...addressSql(a!), isIp6: 'FALSE' }, inside, outside),
    ),
    dropsInvalid: true,
  };
}

const fn = (...def: ScalarArgs): FunctionDef => scalar(...def, SUMO);

const typeOfSecond = (args: Arg[]) => args[1]?.type ?? 'any';

/** Whether the two values of `if(c, a, b)` have one type (a NULL literal fits any). */
function sameType([, a, b]: Arg[]): boolean {
  return a?.expr.kind === 'null' || b?.expr.kind === 'null' || a?.type === b?.type;
}

export const SUMO_FUNCTIONS: FunctionDef[] = [
  {
    ...fn(
      'if',
      3,
      3,
      'if(condition, then, else)',
      'The second argument when the condition is true, else the third',
      (args) => (sameType(args) ? typeOfSecond(args) : 'string'),
      // Sumo's values are texts: a number and a text (`if(protocol="6", "TCP", protocol)`) give a text.
      ([c, a, b]) =>
        sameType([c!, a!, b!])
          ? `(CASE WHEN ${c!.sql} THEN ${a!.sql} ELSE ${b!.sql} END)`
          : `(CASE WHEN ${c!.sql} THEN ${text(a!)} ELSE ${text(b!)} END)`,
    ),
    keepsDash: sameType,
  },
  fn('isNull', 1, 1, 'isNull(field)', 'True if the field has no value', 'boolean', ([a]) =>
    a!.dash ? 'FALSE' : `(${a!.sql} IS NULL)`,
  ),
  respelled('isempty', 'isEmpty', SUMO),
  respelled('isblank', 'isBlank', SUMO),
  fn(
    'toInt',
    1,
    1,
    'toInt(value)',
    'The value as a whole number (fractions cut off)',
    'number',
    ([a]) => `CAST(trunc(${numeric(a!)}) AS BIGINT)`,
  ),
  // Sumo documents both names of its cast to a number.
  ...['num', 'number'].map((name) =>
    fn(name, 1, 1, `${name}(value)`, 'The value as a number', 'number', ([a]) => numeric(a!)),
  ),
  fn(
    'protocolDescription',
    1,
    1,
    'protocolDescription(protocol)',
    'IANA description of an IP protocol number: 6 → Transmission Control (the Protocol column of protocol-numbers.csv)',
    'string',
    // The registry's columns are renamed in a derived table so that the argument, a caller's column that
    // may well be called `protocol`, cannot bind to the table's column of that name.
    ([p]) =>
      `(SELECT description_ FROM (SELECT protocol AS number_, description AS description_ FROM protocol_names) ` +
      `WHERE number_ = TRY_CAST(${numeric(p!)} AS SMALLINT))`,
  ),
  fn('toLowerCase', 1, 1, 'toLowerCase(text)', 'The text in lower case', 'string', ([a]) => `lower(${text(a!)})`),
  fn('toUpperCase', 1, 1, 'toUpperCase(text)', 'The text in upper case', 'string', ([a]) => `upper(${text(a!)})`),
  fn('length', 1, 1, 'length(text)', 'Number of characters', 'number', ([a]) => `length(${text(a!)})`),
  // Sumo's reference: `round(<x> [,<y>])`, y the decimal places (`round(1.549, 2)` is 1.55).
  fn(
    'round',
    1,
    2,
    'round(number[, places])',
    'Rounded to the nearest whole number, or to that many decimal places',
    'number',
    ([a, places], ctx) => {
      // Written out, places that are no whole number DuckDB's round takes are refused at the argument, where
      // DuckDB's cast failed with no place (`round(b, 99999999999)`).
      const n = places ? constantNumber(places.expr) : null;
      if (n !== null && !(Number.isInteger(n) && Math.abs(n) <= 2 ** 31 - 1))
        throw ctx.problem(
          `\`round\`'s decimal places are a whole number from -2147483647 to 2147483647, not ${n}.`,
          places!.expr.span,
          'for example: round(mb, 2)',
        );
      return `round(${numeric(a!)}${places ? `, CAST(${numeric(places)} AS INTEGER)` : ''})`;
    },
  ),
  fn(
    'compareCIDRPrefix',
    3,
    3,
    'compareCIDRPrefix(ip1, ip2, prefixLength)',
    'True if two IPv4 addresses share their first prefixLength bits',
    'boolean',
    ([a, b, n]) => {
      // With one address and the length written out, the test is a range on the other one's integer.
      const bits = constantNumber(n!.expr);
      const [literal, other] =
        a!.expr.kind === 'string'
          ? [a!.expr.value.trim(), b!]
          : b!.expr.kind === 'string'
            ? [b!.expr.value.trim(), a!]
            : [null, null];
      const range =
        literal !== null && bits !== null && Number.isInteger(bits) ? parseCidr(`${literal}/${bits}`) : undefined;
      if (range?.family === 4 && other)
        return `(${addressSql(cidrAddress(other)).ip4} BETWEEN ${range.lo} AND ${range.hi})`;
      const shift = `(32 - CAST(${numeric(n!)} AS INTEGER))`;
      const [x, y] = [a!, b!].map((arg) => addressSql(cidrAddress(arg)).ip4);
      return `((CAST(${x} AS UBIGINT) >> ${shift}) = (CAST(${y} AS UBIGINT) >> ${shift}))`;
    },
  ),
  ipv4Test(
    'isReservedIP',
    'True for an IPv4 address in a special-use block of RFC 5735 (private, loopback, link local, documentation, multicast, …); a record whose value is no IPv4 address is dropped',
    reservedRanges,
  ),
  ipv4Test(
    'isPrivateIP',
    'True for an IPv4 address of the RFC 1918 private networks (10/8, 172.16/12, 192.168/16), false for any other (127.0.0.1 too, as its reference says); a record whose value is no IPv4 address is dropped',
    rfc1918Ranges,
  ),
  ipv4Test(
    'isPublicIP',
    'True for an IPv4 internet address: not private, loopback, link-local, multicast or broadcast; a record whose value is no IPv4 address is dropped',
    'any',
    notPublicRanges,
  ),
  fn(
    'luhn',
    1,
    1,
    'luhn(text)',
    "True when the digits of the text (every other character dropped) pass Luhn's check, as a credit card number does",
    'boolean',
    // Digits from the right: every second one doubled, less 9 when that is over 9 ((2d) % 9, and 9 for a 9).
    ([a]) =>
      `list_transform([regexp_replace(${text(a!)}, '[^0-9]', '', 'g')], lambda d: d <> '' AND ` +
      `list_sum(list_transform(list_reverse(string_split(d, '')), lambda x, i: CASE WHEN i % 2 = 1 THEN TRY_CAST(x AS INTEGER) ` +
      `ELSE TRY_CAST(x AS INTEGER) * 2 % 9 + CASE WHEN x = '9' THEN 9 ELSE 0 END END)) % 10 = 0)[1]`,
  ),
  // Sumo's math functions: `min(a, b)` beside the aggregate `min(field)`, told apart by their arguments.
  fn(
    'min',
    2,
    2,
    'min(a, b)',
    'The smaller of two numbers',
    'number',
    ([a, b]) => `least(${numeric(a!)}, ${numeric(b!)})`,
  ),
  fn(
    'max',
    2,
    2,
    'max(a, b)',
    'The larger of two numbers',
    'number',
    ([a, b]) => `greatest(${numeric(a!)}, ${numeric(b!)})`,
  ),
  {
    name: 'sum',
    kind: 'aggregate',
    dialects: SUMO,
    minArgs: 1,
    maxArgs: 1,
    signature: 'sum(field)',
    // Sumo skips values that are not numbers: a group of `-` only adds up to 0.
    doc: 'Sum of the values (0 when none is a number)',
    returns: 'number',
    compile: ([a]) => `coalesce(sum(${numeric(a!)}), 0)`,
  },
  {
    name: 'values',
    kind: 'aggregate',
    dialects: SUMO,
    minArgs: 1,
    maxArgs: 1,
    signature: 'values(field)',
    doc: 'The distinct values (the first 100, in order), one a line',
    returns: 'string',
    compile: ([a]) => `array_to_string(list_slice(list_sort(list_distinct(list(${text(a!)}))), 1, 100), chr(10))`,
  },
  {
    name: 'median',
    kind: 'aggregate',
    dialects: SUMO,
    minArgs: 1,
    maxArgs: 1,
    signature: 'median(field)',
    doc: 'The middle value (the 50th percentile)',
    returns: 'number',
    compile: ([a]) => `quantile_disc(${numeric(a!)}, 0.5)`,
  },
];
