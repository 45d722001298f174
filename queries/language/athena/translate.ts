/**
 * Athena (Trino) SQL to DuckDB SQL over the workspace.
 *
 * The translation resolves every name itself, so DuckDB never binds a name the way Trino would not:
 *  - a table of the FROM clause that is not a WITH query is the workspace's flow records, whatever its
 *    name (`vpc_flow_logs`, `vpcflow`, `"db"."table"`), each reference its own `main.flows` scan limited to
 *    the time range (self-joins are common);
 *  - a column is found in the relations of its query, then of the enclosing ones (correlated sub-queries),
 *    and becomes SQL over the stored columns (`record.ts`); ORDER BY sees the output names first, GROUP BY
 *    the input columns and ordinals, as in Trino;
 *  - every result column is named as Trino names it (the alias, the column, else `_colN`).
 *
 * Types are tracked (`types.ts`) where the two engines differ: `/` of integers truncates, a DATE plus
 * days stays a DATE, IPADDRESS is carried as hex, `sum` of integers is a BIGINT, and the comparisons Trino
 * refuses (`varchar = integer`) are refused here with Trino's message at the operator.
 *
 * Some predicates are written so DuckDB can skip row groups: a partition column compared with a constant
 * becomes a range of `start_time`, `from_unixtime(start)` is the stored `start_time`, a string column
 * compared with text other than `-` reads the stored column (where that gives the same rows), and an
 * address test on a stored address uses its IPv4 integer.
 */
import type { SourceSpan } from '../plan';
import { QueryProblem, didYouMean } from '../source';
import { timeRangeSql, type TimeBounds } from '../compile';
import type {
  BinaryOp,
  Cte,
  Expr,
  GroupBy,
  Ident,
  OrderItem,
  Query,
  QueryBody,
  Relation,
  Select,
  Statement,
  TypeName,
  WindowSpec,
} from '../sql-syntax/ast';
import { walkExpr } from '../sql-syntax/walk';
import { sqlIdent, sqlString } from '../../catalog/sql-quote';
import { unknownFieldSql, type ImportLayout } from '../field-names';
import { FOLDER_ACCOUNT, FOLDER_DAY, recordColumns, starColumns, withRecordFormats, type RecordColumn } from './record';
import type { TextPartitions } from './partition-layout';
import { securityLakeColumns, securityLakeVersion } from './security-lake';
import {
  comparable,
  noCommonType,
  duckdbType,
  decimalLiteralType,
  isArray,
  isDecimal,
  isInteger,
  isLoose,
  isNumeric,
  isTime,
  numericResult,
  typeOfName,
  typeText,
  type SqlType,
} from './types';
import { EqualityLists } from '../equality-lists';
import { decimalQuotientSql } from './decimal-sql';
import { ipFromTextSql, ipLiteralHex, ipToTextSql, V4_PREFIX } from './ip-sql';
import { javaNumberTextSql } from './java-number-text';
import { zoneOf, zonedTextSql } from './time-zone-sql';
import { castFailure, readTimestampText, timestampFromTextSql } from './timestamp-text';
import { intervalTextSql, isInterval } from './interval-text';
import { TRINO_CAST_NAME } from './runtime-errors';
import { instantSql, readTimeZone, wallClockSql, type TimeZone } from '../../catalog/time-zones';
import { AGGREGATES, FUNCTION_NAMES, lookupFunction } from './functions';
import type { AthenaFunction, Built } from './function-kit';
import { TRINO_ONLY } from './functions-extended';

/** A translated expression. */
export interface Tx {
  sql: string;
  type: SqlType;
  span: SourceSpan;
  /** No column and no aggregate inside: one value for the whole query. */
  constant: boolean;
  /** An aggregate call is inside. */
  aggregate: boolean;
  /** Columns used outside any aggregate, for the GROUP BY check. */
  loose: Ident[];
  /** A record column read with `-` for missing text: the stored column's SQL. */
  dashedRaw?: string;
  /** The record column it is, and the SQL alias of its relation. */
  record?: { column: RecordColumn; rel: string };
  /** An IPADDRESS whose IPv4 integer is this SQL (NULL when the address is not IPv4). */
  ip4?: string;
  /** The value of a literal. */
  literal?: string | number | boolean | null;
  /**
   * A `timestamp with time zone` of a zone other than UTC: the SQL is still the instant as a UTC TIMESTAMP
   * (so comparison, ordering and to_unixtime need nothing), and the zone is how the value is read as a wall
   * clock (hour(), format_datetime, CAST) and shown (`2026-01-01 03:00:00.000 Europe/Paris`).
   */
  zone?: TimeZone;
}

/** The zone of a time value, kept where every zoned input has the same one (min, coalesce, CASE). */
function commonZone(values: Tx[]): { zone?: TimeZone } {
  const zoned = values.filter((v) => v.type === 'timestamp with time zone');
  const zone = zoned[0]?.zone;
  return zone && zoned.every((v) => v.zone?.name === zone.name) ? { zone } : {};
}

interface Col {
  name: string;
  type: SqlType;
  sql: string;
  zone?: TimeZone;
  record?: { column: RecordColumn; rel: string };
}

interface Rel {
  /** Names a qualified reference can use: the alias, else the table name (and its qualified forms). */
  names: string[];
  /** Columns by (lower-case) name; for the records, resolved on demand. */
  column(name: string): Col | undefined;
  /** The columns of `*`, in order. */
  star(): Col[];
  /** Every name it answers to, for "did you mean". */
  known(): string[];
}

class Scope {
  /** Columns USING made common to both sides of a join. */
  readonly using = new Map<string, Col>();
  constructor(
    readonly rels: Rel[],
    readonly parent: Scope | null,
    /** The WITH queries its sub-queries can read. */
    readonly ctes: CteDef[] = parent?.ctes ?? [],
    /** Output columns, seen first by ORDER BY. */
    readonly outputs: Map<string, Col> | null = null,
  ) {}
}

interface Ctx {
  scope: Scope;
  /** Aggregates allowed here (select list, HAVING, ORDER BY). */
  aggregates: boolean;
  /** Inside an aggregate's arguments. */
  insideAggregate: boolean;
  /** The GROUP BY keys (SQL) of an aggregate query. */
  groupKeys: Set<string> | null;
  /** In a WHERE/ON/HAVING position reached only through AND/OR: NULL and FALSE mean the same. */
  positive: boolean;
  lambdas: Map<string, Col>;
  /**
   * Inside Trino's try(): a failure the translation raises itself (a zero divisor, a cast that is not an
   * address) answers NULL instead, since DuckDB's TRY refuses error() as a volatile function.
   */
  insideTry: boolean;
}

interface Output {
  name: string;
  type: SqlType;
  /** The name the SQL gives it. */
  alias: string;
  /** Its expression in the SELECT, for ORDER BY expressions over output names. */
  sql: string;
  ip4?: string;
  zone?: TimeZone;
}

interface Translated {
  sql: string;
  outputs: Output[];
}

interface CteDef {
  name: string;
  alias: string;
  outputs: Output[];
}

const COMPARISON_OPS = new Set<BinaryOp>(['=', '<>', '<', '<=', '>', '>=']);
const FLIPPED: Record<string, BinaryOp> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '=': '=', '<>': '<>' };

/** A date literal of a partition's text format, as `yyyy-mm-dd`, or null. */
function partitionDate(text: string, format: string): string | null {
  const forms: Record<string, RegExp> = {
    '%Y/%m/%d': /^(\d{4})\/(\d{2})\/(\d{2})$/,
    '%Y-%m-%d': /^(\d{4})-(\d{2})-(\d{2})$/,
    '%Y%m%d': /^(\d{4})(\d{2})(\d{2})$/,
  };
  const m = forms[format]?.exec(text);
  if (!m) return null;
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? null : iso;
}

/**
 * `time op day` for a partition showing the day of `time` (`day` a TIMESTAMP at midnight), as a range;
 * `from` and `to` move its lower and upper bounds. Null for an operator that is no range.
 */
function dayRange(
  time: string,
  op: BinaryOp,
  day: string,
  from = (b: string) => b,
  to = (b: string) => b,
): string | null {
  const next = `(${day} + INTERVAL 1 DAY)`;
  switch (op) {
    case '=':
      return `(${time} >= ${from(day)} AND ${time} < ${to(next)})`;
    case '<':
      return `(${time} < ${to(day)})`;
    case '<=':
      return `(${time} < ${to(next)})`;
    case '>':
      return `(${time} >= ${from(next)})`;
    case '>=':
      return `(${time} >= ${from(day)})`;
    default:
      return null;
  }
}

/** Whether `'-' op value` holds (Trino compares text by code point, as JavaScript does for ASCII). */
function dashSatisfies(op: BinaryOp, value: string): boolean {
  switch (op) {
    case '=':
      return value === '-';
    case '<>':
      return value !== '-';
    case '<':
      return '-' < value;
    case '<=':
      return '-' <= value;
    case '>':
      return '-' > value;
    case '>=':
      return '-' >= value;
    default:
      return true;
  }
}

/**
 * The text Trino's casts read as these types, and its message for other text: Long.parseLong and
 * Integer.parseInt (digits, a sign, no blanks), `true`/`false`/`t`/`f`/`1`/`0`, and an ISO date. DuckDB's
 * casts read more (`'1.5'` as 2, `' 12 '`, `'0x10'`, `'1e3'`, `'yes'`, `'2026/03/03'`), so a query would
 * answer where Athena fails, and TRY_CAST give a number where Athena's gives NULL.
 */
const TRINO_READS: Partial<Record<string, { pattern: string; failure: (text: string) => string }>> = {
  ...Object.fromEntries(
    (['tinyint', 'smallint', 'integer', 'bigint', 'boolean'] as const).map((type) => [
      type,
      {
        pattern: type === 'boolean' ? '(?i)(true|false|t|f|1|0)' : '[+-]?[0-9]+',
        failure: (text: string) => `'Cannot cast ''' || ${text} || ''' to ${TRINO_CAST_NAME[type]}'`,
      },
    ]),
  ),
  date: {
    pattern: '\\s*[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}\\s*',
    failure: (text) => `'Value cannot be cast to date: ' || ${text}`,
  },
};

/** Whether a LIKE pattern matches `-`. */
function likeMatchesDash(pattern: string, escape: string | null): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (escape !== null && c === escape && i + 1 < pattern.length)
      re += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`).test('-');
}

const NO_LOOSE: Ident[] = [];

/**
 * A column the query groups by itself (`GROUP BY date`): a test of it outside an aggregate is read over that
 * key, not over the stored columns a filter's faster form reads (the record's start, its import), which DuckDB
 * would refuse as ungrouped (`SELECT date, date = DATE '…' … GROUP BY date`).
 */
function groupedAlone(column: Tx, ctx: Ctx): boolean {
  return ctx.groupKeys?.has(column.sql) ?? false;
}

export class AthenaTranslator {
  private counter = 0;
  private readonly equalityLists = new EqualityLists();
  private readonly columns: Map<string, RecordColumn>;

  constructor(
    private readonly range: TimeBounds | null | undefined,
    /** Every column name the statement uses, for the Hive layout of `day` and the naming of `*`. */
    private readonly names: ReadonlySet<string>,
    /** The text partitions the statement compares with text, in the layout that text shows. */
    text: TextPartitions = {},
    /** The formats of the workspace's records, for fields Flowscope does not know (`unknownFieldSql`). */
    private readonly recordFormats?: readonly ImportLayout[],
  ) {
    this.columns = withRecordFormats(recordColumns(names, text), recordFormats);
  }

  statement(s: Statement): { sql: string; columns: string[] } {
    const t = this.shown(this.query(s.query, null, [], true));
    const sql = s.explain ? `EXPLAIN ${s.explain.analyze ? 'ANALYZE ' : ''}${t.sql}` : t.sql;
    return { sql, columns: t.outputs.map((o) => o.name) };
  }

  /**
   * The result as shown: an IPADDRESS column as its address's text, in a SELECT over the whole query, so
   * that what is under it (ORDER BY an output's name or position, DISTINCT, a WITH query's column) works on
   * the hex form, which orders addresses as Trino does; the text would put 10.0.0.5 before 3.5.18.20.
   * DuckDB shows the rows of an ordered sub-query in its order. A timestamp of another zone than UTC is shown
   * as Athena prints it (`2026-01-01 03:00:00.000 Europe/Paris`), its ordering done on the instant below, and
   * an interval too (`0 00:00:49.000`, `1-2`).
   */
  private shown(t: Translated): Translated {
    if (!t.outputs.some((o) => o.type === 'ipaddress' || o.zone || isInterval(o.type))) return t;
    const columns = t.outputs.map((o) => {
      const c = sqlIdent(o.alias);
      if (o.zone) return `${zonedTextSql(c, o.zone)} AS ${c}`;
      if (isInterval(o.type)) return `${intervalTextSql(c, o.type)} AS ${c}`;
      return o.type === 'ipaddress' ? `${ipToTextSql(c)} AS ${c}` : c;
    });
    return { sql: `SELECT ${columns.join(', ')} FROM (${t.sql}) AS ${sqlIdent(this.alias('_r'))}`, outputs: t.outputs };
  }

  private problem(message: string, span: SourceSpan, hint?: string): never {
    throw new QueryProblem(message, span, hint);
  }

  private alias(prefix: string): string {
    return `${prefix}${++this.counter}`;
  }

  // ── queries ──────────────────────────────────────────────────────────────────────────────────────

  private query(q: Query, outer: Scope | null, ctes: CteDef[], top: boolean): Translated {
    let env = ctes;
    const withSql: string[] = [];
    if (q.with) {
      if (q.with.recursive) this.problem('WITH RECURSIVE is not supported.', q.span);
      for (const cte of q.with.ctes) {
        const def = this.cte(cte, outer, env);
        withSql.push(`${sqlIdent(def.alias)} AS (${def.sql})`);
        env = [def, ...env];
      }
    }
    const body = this.body(q.body, outer, env, top, q.orderBy);
    let sql = body.sql;
    if (q.limit) sql += ` LIMIT ${this.count(q.limit, 'LIMIT')}`;
    if (q.offset) sql += ` OFFSET ${this.count(q.offset, 'OFFSET')}`;
    return { sql: withSql.length ? `WITH ${withSql.join(', ')} ${sql}` : sql, outputs: body.outputs };
  }

  private count(e: Expr, what: string): string {
    if (e.kind !== 'number' || !/^\d+$/.test(e.text)) this.problem(`${what} must be a whole number.`, e.span);
    // Trino reads the count as a BIGINT literal, and says so past its range.
    if (BigInt(e.text) > 9_223_372_036_854_775_807n) this.problem(`Invalid numeric literal: ${e.text}`, e.span);
    return e.text;
  }

  private cte(cte: Cte, outer: Scope | null, env: CteDef[]): CteDef & { sql: string } {
    const t = this.query(cte.query, outer, env, false);
    let outputs = t.outputs;
    if (cte.columns) {
      if (cte.columns.length !== outputs.length)
        this.problem(
          `WITH query ${cte.name.name} names ${cte.columns.length} columns but its query has ${outputs.length}.`,
          cte.span,
        );
      outputs = outputs.map((o, i) => ({ ...o, name: cte.columns![i]!.name }));
    }
    return { name: cte.name.name, alias: this.alias('_w'), outputs, sql: t.sql };
  }

  private body(b: QueryBody, outer: Scope | null, env: CteDef[], top: boolean, orderBy: OrderItem[]): Translated {
    switch (b.kind) {
      case 'select':
        return this.select(b, outer, env, top, orderBy);
      case 'nested': {
        const inner = this.query(b.query, outer, env, top);
        return this.ordered(
          `SELECT * FROM (${inner.sql}) AS ${sqlIdent(this.alias('_q'))}`,
          inner.outputs,
          orderBy,
          outer,
          env,
        );
      }
      case 'values': {
        const width = b.rows[0]?.length ?? 0;
        const ctx = this.ctx(new Scope([], outer, env), false);
        const rows = b.rows.map((row) => {
          if (row.length !== width)
            this.problem('Every VALUES row must have the same number of values.', row[0]?.span ?? b.span);
          return row.map((e) => this.expr(e, ctx));
        });
        const outputs = Array.from({ length: width }, (_, i) => {
          const name = `_col${i}`;
          const column = rows.map((r) => r[i]!);
          return { name, type: column[0]!.type, alias: top ? name : this.alias('_c'), sql: '', ...commonZone(column) };
        });
        const alias = this.alias('_v');
        const sql = `SELECT * FROM (VALUES ${rows.map((r) => `(${r.map((x) => x.sql).join(', ')})`).join(', ')}) AS ${sqlIdent(alias)}(${outputs.map((o) => sqlIdent(o.alias)).join(', ')})`;
        return this.ordered(sql, outputs, orderBy, outer, env);
      }
      case 'set': {
        const left = this.body(b.left, outer, env, top, []);
        const right = this.body(b.right, outer, env, false, []);
        if (left.outputs.length !== right.outputs.length)
          this.problem(
            `The two sides of ${b.op.toUpperCase()} have ${left.outputs.length} and ${right.outputs.length} columns.`,
            b.span,
          );
        const sql = `(${left.sql}) ${b.op.toUpperCase()}${b.all ? ' ALL' : ''} (${right.sql})`;
        // A column of timestamps of two zones is shown as instants (its values carry no zone of their own).
        const outputs = left.outputs.map((o, i) =>
          o.zone?.name === right.outputs[i]!.zone?.name ? o : { ...o, zone: undefined },
        );
        return this.ordered(sql, outputs, orderBy, outer, env);
      }
    }
  }

  /** ORDER BY over the output columns of a set operation, VALUES or a nested query. */
  private ordered(
    sql: string,
    outputs: Output[],
    orderBy: OrderItem[],
    outer: Scope | null,
    env: CteDef[],
  ): Translated {
    if (orderBy.length === 0) return { sql, outputs };
    const byName = new Map(outputs.map((o) => [o.name, { name: o.name, type: o.type, sql: sqlIdent(o.alias) }]));
    const scope = new Scope([], outer, env, byName);
    const ctx = this.ctx(scope, false);
    const keys = orderBy.map((item) => this.orderKey(item, outputs, ctx));
    return { sql: `SELECT * FROM (${sql}) AS ${sqlIdent(this.alias('_q'))} ORDER BY ${keys.join(', ')}`, outputs };
  }

  /**
   * One ORDER BY key. Under SELECT DISTINCT (`distinct`: the select list's SQL) a key must be an output: its
   * position, its name, or an expression the list holds; Trino refuses any other, as the rows it would order
   * by were merged.
   */
  private orderKey(item: OrderItem, outputs: Output[], ctx: Ctx, distinct?: Set<string>): string {
    let sql: string;
    if (item.expr.kind === 'number' && /^\d+$/.test(item.expr.text)) {
      const n = Number(item.expr.text);
      const out = outputs[n - 1];
      if (!out) this.problem(`ORDER BY position ${n} is not in the select list.`, item.expr.span);
      sql = sqlIdent(out.alias);
    } else {
      const single = item.expr.kind === 'column' && item.expr.parts.length === 1 ? item.expr.parts[0]!.name : null;
      const matches = single === null ? [] : outputs.filter((o) => o.name === single);
      if (matches.length > 1) this.problem(`Column '${single}' is ambiguous.`, item.expr.span);
      if (matches.length === 1) sql = sqlIdent(matches[0]!.alias);
      else {
        const t = this.expr(item.expr, ctx);
        this.checkGrouped(t, ctx);
        if (distinct && !distinct.has(t.sql))
          this.problem('For SELECT DISTINCT, ORDER BY expressions must appear in select list', item.expr.span);
        sql = t.sql;
      }
    }
    // Trino sorts NULLs last in either direction unless told otherwise.
    return `${sql} ${item.descending ? 'DESC' : 'ASC'} NULLS ${item.nulls === 'first' ? 'FIRST' : 'LAST'}`;
  }

  private ctx(scope: Scope, aggregates: boolean, groupKeys: Set<string> | null = null): Ctx {
    return {
      scope,
      aggregates,
      insideAggregate: false,
      groupKeys,
      positive: false,
      lambdas: new Map(),
      insideTry: false,
    };
  }

  // ── SELECT ───────────────────────────────────────────────────────────────────────────────────────

  private select(s: Select, outer: Scope | null, env: CteDef[], top: boolean, orderBy: OrderItem[]): Translated {
    const scope = new Scope([], outer, env);
    const from = s.from.map((r) => this.relation(r, scope, outer, env));
    const parts: string[] = [];
    let where: string | null = null;
    if (s.where) {
      const w = this.expr(s.where, { ...this.ctx(scope, false), positive: true });
      this.expectBoolean(w, 'WHERE');
      where = w.sql;
    }
    const aggregateQuery =
      s.groupBy !== null ||
      s.having !== null ||
      s.items.some((i) => i.kind === 'expr' && containsAggregate(i.expr)) ||
      (!s.distinct && orderBy.some((o) => containsAggregate(o.expr)));
    let groupSql: string | null = null;
    let groupKeys: Set<string> | null = aggregateQuery ? new Set() : null;
    if (s.groupBy) {
      const g = this.firstProblem(
        () => this.groupBy(s.groupBy!, s, scope),
        // A mistake in the select list, written before GROUP BY, is the one to report first.
        () => s.items.forEach((i) => i.kind === 'expr' && this.expr(i.expr, this.ctx(scope, true))),
      );
      groupSql = g.sql;
      groupKeys = g.keys;
    }
    const ctx = this.ctx(scope, true, groupKeys);
    const outputs: Output[] = [];
    const selectSql: string[] = [];
    const taken = new Set<string>();
    const add = (name: string, t: { sql: string; type: SqlType; ip4?: string; zone?: TimeZone }) => {
      let shown = name;
      // A result table cannot hold two columns of one name; Trino can, so later ones get a suffix.
      for (let n = 1; top && taken.has(shown); n++) shown = `${name}_${n}`;
      taken.add(shown);
      const alias = top ? shown : this.alias('_c');
      const out: Output = {
        name: shown,
        type: t.type,
        alias,
        sql: t.sql,
        ...(t.ip4 ? { ip4: t.ip4 } : {}),
        ...(t.zone ? { zone: t.zone } : {}),
      };
      outputs.push(out);
      selectSql.push(`${t.sql} AS ${sqlIdent(alias)}`);
    };
    for (const item of s.items) {
      if (item.kind === 'star') {
        const rels = item.qualifier ? [this.qualified(scope, item.qualifier, item.span)] : scope.rels;
        if (rels.length === 0) this.problem('SELECT * needs a FROM clause.', item.span);
        for (const rel of rels)
          for (const c of rel.star()) {
            if (groupKeys && !groupKeys.has(c.sql))
              this.problem(`'${c.name}' must be an aggregate expression or appear in GROUP BY clause`, item.span);
            add(c.name || `_col${outputs.length}`, c);
          }
        continue;
      }
      const t = this.expr(item.expr, ctx);
      this.checkGrouped(t, ctx);
      add(item.alias?.name ?? derivedName(item.expr) ?? `_col${outputs.length}`, t);
    }
    parts.push(`SELECT ${s.distinct ? 'DISTINCT ' : ''}${selectSql.join(', ')}`);
    if (from.length) parts.push(`FROM ${from.join(', ')}`);
    if (where) parts.push(`WHERE ${where}`);
    if (groupSql !== null) parts.push(`GROUP BY ${groupSql}`);
    else if (aggregateQuery && groupKeys && groupKeys.size === 0 && s.having) parts.push('GROUP BY ALL');
    if (s.having) {
      const h = this.expr(s.having, { ...ctx, positive: true });
      this.expectBoolean(h, 'HAVING');
      this.checkGrouped(h, ctx);
      parts.push(`HAVING ${h.sql}`);
    }
    if (orderBy.length) {
      const byName = new Map<string, Col>();
      for (const o of outputs)
        if (!byName.has(o.name)) byName.set(o.name, { name: o.name, type: o.type, sql: o.sql, zone: o.zone });
      const orderScope = new Scope(scope.rels, scope.parent, env, byName);
      scope.using.forEach((c, n) => orderScope.using.set(n, c));
      // An output named in an ORDER BY expression is as grouped as the select list made it (`coalesce(x, '-')
      // AS x … GROUP BY x ORDER BY lower(x)`).
      const groupKeys = ctx.groupKeys && new Set([...ctx.groupKeys, ...outputs.map((o) => o.sql)]);
      const orderCtx: Ctx = { ...ctx, scope: orderScope, groupKeys };
      const distinct = s.distinct ? new Set(outputs.map((o) => o.sql)) : undefined;
      parts.push(`ORDER BY ${orderBy.map((item) => this.orderKey(item, outputs, orderCtx, distinct)).join(', ')}`);
    }
    return { sql: parts.join(' '), outputs };
  }

  /** `main()`; if it fails, the earlier in the text of its problem and one `earlier()` raises. */
  private firstProblem<T>(main: () => T, earlier: () => void): T {
    try {
      return main();
    } catch (err) {
      if (!(err instanceof QueryProblem)) throw err;
      try {
        earlier();
      } catch (other) {
        if (other instanceof QueryProblem && other.span.offset < err.span.offset) throw other;
      }
      throw err;
    }
  }

  private groupBy(g: GroupBy, s: Select, scope: Scope): { sql: string; keys: Set<string> } {
    const ctx = this.ctx(scope, false);
    const keys = new Set<string>();
    const key = (e: Expr, plain = false): string => {
      let t: Tx;
      if (e.kind === 'number' && /^\d+$/.test(e.text)) {
        const item = s.items[Number(e.text) - 1];
        if (!item || item.kind !== 'expr')
          this.problem(`GROUP BY position ${e.text} is not in the select list.`, e.span);
        t = this.expr(item.expr, ctx);
      } else t = this.expr(e, ctx);
      if (t.aggregate) this.problem('GROUP BY clause cannot contain aggregations or window functions.', e.span);
      keys.add(t.sql);
      // DuckDB reads an integer literal in GROUP BY as a select-list position, Trino as the value: a key that
      // translated to one (Security Lake's constant `class_uid`, a position naming `7 AS n`) is cast, which
      // DuckDB reads as the value.
      if (/^-?\d+$/.test(t.sql)) return `CAST(${t.sql} AS ${t.sql.length > 9 ? 'BIGINT' : 'INTEGER'})`;
      // `from_unixtime(start)` reads the timestamp the workspace keeps beside `start` (`secondsOf`): where `start`
      // itself is the key (`SELECT from_unixtime(start) … GROUP BY start`), that timestamp, one for each value
      // of it, is grouped with it, the same groups, so DuckDB sees it grouped as Trino sees from_unixtime(start).
      const seconds = t.record?.column.secondsOf;
      if (seconds && t.sql === t.record!.column.sql(t.record!.rel)) {
        const stored = `${t.record!.rel}.${seconds}`;
        keys.add(stored);
        return plain ? `${t.sql}, ${stored}` : `(${t.sql}, ${stored})`;
      }
      // A text column read with `-` for missing is grouped by what is stored: the same groups (a stored
      // value is never `-`, which is stored as NULL), without computing the text of every record. Not
      // under ROLLUP and the like, whose rolled-up keys must stay NULL rather than read as `-`, nor for a column
      // NULL in records of a format without it (`byFormat`), whose NULL is not the `-` of the others.
      return plain && t.dashedRaw && !t.record?.column.byFormat ? t.dashedRaw : t.sql;
    };
    const parts = g.elements.map((el) => {
      switch (el.kind) {
        case 'expr':
          return key(el.expr, true);
        case 'rollup':
        case 'cube':
          return `${el.kind.toUpperCase()} (${el.exprs.map((x) => key(x)).join(', ')})`;
        case 'sets':
          return `GROUPING SETS (${el.sets.map((set) => `(${set.map((x) => key(x)).join(', ')})`).join(', ')})`;
      }
    });
    return { sql: parts.join(', '), keys };
  }

  private checkGrouped(t: Tx, ctx: Ctx): void {
    if (!ctx.groupKeys || t.loose.length === 0) return;
    const first = t.loose[0]!;
    this.problem(`'${first.name}' must be an aggregate expression or appear in GROUP BY clause`, first.span);
  }

  private expectBoolean(t: Tx, clause: string): void {
    if (!isLoose(t.type) && t.type !== 'boolean')
      this.problem(`${clause} clause must evaluate to a boolean: actual type ${typeText(t.type)}`, t.span);
  }

  // ── relations ────────────────────────────────────────────────────────────────────────────────────

  /** Adds the relation's tables to `scope` and answers its SQL. */
  private relation(r: Relation, scope: Scope, outer: Scope | null, env: CteDef[]): string {
    switch (r.kind) {
      case 'table': {
        const name = r.name.map((p) => p.name);
        const cte = name.length === 1 ? env.find((c) => c.name === name[0]) : undefined;
        const alias = this.alias('_r');
        const names = r.alias ? [r.alias.name] : [name.join('.'), name[name.length - 1]!];
        if (cte) {
          scope.rels.push(this.derivedRel(names, alias, cte.outputs, r.columns, r.span));
          return `${sqlIdent(cte.alias)} AS ${sqlIdent(alias)}`;
        }
        if (r.columns) this.problem('Column aliases on the flow records are not supported.', r.span);
        const lake = securityLakeVersion(name[name.length - 1]!);
        scope.rels.push(lake ? this.securityLakeRel(names, alias, lake) : this.recordRel(names, alias));
        const range = timeRangeSql(this.range);
        const source = range.length ? `(SELECT * FROM main.flows WHERE ${range.join(' AND ')})` : 'main.flows';
        return `${source} AS ${sqlIdent(alias)}`;
      }
      case 'derived': {
        const t = this.query(r.query, r.lateral ? scope : outer, env, false);
        const alias = this.alias('_r');
        scope.rels.push(this.derivedRel(r.alias ? [r.alias.name] : [], alias, t.outputs, r.columns, r.span));
        return `${r.lateral ? 'LATERAL ' : ''}(${t.sql}) AS ${sqlIdent(alias)}`;
      }
      case 'unnest':
        return this.unnest(r, scope);
      case 'join': {
        if (r.natural) this.problem('NATURAL JOIN is not supported; write the join condition with ON.', r.span);
        const left = this.relation(r.left, scope, outer, env);
        const leftRels = scope.rels.length;
        const right = this.relation(r.right, scope, outer, env);
        const lateral = r.right.kind === 'unnest';
        const kind = { inner: 'JOIN', left: 'LEFT JOIN', right: 'RIGHT JOIN', full: 'FULL JOIN', cross: 'CROSS JOIN' }[
          r.type
        ];
        if (r.type === 'cross') return `${left} ${kind} ${lateral ? 'LATERAL ' : ''}${right}`;
        let on: string;
        if (r.using) {
          const conds = r.using.map((u) => {
            const l = this.findIn(scope.rels.slice(0, leftRels), u.name);
            const rr = this.findIn(scope.rels.slice(leftRels), u.name);
            if (!l || !rr) this.problem(`Column '${u.name}' is missing from one side of the join.`, u.span);
            scope.using.set(
              u.name,
              r.type === 'full' ? { ...l, sql: `coalesce(${l.sql}, ${rr.sql})` } : r.type === 'right' ? rr : l,
            );
            return `${l.sql} = ${rr.sql}`;
          });
          on = conds.join(' AND ');
        } else {
          const cond = this.expr(r.on!, { ...this.ctx(scope, false), positive: true });
          this.expectBoolean(cond, 'JOIN ON');
          on = cond.sql;
        }
        return `${left} ${kind} ${lateral ? 'LATERAL ' : ''}${right} ON ${on}`;
      }
    }
  }

  private recordRel(names: string[], alias: string): Rel {
    const rel = this.recordsAs(names, alias, this.columns, () => starColumns(this.columns, this.names));
    // A field of the records' formats that Flowscope does not know (`encryption_status`), as logged.
    return {
      ...rel,
      column: (name) => {
        const known = rel.column(name);
        if (known) return known;
        const unknown = unknownFieldSql(name, this.recordFormats, `${sqlIdent(alias)}.`);
        return unknown && { name, type: 'varchar', sql: unknown.sql };
      },
    };
  }

  /** The records as a Security Lake VPC flow table of that source version sees them (`security-lake.ts`). */
  private securityLakeRel(names: string[], alias: string, version: 1 | 2): Rel {
    const columns = securityLakeColumns(version);
    return this.recordsAs(names, alias, new Map(columns.map((c) => [c.name, c])), () => columns);
  }

  private recordsAs(
    names: string[],
    alias: string,
    columns: ReadonlyMap<string, RecordColumn>,
    star: () => readonly RecordColumn[],
  ): Rel {
    const rel = sqlIdent(alias);
    const col = (c: RecordColumn): Col => ({
      name: c.name,
      type: c.type,
      sql: c.sql(rel),
      record: { column: c, rel },
    });
    return {
      names,
      column: (name) => {
        const c = columns.get(name);
        return c && col(c);
      },
      star: () => star().map(col),
      known: () => [...columns.keys()],
    };
  }

  private derivedRel(
    names: string[],
    alias: string,
    outputs: Output[],
    renamed: Ident[] | null,
    span: SourceSpan,
  ): Rel {
    if (renamed && renamed.length !== outputs.length)
      this.problem(`The alias names ${renamed.length} columns but the relation has ${outputs.length}.`, span);
    const cols = outputs.map((o, i): Col => ({
      name: renamed ? renamed[i]!.name : o.name,
      type: o.type,
      sql: `${sqlIdent(alias)}.${sqlIdent(o.alias)}`,
      zone: o.zone,
    }));
    return {
      names,
      column: (name) => {
        const found = cols.filter((c) => c.name === name);
        return found.length === 1 ? found[0] : undefined;
      },
      star: () => cols,
      known: () => cols.map((c) => c.name),
    };
  }

  private unnest(r: Extract<Relation, { kind: 'unnest' }>, scope: Scope): string {
    const ctx = this.ctx(scope, false);
    const alias = this.alias('_r');
    const args = r.args.map((a) => this.expr(a, ctx));
    const cols: Col[] = [];
    const select: string[] = [];
    args.forEach((a) => {
      if (!isArray(a.type) && !isLoose(a.type)) this.problem(`Cannot unnest type: ${typeText(a.type)}`, a.span);
      const element = isArray(a.type) ? a.type.array : 'any';
      if (typeof element === 'object' && 'row' in element) {
        const u = this.alias('_u');
        select.push(`unnest(${a.sql}) AS ${sqlIdent(u)}`);
        element.row.forEach((f, i) =>
          cols.push({
            name: f.name ?? `_field${i}`,
            type: f.type,
            sql: `struct_extract(${sqlIdent(alias)}.${sqlIdent(u)}, ${i + 1})`,
          }),
        );
        return;
      }
      const u = this.alias('_u');
      select.push(`unnest(${a.sql}) AS ${sqlIdent(u)}`);
      cols.push({ name: '', type: element, sql: `${sqlIdent(alias)}.${sqlIdent(u)}` });
    });
    if (r.ordinality) {
      const u = this.alias('_u');
      const longest =
        args.length === 1 ? `len(${args[0]!.sql})` : `greatest(${args.map((a) => `len(${a.sql})`).join(', ')})`;
      select.push(`unnest(range(1, ${longest} + 1)) AS ${sqlIdent(u)}`);
      cols.push({ name: '', type: 'bigint', sql: `${sqlIdent(alias)}.${sqlIdent(u)}` });
    }
    if (r.columns) {
      if (r.columns.length !== cols.length)
        this.problem(`UNNEST makes ${cols.length} columns but the alias names ${r.columns.length}.`, r.span);
      r.columns.forEach((c, i) => (cols[i]!.name = c.name));
    }
    scope.rels.push({
      names: r.alias ? [r.alias.name] : [],
      column: (name) => cols.find((c) => c.name === name),
      star: () => cols,
      known: () => cols.map((c) => c.name).filter(Boolean),
    });
    return `(SELECT ${select.join(', ')}) AS ${sqlIdent(alias)}`;
  }

  // ── names ────────────────────────────────────────────────────────────────────────────────────────

  private findIn(rels: Rel[], name: string): Col | undefined {
    const found = rels.map((r) => r.column(name)).filter((c): c is Col => c !== undefined);
    return found[0];
  }

  private qualified(scope: Scope, qualifier: Ident[], span: SourceSpan): Rel {
    const name = qualifier.map((q) => q.name).join('.');
    for (let s: Scope | null = scope; s; s = s.parent) {
      const rel = s.rels.find((r) => r.names.includes(name));
      if (rel) return rel;
    }
    return this.problem(`Table '${name}' is not in the FROM clause.`, span);
  }

  private resolve(parts: Ident[], ctx: Ctx, span: SourceSpan): { col: Col; fields: Ident[]; outer: boolean } {
    const first = parts[0]!;
    if (parts.length === 1) {
      const lambda = ctx.lambdas.get(first.name);
      if (lambda) return { col: lambda, fields: [], outer: false };
    }
    let depth = 0;
    for (let scope: Scope | null = ctx.scope; scope; scope = scope.parent, depth++) {
      // Qualified: the longest prefix naming a relation, then a column, then fields of a row.
      for (let k = parts.length - 1; k >= 1; k--) {
        const qualifier = parts
          .slice(0, k)
          .map((p) => p.name)
          .join('.');
        const rel = scope.rels.find((r) => r.names.includes(qualifier));
        if (!rel) continue;
        const col = rel.column(parts[k]!.name);
        if (!col) {
          const hint = didYouMean(parts[k]!.name, rel.known());
          this.problem(
            `Column '${parts
              .slice(0, k + 1)
              .map((p) => p.name)
              .join('.')}' cannot be resolved`,
            span,
            hint,
          );
        }
        return { col, fields: parts.slice(k + 1), outer: depth > 0 };
      }
      if (scope.outputs?.has(first.name))
        return { col: scope.outputs.get(first.name)!, fields: parts.slice(1), outer: false };
      const using = scope.using.get(first.name);
      if (using) return { col: using, fields: parts.slice(1), outer: depth > 0 };
      const found = scope.rels.map((r) => r.column(first.name)).filter((c): c is Col => c !== undefined);
      if (found.length > 1) this.problem(`Column '${first.name}' is ambiguous`, first.span);
      if (found.length === 1) return { col: found[0]!, fields: parts.slice(1), outer: depth > 0 };
    }
    const known = new Set<string>();
    for (let scope: Scope | null = ctx.scope; scope; scope = scope.parent)
      for (const r of scope.rels) r.known().forEach((n) => known.add(n));
    const hint = didYouMean(first.name, known);
    return this.problem(`Column '${parts.map((p) => p.name).join('.')}' cannot be resolved`, span, hint);
  }

  // ── expressions ──────────────────────────────────────────────────────────────────────────────────

  private tx(sql: string, type: SqlType, span: SourceSpan, children: Tx[], ctx: Ctx, extra: Partial<Tx> = {}): Tx {
    const loose = ctx.groupKeys?.has(sql) ? NO_LOOSE : children.flatMap((c) => c.loose);
    return {
      sql,
      type,
      span,
      constant: children.every((c) => c.constant),
      aggregate: children.some((c) => c.aggregate),
      loose,
      ...extra,
    };
  }

  expr(e: Expr, ctx: Ctx): Tx {
    const notPositive = ctx.positive ? { ...ctx, positive: false } : ctx;
    switch (e.kind) {
      case 'column': {
        const { col, fields, outer } = this.resolve(e.parts, ctx, e.span);
        let t: Tx = {
          sql: col.sql,
          type: col.type,
          span: e.span,
          constant: outer,
          aggregate: false,
          loose:
            outer || ctx.insideAggregate || ctx.groupKeys?.has(col.sql) || ctx.lambdas.has(e.parts[0]!.name)
              ? NO_LOOSE
              : [e.parts[0]!],
          ...(col.record ? { record: col.record } : {}),
          ...(col.zone ? { zone: col.zone } : {}),
          // Not where the query groups the column: its key is the text (under ROLLUP, or for a column of some
          // formats only), which a HAVING must test, not the stored column beneath it.
          ...(col.record?.column.dashed && !ctx.groupKeys?.has(col.sql)
            ? { dashedRaw: `${col.record.rel}.${sqlIdent(col.record.column.dashed)}` }
            : {}),
        };
        for (const f of fields) t = this.field(t, f, ctx);
        return t;
      }
      case 'string':
        return {
          sql: sqlString(e.value),
          type: 'varchar',
          span: e.span,
          constant: true,
          aggregate: false,
          loose: NO_LOOSE,
          literal: e.value,
        };
      case 'number': {
        const type: SqlType = /[eE]/.test(e.text)
          ? 'double'
          : e.text.includes('.')
            ? decimalLiteralType(e.text)
            : Number(e.text) > 2147483647
              ? 'bigint'
              : 'integer';
        return {
          sql: e.text,
          type,
          span: e.span,
          constant: true,
          aggregate: false,
          loose: NO_LOOSE,
          literal: Number(e.text),
        };
      }
      case 'boolean':
        return {
          sql: e.value ? 'TRUE' : 'FALSE',
          type: 'boolean',
          span: e.span,
          constant: true,
          aggregate: false,
          loose: NO_LOOSE,
          literal: e.value,
        };
      case 'null':
        return {
          sql: 'NULL',
          type: 'unknown',
          span: e.span,
          constant: true,
          aggregate: false,
          loose: NO_LOOSE,
          literal: null,
        };
      case 'typed':
        return this.typedLiteral(e);
      case 'interval':
        return this.interval(e);
      case 'unary': {
        if (e.op === 'not') {
          const operand = this.expr(e.operand, notPositive);
          this.expectBoolean(operand, 'NOT');
          return this.tx(`(NOT ${operand.sql})`, 'boolean', e.span, [operand], ctx);
        }
        const operand = this.expr(e.operand, notPositive);
        if (!isNumeric(operand.type) && !isLoose(operand.type) && !String(operand.type).startsWith('interval'))
          this.problem(`Cannot negate ${typeText(operand.type)}`, e.span);
        if (e.op === '+') return operand;
        if (typeof operand.literal === 'number')
          return { ...operand, sql: `-${operand.sql}`, literal: -operand.literal, span: e.span };
        return this.tx(`(- ${operand.sql})`, operand.type, e.span, [operand], ctx);
      }
      case 'binary':
        return this.binary(e, ctx);
      case 'between': {
        const operand = this.expr(e.operand, notPositive);
        const low = this.expr(e.low, notPositive);
        const high = this.expr(e.high, notPositive);
        for (const side of [low, high])
          if (!comparable(operand.type, side.type))
            this.problem(
              `Cannot check if ${typeText(operand.type)} is BETWEEN ${typeText(low.type)} and ${typeText(high.type)}`,
              e.span,
            );
        if (!e.negated) {
          const range = this.partitionRange(operand, '>=', low, ctx);
          const upper = range && this.partitionRange(operand, '<=', high, ctx);
          if (range && upper) return this.tx(`(${range} AND ${upper})`, 'boolean', e.span, [operand, low, high], ctx);
        }
        let subject = operand.sql;
        if (
          ctx.positive &&
          !e.negated &&
          operand.dashedRaw &&
          typeof low.literal === 'string' &&
          typeof high.literal === 'string' &&
          !('-' >= low.literal && '-' <= high.literal)
        )
          subject = operand.dashedRaw;
        return this.tx(
          `(${subject} ${e.negated ? 'NOT ' : ''}BETWEEN ${low.sql} AND ${high.sql})`,
          'boolean',
          e.span,
          [operand, low, high],
          ctx,
        );
      }
      case 'in': {
        const operand = this.expr(e.operand, notPositive);
        if (!Array.isArray(e.list)) {
          const sub = this.query(e.list, ctx.scope, ctx.scope.ctes, false);
          if (sub.outputs.length !== 1) this.problem('The sub-query of IN must return one column.', e.span);
          if (!comparable(operand.type, sub.outputs[0]!.type))
            this.problem(
              `Value expression and result of subquery must be of the same type for IN expression: ${typeText(operand.type)} vs ${typeText(sub.outputs[0]!.type)}`,
              e.span,
            );
          return this.tx(
            `(${operand.sql} ${e.negated ? 'NOT IN' : 'IN'} (${sub.sql}))`,
            'boolean',
            e.span,
            [operand],
            ctx,
            { constant: false },
          );
        }
        const items = e.list.map((x) => this.expr(x, notPositive));
        for (const item of items)
          if (!comparable(operand.type, item.type))
            this.problem(
              `IN value and list items must be the same type: ${typeText(operand.type)} vs ${typeText(item.type)}`,
              item.span,
            );
        const list = `${e.negated ? 'NOT IN' : 'IN'} (${items.map((i) => i.sql).join(', ')})`;
        const account = items.every((i) => typeof i.literal === 'string')
          ? this.accountTest(operand, items[0]!, (v) => `(${v} ${list})`, ctx)
          : null;
        if (account) return this.tx(account, 'boolean', e.span, [operand, ...items], ctx);
        const subject =
          ctx.positive &&
          !e.negated &&
          operand.dashedRaw &&
          items.every((i) => typeof i.literal === 'string' && i.literal !== '-')
            ? operand.dashedRaw
            : operand.sql;
        return this.tx(
          `(${subject} ${e.negated ? 'NOT IN' : 'IN'} (${items.map((i) => i.sql).join(', ')}))`,
          'boolean',
          e.span,
          [operand, ...items],
          ctx,
        );
      }
      case 'like': {
        const operand = this.expr(e.operand, notPositive);
        const pattern = this.expr(e.pattern, notPositive);
        const escape = e.escape ? this.expr(e.escape, notPositive) : null;
        for (const side of [operand, pattern])
          if (!isLoose(side.type) && side.type !== 'varchar')
            this.problem(
              `Left side of LIKE expression must evaluate to a varchar (actual: ${typeText(side.type)})`,
              side.span,
            );
        const escapeText = escape && typeof escape.literal === 'string' ? escape.literal : null;
        const subject =
          ctx.positive &&
          !e.negated &&
          operand.dashedRaw &&
          typeof pattern.literal === 'string' &&
          (escape === null || escapeText !== null) &&
          !likeMatchesDash(pattern.literal, escapeText)
            ? operand.dashedRaw
            : operand.sql;
        const sql = `(${subject} ${e.negated ? 'NOT LIKE' : 'LIKE'} ${pattern.sql}${escape ? ` ESCAPE ${escape.sql}` : ''})`;
        return this.tx(sql, 'boolean', e.span, [operand, pattern, ...(escape ? [escape] : [])], ctx);
      }
      case 'is-null': {
        const operand = this.expr(e.operand, notPositive);
        return this.tx(`(${operand.sql} IS ${e.negated ? 'NOT ' : ''}NULL)`, 'boolean', e.span, [operand], ctx);
      }
      case 'is-distinct': {
        const left = this.expr(e.left, notPositive);
        const right = this.expr(e.right, notPositive);
        if (!comparable(left.type, right.type))
          this.problem(
            `'IS DISTINCT FROM' cannot be applied to ${typeText(left.type)}, ${typeText(right.type)}`,
            e.span,
          );
        return this.tx(
          `(${left.sql} IS ${e.negated ? 'NOT ' : ''}DISTINCT FROM ${right.sql})`,
          'boolean',
          e.span,
          [left, right],
          ctx,
        );
      }
      case 'is-bool': {
        const operand = this.expr(e.operand, notPositive);
        this.expectBoolean(operand, 'IS');
        return this.tx(
          `(${operand.sql} IS ${e.negated ? 'NOT ' : ''}${e.value ? 'TRUE' : 'FALSE'})`,
          'boolean',
          e.span,
          [operand],
          ctx,
        );
      }
      case 'case':
        return this.caseExpr(e, notPositive);
      case 'cast':
        return this.cast(this.expr(e.operand, notPositive), e.type, e.try, e.span, notPositive);
      case 'call':
        return this.call(e, ctx);
      case 'extract': {
        const operand = this.expr(e.operand, notPositive);
        const name = EXTRACT_FIELDS[e.field.name];
        const fn = name ? lookupFunction(name) : undefined;
        if (!name || !fn) return this.problem(`Invalid EXTRACT field: ${e.field.name}`, e.field.span);
        const built = this.build(fn, name, [operand], e.span, notPositive);
        return this.tx(built.sql, built.type, e.span, [operand], notPositive);
      }
      case 'subquery': {
        const sub = this.query(e.query, ctx.scope, ctx.scope.ctes, false);
        if (sub.outputs.length !== 1) this.problem('A sub-query used as a value must return one column.', e.span);
        return {
          sql: `(${sub.sql})`,
          type: sub.outputs[0]!.type,
          span: e.span,
          constant: false,
          aggregate: false,
          loose: NO_LOOSE,
        };
      }
      case 'exists': {
        const sub = this.query(e.query, ctx.scope, ctx.scope.ctes, false);
        return {
          sql: `(EXISTS (${sub.sql}))`,
          type: 'boolean',
          span: e.span,
          constant: false,
          aggregate: false,
          loose: NO_LOOSE,
        };
      }
      case 'array': {
        const items = e.items.map((i) => this.expr(i, notPositive));
        const element = items.find((i) => !isLoose(i.type))?.type ?? 'unknown';
        return this.tx(`[${items.map((i) => i.sql).join(', ')}]`, { array: element }, e.span, items, ctx);
      }
      case 'row': {
        const items = e.items.map((i) => this.expr(i, notPositive));
        return this.tx(
          `row(${items.map((i) => i.sql).join(', ')})`,
          { row: items.map((i) => ({ name: null, type: i.type })) },
          e.span,
          items,
          ctx,
        );
      }
      case 'subscript': {
        const operand = this.expr(e.operand, notPositive);
        const index = this.expr(e.index, notPositive);
        if (typeof operand.type === 'object' && 'map' in operand.type)
          return this.tx(`${operand.sql}[${index.sql}]`, operand.type.map[1], e.span, [operand, index], ctx);
        if (!isArray(operand.type) && !isLoose(operand.type))
          this.problem(`Cannot use subscript on ${typeText(operand.type)}`, e.span);
        // Trino fails on an index outside the array, where DuckDB answers NULL; a constant one as it compiles.
        const [i, a] = [index.sql, operand.sql];
        if (index.literal === 0) this.problem('SQL array indices start at 1', index.span);
        if (typeof index.literal === 'number' && index.literal < 0)
          this.problem(`Array subscript is negative: ${index.literal}`, index.span);
        const sql =
          `CASE WHEN ${i} BETWEEN 1 AND len(${a}) THEN ${a}[${i}] WHEN ${i} IS NULL OR ${a} IS NULL THEN NULL ` +
          `WHEN ${i} = 0 THEN ${this.failure('SQL array indices start at 1', ctx)} ` +
          `WHEN ${i} < 0 THEN ${this.failureOf(`'Array subscript is negative: ' || ${i}`, ctx)} ` +
          `ELSE ${this.failureOf(`'Array subscript must be less than or equal to array length: ' || ${i} || ' > ' || len(${a})`, ctx)} END`;
        return this.tx(sql, isArray(operand.type) ? operand.type.array : 'any', e.span, [operand, index], ctx);
      }
      case 'field':
        return this.field(this.expr(e.operand, notPositive), e.field, notPositive);
      case 'lambda':
        return this.problem(
          'A lambda expression can only be an argument of a function such as filter or transform.',
          e.span,
        );
      case 'at-time-zone': {
        // Trino: a timestamp without a zone is read in the session's zone (UTC in Athena); the same instant
        // comes back in the named zone.
        const { zone: _was, ...operand } = this.expr(e.operand, notPositive);
        if (!isLoose(operand.type) && operand.type !== 'timestamp' && operand.type !== 'timestamp with time zone')
          this.problem(
            `Type of value must be a time or timestamp with or without time zone (actual ${typeText(operand.type)})`,
            e.operand.span,
          );
        const zone = zoneOf(this.expr(e.zone, notPositive), (m, at, hint) => this.problem(m, at, hint));
        return { ...operand, type: 'timestamp with time zone', span: e.span, ...(zone ? { zone } : {}) };
      }
    }
  }

  private field(t: Tx, f: Ident, ctx: Ctx): Tx {
    // A field of a record's row (`src_endpoint.ip`) is SQL of its own: the row is not built to read it.
    const own = t.record?.column.fields?.get(f.name);
    if (own && t.record) {
      const rel = t.record.rel;
      const sql = own.sql(rel);
      return {
        ...this.tx(sql, own.type, f.span, [t], ctx),
        record: { column: own, rel },
        ...(own.dashed && !ctx.groupKeys?.has(sql) ? { dashedRaw: `${rel}.${sqlIdent(own.dashed)}` } : {}),
      };
    }
    if (typeof t.type === 'object' && 'row' in t.type) {
      const i = t.type.row.findIndex((x) => x.name === f.name);
      if (i < 0) this.problem(`Field '${f.name}' not found in ${typeText(t.type)}`, f.span);
      return this.tx(`struct_extract(${t.sql}, ${sqlString(f.name)})`, t.type.row[i]!.type, f.span, [t], ctx);
    }
    if (!isLoose(t.type)) this.problem(`Expression of type ${typeText(t.type)} has no field ${f.name}`, f.span);
    return this.tx(`struct_extract(${t.sql}, ${sqlString(f.name)})`, 'any', f.span, [t], ctx);
  }

  private typedLiteral(e: Extract<Expr, { kind: 'typed' }>): Tx {
    const lit = (sql: string, type: SqlType, extra: Partial<Tx> = {}): Tx => ({
      sql,
      type,
      span: e.span,
      constant: true,
      aggregate: false,
      loose: NO_LOOSE,
      ...extra,
    });
    const value = e.value.trim();
    switch (e.type.name) {
      case 'date':
        if (!/^\d{4}-\d{1,2}-\d{1,2}$/.test(value)) this.problem(`Value cannot be cast to date: ${e.value}`, e.span);
        return lit(`DATE ${sqlString(value)}`, 'date');
      case 'timestamp':
      case 'timestamp with time zone': {
        // A zone after the time (`+05:30`, `Z`, `UTC`, `America/New_York`) makes it a zoned timestamp: the
        // instant its clocks show then. DuckDB's own cast of such text needs the ICU extension for names.
        const [, wall, name] = /^(.*?\d)\s*(Z|[+-]\d{2}(?::?\d{2})?|[A-Za-z][A-Za-z0-9_+\-/]*)?$/.exec(value) ?? [];
        if (!wall) this.problem(`Value cannot be cast to timestamp: ${e.value}`, e.span);
        const zone = name === undefined ? undefined : readTimeZone(name === 'Z' ? 'UTC' : name);
        if (zone === undefined && name !== undefined) this.problem(`Time zone not supported: ${name}`, e.span);
        const clock = `TIMESTAMP ${sqlString(wall)}`;
        if (name === undefined && e.type.name === 'timestamp') return lit(clock, 'timestamp');
        return lit(instantSql(clock, zone), 'timestamp with time zone', zone ? { zone } : {});
      }
      case 'time':
        return lit(`TIME ${sqlString(value)}`, 'time');
      case 'ipaddress': {
        const hex = ipLiteralHex(value);
        if (hex === null) this.problem(`Cannot cast value to IPADDRESS: ${e.value}`, e.span);
        return lit(sqlString(hex), 'ipaddress', {
          literal: hex,
          ...(hex.startsWith(V4_PREFIX) ? { ip4: String(parseInt(hex.slice(24), 16)) } : {}),
        });
      }
      case 'varchar':
      case 'char':
        return lit(sqlString(e.value), 'varchar', { literal: e.value });
      default: {
        // `DECIMAL '1.50'` is DECIMAL(3,2), as a plain 1.50 is.
        const fromText = isDecimal(typeOfName(e.type) ?? 'any') && e.type.params.length === 0;
        const type =
          fromText && /^[+-]?(\d+\.?\d*|\.\d+)$/.test(value) ? decimalLiteralType(value) : typeOfName(e.type);
        if (!type || (!isNumeric(type) && type !== 'boolean'))
          this.problem(`Literals of type ${e.type.name} are not supported.`, e.type.span);
        return lit(`CAST(${sqlString(value)} AS ${duckdbType(type)})`, type);
      }
    }
  }

  private interval(e: Extract<Expr, { kind: 'interval' }>): Tx {
    const sign = e.negative ? '-' : '';
    const fail = (): never => this.problem(`Invalid interval value: '${e.value}'`, e.span);
    let sql: string;
    let type: SqlType = 'interval day to second';
    if (e.from === null) return fail();
    if (e.to === null) {
      if (!/^[+-]?\d+(\.\d+)?$/.test(e.value.trim())) fail();
      const n = `${sign}${e.value.trim()}`;
      if (e.from === 'year' || e.from === 'month') type = 'interval year to month';
      sql = `INTERVAL ${sqlString(n)} ${e.from.toUpperCase()}`;
    } else if (e.from === 'year' && e.to === 'month') {
      const m = /^(\d+)-(\d+)$/.exec(e.value.trim()) ?? fail();
      type = 'interval year to month';
      sql = `INTERVAL ${sqlString(`${sign}${Number(m[1]) * 12 + Number(m[2])}`)} MONTH`;
    } else {
      const m = /^(?:(\d+)\s+)?(\d+)(?::(\d+))?(?::(\d+(?:\.\d+)?))?$/.exec(e.value.trim()) ?? fail();
      const [days, a, b, c] = [m[1], m[2], m[3], m[4]];
      const units = ['day', 'hour', 'minute', 'second'];
      const start = units.indexOf(e.from);
      const values = [days ? Number(days) : null, a, b, c].filter((x) => x !== null && x !== undefined).map(Number);
      const seconds = values.reduce((acc, v, i) => {
        const unit = units[start + i] ?? fail();
        return acc + v * { day: 86400, hour: 3600, minute: 60, second: 1 }[unit]!;
      }, 0);
      sql = `INTERVAL ${sqlString(`${sign}${seconds}`)} SECOND`;
    }
    return { sql: `(${sql})`, type, span: e.span, constant: true, aggregate: false, loose: NO_LOOSE };
  }

  private caseExpr(e: Extract<Expr, { kind: 'case' }>, ctx: Ctx): Tx {
    const operand = e.operand ? this.expr(e.operand, ctx) : null;
    const children: Tx[] = operand ? [operand] : [];
    const whens = e.whens.map(({ when, then }) => {
      const w = this.expr(when, ctx);
      const t = this.expr(then, ctx);
      if (operand && !comparable(operand.type, w.type))
        this.problem(
          `CASE operand type does not match WHEN clause type: ${typeText(operand.type)} vs ${typeText(w.type)}`,
          w.span,
        );
      if (!operand) this.expectBoolean(w, 'WHEN');
      children.push(w, t);
      return { w, t };
    });
    const otherwise = e.else ? this.expr(e.else, ctx) : null;
    if (otherwise) children.push(otherwise);
    const results = [...whens.map((x) => x.t), ...(otherwise ? [otherwise] : [])];
    const mixed = noCommonType(
      'CASE results',
      results.map((r) => r.type),
    );
    if (mixed) this.problem(mixed, e.span);
    const type = results.find((r) => !isLoose(r.type))?.type ?? 'unknown';
    const zone = commonZone(results);
    const sql =
      `CASE${operand ? ` ${operand.sql}` : ''} ${whens.map(({ w, t }) => `WHEN ${w.sql} THEN ${t.sql}`).join(' ')}` +
      `${otherwise ? ` ELSE ${otherwise.sql}` : ''} END`;
    return this.tx(sql, type, e.span, children, ctx, zone);
  }

  /** Text cast to a timestamp as Trino reads it (`timestamp-text.ts`); a literal is read when compiled. */
  private timestampFromText(
    operand: Tx,
    type: 'timestamp' | 'timestamp with time zone',
    tryCast: boolean,
    span: SourceSpan,
    ctx: Ctx,
  ): Tx {
    const zoned = type === 'timestamp with time zone';
    if (typeof operand.literal === 'string') {
      const read = readTimestampText(operand.literal);
      if (!read) {
        if (tryCast) return this.tx(`CAST(NULL AS TIMESTAMP)`, type, span, [operand], ctx);
        return this.problem(castFailure(operand.literal), span);
      }
      const clock = `TIMESTAMP ${sqlString(read.wall)}`;
      if (!zoned) return this.tx(clock, type, span, [operand], ctx);
      return this.tx(instantSql(clock, read.zone), type, span, [operand], ctx, read.zone ? { zone: read.zone } : {});
    }
    const value = timestampFromTextSql(operand.sql, zoned);
    const otherwise = tryCast ? 'NULL' : `error(${sqlString(castFailure(''))} || ${operand.sql})`;
    const sql = `(CASE WHEN ${operand.sql} IS NULL THEN NULL ELSE coalesce(${value}, ${otherwise}) END)`;
    return this.tx(sql, type, span, [operand], ctx);
  }

  /** CAST and TRY_CAST, with Trino's conversions where DuckDB's differ. */
  cast(operand: Tx, written: TypeName, tryCast: boolean, span: SourceSpan, ctx: Ctx): Tx {
    // Inside try() a failed CAST is NULL, as TRY_CAST's is.
    tryCast ||= ctx.insideTry;
    const type = typeOfName(written);
    if (!type) return this.problem(`Unknown type: ${written.name}`, written.span);
    const from = operand.type;
    if (type === 'ipaddress') {
      if (from === 'ipaddress') return operand;
      if (!isLoose(from) && from !== 'varchar') this.problem(`Cannot cast ${typeText(from)} to ipaddress`, span);
      // The address's IPv4 integer the workspace keeps beside it, which a test of the address reads (`contains`,
      // a comparison with an IPv4 literal), except where the query groups the address (`… GROUP BY srcaddr`) or
      // the cast (`GROUP BY CAST(srcaddr AS IPADDRESS)`) and not the integer, which DuckDB would refuse as ungrouped.
      const stored = operand.record?.column.ip4Column
        ? `${operand.record.rel}.${operand.record.column.ip4Column}`
        : undefined;
      const failing = tryCast ? 'null' : 'fail';
      const sql = ipFromTextSql(operand.sql, ctx.groupKeys?.has(operand.sql) ? undefined : stored, failing);
      const ip4 = stored && !ctx.groupKeys?.has(operand.sql) && !ctx.groupKeys?.has(sql) ? stored : undefined;
      return this.tx(sql, 'ipaddress', span, [operand], ctx, ip4 ? { ip4 } : {});
    }
    if (from === 'ipaddress') {
      // Trino's 16 bytes of the address: the bytes of the hex form it is carried in.
      if (type === 'varbinary') return this.tx(`unhex(${operand.sql})`, 'varbinary', span, [operand], ctx);
      if (type !== 'varchar') this.problem(`Cannot cast ipaddress to ${typeText(type)}`, span);
      return this.tx(ipToTextSql(operand.sql), 'varchar', span, [operand], ctx);
    }
    // Trino has no cast between numbers (or booleans) and times: its analyzer's `Cannot cast bigint to
    // timestamp(3)`, where DuckDB's BIGINT -> TIMESTAMP is 'Unimplemented' as it runs and a DATE -> INTEGER answers.
    const numberLike = (t: SqlType) => isNumeric(t) || t === 'boolean';
    if (!isLoose(from) && ((numberLike(from) && isTime(type)) || (isTime(from) && numberLike(type))))
      this.problem(`Cannot cast ${typeText(from)} to ${typeText(type)}`, span);
    const target = duckdbType(type);
    if (from === 'timestamp with time zone' && operand.zone) {
      if (type === 'timestamp with time zone') return operand;
      // A zoned timestamp's text, date and plain timestamp are its wall clock's.
      if (type === 'varchar') return this.tx(zonedTextSql(operand.sql, operand.zone), 'varchar', span, [operand], ctx);
      if (type === 'timestamp' || type === 'date' || type === 'time')
        return this.tx(`CAST(${wallClockSql(operand.sql, operand.zone)} AS ${target})`, type, span, [operand], ctx);
    }
    if (from === 'varchar' && (type === 'timestamp' || type === 'timestamp with time zone'))
      return this.timestampFromText(operand, type, tryCast, span, ctx);
    if (type === 'varchar' && isInterval(from))
      return this.tx(intervalTextSql(operand.sql, from), 'varchar', span, [operand], ctx);
    let value = operand.sql;
    // Trino rounds half away from zero when a fraction becomes an integer; DuckDB's cast rounds half to even.
    if (isInteger(type) && (from === 'double' || from === 'real')) value = `round(${value})`;
    // Java's text of a double, as Trino's cast writes it (`1.0E7`; DuckDB's is `10000000.0`).
    if (type === 'varchar' && (from === 'double' || from === 'real'))
      return this.tx(javaNumberTextSql(value), 'varchar', span, [operand], ctx);
    if (type === 'varchar' && isTime(from)) {
      const fraction = from === 'date' ? '' : '.%g';
      const format = from === 'date' ? '%Y-%m-%d' : from === 'time' ? '%H:%M:%S.%g' : `%Y-%m-%d %H:%M:%S${fraction}`;
      const zone = from === 'timestamp with time zone' ? " || ' UTC'" : '';
      return this.tx(`(strftime(${value}, '${format}')${zone})`, 'varchar', span, [operand], ctx);
    }
    const read = from === 'varchar' && typeof type === 'string' ? TRINO_READS[type] : undefined;
    if (read) {
      // Text Trino does not read as the type fails (or is NULL), though DuckDB's cast would read it.
      const otherwise = tryCast ? 'NULL' : `error(${read.failure(value)})`;
      const sql = `(CASE WHEN ${value} IS NULL THEN NULL WHEN regexp_full_match(${value}, '${read.pattern}') THEN ${tryCast ? 'TRY_CAST' : 'CAST'}(${value} AS ${target}) ELSE ${otherwise} END)`;
      return this.tx(sql, type, span, [operand], ctx);
    }
    return this.tx(`${tryCast ? 'TRY_CAST' : 'CAST'}(${value} AS ${target})`, type, span, [operand], ctx);
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>, ctx: Ctx): Tx {
    if (e.op === 'and' || e.op === 'or') {
      const left = this.expr(e.left, ctx);
      const right = this.expr(e.right, ctx);
      this.expectBoolean(left, e.op.toUpperCase());
      this.expectBoolean(right, e.op.toUpperCase());
      const sql =
        this.equalityLists.merged(e.op, left.sql, right.sql) ?? `(${left.sql} ${e.op.toUpperCase()} ${right.sql})`;
      return this.tx(sql, 'boolean', e.span, [left, right], ctx);
    }
    const operandCtx = ctx.positive ? { ...ctx, positive: false } : ctx;
    const left = this.expr(e.left, operandCtx);
    const right = this.expr(e.right, operandCtx);
    if (COMPARISON_OPS.has(e.op)) return this.comparison(e.op, left, right, e, ctx);
    return this.arithmetic(e.op, left, right, e, ctx);
  }

  private comparison(op: BinaryOp, left: Tx, right: Tx, e: Extract<Expr, { kind: 'binary' }>, ctx: Ctx): Tx {
    if (!comparable(left.type, right.type))
      this.problem(`'${op}' cannot be applied to ${typeText(left.type)}, ${typeText(right.type)}`, e.opSpan);
    const children = [left, right];
    const range = this.partitionRange(left, op, right, ctx) ?? this.partitionRange(right, FLIPPED[op]!, left, ctx);
    if (range) return this.tx(range, 'boolean', e.span, children, ctx);
    const account =
      this.accountTest(left, right, (v) => `(${v} ${op} ${right.sql})`, ctx) ??
      this.accountTest(right, left, (v) => `(${left.sql} ${op} ${v})`, ctx);
    if (account) return this.tx(account, 'boolean', e.span, children, ctx);
    // An address against an IPv4 literal: the stored integer where there is one.
    if (left.type === 'ipaddress' || right.type === 'ipaddress') {
      const [subject, literal, o] =
        left.ip4 && typeof right.literal === 'string'
          ? [left, right, op]
          : right.ip4 && typeof left.literal === 'string'
            ? [right, left, FLIPPED[op]!]
            : [null, null, op];
      if (subject && literal && (literal.literal as string).startsWith(V4_PREFIX) && !subject.literal) {
        const n = parseInt((literal.literal as string).slice(24), 16);
        const sql = `(CASE WHEN ${subject.ip4} IS NOT NULL THEN ${subject.ip4} ${o} ${n} ELSE ${subject.sql} ${o} ${literal.sql} END)`;
        return this.tx(sql, 'boolean', e.span, children, ctx);
      }
    }
    // Text other than `-`: the stored column gives the same rows, and DuckDB filters it in the scan.
    let l = left.sql;
    let r = right.sql;
    if (ctx.positive) {
      if (left.dashedRaw && typeof right.literal === 'string' && !dashSatisfies(op, right.literal)) l = left.dashedRaw;
      if (right.dashedRaw && typeof left.literal === 'string' && !dashSatisfies(FLIPPED[op]!, left.literal))
        r = right.dashedRaw;
    }
    // A column equal to a constant: the makings of an IN list (equality-lists.ts).
    if (right.literal !== undefined && left.literal === undefined && r === right.sql) {
      const kind = typeText(right.type);
      if (op === '=') return this.tx(this.equalityLists.equality(l, r, kind), 'boolean', e.span, children, ctx);
      if (op === '<>')
        return this.tx(this.equalityLists.inequality(l, r, kind, null), 'boolean', e.span, children, ctx);
    }
    return this.tx(`(${l} ${op} ${r})`, 'boolean', e.span, children, ctx);
  }

  /**
   * A day partition compared with a constant, as a range of the day it shows. That day is the record's
   * start, whose range DuckDB tests against each row group's bounds, or its delivery folder's (`filed`,
   * `record.ts`), which comes at most a day after the start (S3 delivers a file every 5 minutes) and before
   * it by no more than clock skew (15 minutes, as the pull's listing allows in `s3-layout.ts`): then a range
   * of the start widened by those bounds comes first, for the row groups. Null when the comparison is not
   * of that form.
   */
  private partitionRange(column: Tx, op: BinaryOp, value: Tx, ctx: Ctx): string | null {
    const rec = column.record;
    if (!rec || !value.constant || value.aggregate || groupedAlone(column, ctx)) return null;
    const start = `${rec.rel}.start_time`;
    let day: string;
    if (rec.column.datePartition) {
      if (value.type !== 'date') return null;
      day = `CAST(${value.sql} AS TIMESTAMP)`;
    } else if (rec.column.timeFormat && typeof value.literal === 'string') {
      const iso = partitionDate(value.literal, rec.column.timeFormat);
      if (iso === null) return null;
      day = `TIMESTAMP '${iso}'`;
    } else return null;
    const own = dayRange(start, op, day);
    if (!rec.column.filed || !own) return own;
    const near = dayRange(
      start,
      op,
      day,
      (b) => `(${b} - INTERVAL 1 DAY)`,
      (b) => `(${b} + INTERVAL 15 MINUTE)`,
    );
    // The imports filed under the days asked for, as a list to look each record's up in: a correlated
    // subquery made DuckDB gather the records' imports and join them first (0.2 s for 2 M records, 0.05 s so).
    const imports = (where: string) => `${rec.rel}.import_id IN (SELECT i.id FROM main.imports AS i WHERE ${where})`;
    const filed = `CASE WHEN ${imports(`${FOLDER_DAY} IS NOT NULL`)} THEN ${imports(dayRange(FOLDER_DAY, op, day)!)} ELSE ${own} END`;
    return `(${near} AND ${filed})`;
  }

  /**
   * An account partition tested against text literals (`test` of its value, never NULL), as lists of imports to look each
   * record's up in: the imports whose path has an account folder, and of those the ones whose account
   * passes, else the record's own `account_id`. The column's value, a correlated subquery on the ledger,
   * made DuckDB join every record to its import; so the folder's regex runs once per import, and the filter
   * costs a lookup of the record's import. Null when the comparison is not of that form.
   */
  private accountTest(column: Tx, value: Tx, test: (value: string) => string, ctx: Ctx): string | null {
    const rec = column.record;
    if (!rec?.column.account || typeof value.literal !== 'string' || groupedAlone(column, ctx)) return null;
    const imports = (where: string) => `${rec.rel}.import_id IN (SELECT i.id FROM main.imports AS i WHERE ${where})`;
    const own = `coalesce(${rec.rel}."account_id", '-')`;
    return `(CASE WHEN ${imports(`${FOLDER_ACCOUNT} IS NOT NULL`)} THEN ${imports(test(FOLDER_ACCOUNT))} ELSE ${test(own)} END)`;
  }

  private arithmetic(op: BinaryOp, left: Tx, right: Tx, e: Extract<Expr, { kind: 'binary' }>, ctx: Ctx): Tx {
    const children = [left, right];
    const cannot = () =>
      this.problem(`'${op}' cannot be applied to ${typeText(left.type)}, ${typeText(right.type)}`, e.opSpan);
    if (op === '||') {
      if (isArray(left.type) || isArray(right.type)) {
        const type = isArray(left.type) ? left.type : right.type;
        const l = isArray(left.type) ? left.sql : `[${left.sql}]`;
        const r = isArray(right.type) ? right.sql : `[${right.sql}]`;
        return this.tx(`list_concat(${l}, ${r})`, type, e.span, children, ctx);
      }
      for (const side of [left, right]) if (!isLoose(side.type) && side.type !== 'varchar') cannot();
      return this.tx(`(${left.sql} || ${right.sql})`, 'varchar', e.span, children, ctx);
    }
    const lt = left.type;
    const rt = right.type;
    const interval = (t: SqlType) => typeof t === 'string' && t.startsWith('interval');
    if (isTime(lt) || isTime(rt) || interval(lt) || interval(rt)) {
      if ((op === '+' || op === '-') && isTime(lt) && interval(rt)) {
        // Trino adds months on the zone's calendar, and days to seconds as a fixed length.
        const calendar = left.zone && rt === 'interval year to month';
        const time = calendar ? wallClockSql(left.sql, left.zone) : left.sql;
        const sql = `(${time} ${op} ${right.sql})`;
        // A DATE plus whole days or months stays a DATE.
        if (lt === 'date') return this.tx(`CAST(${sql} AS DATE)`, 'date', e.span, children, ctx);
        const zone = left.zone ? { zone: left.zone } : {};
        return this.tx(calendar ? instantSql(sql, left.zone, left.sql) : sql, lt, e.span, children, ctx, zone);
      }
      if (op === '+' && interval(lt) && isTime(rt)) return this.arithmetic(op, right, left, e, ctx);
      if (op === '-' && isTime(lt) && isTime(rt)) {
        if (lt === 'date' && rt === 'date') cannot();
        return this.tx(`(${left.sql} - ${right.sql})`, 'interval day to second', e.span, children, ctx);
      }
      if ((op === '+' || op === '-') && interval(lt) && interval(rt))
        return this.tx(`(${left.sql} ${op} ${right.sql})`, lt, e.span, children, ctx);
      if ((op === '*' || op === '/') && interval(lt) && isNumeric(rt))
        return this.tx(`(${left.sql} ${op} ${right.sql})`, lt, e.span, children, ctx);
      if (op === '*' && isNumeric(lt) && interval(rt))
        return this.tx(`(${right.sql} * ${left.sql})`, rt, e.span, children, ctx);
      if (!isLoose(lt) && !isLoose(rt)) cannot();
    }
    for (const side of [lt, rt]) if (!isLoose(side) && !isNumeric(side) && !isTime(side) && !interval(side)) cannot();
    const type = numericResult(op, lt, rt);
    if ((op === '/' || op === '%') && isInteger(lt) && isInteger(rt)) {
      // Trino divides integers with truncation; DuckDB's `//` does too.
      const sql = `(${left.sql} ${op === '/' ? '//' : '%'} ${right.sql})`;
      return this.tx(this.divisorChecked(right, sql, ctx), type, e.span, children, ctx);
    }
    if (op === '/' && isDecimal(type)) {
      const sql = decimalQuotientSql(left, right, type);
      if (sql === null) this.problem(`Flowscope cannot divide ${typeText(lt)} by ${typeText(rt)} exactly.`, e.opSpan);
      return this.tx(this.divisorChecked(right, sql, ctx), type, e.span, children, ctx);
    }
    // DuckDB's decimal `%` is exact and of Trino's scale.
    const sql = `(${left.sql} ${op} ${right.sql})`;
    return this.tx(
      op === '%' && isDecimal(type) ? this.divisorChecked(right, sql, ctx) : sql,
      type,
      e.span,
      children,
      ctx,
    );
  }

  /** `sql`, dividing by `divisor`: a zero divisor fails as in Trino, where DuckDB answers NULL. */
  private divisorChecked(divisor: Tx, sql: string, ctx: Ctx): string {
    if (typeof divisor.literal === 'number' && divisor.literal !== 0) return sql;
    return `(CASE WHEN ${divisor.sql} = 0 THEN ${this.failure('Division by zero', ctx)} ELSE ${sql} END)`;
  }

  /** Trino's failure with `message`, or NULL inside try(). */
  private failure(message: string, ctx: Ctx): string {
    return this.failureOf(sqlString(message), ctx);
  }

  /** Trino's failure with the message made by `messageSql` as the query runs, or NULL inside try(). */
  private failureOf(messageSql: string, ctx: Ctx): string {
    return ctx.insideTry ? 'NULL' : `error(${messageSql})`;
  }

  // ── calls ────────────────────────────────────────────────────────────────────────────────────────

  private call(e: Extract<Expr, { kind: 'call' }>, ctx: Ctx): Tx {
    const name = e.name.name;
    const fn = lookupFunction(name);
    if (!fn && TRINO_ONLY.has(name.toLowerCase()))
      return this.problem(`Flowscope does not translate Trino's function '${name}'.`, e.name.span);
    if (!fn) return this.problem(`Function '${name}' not registered`, e.name.span, didYouMean(name, FUNCTION_NAMES));
    if (fn.kind === 'window' && !e.over) this.problem(`Window function ${name} requires an OVER clause`, e.span);
    const grouped = fn.kind === 'aggregate' && !e.over;
    if ((grouped || e.over) && !ctx.aggregates && !ctx.insideAggregate)
      this.problem(`WHERE, ON and GROUP BY clauses cannot contain aggregations or window functions: ${name}`, e.span);
    if (grouped && ctx.insideAggregate) this.problem('Cannot nest aggregations inside aggregation', e.span);
    if (fn.kind !== 'aggregate' && (e.distinct || e.filter || e.orderBy.length))
      this.problem(`DISTINCT, FILTER and ORDER BY apply to aggregate functions, not to ${name}.`, e.span);
    // An aggregate's arguments are evaluated before any try() around the aggregate, as in Trino.
    const argCtx: Ctx = grouped
      ? { ...ctx, insideAggregate: true, groupKeys: null, positive: false, insideTry: false }
      : { ...ctx, positive: false, insideTry: ctx.insideTry || name.toLowerCase() === 'try' };
    const args: Tx[] = [];
    for (const a of e.args) args.push(a.kind === 'lambda' ? this.lambda(a, args, argCtx) : this.expr(a, argCtx));
    const order = e.orderBy.map((o) => `${this.expr(o.expr, argCtx).sql} ${o.descending ? 'DESC' : 'ASC'}`);
    const modifiers = {
      before: e.distinct ? 'DISTINCT ' : '',
      after: order.length ? ` ORDER BY ${order.join(', ')}` : '',
    };
    const built = this.build(fn, name, args, e.span, ctx, modifiers);
    const zone =
      built.type !== 'timestamp with time zone'
        ? {}
        : built.zone !== undefined
          ? built.zone
            ? { zone: built.zone }
            : {}
          : commonZone(args);
    if (fn.kind === 'scalar')
      return this.tx(built.sql, built.type, e.span, args, ctx, { ...(built.ip4 ? { ip4: built.ip4 } : {}), ...zone });
    let sql = built.sql;
    // `count(DISTINCT col)` of a text column Athena reads with `-` for missing: the stored column's distinct
    // values and one more where it is missing. DuckDB counts the stored (dictionary) column's values without
    // making `-` for each record first (1.7 → 1.0 of hand-written SQL over 5 M records).
    const raw = args[0]?.record?.column.byFormat ? undefined : args[0]?.dashedRaw;
    if (
      name.toLowerCase() === 'count' &&
      e.distinct &&
      !e.filter &&
      !e.over &&
      !order.length &&
      args.length === 1 &&
      raw
    )
      sql = `(count(DISTINCT ${raw}) + CAST(coalesce(bool_or(${raw} IS NULL), FALSE) AS BIGINT))`;
    if (e.filter) sql += ` FILTER (WHERE ${this.expr(e.filter, argCtx).sql})`;
    let loose = NO_LOOSE;
    let aggregate = grouped || args.some((a) => a.aggregate);
    if (e.over) {
      const over = this.window(e.over, ctx);
      sql += ` OVER (${over.sql})`;
      aggregate ||= over.aggregate;
      loose = [...args.flatMap((a) => a.loose), ...over.loose];
    }
    if (built.wrap) sql = built.wrap(sql);
    if (ctx.groupKeys?.has(sql)) loose = NO_LOOSE;
    return { sql, type: built.type, span: e.span, constant: false, aggregate, loose, ...zone };
  }

  /** A lambda argument: its parameters typed by the first argument's elements, its body translated. */
  private lambda(a: Extract<Expr, { kind: 'lambda' }>, before: Tx[], ctx: Ctx): Tx {
    const first = before[0];
    const element: SqlType = first && isArray(first.type) ? first.type.array : 'any';
    const lambdas = new Map(ctx.lambdas);
    const names = a.params.map((p, i) => {
      // A second parameter of list_filter/list_transform is the element's position.
      const sqlName = sqlIdent(`${p.name}${this.alias('_p')}`);
      lambdas.set(p.name, { name: p.name, type: i === 0 ? element : 'bigint', sql: sqlName });
      return sqlName;
    });
    const body = this.expr(a.body, { ...ctx, lambdas, positive: false });
    return { ...body, sql: `lambda ${names.join(', ')}: ${body.sql}`, span: a.span };
  }

  private build(
    fn: AthenaFunction,
    name: string,
    args: Tx[],
    span: SourceSpan,
    ctx: Ctx,
    modifiers = { before: '', after: '' },
  ): Built {
    if (args.length < fn.min || args.length > fn.max) {
      const count = fn.min === fn.max ? `${fn.min}` : `${fn.min} to ${fn.max}`;
      this.problem(`Function '${name}' takes ${count} argument${count === '1' ? '' : 's'}, not ${args.length}.`, span);
    }
    return fn.build({
      args,
      span,
      fail: (message, at, hint) => this.problem(message, at ?? span, hint),
      cast: (t, type) => this.cast(t, { name: type, params: [], span: t.span }, false, t.span, ctx),
      failure: (message) => this.failure(message, ctx),
      aggregateArgs: (sqls) => `${modifiers.before}${sqls.join(', ')}${modifiers.after}`,
      positive: ctx.positive,
    });
  }

  private window(w: WindowSpec, ctx: Ctx): { sql: string; loose: Ident[]; aggregate: boolean } {
    const parts: Tx[] = [];
    const clauses: string[] = [];
    if (w.partitionBy.length) {
      const ps = w.partitionBy.map((p) => this.expr(p, ctx));
      parts.push(...ps);
      clauses.push(`PARTITION BY ${ps.map((p) => p.sql).join(', ')}`);
    }
    if (w.orderBy.length) {
      const os = w.orderBy.map((o) => ({ o, t: this.expr(o.expr, ctx) }));
      parts.push(...os.map((x) => x.t));
      clauses.push(
        `ORDER BY ${os.map(({ o, t }) => `${t.sql} ${o.descending ? 'DESC' : 'ASC'} NULLS ${o.nulls === 'first' ? 'FIRST' : 'LAST'}`).join(', ')}`,
      );
    }
    if (w.frame) clauses.push(w.frame);
    return { sql: clauses.join(' '), loose: parts.flatMap((p) => p.loose), aggregate: parts.some((p) => p.aggregate) };
  }
}

/** EXTRACT fields as the functions that answer them. */
const EXTRACT_FIELDS: Record<string, string> = {
  year: 'year',
  quarter: 'quarter',
  month: 'month',
  week: 'week',
  day: 'day',
  day_of_month: 'day',
  day_of_week: 'day_of_week',
  dow: 'day_of_week',
  day_of_year: 'day_of_year',
  doy: 'day_of_year',
  year_of_week: 'year_of_week',
  yow: 'year_of_week',
  hour: 'hour',
  minute: 'minute',
  second: 'second',
};

/** The name Trino gives a select item without an alias: a column's own name or a row field's name. */
function derivedName(e: Expr): string | null {
  if (e.kind === 'column') return e.parts[e.parts.length - 1]!.name;
  if (e.kind === 'field') return e.field.name;
  return null;
}

/** Whether an aggregate function is called in `e` (not in sub-queries, not as a window function). */
function containsAggregate(e: Expr): boolean {
  let found = false;
  walkExpr(e, (x) => {
    if (x.kind === 'call' && !x.over && AGGREGATES.has(x.name.name)) found = true;
  });
  return found;
}
