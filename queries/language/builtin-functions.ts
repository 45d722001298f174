/**
 * The CloudWatch Logs Insights functions analysts use on flow logs, and the aggregates of `stats`, as
 * registry entries (see `functions.ts`). Text that must be a number is converted with TRY_CAST, as Insights
 * treats values that look like numbers as numbers.
 */
import type { Arg, FunctionContext, FunctionDef } from './functions';
import { cidrTestSql, ipv4IntegerSql, ipv6HexSql, parseCidr } from '../catalog/ip';
import type { Expr } from './plan';
import { baseField, type ValueType } from './field-names';
import { readTimeZone, type TimeZone } from '../catalog/time-zones';
import { epochBucketSql } from '../catalog/time-buckets';

const BOTH = ['insights', 'sumo'] as const;
const INSIGHTS = ['insights'] as const;
const SUMO = ['sumo'] as const;

/** The argument as a number; a time is its milliseconds since the epoch (as Sumo's times are). */
export function numeric(arg: Arg): string {
  if (arg.type === 'time') return `epoch_ms(${arg.sql})`;
  // A comparison counts as 1 or 0, as CloudWatch's boolean functions return (`avg(action = "REJECT")`); one
  // that is not true is 0, a NODATA record's `-` compared included (SQL's NULL would leave it out of an avg).
  if (arg.type === 'boolean') return `coalesce(CAST(${arg.sql} AS INTEGER), 0)`;
  return arg.type === 'string' || arg.type === 'any' ? `TRY_CAST(${arg.sql} AS DOUBLE)` : arg.sql;
}

/**
 * A 1 or 0, as the reference's tests typed as numbers answer ("Returns `1` if the field is missing…":
 * `isempty`, `strcontains`, `startsWith`).
 */
export const oneOrZero = (condition: string) => `CAST(coalesce(${condition}, false) AS INTEGER)`;

/**
 * A value where a condition is read (`filter`, `not`, `and`, `if`): a number holds unless it is 0, as the
 * reference counts its tests' 1 as true and 0 as false (`jsonArrayContains`: "`true` (1)", "`false` (0)"),
 * so `filter strcontains(@message, "x")` keeps what it finds. Written out, as Trino casts no number to a
 * boolean.
 */
export function condition(arg: { sql: string; type: ValueType }): string {
  return arg.type === 'number' ? `(${arg.sql} <> 0)` : arg.sql;
}

/** The argument as text, as the dialect sees it: a field the log wrote as `-` is the text `-`. */
export function text(arg: Arg): string {
  const sql = arg.type === 'string' ? arg.sql : `CAST(${arg.sql} AS VARCHAR)`;
  return arg.dash ? `coalesce(${sql}, '-')` : sql;
}

export function time(arg: Arg): string {
  if (arg.type === 'time') return arg.sql;
  if (arg.type === 'number') return `epoch_ms(CAST(${arg.sql} AS BIGINT))`;
  return `TRY_CAST(${arg.sql} AS TIMESTAMP)`;
}

export function stringLiteral(arg: Arg, ctx: FunctionContext, what: string): string {
  if (arg.expr.kind !== 'string')
    throw ctx.problem(
      `${ctx.call.name}() needs ${what} as a quoted string here.`,
      arg.expr.span,
      `for example "10.0.0.0/8"`,
    );
  return arg.expr.value;
}

/**
 * A time zone argument (`"America/New_York"`, `"+05:30"`): null for UTC; an unknown name is refused here,
 * at its place in the query, not by DuckDB when the query runs.
 */
export function timeZoneArg(arg: Arg, ctx: FunctionContext): TimeZone | null {
  const name = stringLiteral(arg, ctx, 'a time zone');
  const zone = readTimeZone(name);
  if (zone === undefined)
    throw ctx.problem(
      `\`${name}\` is not a time zone ${ctx.call.name}() knows.`,
      arg.expr.span,
      'a zone name such as "America/New_York", "Europe/Paris" or "UTC", or an offset such as "+05:30"',
    );
  return zone;
}

export function durationMs(arg: Arg, ctx: FunctionContext): number {
  if (arg.expr.kind !== 'duration') {
    throw ctx.problem(
      `${ctx.call.name}() needs a time span such as 5m or 1h.`,
      arg.expr.span,
      'units: ms, s, m, h, d, w',
    );
  }
  if (arg.expr.months !== undefined)
    throw ctx.problem(
      `${ctx.call.name}() needs a time span of fixed length; \`${arg.expr.text}\` is a calendar period.`,
      arg.expr.span,
      'use days or weeks, such as 30d or 4w',
    );
  if (arg.expr.ms <= 0) throw ctx.problem('A time span must be longer than zero.', arg.expr.span);
  return arg.expr.ms;
}

export function intervalSql(ms: number): string {
  return `INTERVAL '${ms} milliseconds'`;
}

/** Whether an expression is a call of `bin()` (a time bin of `stats`). */
export function isBinCall(e: Expr): boolean {
  return e.kind === 'call' && e.name.toLowerCase() === 'bin';
}

/** A duration as an SQL interval: its milliseconds, or its calendar months (`1mo`, `1q`, `1y`). */
export function durationSql(d: { ms: number; months?: number }): string {
  return d.months === undefined ? intervalSql(d.ms) : `INTERVAL '${d.months} months'`;
}

/**
 * The period of `bin`, `datefloor` and `dateceil`: a fixed span, whose bins are multiples of it since the
 * epoch (`epochBucketSql`), or (Insights) a calendar one, whose bins start on the first of a month, quarter
 * or year in UTC (months counted from 1970-01, so 3 months are the quarters and 12 the years).
 */
function periodSql(arg: Arg, ctx: FunctionContext): string {
  if (arg.expr.kind !== 'duration' || arg.expr.months === undefined) return intervalSql(durationMs(arg, ctx));
  if (arg.expr.months <= 0) throw ctx.problem('A time span must be longer than zero.', arg.expr.span);
  return durationSql(arg.expr);
}

/** SQL for "the IP text of `ip` is inside `cidr`", using the integer IPv4 columns when `ip` is one of the stored addresses. */
function inSubnetSql(ip: Arg, cidrArg: Arg, ctx: FunctionContext, ipv4Only: boolean): string {
  const cidrText = stringLiteral(cidrArg, ctx, 'a CIDR');
  const range = parseCidr(cidrText);
  if (range === undefined)
    throw ctx.problem(
      `\`${cidrText}\` is not a CIDR range.`,
      cidrArg.expr.span,
      'write it as 10.0.0.0/8 or 2001:db8::/32',
    );
  if (range.family === 6 && ipv4Only)
    throw ctx.problem(`${ctx.call.name}() takes an IPv4 range.`, cidrArg.expr.span, 'use isIpInSubnet for IPv6 ranges');
  const integer = ip.column === 'srcaddr' ? 'src_ip4' : ip.column === 'dstaddr' ? 'dst_ip4' : ipv4IntegerSql(text(ip));
  // False, not NULL, for an address of the other family or none (`-`), as CloudWatch's "true if the field is
  // a valid v4 IP address within the specified v4 subnet": as a value (`stats count(*) by isIpv4InSubnet(…)`)
  // NULL was a third group. For IPv4, two conditions DuckDB still tests in the scan.
  return range.family === 4
    ? `(${integer} IS NOT NULL AND ${cidrTestSql(range, integer, text(ip))})`
    : `coalesce(${cidrTestSql(range, integer, text(ip))}, FALSE)`;
}

/** What a function's definition gives, in order; the registries of each dialect build on it. */
export type ScalarArgs = [
  name: string,
  minArgs: number,
  maxArgs: number,
  signature: string,
  doc: string,
  returns: FunctionDef['returns'],
  compile: FunctionDef['compile'],
];

/** A scalar function of `dialects` (Insights unless given). */
export function scalar(
  ...[name, minArgs, maxArgs, signature, doc, returns, compile, dialects = INSIGHTS]: [
    ...ScalarArgs,
    dialects?: FunctionDef['dialects'],
  ]
): FunctionDef {
  return { name, kind: 'scalar', dialects, minArgs, maxArgs, signature, doc, returns, compile };
}

/**
 * Insights' built-in `name` as another dialect spells it (Sumo's `isEmpty`, `isValidIP`): the same meaning, doc
 * and SQL, so the two dialects cannot drift apart; only the name and the signature's name differ.
 */
export function respelled(name: string, spelling: string, dialects: FunctionDef['dialects']): FunctionDef {
  const def = BUILTIN_FUNCTIONS.find((f) => f.name === name);
  if (!def) throw new Error(`no built-in function ${name}`);
  // Sumo's isEmpty/isBlank answer true or false, where CloudWatch's answer 1 or 0.
  const test = TESTS_AS_CONDITIONS.get(name);
  return { ...def, ...test, name: spelling, signature: def.signature.replace(name, spelling), dialects };
}

/** The tests Insights answers as 1 or 0 (`oneOrZeroTest`), as conditions: true or false. */
const TESTS_AS_CONDITIONS = new Map<string, Pick<FunctionDef, 'doc' | 'returns' | 'compile'>>();

/**
 * A test CloudWatch's table types as a number ("`isempty(fieldName: string)` | Number | Returns `1` if the
 * field is missing…"): 1 if `what` holds, else 0. Its condition is kept for `respelled`.
 */
function oneOrZeroTest(
  name: string,
  minArgs: number,
  maxArgs: number,
  signature: string,
  what: string,
  test: FunctionDef['compile'],
): FunctionDef {
  TESTS_AS_CONDITIONS.set(name, { doc: `True if ${what}`, returns: 'boolean', compile: test });
  return scalar(name, minArgs, maxArgs, signature, `1 if ${what}, else 0`, 'number', (args, ctx) =>
    oneOrZero(test(args, ctx)),
  );
}

/** An aggregate of both dialects; `star` allows `f(*)`. */
function aggregate(
  ...[name, minArgs, maxArgs, signature, doc, returns, compile, star = false]: [...ScalarArgs, star?: boolean]
): FunctionDef {
  return { name, kind: 'aggregate', dialects: BOTH, minArgs, maxArgs, signature, doc, returns, compile, star };
}

/** An aggregate that answers one of its field's values (so of the field's type), chosen by `pick`. */
function valueOf(name: string, doc: string, pick: (field: Arg, ctx: FunctionContext) => string): FunctionDef {
  return aggregate(
    name,
    1,
    1,
    `${name}(field)`,
    doc,
    (args) => args[0]?.type ?? 'any',
    ([a], ctx) => pick(a!, ctx),
  );
}

/**
 * The field's value in the record with the earliest or latest time. A field the log wrote as `-` is that
 * record's `-` (its NULL is kept, `arg_min_null`); another field's NULL is a record without it, skipped.
 */
function valueAtTime(name: string, doc: string, end: 'min' | 'max'): FunctionDef {
  return {
    ...valueOf(name, doc, (a, ctx) => `arg_${end}${a.dash ? '_null' : ''}(${a.sql}, ${ctx.timestamp(ctx.call.span)})`),
    keepsDash: () => true,
  };
}

/** The arguments `coalesce` can reach: none after a field the log wrote as `-`, which always has a value. */
function untilDash(args: Arg[]): Arg[] {
  const dash = args.findIndex((a) => a.dash);
  return dash < 0 ? args : args.slice(0, dash + 1);
}

/**
 * The value that sorts first or last. Text is compared in the order Insights' `sort` gives it (naturalOrder,
 * `ctx.sortKey`: 9.9.9.9 before 10.0.0.5), `-` among the values (a NODATA record's address sorts before
 * digits and letters); numbers as numbers, which `-` is not: it is skipped, as other aggregates of numbers
 * skip it.
 */
function valueBySort(name: string, doc: string, end: 'min' | 'max'): FunctionDef {
  return {
    ...valueOf(name, doc, (a, ctx) =>
      a.type === 'string' || a.type === 'any' ? textBySort(a, ctx, end) : `${end}(${a.sql})`,
    ),
    keepsDash: (args) => args[0]?.type === 'string',
  };
}

/** The text that sorts first (`min`) or last (`max`); NULL where that is a logged `-` (the field's NULL). */
function textBySort(a: Arg, ctx: FunctionContext, end: 'min' | 'max'): string {
  const t = text(a);
  const value = `arg_${end}(${t}, ${ctx.sortKey(a, end === 'max')})`;
  return a.dash ? `nullif(${value}, '-')` : value;
}

const sameAsFirst = (args: Arg[]) => (args[0]?.type === 'string' ? 'number' : (args[0]?.type ?? 'number'));

/**
 * `min`/`max`: numbers as numbers, a parsed field's text read as one (its digits compare as numbers). Sumo
 * documents them for numbers, so a text field answers nothing there. CloudWatch's table gives them any
 * `LogField` and a `LogFieldValue` back (where `avg`, `sum` take a `NumericLogField`), so Insights answers a
 * field the records hold as text (srcAddr, action, @message) with one of its values: the one `sort` puts
 * first or last, as `sortsFirst`/`sortsLast` do. The table does not say how it orders text, so the query says
 * that it chose.
 */
function extreme(end: 'min' | 'max', doc: string): FunctionDef[] {
  const ofNumbers = (a: Arg) => `${end}(${a.type === 'string' ? numeric(a) : a.sql})`;
  const loggedText = (a: Arg) =>
    a.type === 'string' &&
    (a.column !== undefined || (a.expr.kind === 'field' && baseField(a.expr.name)?.type === 'string'));
  const sumo = aggregate(end, 1, 1, `${end}(field)`, doc, sameAsFirst, ([a]) => ofNumbers(a!));
  const insights = aggregate(
    end,
    1,
    1,
    `${end}(field)`,
    doc,
    (args) => (args[0] && loggedText(args[0]) ? 'string' : sameAsFirst(args)),
    ([a], ctx) => {
      if (!loggedText(a!)) return ofNumbers(a!);
      const other = end === 'min' ? 'sortsFirst' : 'sortsLast';
      ctx.warn(
        `${end}() of text: CloudWatch's reference does not say how it orders text, so this answers the value that sorts ${end === 'min' ? 'first' : 'last'}, as ${other}() does.`,
        ctx.call.span,
        `write ${other}() to ask for that by name, or ${end}() of a number field`,
      );
      return textBySort(a!, ctx, end);
    },
  );
  return [
    { ...sumo, dialects: SUMO },
    { ...insights, dialects: INSIGHTS, keepsDash: (args) => args[0] !== undefined && loggedText(args[0]) },
  ];
}

/** `count(field)`: the records where the field is present; a field the log wrote as `-` is present in every one. */
const countSql = (args: Arg[]) => (args[0] && !args[0].dash ? `count(${args[0].sql})` : 'count(*)');
const sumSql = ([a]: Arg[]) => `sum(${numeric(a!)})`;

/**
 * A function of CloudWatch's reference that Flowscope refuses, saying why: an error where it is called,
 * and in completion the reason.
 */
function refused(
  kind: FunctionDef['kind'],
  name: string,
  signature: string,
  reason: string,
  hint: string,
): FunctionDef {
  return {
    ...scalar(name, 0, 9, signature, `Not available: ${reason}`, 'any', (_args, ctx) => {
      throw ctx.problem(`${name}() is not supported: ${reason}.`, ctx.call.nameSpan, hint);
    }),
    kind,
  };
}

export const BUILTIN_FUNCTIONS: FunctionDef[] = [
  aggregate(
    'count',
    0,
    1,
    'count(*) | count(field)',
    'Number of records (or of records where the field is present)',
    'number',
    countSql,
    true,
  ),
  // CloudWatch's time-series functions (CWL_QuerySyntax-timeseries-functions): per bin with `by bin()`. The
  // current reference spells them countOverTime and sumOverTime; the first edition count_over_time and
  // sum_over_time.
  ...['count_over_time', 'countOverTime'].map((name) => ({
    ...aggregate(
      name,
      1,
      1,
      `${name}(field)`,
      'Number of records with the field, per time bin (by bin())',
      'number',
      countSql,
    ),
    dialects: INSIGHTS,
  })),
  ...['sum_over_time', 'sumOverTime'].map((name) => ({
    ...aggregate(name, 1, 1, `${name}(field)`, 'Sum of the values, per time bin (by bin())', 'number', sumSql),
    dialects: INSIGHTS,
  })),
  refused(
    'aggregate',
    'rate',
    'rate(field, interval)',
    'CloudWatch\'s reference calls it only "the per-interval rate of change", without saying whether that is the field\'s sum per interval or its change from one record to the next, and Flowscope does not guess an answer',
    'for bytes per second in 5-minute bins: stats sum_over_time(bytes) / 300 as bytesPerSecond by bin(5m)',
  ),
  refused(
    'scalar',
    'jsonParse',
    'jsonParse(field)',
    'a flow-log record is a line of text, not JSON, so there is nothing for it to parse',
    'read the record’s parts by name (srcAddr, dstPort, …) or with parse @message "* * *" as a, b, c',
  ),
  refused(
    'scalar',
    'jsonStringify',
    'jsonStringify(map)',
    'it writes out a map or list from jsonParse, which flow-log records, lines of text, never give',
    'concat(srcAddr, ":", srcPort) joins fields into one text',
  ),
  refused(
    'aggregate',
    'histogram',
    'histogram(field, buckets)',
    'it answers a map of equal-width ranges whose keys and range ends CloudWatch does not document',
    'count per range of your choosing: stats count(*) by floor(bytes / 1000) * 1000 as range',
  ),
  aggregate(
    'count_distinct',
    1,
    1,
    'count_distinct(field)',
    'Number of distinct values of the field',
    'number',
    // `-` is one more value, when some record holds it.
    ([a]) =>
      a!.dash
        ? `(count(DISTINCT ${a!.sql}) + CAST(coalesce(bool_or(${a!.sql} IS NULL), FALSE) AS BIGINT))`
        : `count(DISTINCT ${a!.sql})`,
  ),
  { ...aggregate('sum', 1, 1, 'sum(field)', 'Sum of the values', 'number', sumSql), dialects: INSIGHTS },
  aggregate('avg', 1, 1, 'avg(field)', 'Average of the values', 'number', ([a]) => `avg(${numeric(a!)})`),
  ...extreme('min', 'Smallest value'),
  ...extreme('max', 'Largest value'),
  aggregate(
    'stddev',
    1,
    1,
    'stddev(field)',
    'Standard deviation of the values',
    'number',
    ([a]) => `stddev_samp(${numeric(a!)})`,
  ),
  aggregate(
    'pct',
    2,
    2,
    'pct(field, percent)',
    'The value below which `percent` percent of the values fall (e.g. pct(bytes, 95))',
    'number',
    ([a, p], ctx) => {
      if (p!.expr.kind !== 'number' || p!.expr.value < 0 || p!.expr.value > 100) {
        throw ctx.problem(
          'pct() needs a percentage between 0 and 100 as its second argument.',
          p!.expr.span,
          'for example pct(bytes, 95)',
        );
      }
      return `quantile_disc(${numeric(a!)}, ${p!.expr.value / 100})`;
    },
  ),
  valueAtTime('earliest', 'The value of the field in the earliest record', 'min'),
  valueAtTime('latest', 'The value of the field in the latest record', 'max'),
  valueBySort('sortsFirst', 'The value of the field that sorts first', 'min'),
  valueBySort('sortsLast', 'The value of the field that sorts last', 'max'),
  scalar(
    'isIpv6InSubnet',
    2,
    2,
    'isIpv6InSubnet(ip, cidr)',
    'True if the IPv6 address is inside the IPv6 CIDR range',
    'boolean',
    ([ip, cidr], ctx) => {
      if (!stringLiteral(cidr!, ctx, 'a CIDR').includes(':'))
        throw ctx.problem(
          `${ctx.call.name}() takes an IPv6 range.`,
          cidr!.expr.span,
          'use isIpv4InSubnet for IPv4 ranges',
        );
      return inSubnetSql(ip!, cidr!, ctx, false);
    },
  ),
  scalar(
    'isValidIp',
    1,
    1,
    'isValidIp(ip)',
    'True if the text is an IPv4 or IPv6 address',
    'boolean',
    ([ip]) => `(${ipv4IntegerSql(text(ip!))} IS NOT NULL OR ${ipv6HexSql(text(ip!))} IS NOT NULL)`,
  ),
  scalar(
    'isValidIpV4',
    1,
    1,
    'isValidIpV4(ip)',
    'True if the text is an IPv4 address',
    'boolean',
    ([ip]) => `(${ipv4IntegerSql(text(ip!))} IS NOT NULL)`,
  ),
  scalar(
    'isValidIpV6',
    1,
    1,
    'isValidIpV6(ip)',
    'True if the text is an IPv6 address',
    'boolean',
    ([ip]) => `(${ipv6HexSql(text(ip!))} IS NOT NULL)`,
  ),
  scalar(
    'isIpv4InSubnet',
    2,
    2,
    'isIpv4InSubnet(ip, cidr)',
    'True if the IPv4 address is inside the CIDR range',
    'boolean',
    ([ip, cidr], ctx) => inSubnetSql(ip!, cidr!, ctx, true),
  ),
  scalar(
    'isIpInSubnet',
    2,
    2,
    'isIpInSubnet(ip, cidr)',
    'True if the IPv4 or IPv6 address is inside the CIDR range',
    'boolean',
    ([ip, cidr], ctx) => inSubnetSql(ip!, cidr!, ctx, false),
  ),
  scalar('isIpv4', 1, 1, 'isIpv4(ip)', 'True if the text is an IPv4 address', 'boolean', ([ip]) =>
    ip!.column === 'srcaddr'
      ? '(src_ip4 IS NOT NULL)'
      : ip!.column === 'dstaddr'
        ? '(dst_ip4 IS NOT NULL)'
        : `(${ipv4IntegerSql(text(ip!))} IS NOT NULL)`,
  ),
  scalar('ispresent', 1, 1, 'ispresent(field)', 'True if the field has a value', 'boolean', ([a]) =>
    a!.dash ? 'TRUE' : `(${a!.sql} IS NOT NULL)`,
  ),
  oneOrZeroTest(
    'isempty',
    1,
    1,
    'isempty(field)',
    'the field is missing or empty',
    ([a]) => `coalesce(${text(a!)} = '', TRUE)`,
  ),
  oneOrZeroTest(
    'isblank',
    1,
    1,
    'isblank(field)',
    'the field is missing, empty or only white space',
    ([a]) => `coalesce(trim(${text(a!)}) = '', TRUE)`,
  ),
  // CloudWatch masks sensitive data when a query reads it, unless the caller may unmask it; a workspace holds
  // the records as they were imported or pulled, so there is nothing to unmask: the field as it is.
  scalar(
    'unmask',
    1,
    1,
    'unmask(field)',
    "The field with what CloudWatch's data protection masks shown: here, the field as the workspace holds it",
    'string',
    ([a]) => text(a!),
  ),
  scalar('strlen', 1, 1, 'strlen(text)', 'Length of the text', 'number', ([a]) => `length(${text(a!)})`),
  scalar('toupper', 1, 1, 'toupper(text)', 'The text in upper case', 'string', ([a]) => `upper(${text(a!)})`),
  scalar('tolower', 1, 1, 'tolower(text)', 'The text in lower case', 'string', ([a]) => `lower(${text(a!)})`),
  scalar(
    'trim',
    1,
    2,
    'trim(text[, chars])',
    'The text without leading and trailing white space (or the characters given)',
    'string',
    ([a, c]) => `trim(${text(a!)}${c ? `, ${text(c)}` : ''})`,
  ),
  scalar(
    'ltrim',
    1,
    2,
    'ltrim(text[, chars])',
    'The text without leading white space (or the characters given)',
    'string',
    ([a, c]) => `ltrim(${text(a!)}${c ? `, ${text(c)}` : ''})`,
  ),
  scalar(
    'rtrim',
    1,
    2,
    'rtrim(text[, chars])',
    'The text without trailing white space (or the characters given)',
    'string',
    ([a, c]) => `rtrim(${text(a!)}${c ? `, ${text(c)}` : ''})`,
  ),
  oneOrZeroTest(
    'strcontains',
    2,
    3,
    'strcontains(text, part[, caseInsensitive])',
    'the text contains the part (ignoring case when the third argument is true)',
    ([a, b, i]) =>
      i
        ? `(CASE WHEN ${condition(i)} THEN contains(lower(${text(a!)}), lower(${text(b!)})) ELSE contains(${text(a!)}, ${text(b!)}) END)`
        : `contains(${text(a!)}, ${text(b!)})`,
  ),
  scalar(
    'concat',
    1,
    32,
    'concat(a, b, ...)',
    'The texts joined together',
    'string',
    (args) => `concat(${args.map(text).join(', ')})`,
    BOTH,
  ),
  scalar(
    'substr',
    2,
    3,
    'substr(text, start[, length])',
    'Part of the text from `start` (0-based), of `length` characters or to the end',
    'string',
    ([s, start, len]) =>
      len
        ? `substring(${text(s!)}, ${numeric(start!)} + 1, ${numeric(len)})`
        : `substring(${text(s!)}, ${numeric(start!)} + 1)`,
  ),
  scalar(
    'replace',
    3,
    3,
    'replace(text, find, with)',
    'The text with every `find` replaced',
    'string',
    ([a, b, c]) => `replace(${text(a!)}, ${text(b!)}, ${text(c!)})`,
  ),
  {
    ...scalar(
      'coalesce',
      1,
      32,
      'coalesce(a, b, ...)',
      'The first argument that has a value',
      (args) => args[0]?.type ?? 'any',
      (args) =>
        `coalesce(${untilDash(args)
          .map((a) => a.sql)
          .join(', ')})`,
    ),
    // NULL is left only where the field the log wrote as `-` held it.
    keepsDash: () => true,
  },
  scalar('abs', 1, 1, 'abs(number)', 'Absolute value', 'number', ([a]) => `abs(${numeric(a!)})`, BOTH),
  scalar('ceil', 1, 1, 'ceil(number)', 'Rounded up to a whole number', 'number', ([a]) => `ceil(${numeric(a!)})`, BOTH),
  scalar(
    'floor',
    1,
    1,
    'floor(number)',
    'Rounded down to a whole number',
    'number',
    ([a]) => `floor(${numeric(a!)})`,
    BOTH,
  ),
  scalar('sqrt', 1, 1, 'sqrt(number)', 'Square root', 'number', ([a]) => `sqrt(${numeric(a!)})`),
  scalar(
    'pow',
    2,
    2,
    'pow(base, exponent)',
    'base raised to exponent',
    'number',
    ([a, b]) => `pow(${numeric(a!)}, ${numeric(b!)})`,
  ),
  scalar('log', 1, 1, 'log(number)', 'Natural logarithm', 'number', ([a]) => `ln(${numeric(a!)})`),
  scalar(
    'greatest',
    1,
    32,
    'greatest(a, b, ...)',
    'The largest of the arguments',
    'number',
    (args) => `greatest(${args.map(numeric).join(', ')})`,
  ),
  scalar(
    'least',
    1,
    32,
    'least(a, b, ...)',
    'The smallest of the arguments',
    'number',
    (args) => `least(${args.map(numeric).join(', ')})`,
  ),
  scalar(
    'bin',
    1,
    1,
    'bin(period)',
    'The record time rounded down to a multiple of the period (5m, 1h, 1d; 1mo, 1q, 1y start on the calendar)',
    'time',
    ([p], ctx) => epochBucketSql(periodSql(p!, ctx), ctx.timestamp(ctx.call.span)),
  ),
  scalar(
    'datefloor',
    2,
    2,
    'datefloor(time, period)',
    'The time rounded down to a multiple of the period',
    'time',
    ([t, p], ctx) => epochBucketSql(periodSql(p!, ctx), time(t!)),
  ),
  scalar(
    'dateceil',
    2,
    2,
    'dateceil(time, period)',
    'The time rounded up to a multiple of the period',
    'time',
    ([t, p], ctx) => {
      const interval = periodSql(p!, ctx);
      const floor = epochBucketSql(interval, time(t!));
      return `CASE WHEN ${floor} = ${time(t!)} THEN ${floor} ELSE ${floor} + ${interval} END`;
    },
  ),
  scalar(
    'fromMillis',
    1,
    1,
    'fromMillis(ms)',
    'A time from milliseconds since the Unix epoch',
    'time',
    ([a]) => `epoch_ms(CAST(${numeric(a!)} AS BIGINT))`,
    BOTH,
  ),
  scalar(
    'toMillis',
    1,
    1,
    'toMillis(time)',
    'Milliseconds since the Unix epoch',
    'number',
    ([a]) => `epoch_ms(${time(a!)})`,
    BOTH,
  ),
];
