/**
 * What a user query may build and call, beyond read-only (query-runner.ts).
 *
 * Values: DuckDB's memory limit governs its buffers (tables, sorts, hash tables, which spill), not the
 * strings and lists an expression makes, and it checks for interrupts between chunks of rows, not inside
 * one function call: `repeat('x', 2000000000)` builds a 2 GB string (the process grew to 4 GB) and cannot be
 * stopped until it is done. So the functions that build a value from a size argument are TEMPORARY macros of
 * the same name on every query connection, which refuse a value over MAX_VALUE before calling DuckDB's own
 * (`system.main.<name>`); the only way past a macro is to name the function with its catalog, which
 * `limitProblem` refuses, as it refuses printf/format widths over the limit (their argument lists vary, so
 * they cannot be macros).
 *
 * Nesting: DuckDB's filter pushdown takes time that doubles with each aggregation (or window function)
 * nested in another (a Sumo
 * query of 22 `count by` stages, or SQL of 22 GROUP BY subqueries, took 2.5 s to plan, 26 took 19 s, 40 had
 * not planned after 5 minutes), and planning cannot be interrupted: the timeout answered, the thread went on,
 * and four such queries held every thread DuckDB calls run on, so `serve` answered no query again.
 * `limitProblem` refuses more than MAX_AGGREGATION_DEPTH aggregations inside one another (12 plan in about
 * 10 ms), counted through sub-queries, set operations and the WITH queries a query reads.
 *
 * Calls: some of DuckDB's table functions change the instance or the file from inside a SELECT, past the
 * locked configuration and the READ ONLY transaction: `checkpoint()` writes the file, `enable_profiling()`
 * prints every later query's plan on the process's stdout, `enable_logging()` records every query's text,
 * and `query('…')` / `json_execute_serialized_sql` run SQL that this check never saw. `limitProblem` refuses
 * them by name.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '../../../queries/catalog/sql-quote';

/** Characters of a string, or elements of a list, one function call may build. */
const MAX_VALUE = 16 * 1024 * 1024;

const over = (size: string, name: string) =>
  `coalesce(${size} > ${MAX_VALUE}, false) THEN error(${sqlString(
    `${name} would build a value larger than ${MAX_VALUE.toLocaleString('en-US')} characters or elements; queries here build values up to that size.`,
  )})`;

/** A macro with the arities given: each is [parameters, size expression]. */
function limited(name: string, arities: readonly [params: string, size: string][]): string {
  const bodies = arities.map(
    ([params, size]) => `(${params}) AS CASE WHEN ${over(size, name)} ELSE system.main.${name}(${params}) END`,
  );
  return `CREATE OR REPLACE TEMP MACRO ${name}${bodies.join(', ')}`;
}

/** How many elements range/generate_series(a, b, step) makes, for numbers and for times with an interval. */
const seriesSize = (a: string, b: string, step: string) =>
  `abs(coalesce((try_cast(${b}::VARCHAR AS DOUBLE) - try_cast(${a}::VARCHAR AS DOUBLE)) / nullif(try_cast(${step}::VARCHAR AS DOUBLE), 0), ` +
  `(epoch(try_cast(${b}::VARCHAR AS TIMESTAMP)) - epoch(try_cast(${a}::VARCHAR AS TIMESTAMP))) / nullif(epoch(try_cast(${step}::VARCHAR AS INTERVAL)), 0)))`;

const series = (name: string) =>
  limited(name, [
    ['n', 'n'],
    ['a, b', 'b - a'],
    ['a, b, step', seriesSize('a', 'b', 'step')],
  ]);

const resize = (name: string) =>
  limited(name, [
    ['l, n', 'n'],
    ['l, n, v', 'n'],
  ]);

const VALUE_LIMIT_MACROS: readonly string[] = [
  limited('repeat', [['s, n', 'len(s) * n']]),
  limited('lpad', [['s, n, c', 'n']]),
  limited('rpad', [['s, n, c', 'n']]),
  limited('bar', [
    ['x, lo, hi', '0'],
    ['x, lo, hi, width', 'width'],
  ]),
  resize('list_resize'),
  resize('array_resize'),
  series('range'),
  series('generate_series'),
];

/** DuckDB's aggregate functions by name (`count(*)` is `count_star` in the parse tree): its catalog's, read once. */
let aggregates: ReadonlySet<string> = new Set(['count_star', 'count', 'sum', 'avg', 'min', 'max']);

/** Puts the limits on a query connection (with the enrichment macros, before any user SQL runs there). */
export async function installValueLimits(conn: DuckDBConnection): Promise<void> {
  await conn.run(VALUE_LIMIT_MACROS.join(';\n'));
  if (aggregates.size < 10) {
    const reader = await conn.runAndReadAll(
      "SELECT DISTINCT lower(function_name) AS name FROM duckdb_functions() WHERE function_type = 'aggregate'",
    );
    aggregates = new Set(reader.getRowObjectsJS().map((r) => String(r.name)));
  }
}

/** Aggregations one query may nest inside one another (see above). */
export const MAX_AGGREGATION_DEPTH = 12;

/**
 * Whether a SELECT aggregates: it groups, or calls an aggregate or a window function (whose partitions a
 * filter is pushed through alike: 20 nested windows with a filter took 1.8 s to plan) outside a sub-query
 * of its own.
 */
function isAggregating(select: AstNode): boolean {
  if (Array.isArray(select.group_expressions) && select.group_expressions.length > 0) return true;
  const stack: unknown[] = [select.select_list, select.having];
  while (stack.length) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...(node as unknown[]));
    else if (node && typeof node === 'object') {
      const n = node as AstNode;
      if (n.class === 'SUBQUERY') continue;
      if (n.class === 'WINDOW') return true;
      if (
        n.class === 'FUNCTION' &&
        typeof n.function_name === 'string' &&
        aggregates.has(n.function_name.toLowerCase())
      )
        return true;
      stack.push(...Object.values(n));
    }
  }
  return false;
}

/**
 * The most aggregations nested inside one another in a parse tree: a SELECT that aggregates counts one more
 * than the deepest query it reads from, and a table named as a WITH query counts as that query (DuckDB plans
 * it inside its reader).
 */
function aggregationDepth(node: unknown, withQueries: ReadonlyMap<string, number> = new Map()): number {
  if (!node || typeof node !== 'object') return 0;
  const deepest = (children: unknown[], scope: ReadonlyMap<string, number>) =>
    children.reduce<number>((max, child) => Math.max(max, aggregationDepth(child, scope)), 0);
  if (Array.isArray(node)) return deepest(node, withQueries);
  const n = node as AstNode;
  if (n.type === 'BASE_TABLE' && typeof n.table_name === 'string')
    return withQueries.get(n.table_name.toLowerCase()) ?? 0;
  let scope = withQueries;
  const map = (n.cte_map as { map?: { key: string; value: { query?: unknown } }[] } | undefined)?.map;
  if (map?.length) {
    const named = new Map(withQueries);
    for (const { key, value } of map) named.set(key.toLowerCase(), aggregationDepth(value.query, named));
    scope = named;
  }
  const inner = deepest(
    Object.entries(n)
      .filter(([key]) => key !== 'cte_map')
      .map(([, child]) => child),
    scope,
  );
  return inner + (n.type === 'SELECT_NODE' && isAggregating(n) ? 1 : 0);
}

/** Table functions with effects, or that run SQL given as text (see above). */
const REFUSED_FUNCTION =
  /^(?:(?:enable|disable|verify|truncate)_\w*|checkpoint|force_checkpoint|copy_database|import_database|query|json_execute_serialized_sql)$/;

/** Whether a query may not call the function of this name (lower case) at all; DuckDB SQL completion leaves it out. */
export const isRefusedFunction = (name: string): boolean => REFUSED_FUNCTION.test(name);

/** Functions whose format string sets a width or precision: `printf('%2000000000d', 1)`. */
const FORMATTERS = new Set(['printf', 'format', 'sprintf']);
/** printf's `%*d` / `%.*f`, fmt's `{:>{}}` / `{0:{1}}`: a width given by an argument, which the limit cannot read. */
const WIDTH_FROM_ARGUMENT = /%[^a-zA-Z%]*\*|\{[^{}]+\{/;

interface AstNode {
  class?: string;
  function_name?: string;
  catalog?: string;
  schema?: string;
  children?: AstNode[];
  value?: { type?: { id?: string }; value?: unknown };
  [key: string]: unknown;
}

/**
 * DuckDB's parse tree as JSON writes a DOUBLE constant out of JSON's range as a bare `Infinity`, `-Infinity` or
 * `NaN` (`SELECT 1e400`), which JSON.parse refuses: read as null, outside the tree's strings. The limits read no
 * number (limitProblem).
 */
export function parseTree(json: string): unknown {
  return JSON.parse(
    json.replace(/"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g, (token) => (token.startsWith('"') ? token : 'null')),
  );
}

/**
 * Why a query's parse tree (`json_serialize_sql`) may not run, or undefined: a function named with its
 * catalog (`system.main.repeat`), a format string that is not a constant or has a width or precision over
 * MAX_VALUE, a refused function, or aggregations nested deeper than MAX_AGGREGATION_DEPTH.
 */
export function limitProblem(tree: unknown): string | undefined {
  const depth = aggregationDepth(tree);
  if (depth > MAX_AGGREGATION_DEPTH)
    return (
      `it nests ${depth} aggregations or window functions (stats, count by, GROUP BY, OVER) inside one another; DuckDB's planning time doubles ` +
      `with each one, so up to ${MAX_AGGREGATION_DEPTH} run here. Aggregate fewer times, or in one stage.`
    );
  const stack: unknown[] = [tree];
  while (stack.length) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...(node as unknown[]));
    else if (node && typeof node === 'object') {
      const n = node as AstNode;
      if (n.class === 'FUNCTION' && typeof n.function_name === 'string') {
        const name = n.function_name.toLowerCase();
        if (isRefusedFunction(name))
          return `${name}() changes DuckDB's state or runs SQL given as text; queries here only read the workspace.`;
        if (n.catalog)
          return `${[n.catalog, n.schema, name].filter(Boolean).join('.')}: call functions by their name alone here (${name}), so that the limits on the values they build apply.`;
        if (FORMATTERS.has(name)) {
          const format = n.children?.[0];
          const text = format?.class === 'CONSTANT' ? format.value?.value : undefined;
          if (typeof text !== 'string')
            return `${name}: the format must be a constant string here, so that the width of what it builds is known.`;
          if (WIDTH_FROM_ARGUMENT.test(text))
            return `${name}: a width or precision taken from an argument (\`*\`, \`{}\` inside a field) is not allowed here, so that the width of what it builds is known; write the number in the format.`;
          const widest = Math.max(0, ...(text.match(/\d+/g) ?? []).map(Number));
          if (widest > MAX_VALUE)
            return `${name}: a width of ${widest.toLocaleString('en-US')} would build a value larger than ${MAX_VALUE.toLocaleString('en-US')} characters.`;
        }
      }
      stack.push(...Object.values(n));
    }
  }
  return undefined;
}
