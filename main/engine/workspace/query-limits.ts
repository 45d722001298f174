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
 * they cannot be macros). `replace` and `regexp_replace` are macros too, bounded by the most their replacement can
 * add, and `repeat` of a list counts the bytes of its text form besides its elements.
 *
 * Lambdas: `list_transform(l, x -> …)` and the like run their body once per element inside one call, so the
 * value is the list's length times what the body builds, each within the limit: `flatten(list_transform(
 * range(15000), x -> range(15000)))` is 225 million elements. The list's length is known only as it runs, so
 * `lambdaProblem` holds the body to what cannot multiply much (see there).
 *
 * Not bounded: a value joined from several values within the limit (`s || s || s`, `[r, r, r]`, a chain of CTEs
 * each doubling a column; across a recursive CTE DuckDB interrupts between iterations), a body that makes each
 * element up to a thousand times larger over a list of millions, a filter whose body transforms a captured list
 * per element. The memory watch (memory-watch.ts) stops those, but only once DuckDB is past the call.
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

/**
 * The refusal of a call of `name`, as a value that fails when it is computed: its message cast to INTEGER.
 * Not error(): error() is volatile, and DuckDB refuses TRY(…) around a volatile function, so `try(repeat('x',
 * 3))` did not bind (nor Athena's try() of a compiled CAST AS IPADDRESS, which calls regexp_replace). A cast
 * that fails is an error TRY turns into NULL. The runner reads the message out of the cast's error.
 */
const refusal = (name: string, what: string) =>
  `CAST(${sqlString(
    `${name} would build a value larger than ${MAX_VALUE.toLocaleString('en-US')} ${what}; queries here build values up to that size.`,
  )} AS INTEGER)`;

/** The limit as a CASE's first branch for a function whose value is text: `CASE WHEN ${overText(…)} ELSE … END`. */
const overText = (size: string, name: string) =>
  `coalesce(${size} > ${MAX_VALUE}, false) THEN ${refusal(name, 'characters')}::VARCHAR`;

/**
 * `param`, the argument of `name` whose value makes its value's size (`size`), failing by the refusal where
 * that is over the limit: the call fails on its argument before it builds anything, whatever the type of its
 * value (a CASE around the call would need the refusal in that type: text, a list of numbers or of times).
 * Multiplied by the argument, the refusal has its type (a number, or a time range's INTERVAL step).
 */
const sized = (param: string, size: string, name: string) =>
  `CASE WHEN coalesce(${size} > ${MAX_VALUE}, false) THEN ${refusal(name, 'characters or elements')} * ${param} ELSE ${param} END`;

/**
 * A macro with the arities given: each is its parameters and, for one whose value can be large, the parameter
 * that sizes it and the size that parameter makes.
 */
function limited(name: string, arities: readonly [params: string, sizedBy?: [param: string, size: string]][]): string {
  const bodies = arities.map(([params, sizedBy]) => {
    const args = params.split(', ').map((p) => (sizedBy && p === sizedBy[0] ? sized(p, sizedBy[1], name) : p));
    return `(${params}) AS system.main.${name}(${args.join(', ')})`;
  });
  return `CREATE OR REPLACE TEMP MACRO ${name}${bodies.join(', ')}`;
}

/** How many elements range/generate_series(a, b, step) makes, for numbers and for times with an interval. */
const seriesSize = (a: string, b: string, step: string) =>
  `abs(coalesce((try_cast(${b}::VARCHAR AS DOUBLE) - try_cast(${a}::VARCHAR AS DOUBLE)) / nullif(try_cast(${step}::VARCHAR AS DOUBLE), 0), ` +
  `(epoch(try_cast(${b}::VARCHAR AS TIMESTAMP)) - epoch(try_cast(${a}::VARCHAR AS TIMESTAMP))) / nullif(epoch(try_cast(${step}::VARCHAR AS INTERVAL)), 0)))`;

const series = (name: string) =>
  limited(name, [
    ['n', ['n', 'n']],
    ['a, b', ['b', 'b - a']],
    ['a, b, step', ['step', seriesSize('a', 'b', 'step')]],
  ]);

const resize = (name: string) =>
  limited(name, [
    ['l, n', ['n', 'n']],
    ['l, n, v', ['n', 'n']],
  ]);

/** Bytes of a text argument, as a DOUBLE so that the bounds below cannot overflow. */
const bytes = (s: string) => `strlen(${s})::DOUBLE`;

/**
 * replace(s, a, b): at most len(s) / len(a) matches (they are disjoint; an empty `a` counted as one more), each
 * growing the value by len(b) - len(a); a `b` no longer than `a` never grows it.
 */
const replaceSize =
  `CASE WHEN ${bytes('b')} <= ${bytes('a')} THEN 0 ` +
  `ELSE ${bytes('s')} + (${bytes('s')} / greatest(${bytes('a')}, 1) + 1) * (${bytes('b')} - ${bytes('a')}) END`;

/**
 * regexp_replace(s, p, r[, options]): matches are disjoint, so together they are at most len(s) long, and each
 * backreference (`\0`…`\9`) in r copies at most one match (or group of it): all of them at most len(s) per
 * backreference. Without 'g' one match is replaced (r once); with it every match, of which there are at most
 * len(s) + 1 (empty matches included). Every `\` before a digit counts as a backreference, an upper bound.
 */
const regexpReplaceSize = (global: string) =>
  `${bytes('s')} + CASE WHEN ${global} THEN ${bytes('s')} + 1 ELSE 1 END * ${bytes('r')} + ` +
  `len(regexp_extract_all(r, '\\\\[0-9]')) * ${bytes('s')}`;

/**
 * regexp_replace's options must be a constant where DuckDB binds the call, and a macro's parameter is not one:
 * the macro reads them as DuckDB does and calls DuckDB's with the same options written as a constant. Of
 * DuckDB's letters, g and l count where they are; of c/i the last (c is the default), and of m/n/p/s the last
 * (m, n and p all mean the default: `.` stops at a newline); any other letter is an error. So 16 calls, each
 * bound (and its pattern compiled) where the macro is used: 60, one per letter kept, made a prepare of 20
 * regexp_replace calls take 0.3 s.
 */
function regexpReplace(): string {
  const keys: string[] = [];
  for (const g of ['', 'g'])
    for (const i of ['', 'i']) for (const dot of ['', 's']) for (const l of ['', 'l']) keys.push(g + i + dot + l);
  const key =
    `CASE WHEN contains(options, 'g') THEN 'g' ELSE '' END || ` +
    `CASE WHEN regexp_extract(options, '([ci])[^ci]*$', 1) = 'i' THEN 'i' ELSE '' END || ` +
    `CASE WHEN regexp_extract(options, '([mnps])[^mnps]*$', 1) = 's' THEN 's' ELSE '' END || ` +
    `CASE WHEN contains(options, 'l') THEN 'l' ELSE '' END`;
  const call = (o: string) => `system.main.regexp_replace(s, p, r, ${sqlString(o)})`;
  const byOptions =
    `CASE WHEN regexp_matches(options, '[^cgilmnps]') THEN CAST('Unrecognized regex option in ' || options AS INTEGER)::VARCHAR ` +
    `ELSE CASE ${key} ${keys.map((k) => `WHEN ${sqlString(k)} THEN ${call(k)}`).join(' ')} END END`;
  const check = (size: string) => `CASE WHEN ${overText(size, 'regexp_replace')}`;
  return (
    `CREATE OR REPLACE TEMP MACRO regexp_replace(s, p, r) AS ${check(regexpReplaceSize('false'))} ELSE system.main.regexp_replace(s, p, r) END, ` +
    `(s, p, r, options) AS ${check(regexpReplaceSize(`contains(coalesce(options, ''), 'g')`))} ELSE ${byOptions} END`
  );
}

const VALUE_LIMIT_MACROS: readonly string[] = [
  // A list counts its elements and the text it reads as (which holds nested lists and long strings): `[s]`
  // repeated counts the bytes of s each time. Reading a list as text costs about one copy of it, and the call
  // makes n.
  limited('repeat', [['s, n', ['n', 'greatest(len(s), strlen(s::VARCHAR)) * n']]]),
  `CREATE OR REPLACE TEMP MACRO replace(s, a, b) AS CASE WHEN ${overText(replaceSize, 'replace')} ELSE system.main.replace(s, a, b) END`,
  regexpReplace(),
  limited('lpad', [['s, n, c', ['n', 'n']]]),
  limited('rpad', [['s, n, c', ['n', 'n']]]),
  limited('bar', [['x, lo, hi'], ['x, lo, hi, width', ['width', 'width']]]),
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
        const lambda = lambdaProblem(n, name);
        if (lambda) return lambda;
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

/** Functions that take a lambda: the body runs once per element of the list. */
const LAMBDA_FUNCTIONS = new Set([
  'list_transform',
  'array_transform',
  'apply',
  'list_apply',
  'array_apply',
  'list_filter',
  'array_filter',
  'filter',
  'list_reduce',
  'array_reduce',
  'reduce',
]);
/** A filter keeps some of the list's own elements: what its body builds is not kept. */
const FILTERS = new Set(['list_filter', 'array_filter', 'filter']);
const REDUCERS = new Set(['list_reduce', 'array_reduce', 'reduce']);
/** Largest size a value-building call may be given inside a lambda, and longest text constant there. */
const LAMBDA_SIZE = 1000;
/**
 * A list written out runs the body once per element written, as the same expression written that many times
 * would (`[f(v1), f(v2)]`; see Not bounded): with one element (`list_transform([v], x -> …)[1]`, how Athena's
 * translation binds a name) the body is held to nothing more, and with up to FEW it may read columns from
 * outside and hold long constants (the IPv6 text of an address reads its hex for each of its 8 groups), but
 * not build a value of a size it is given.
 */
const FEW = 16;
/** The argument(s) that give a value-building function its size. */
const SIZE_ARGUMENTS: Record<string, readonly number[]> = {
  repeat: [1],
  lpad: [1],
  rpad: [1],
  bar: [3],
  list_resize: [1],
  array_resize: [1],
  range: [0, 1, 2],
  generate_series: [0, 1, 2],
};
/** Functions whose text argument can grow by an amount the other arguments set: its length must be small. */
const GROWN_BY: Record<string, number> = { replace: 2, regexp_replace: 2 };

const constantValue = (node: AstNode | undefined): unknown =>
  node?.class === 'CONSTANT' ? node.value?.value : undefined;

/** Names a lambda's left side declares, or undefined when it is no lambda (JSON's `j -> '$.a'`). */
function lambdaParams(lhs: AstNode | undefined): string[] | undefined {
  const name = (c: AstNode | undefined) =>
    c?.class === 'COLUMN_REF' && Array.isArray(c.column_names) && c.column_names.length === 1
      ? String(c.column_names[0]).toLowerCase()
      : undefined;
  if (name(lhs)) return [name(lhs)!];
  if (lhs?.class === 'FUNCTION' && lhs.function_name === 'row') {
    const names = (lhs.children ?? []).map(name);
    return names.every(Boolean) ? (names as string[]) : undefined;
  }
  return undefined;
}

/** How many elements range/generate_series of these constant arguments makes, or undefined. */
function seriesCount(args: readonly AstNode[]): number | undefined {
  // An integer series takes steps of at least 1 whatever its step (Athena's sequence writes a CASE for it).
  const integer = (a: AstNode | undefined) => /INT/.test(String(a?.value?.type?.id)) && a?.class === 'CONSTANT';
  if (args.length === 3 && integer(args[0]) && integer(args[1]) && !integer(args[2]))
    return Math.abs(Number(constantValue(args[1])) - Number(constantValue(args[0])));
  const values = args.map((a) => Number(constantValue(a)));
  if (!values.length || values.some((v) => !Number.isFinite(v))) return undefined;
  const [a, b, step] = values.length === 1 ? [0, values[0]!, 1] : [values[0]!, values[1]!, values[2] ?? 1];
  return step === 0 ? undefined : Math.abs((b - a) / step);
}

/**
 * Why a call with a lambda (`list_transform(l, x -> …)`) may not run, or undefined. Its result is the list's
 * length times what the body builds per element, and DuckDB builds it in one call that cannot be stopped
 * (`flatten(list_transform(range(15000), x -> range(15000)))` is 225 million elements), while the list's
 * length is known only when it runs. So, for a list that is not written out (FEW), the body may
 * not: read a column from outside the lambda (copied for each element; a filter, which keeps none of what its
 * body makes, may), give a value-building function a size that is not a constant up to LAMBDA_SIZE, replace
 * with a text that is not such a constant, or hold a longer text constant. A reducer's accumulator may not be
 * used twice in what the body builds, nor be repeated, replaced in or transformed (each step would double it).
 */
function lambdaProblem(call: AstNode, name: string): string | undefined {
  if (!LAMBDA_FUNCTIONS.has(name)) return undefined;
  const children = call.children ?? [];
  const lambda = children.find((c) => c?.class === 'LAMBDA');
  const params = lambdaParams(lambda?.lhs as AstNode | undefined);
  if (!lambda || !params) return undefined;
  const list = children[0];
  const written =
    list?.class === 'FUNCTION' && list.function_name === 'list_value' ? (list.children?.length ?? 0) : Infinity;
  if (written <= 1) return undefined;
  const mayCapture = FILTERS.has(name) || written <= FEW;
  const why = (text: string) => `${name}: ${text}`;
  const body = lambda.expr as AstNode | undefined;

  const visit = (node: unknown, own: ReadonlySet<string>): string | undefined => {
    if (Array.isArray(node)) {
      for (const item of node) {
        const problem = visit(item, own);
        if (problem) return problem;
      }
      return undefined;
    }
    if (!node || typeof node !== 'object') return undefined;
    const n = node as AstNode;
    if (n.class === 'LAMBDA') {
      const inner = lambdaParams(n.lhs as AstNode | undefined) ?? [];
      return visit(n.expr, new Set([...own, ...inner]));
    }
    if (n.class === 'COLUMN_REF' && Array.isArray(n.column_names)) {
      const column = String(n.column_names[0]).toLowerCase();
      if (!own.has(column) && !mayCapture)
        return why(
          `the lambda reads \`${(n.column_names as string[]).join('.')}\` from outside it, which would be copied for every element of the list, a size no limit here sees. Use only the lambda's parameters in it (put other values beside each element first, e.g. with list_zip), or compute with the column outside the lambda.`,
        );
    }
    if (
      !mayCapture &&
      n.class === 'CONSTANT' &&
      typeof n.value?.value === 'string' &&
      n.value.value.length > LAMBDA_SIZE
    )
      return why(
        `a text constant of ${n.value.value.length.toLocaleString('en-US')} characters inside a lambda would be copied for every element of the list; constants there are up to ${LAMBDA_SIZE} characters.`,
      );
    if (n.class === 'FUNCTION' && typeof n.function_name === 'string') {
      const fn = n.function_name.toLowerCase();
      const args = n.children ?? [];
      const sizes = SIZE_ARGUMENTS[fn];
      if (sizes) {
        const given = sizes.filter((i) => i < args.length);
        const small =
          fn === 'range' || fn === 'generate_series'
            ? (seriesCount(args) ?? Infinity) <= LAMBDA_SIZE
            : given.every((i) => Math.abs(Number(constantValue(args[i]) ?? NaN)) <= LAMBDA_SIZE);
        if (!small)
          return why(
            `${fn}() inside a lambda builds its value once for every element of the list, so its size must be a constant up to ${LAMBDA_SIZE} there; build the value once outside the lambda.`,
          );
      }
      const grown = GROWN_BY[fn];
      if (grown !== undefined && args.length > grown) {
        const text = constantValue(args[grown]);
        if (typeof text !== 'string' || text.length > LAMBDA_SIZE)
          return why(
            `${fn}() inside a lambda must replace with a constant text up to ${LAMBDA_SIZE} characters, since it runs once for every element of the list.`,
          );
      }
    }
    for (const value of Object.values(n)) {
      const problem = visit(value, own);
      if (problem) return problem;
    }
    return undefined;
  };
  const problem = visit(body, new Set(params));
  if (problem || !REDUCERS.has(name)) return problem;
  return accumulatorProblem(body, params[0]!, name);
}

/** Functions in which the accumulator of a reduce would grow by a factor each step. */
const MULTIPLYING = new Set(['repeat', 'replace', 'regexp_replace', ...LAMBDA_FUNCTIONS]);

/**
 * A reducer (`list_reduce(l, (a, x) -> …)`) whose body uses its accumulator `a` twice in what it builds
 * (`a || a`), or in a function that multiplies it (`repeat(a, 2)`), doubles it at every element: 2 to the
 * list's length. Comparisons and CASE conditions only read it, and of CASE's branches one is taken.
 */
function accumulatorProblem(body: AstNode | undefined, acc: string, name: string): string | undefined {
  let multiplied = false;
  const uses = (node: unknown): number => {
    if (Array.isArray(node)) return node.reduce((sum: number, item) => sum + uses(item), 0);
    if (!node || typeof node !== 'object') return 0;
    const n = node as AstNode;
    // What only tests the accumulator builds nothing from it.
    if (n.class === 'COMPARISON' || n.class === 'CONJUNCTION' || n.class === 'BETWEEN') return 0;
    if (n.class === 'OPERATOR' && /IS_(NOT_)?NULL/.test(String(n.type))) return 0;
    if (n.class === 'COLUMN_REF' && Array.isArray(n.column_names))
      return String(n.column_names[0]).toLowerCase() === acc ? 1 : 0;
    if (n.class === 'CASE') {
      const checks = (n.case_checks ?? []) as { then_expr?: unknown }[];
      return Math.max(uses(n.else_expr), ...checks.map((c) => uses(c.then_expr)));
    }
    const count = Object.values(n).reduce((sum: number, value) => sum + uses(value), 0);
    if (count && n.class === 'FUNCTION' && MULTIPLYING.has(String(n.function_name).toLowerCase())) multiplied = true;
    return count;
  };
  const count = uses(body);
  return count > 1 || multiplied
    ? `${name}: the lambda uses its accumulator \`${acc}\` ${multiplied ? 'in a function that multiplies it' : 'twice in what it builds'}, which would double it at every element of the list, a size no limit here sees; build the value from the elements instead (e.g. string_agg over unnest, or list_concat of the list).`
    : undefined;
}
