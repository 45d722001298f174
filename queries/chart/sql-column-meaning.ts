/**
 * What the columns of a SQL result mean where the text says it and the name does not: `min(start) AS
 * first_seen` is still the epoch seconds of `start`, `max(dstport) AS top` still a port, so such a column
 * reads as its field does (`1772409667`, not a count's `1,772,409,667`). Only the outermost SELECT's items
 * that are a flow-log column, or a min/max/any of one, are read; anything else (and a text this parser does
 * not take) is left to the name and type (`column-kind.ts`).
 */
import { parseSqlStatement } from '../language/sql-syntax/parser';
import type { Expr } from '../language/sql-syntax/ast';
import { arithmeticAddsUp, columnAdds, ROUNDS, type AddsUp } from './adds-up';
import { flowColumnOf, kindOfFlowColumn, type ColumnKind } from './column-kind';

/** Aggregates whose value is one of their argument's values, so it means what the argument means. */
const PICKS_A_VALUE = new Set(['min', 'max', 'any_value', 'arbitrary', 'first', 'last', 'mode']);

function flowColumnIn(expr: Expr): string | null {
  if (expr.kind === 'column') return flowColumnOf(expr.parts.at(-1)!.name);
  if (expr.kind === 'call' && expr.args.length === 1 && PICKS_A_VALUE.has(expr.name.name.toLowerCase()))
    return flowColumnIn(expr.args[0]!);
  return null;
}

/** What a SQL result column means, by its name; null when the text does not say (read it by name and type). */
export function sqlColumnMeanings(text: string, dialect: 'sql' | 'athena'): (name: string) => ColumnKind | null {
  const meanings = new Map<string, ColumnKind>();
  try {
    const { body } = parseSqlStatement(text, { dialect: dialect === 'sql' ? 'duckdb' : 'trino' }).statement.query;
    if (body.kind === 'select')
      for (const item of body.items) {
        if (item.kind !== 'expr' || !item.alias) continue;
        const column = flowColumnIn(item.expr);
        if (column) meanings.set(item.alias.name.toLowerCase(), kindOfFlowColumn(column));
      }
  } catch {
    // A text the parser does not take (DuckDB syntax beyond it): its columns are read by name and type.
  }
  return (name) => meanings.get(name.toLowerCase()) ?? null;
}

/** Aggregates whose values never add up across rows: an average, an extreme, a quantile, a spread, a pick. */
const DOES_NOT_ADD_UP =
  /^(avg|mean|min|max|median|mode|quantile.*|percentile.*|approx_.*|stddev.*|var.*|arg_?max|arg_?min|max_by|min_by|any_value|arbitrary|first|last|entropy|kurtosis|skewness|geomean|geometric_mean|count_if_distinct)$/i;
/** Aggregates whose values add up: the count or sum of two buckets is the sum of their counts or sums. */
const ADDS_UP = /^(count|count_if|countif|sum)$/i;

/** Whether an expression holds an aggregate or a window function, whose values a chart cannot know to add up. */
function holdsAggregate(node: unknown): boolean {
  if (!node || typeof node !== 'object') return false;
  const n = node as { kind?: unknown; name?: { name?: string }; over?: unknown };
  if (n.kind === 'call' && (n.over || DOES_NOT_ADD_UP.test(n.name?.name ?? '') || ADDS_UP.test(n.name?.name ?? '')))
    return true;
  return Object.values(node).some(holdsAggregate);
}

/** Whether a SELECT item adds up (`adds-up.ts`): a count or sum, scaled, added or rounded, does. */
function expressionAddsUp(e: Expr): AddsUp {
  switch (e.kind) {
    case 'number':
      return 'constant';
    case 'unary':
      if (e.op !== 'not') return expressionAddsUp(e.operand);
      break;
    case 'cast':
      return expressionAddsUp(e.operand);
    case 'binary':
      return arithmeticAddsUp(e.op, expressionAddsUp(e.left), expressionAddsUp(e.right));
    case 'call':
      if (!e.over && !e.distinct && ADDS_UP.test(e.name.name)) return true;
      if (!e.over && ROUNDS.test(e.name.name) && e.args[0]) return expressionAddsUp(e.args[0]);
      break;
  }
  // An average, a maximum, a distinct count, a running sum, or anything made of them; else a group key.
  return holdsAggregate(e) ? false : null;
}

/**
 * Whether a SQL result column's values add up (`chart-data.ts` re-bins a time series by them), for the
 * outermost SELECT's named items (`adds-up.ts`); null for the others (the chart adds them up, as before it knew).
 */
export function sqlColumnAddsUp(text: string, dialect: 'sql' | 'athena'): (name: string) => boolean | null {
  const adds = new Map<string, boolean | null>();
  try {
    const { body } = parseSqlStatement(text, { dialect: dialect === 'sql' ? 'duckdb' : 'trino' }).statement.query;
    if (body.kind === 'select')
      for (const item of body.items)
        if (item.kind === 'expr' && item.alias)
          adds.set(item.alias.name.toLowerCase(), columnAdds(expressionAddsUp(item.expr)));
  } catch {
    // A text the parser does not take: the chart adds its values up, as it did before it knew.
  }
  return (name) => adds.get(name.toLowerCase()) ?? null;
}
