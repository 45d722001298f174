/**
 * The one registry of query functions, scalar and aggregate, for every pipe dialect. Each entry says which
 * dialects know it, how many arguments it takes, a short doc for completion, and how it becomes SQL.
 * A dialect or the enrichment catalog adds functions by appending its list to `FUNCTIONS` below.
 */
import type { Expr, SourceSpan } from './plan';
import type { ValueType } from './field-names';
import { BUILTIN_FUNCTIONS } from './builtin-functions';
import { ENRICHMENT_FUNCTIONS } from './enrichment-functions';
import { SUMO_FUNCTIONS } from './sumo/functions';
import { SUMO_TEXT_FUNCTIONS } from './sumo/text-functions';
import { SUMO_TIME_FUNCTIONS } from './sumo/time-functions';
import { INSIGHTS_REFERENCE_FUNCTIONS } from './insights/reference-functions';

export type PipeDialect = 'insights' | 'sumo';

/** An argument after compilation: its SQL, its type, and the expression it came from (for literal checks). */
export interface Arg {
  sql: string;
  type: ValueType;
  expr: Expr;
  /** The stored `flows` column the argument is, when it is a plain field (e.g. `srcaddr`). */
  column?: string;
  /** SQL NULL stands for the logged text `-` (see `BaseField.dash`). */
  dash?: boolean;
}

/** What a function's compile step may ask of the compiler. */
export interface FunctionContext {
  /** `value` as a SQL literal, safely quoted. */
  literal(value: string | number | boolean): string;
  /** An error at a position, to throw. */
  problem(message: string, span: SourceSpan, hint?: string): Error;
  /** SQL for the record time (`@timestamp`) in the current scope; throws where there is none. */
  timestamp(at: SourceSpan): string;
  /** The expression of a call, for errors that point at the whole call. */
  call: Extract<Expr, { kind: 'call' }>;
  /** The query's time range as SQL TIMESTAMP literals, each null when open. */
  range: QueryBounds;
  /**
   * One value of a text argument whose smallest (largest, `descending`) is the one Insights' `sort` puts
   * first: `arg_min(text, key)` is the value that sorts first.
   */
  sortKey(arg: Arg, descending: boolean): string;
  /** A warning at a position; the query still runs. */
  warn(message: string, span: SourceSpan, hint?: string): void;
}

export interface QueryBounds {
  from: string | null;
  to: string | null;
}

/**
 * The query's time range as SQL, where the services always have one: a bound left open is the records' own,
 * the first record's start or the last one's end (what the workspace's range "all time" spans).
 */
export function queryRangeSql(range: QueryBounds): { from: string; to: string } {
  return { from: range.from ?? FIRST_RECORD_START, to: range.to ?? '(SELECT max(end_time) FROM main.flows)' };
}

/** The records' first and last start: what time slices of all time span, since a record is sliced by its start. */
export const FIRST_RECORD_START = '(SELECT min(start_time) FROM main.flows)';
export const LAST_RECORD_START = '(SELECT max(start_time) FROM main.flows)';

export interface FunctionDef {
  name: string;
  kind: 'scalar' | 'aggregate';
  dialects: readonly PipeDialect[];
  minArgs: number;
  maxArgs: number;
  /** For completion: `isIpv4InSubnet(ip, cidr)`. */
  signature: string;
  doc: string;
  returns: ValueType | ((args: Arg[]) => ValueType);
  /** Whether `f(*)` is allowed (count). */
  star?: boolean;
  /**
   * Whether its NULL drops the record, also under a negation (Sumo's isPrivateIP: "Invalid IPv4 addresses are
   * dropped from the results"), where a missing value otherwise fails a test and so passes its negation.
   */
  dropsInvalid?: true;
  /** Whether its value is one of its arguments' as stored (`if`): NULL then stands for `-` when an argument's does. */
  keepsDash?: (args: Arg[]) => boolean;
  compile(args: Arg[], ctx: FunctionContext): string;
}

const FUNCTIONS: readonly FunctionDef[] = [
  ...BUILTIN_FUNCTIONS,
  ...ENRICHMENT_FUNCTIONS,
  ...SUMO_FUNCTIONS,
  ...SUMO_TEXT_FUNCTIONS,
  ...SUMO_TIME_FUNCTIONS,
  ...INSIGHTS_REFERENCE_FUNCTIONS,
];

const byName = new Map<string, FunctionDef[]>();
for (const f of FUNCTIONS) {
  const key = f.name.toLowerCase();
  byName.set(key, [...(byName.get(key) ?? []), f]);
}

/**
 * A function by name (case-insensitive) as `dialect` knows it; where a name is two functions (Sumo's
 * aggregate `min(field)` and scalar `min(a, b)`), the one that takes `argCount` arguments.
 */
export function lookupFunction(name: string, dialect: PipeDialect, argCount?: number): FunctionDef | undefined {
  const known = byName.get(name.toLowerCase())?.filter((f) => f.dialects.includes(dialect)) ?? [];
  const fits = (f: FunctionDef) => argCount === undefined || (argCount >= f.minArgs && argCount <= f.maxArgs);
  return known.find(fits) ?? known[0];
}

export function functionsOf(dialect: PipeDialect, kind?: FunctionDef['kind']): FunctionDef[] {
  return FUNCTIONS.filter((f) => f.dialects.includes(dialect) && (kind === undefined || f.kind === kind));
}
