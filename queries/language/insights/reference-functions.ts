/**
 * The functions of CloudWatch Logs Insights' current reference ("Boolean, comparison, numeric, datetime, and
 * other functions", "Hashing functions") that the older list in `builtin-functions.ts` lacks, as registry
 * entries (see `functions.ts`). Where Sumo Logic has a function of the same name and meaning (`haversine`,
 * `base64encode`, `urlencode`, `isNumeric`, `ipv4ToNumber`, `hexToAscii`, `isReservedIP`, `toLong`), Sumo's
 * entry serves Insights too; the rest follow the reference's table (result types included: `startsWith`
 * answers 1 or 0, `now()` epoch seconds, `queryStartTime()` epoch milliseconds).
 */
import { jodaFormat } from '../athena/datetime-format';
import {
  condition,
  numeric,
  oneOrZero,
  scalar,
  stringLiteral,
  text,
  time,
  timeZoneArg,
  type ScalarArgs,
} from '../builtin-functions';
import { instantSql, offsetTextSql, wallClockSql } from '../../catalog/time-zones';
import { sqlString } from '../../catalog/sql-quote';
import { queryRangeSql, type Arg, type FunctionContext, type FunctionDef } from '../functions';
import type { SourceSpan } from '../plan';
import { SUMO_FUNCTIONS } from '../sumo/functions';
import { SUMO_TEXT_FUNCTIONS } from '../sumo/text-functions';

const INSIGHTS = ['insights'] as const;
const fn = (...def: ScalarArgs): FunctionDef => scalar(...def, INSIGHTS);

/** Sumo's functions whose name and meaning the Insights reference shares. */
const SHARED_WITH_SUMO = new Set([
  'haversine',
  'base64encode',
  'base64decode',
  'urlencode',
  'urldecode',
  'isnumeric',
  'ipv4tonumber',
  'hextoascii',
  'isreservedip',
  'tolong',
]);

/** The JSON array a text holds, or null when it holds none. */
const jsonArray = (a: Arg) =>
  `(CASE WHEN json_valid(${text(a)}) AND json_type(${text(a)}) = 'ARRAY' THEN ${text(a)} END)`;

/** A run of the letters of a Java date pattern (`yyyy`, `MM`, `dd`, `HH`, `mm`, `ss`, `SSS`). */
const JAVA_DATE_LETTERS = /(?:y{2,}|M{2,}|d{2}|H{2}|h{2}|m{2}|s{2}|S{3})/;

/**
 * A format with no strftime conversion (`%…`) that spells a Java date pattern (`yyyy-MM-dd HH:mm`, the form
 * `parseDate` beside it reads) is refused at the argument: strftime copies text outside conversions as it
 * is, so every row would read the pattern itself (an outside probe's `formatDate(@timestamp, "yyyy-MM-dd
 * HH:mm")`). The hint writes it in strftime's conversions where each letter has one.
 */
function refuseJavaPattern(format: string, span: SourceSpan, ctx: FunctionContext): void {
  if (format.includes('%') || !JAVA_DATE_LETTERS.test(format)) return;
  let strftime: string | null = null;
  try {
    strftime = jodaFormat(format, span);
  } catch {
    // a letter strftime has no conversion for: the hint names the usual ones
  }
  const name = ctx.call.name;
  throw ctx.problem(
    `${name} takes strftime conversions such as %Y-%m-%d; "${format}" has none and is a Java date pattern (the form parseDate reads), which ${name} would return as written on every row.`,
    span,
    strftime && strftime !== format
      ? `write it as "${strftime}"`
      : 'write it with conversions: %Y year, %m month, %d day, %H hour, %M minute, %S second',
  );
}

/**
 * The time as its wall clock in the call's time zone (UTC when none is given). strftime reads that wall
 * clock as a plain TIMESTAMP, whose `%z` is `+00` and `%Z` empty, so those two are written in from the zone:
 * its offset at that instant (`-0500`, `-0400` in summer) and its name (`America/New_York`, `UTC`).
 */
const formatDate: FunctionDef['compile'] = ([t, pattern, zone], ctx) => {
  const tz = zone ? timeZoneArg(zone, ctx) : null;
  const at = wallClockSql(time(t!), tz);
  const format = stringLiteral(pattern!, ctx, 'a strftime format such as "%Y-%m-%d"');
  refuseJavaPattern(format, pattern!.expr.span, ctx);
  const parts: string[] = [];
  let chunk = '';
  const flush = () => {
    if (chunk) parts.push(`strftime(${at}, ${ctx.literal(chunk)})`);
    chunk = '';
  };
  for (const piece of format.split(/(%.)/s)) {
    if (piece !== '%z' && piece !== '%Z') chunk += piece;
    else {
      flush();
      parts.push(piece === '%z' ? offsetTextSql(time(t!), tz) : sqlString(tz?.name ?? 'UTC'));
    }
  }
  flush();
  if (parts.length === 0) return `(CASE WHEN ${at} IS NOT NULL THEN '' END)`;
  return parts.length === 1 ? parts[0]! : `(${parts.join(' || ')})`;
};

export const INSIGHTS_REFERENCE_FUNCTIONS: readonly FunctionDef[] = [
  ...[...SUMO_FUNCTIONS, ...SUMO_TEXT_FUNCTIONS]
    .filter((f) => SHARED_WITH_SUMO.has(f.name.toLowerCase()))
    .map((f) => ({ ...f, dialects: INSIGHTS })),
  fn(
    'round',
    1,
    2,
    'round(number[, digits])',
    'Rounded to a whole number, or to the digits after the point',
    'number',
    ([a, d]) => (d ? `round(${numeric(a!)}, CAST(${numeric(d)} AS INTEGER))` : `round(${numeric(a!)})`),
  ),
  fn('toNumber', 1, 1, 'toNumber(text)', 'The text as a number', 'number', ([a]) => `TRY_CAST(${text(a!)} AS DOUBLE)`),
  fn(
    'toDouble',
    1,
    1,
    'toDouble(value)',
    'The value as a double-precision number',
    'number',
    ([a]) => `TRY_CAST(${text(a!)} AS DOUBLE)`,
  ),
  fn(
    'toInt',
    1,
    1,
    'toInt(value)',
    'The value as a 32-bit whole number (fractions cut off)',
    'number',
    ([a]) => `TRY_CAST(trunc(TRY_CAST(${text(a!)} AS DOUBLE)) AS INTEGER)`,
  ),
  fn(
    'hexToDec',
    1,
    1,
    'hexToDec(hex)',
    'A hexadecimal text (0x optional) as a number',
    'number',
    ([a]) => `TRY_CAST(('0x' || regexp_replace(${text(a!)}, '^0[xX]', '')) AS BIGINT)`,
  ),
  fn(
    'decToHex',
    1,
    1,
    'decToHex(number)',
    'A whole number as lower-case hex with 0x (-0x when negative)',
    'string',
    ([a]) => {
      const n = `CAST(trunc(${numeric(a!)}) AS BIGINT)`;
      return `(CASE WHEN ${n} < 0 THEN '-0x' || lower(hex(-${n})) ELSE '0x' || lower(hex(${n})) END)`;
    },
  ),
  fn(
    'jsonArraySize',
    1,
    1,
    'jsonArraySize(text)',
    'The number of items of the JSON array the text holds',
    'number',
    ([a]) => `json_array_length(${jsonArray(a!)})`,
  ),
  fn(
    'jsonArrayContains',
    2,
    2,
    'jsonArrayContains(text, value)',
    'True if the JSON array the text holds has the value',
    'boolean',
    ([a, v]) =>
      `coalesce(list_contains(CAST(json_extract_string(${jsonArray(a!)}, '$[*]') AS VARCHAR[]), ${text(v!)}), false)`,
  ),
  fn(
    'now',
    0,
    0,
    'now()',
    'The time the query started, in epoch seconds',
    'number',
    () => 'CAST(epoch(now()) AS BIGINT)',
  ),
  fn(
    'queryStartTime',
    0,
    0,
    'queryStartTime()',
    "The start of the query's time range, in epoch milliseconds",
    'number',
    (_a, ctx) => `epoch_ms(${queryRangeSql(ctx.range).from})`,
  ),
  fn(
    'queryEndTime',
    0,
    0,
    'queryEndTime()',
    "The end of the query's time range, in epoch milliseconds",
    'number',
    (_a, ctx) => `epoch_ms(${queryRangeSql(ctx.range).to})`,
  ),
  fn(
    'queryTimeRange',
    0,
    0,
    'queryTimeRange()',
    "The length of the query's time range, in milliseconds",
    'number',
    (_a, ctx) => {
      const { from, to } = queryRangeSql(ctx.range);
      return `(epoch_ms(${to}) - epoch_ms(${from}))`;
    },
  ),
  fn(
    'parseDate',
    2,
    3,
    'parseDate(text, "yyyy-MM-dd"[, "time zone"])',
    'A date text read with a Java DateTimeFormatter pattern, in epoch milliseconds',
    'number',
    ([t, pattern, zone], ctx) => {
      const tz = zone ? timeZoneArg(zone, ctx) : null;
      const format = jodaFormat(stringLiteral(pattern!, ctx, 'a pattern such as "yyyy-MM-dd"'), pattern!.expr.span);
      const parsed = `try_strptime(${text(t!)}, ${ctx.literal(format)})`;
      // A text with its own offset is that instant; without one, a wall clock of the given zone.
      return `epoch_ms(${/%z/i.test(format) ? parsed : instantSql(parsed, tz)})`;
    },
  ),
  fn(
    'formatDate',
    2,
    3,
    'formatDate(time, "%Y-%m-%d"[, "time zone"])',
    'The time written with a strftime format, in UTC or the given time zone',
    'string',
    formatDate,
  ),
  fn('strftime', 2, 3, 'strftime(time, "%Y-%m-%d"[, "time zone"])', 'The same as formatDate', 'string', formatDate),
  fn(
    'case',
    2,
    21,
    'case(condition, value, …[, default])',
    'The value of the first condition that holds, else the default',
    'any',
    (args) => {
      const pairs: string[] = [];
      for (let i = 0; i + 1 < args.length; i += 2) pairs.push(`WHEN ${condition(args[i]!)} THEN ${args[i + 1]!.sql}`);
      const fallback = args.length % 2 ? ` ELSE ${args.at(-1)!.sql}` : '';
      return `(CASE ${pairs.join(' ')}${fallback} END)`;
    },
  ),
  fn(
    'if',
    3,
    3,
    'if(condition, then, else)',
    'then if the condition holds, else else',
    'any',
    ([c, a, b]) => `(CASE WHEN ${condition(c!)} THEN ${a!.sql} ELSE ${b!.sql} END)`,
  ),
  fn(
    'messageSize',
    1,
    1,
    'messageSize(text)',
    'The length of the text in bytes',
    'number',
    ([a]) => `octet_length(encode(${text(a!)}))`,
  ),
  fn(
    'regexReplace',
    3,
    3,
    'regexReplace(text, regex, with)',
    'The text with every match of the regular expression replaced',
    'string',
    ([a, p, r]) => `regexp_replace(${text(a!)}, ${text(p!)}, ${text(r!)}, 'g')`,
  ),
  fn('startsWith', 2, 2, 'startsWith(text, part)', '1 if the text starts with the part, else 0', 'number', ([a, b]) =>
    oneOrZero(`starts_with(${text(a!)}, ${text(b!)})`),
  ),
  fn('endsWith', 2, 2, 'endsWith(text, part)', '1 if the text ends with the part, else 0', 'number', ([a, b]) =>
    oneOrZero(`ends_with(${text(a!)}, ${text(b!)})`),
  ),
  fn(
    'split',
    2,
    2,
    'split(text, delimiter)',
    'The parts of the text between the delimiters, as a list',
    'any',
    ([a, d]) => `string_split(${text(a!)}, ${text(d!)})`,
  ),
  fn('md5', 1, 1, 'md5(text)', 'The MD5 hash of the text, in hex', 'string', ([a]) => `md5(${text(a!)})`),
  fn('sha256', 1, 1, 'sha256(text)', 'The SHA-256 hash of the text, in hex', 'string', ([a]) => `sha256(${text(a!)})`),
];
