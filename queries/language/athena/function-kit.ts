/**
 * What every Athena function is made of: its context (the translated arguments, and how to fail), what it
 * builds, and the constructors of the three kinds; shared by the function tables (functions.ts and
 * functions-extended.ts).
 */
import type { SourceSpan } from '../plan';
import type { Tx } from './translate';
import type { TimeZone } from '../../catalog/time-zones';
import { isLoose, typeText, type SqlType } from './types';

export interface FnContext {
  args: Tx[];
  span: SourceSpan;
  fail(message: string, span?: SourceSpan, hint?: string): never;
  /** Trino's CAST of an argument. */
  cast(t: Tx, type: string): Tx;
  /** SQL failing with Trino's `message` as the query runs (NULL inside try()). */
  failure(message: string): string;
  /** For an aggregate: its arguments with the call's DISTINCT and ORDER BY. */
  aggregateArgs(sqls: string[]): string;
  /** The call is a WHERE/ON/HAVING condition (or part of one through AND/OR): FALSE and NULL mean the same. */
  positive: boolean;
}

export interface Built {
  sql: string;
  type: SqlType;
  ip4?: string;
  /** A `timestamp with time zone` answer's zone (see `Tx.zone`), null for UTC; if left out, its arguments'. */
  zone?: TimeZone | null;
  /** Applied around the call after its FILTER and OVER clauses (`CAST(sum(x) … AS BIGINT)`). */
  wrap?: (sql: string) => string;
}

export interface AthenaFunction {
  kind: 'scalar' | 'aggregate' | 'window';
  min: number;
  max: number;
  build(c: FnContext): Built;
}

export const fn = (min: number, max: number, build: (c: FnContext) => Built): AthenaFunction => ({
  kind: 'scalar',
  min,
  max,
  build,
});
export const agg = (min: number, max: number, build: (c: FnContext) => Built): AthenaFunction => ({
  kind: 'aggregate',
  min,
  max,
  build,
});
export const win = (min: number, max: number, build: (c: FnContext) => Built): AthenaFunction => ({
  kind: 'window',
  min,
  max,
  build,
});

/** Trino's error for arguments of types a function does not take. */
export function unexpected(c: FnContext, name = 'this function', at = c.span): never {
  return c.fail(`Unexpected parameters (${c.args.map((x) => typeText(x.type)).join(', ')}) for ${name}`, at);
}

/** A VARCHAR argument (or NULL). */
export function textArg(c: FnContext, i: number): Tx {
  const a = c.args[i]!;
  if (!isLoose(a.type) && a.type !== 'varchar') unexpected(c, 'this function', a.span);
  return a;
}
