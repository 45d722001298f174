/**
 * DuckDB SQL over the workspace as Trino SQL over the team's Athena table: the user's SQL dialect as
 * typed, and the Insights and Sumo plans as `compile.ts` writes them (one back end reads the other's
 * output, so the two answer alike by construction and each dialect needs no Trino code of its own).
 *
 * `flows` (and `main.flows`) becomes a WITH query over the table, within the time range, that shows the
 * workspace's columns: the flow-log fields under their Athena names, and the derived `start_time`,
 * `end_time`, `src_ip4`, `dst_ip4` computed from them. Expressions are written again in Trino: DuckDB's
 * functions and operators as their Trino equivalents with DuckDB's meaning (`/` divides as doubles,
 * `split_part` past the end is '', `concat` skips NULLs), the enrichment that needs only the query
 * (protocol names, TCP flags, traffic paths, CIDR tests) inlined. What needs the workspace (the VPC ranges
 * of `direction`, the IANA service table, the import ledger) or has no Trino form is refused, naming it.
 */
import { TCP_FLAGS, TRAFFIC_PATHS } from '../../catalog/flow-codes';
import { IANA_PROTOCOLS } from '../../catalog/generated/iana-protocols';
import { FLOW_FIELDS, type FlowField } from '../../catalog/fields';
import { parseCidr, ipv4Text } from '../../catalog/ip';
import { sqlString } from '../../catalog/sql-quote';
import type { TimeBounds } from '../compile';
import type { SourceSpan } from '../plan';
import { QueryProblem } from '../source';
import type {
  Expr,
  OrderItem,
  Query,
  QueryBody,
  Relation,
  Select,
  SelectItem,
  Statement,
  TypeName,
} from '../sql-syntax/ast';
import { parseSqlStatement } from '../sql-syntax/parser';
import { walkExpr, walkStatement } from '../sql-syntax/walk';
import { refuseExplain, refusingProblems, type TrinoCompiled } from './compiled';
import { quoteTrino as q, tableSql, timeRangePredicates, type AthenaTable } from './table';

const isHugeintZero = (e: Expr) =>
  e.kind === 'cast' &&
  !e.try &&
  e.type.name.toLowerCase() === 'hugeint' &&
  e.operand.kind === 'number' &&
  e.operand.text === '0';

const ipv4IntegerTrino = (col: string) =>
  `CASE WHEN regexp_like(${col}, '^\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$') THEN ` +
  [1, 2, 3, 4].map((i, k) => `CAST(split_part(${col}, '.', ${i}) AS bigint) * ${2 ** (8 * (3 - k))}`).join(' + ') +
  ' END';

/** The workspace's derived columns, as Trino over the Athena table. */
const DERIVED: Record<string, string> = {
  start_time: 'CAST(from_unixtime("start") AS timestamp)',
  end_time: 'CAST(from_unixtime("end") AS timestamp)',
  src_ip4: ipv4IntegerTrino('"srcaddr"'),
  dst_ip4: ipv4IntegerTrino('"dstaddr"'),
};

const NEEDS_WORKSPACE: Record<string, string> = {
  direction: "direction() needs the workspace's VPC ranges",
  in_vpc_: "direction() needs the workspace's VPC ranges",
  in_vpc4_: "direction() needs the workspace's VPC ranges",
  in_vpc6_: "direction() needs the workspace's VPC ranges",
  service_name: 'serviceName() needs the IANA service table, which Athena does not have',
  is_private_ip: 'isPrivateIp() is Flowscope enrichment without a Trino form',
  is_public_ip: 'isPublicIp() is Flowscope enrichment without a Trino form',
  ip4_to_int: 'ip4_to_int() has no Trino form here',
  list_filter: 'this expression has no Trino form here',
  unnest: 'unnest has no Trino form here',
  // The address lookups (`queries/catalog/address-data.ts`) as compiled queries call them.
  ...Object.fromEntries(
    ['geo_country', 'asn_number', 'asn_org', 'aws_service', 'aws_region'].map((m) => [
      `${m}_k`,
      "Address lookups read the workspace's address data",
    ]),
  ),
};

const TYPES: Record<string, string> = {
  varchar: 'varchar',
  text: 'varchar',
  string: 'varchar',
  integer: 'integer',
  int: 'integer',
  int4: 'integer',
  bigint: 'bigint',
  int8: 'bigint',
  smallint: 'smallint',
  tinyint: 'tinyint',
  ubigint: 'bigint',
  uinteger: 'bigint',
  usmallint: 'integer',
  utinyint: 'smallint',
  hugeint: 'decimal(38, 0)',
  double: 'double',
  float8: 'double',
  float: 'real',
  real: 'real',
  boolean: 'boolean',
  bool: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
  decimal: 'decimal',
};

const INTERVAL_MS: Record<string, number> = {
  millisecond: 1,
  milliseconds: 1,
  ms: 1,
  second: 1000,
  seconds: 1000,
  minute: 60_000,
  minutes: 60_000,
  hour: 3_600_000,
  hours: 3_600_000,
  day: 86_400_000,
  days: 86_400_000,
};

const str = sqlString;

class TrinoWriter {
  constructor(private readonly text: string) {}

  private refuse(message: string, span: SourceSpan): never {
    throw new QueryProblem(`${message}; the query cannot run on Athena.`, span);
  }

  query(query: Query, flowsName: string): string {
    if (query.with?.recursive) this.refuse('WITH RECURSIVE', query.span);
    const ctes = (query.with?.ctes ?? []).map(
      (c) =>
        `${q(c.name.name)}${c.columns ? ` (${c.columns.map((x) => q(x.name)).join(', ')})` : ''} AS (${this.query(c.query, flowsName)})`,
    );
    let sql = this.body(query.body, flowsName, query.orderBy, query.limit, query.offset);
    if (ctes.length) sql = `WITH ${ctes.join(', ')} ${sql}`;
    return sql;
  }

  private tail(
    orderBy: OrderItem[],
    limit: Expr | null,
    offset: Expr | null,
    alias: (e: Expr) => string | null = () => null,
  ): string {
    let sql = '';
    if (orderBy.length)
      sql += ` ORDER BY ${orderBy.map((o) => `${alias(o.expr) ?? this.expr(o.expr)}${o.descending ? ' DESC' : ' ASC'}${o.nulls ? ` NULLS ${o.nulls.toUpperCase()}` : ' NULLS LAST'}`).join(', ')}`;
    if (offset) sql += ` OFFSET ${this.expr(offset)}`;
    if (limit) sql += ` LIMIT ${this.expr(limit)}`;
    return sql;
  }

  private body(b: QueryBody, flowsName: string, orderBy: OrderItem[], limit: Expr | null, offset: Expr | null): string {
    switch (b.kind) {
      case 'select':
        return this.select(b, flowsName, orderBy, limit, offset);
      case 'set':
        return `(${this.body(b.left, flowsName, [], null, null)}) ${b.op.toUpperCase()}${b.all ? ' ALL' : ' DISTINCT'} (${this.body(b.right, flowsName, [], null, null)})${this.tail(orderBy, limit, offset)}`;
      case 'nested':
        return `SELECT * FROM (${this.query(b.query, flowsName)}) AS "_n"${this.tail(orderBy, limit, offset)}`;
      case 'values':
        return `SELECT * FROM (VALUES ${b.rows.map((r) => `(${r.map((e) => this.expr(e)).join(', ')})`).join(', ')})${this.tail(orderBy, limit, offset)}`;
    }
  }

  private item(i: SelectItem): string {
    if (i.kind === 'star') return i.qualifier ? `${i.qualifier.map((x) => q(x.name)).join('.')}.*` : '*';
    return `${this.expr(i.expr)}${i.alias ? ` AS ${q(i.alias.name)}` : ''}`;
  }

  private select(s: Select, flowsName: string, orderBy: OrderItem[], limit: Expr | null, offset: Expr | null): string {
    const items = s.items.map((i) => this.item(i)).join(', ');
    const from = s.from.length ? ` FROM ${s.from.map((r) => this.relation(r, flowsName)).join(', ')}` : '';
    const where = s.where ? ` WHERE ${this.expr(s.where)}` : '';
    const keys = s.groupBy?.all
      ? s.items.flatMap((i) => (i.kind === 'expr' && !hasAggregate(i.expr) ? [this.expr(i.expr)] : []))
      : (s.groupBy?.elements ?? []).map((g) =>
          g.kind === 'expr' ? this.expr(g.expr) : this.refuse('ROLLUP, CUBE and GROUPING SETS', g.span),
        );
    const group = keys.length ? ` GROUP BY ${keys.join(', ')}` : '';
    const having = s.having ? ` HAVING ${this.expr(s.having)}` : '';
    const distinct = s.distinct ? 'DISTINCT ' : '';
    if (!s.qualify)
      return `SELECT ${distinct}${items}${from}${where}${group}${having}${this.tail(orderBy, limit, offset)}`;
    // Trino has no QUALIFY: the condition becomes a column of an inner SELECT that an outer one filters on,
    // with the sort keys that are not result columns carried along.
    const aliases = s.items.map((i) =>
      i.kind === 'expr' && i.alias ? i.alias.name : this.refuse('A QUALIFY over unnamed columns', i.span),
    );
    const extra = orderBy.filter(
      (o) => !(o.expr.kind === 'column' && o.expr.parts.length === 1 && aliases.includes(o.expr.parts[0]!.name)),
    );
    const inner =
      `SELECT ${distinct}${items}` +
      `${extra.map((o, n) => `, ${this.expr(o.expr)} AS "_o${n}"`).join('')}, (${this.expr(s.qualify)}) AS "_keep"${from}${where}${group}${having}`;
    const alias = (e: Expr) => {
      const n = extra.findIndex((o) => o.expr === e);
      return n >= 0 ? `"_o${n}"` : null;
    };
    return `SELECT ${aliases.map(q).join(', ')} FROM (${inner}) AS "_q" WHERE "_keep"${this.tail(orderBy, limit, offset, alias)}`;
  }

  private relation(r: Relation, flowsName: string): string {
    const alias = (a: { name: string } | null, columns: { name: string }[] | null) =>
      a ? ` AS ${q(a.name)}${columns ? ` (${columns.map((c) => q(c.name)).join(', ')})` : ''}` : '';
    switch (r.kind) {
      case 'table': {
        const name = r.name.map((p) => p.name);
        const flows =
          name[name.length - 1] === 'flows' && (name.length === 1 || (name.length === 2 && name[0] === 'main'));
        if (!flows && name.length > 1) this.refuse(`The table ${name.join('.')} is in the workspace only`, r.span);
        return `${flows ? q(flowsName) : q(name[0]!)}${alias(r.alias, r.columns)}`;
      }
      case 'derived':
        return `${r.lateral ? 'LATERAL ' : ''}(${this.query(r.query, flowsName)})${alias(r.alias, r.columns) || ` AS "_d"`}`;
      case 'unnest':
        return this.refuse('UNNEST', r.span);
      case 'join': {
        const kind = { inner: 'JOIN', left: 'LEFT JOIN', right: 'RIGHT JOIN', full: 'FULL JOIN', cross: 'CROSS JOIN' }[
          r.type
        ];
        const cond = r.on
          ? ` ON ${this.expr(r.on)}`
          : r.using
            ? ` USING (${r.using.map((u) => q(u.name)).join(', ')})`
            : '';
        return `${this.relation(r.left, flowsName)} ${kind} ${this.relation(r.right, flowsName)}${cond}`;
      }
    }
  }

  private type(t: TypeName): string {
    if (t.name === 'array' && typeof t.params[0] === 'object') return `array(${this.type(t.params[0])})`;
    const base = TYPES[t.name];
    // The address lookups' keys: country, ASN and AWS service come from data in the workspace.
    if (t.name === 'uhugeint') this.refuse("Address lookups read the workspace's address data", t.span);
    if (!base) this.refuse(`The type ${t.name.toUpperCase()}`, t.span);
    return base === 'decimal' && t.params.length ? `decimal(${t.params.join(', ')})` : base;
  }

  /** A whole number of calendar months (`INTERVAL '3 months'`, Insights' `bin(1q)`), or undefined. */
  private intervalMonths(e: Extract<Expr, { kind: 'interval' }>): number | undefined {
    const written = e.from === null ? /^\s*(\d+)\s*(months?|years?)\s*$/i.exec(e.value) : null;
    const [count, unit] = written ? [written[1]!, written[2]!.toLowerCase()] : [e.value, e.to === null ? e.from : ''];
    if (!/^\d+$/.test(count)) return undefined;
    const months = unit?.startsWith('month') ? 1 : unit?.startsWith('year') ? 12 : undefined;
    return months === undefined ? undefined : Number(count) * months * (e.negative ? -1 : 1);
  }

  private intervalSeconds(e: Extract<Expr, { kind: 'interval' }>): number {
    let ms: number | undefined;
    if (e.from === null) {
      const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(e.value);
      ms = m ? Number(m[1]) * (INTERVAL_MS[m[2]!.toLowerCase()] ?? NaN) : NaN;
    } else if (e.to === null && e.from !== 'month' && e.from !== 'year') {
      ms = Number(e.value) * (INTERVAL_MS[e.from] ?? (e.from === 'week' ? 7 * 86_400_000 : NaN));
    }
    if (ms === undefined || !Number.isFinite(ms)) this.refuse(`The interval '${e.value}'`, e.span);
    return (e.negative ? -ms : ms) / 1000;
  }

  expr(e: Expr): string {
    switch (e.kind) {
      case 'column':
        return e.parts.map((p) => q(p.name)).join('.');
      case 'string':
        return str(e.value);
      case 'number':
        return e.text;
      case 'boolean':
        return e.value ? 'TRUE' : 'FALSE';
      case 'null':
        return 'NULL';
      case 'typed':
        if (['timestamp', 'date', 'time'].includes(e.type.name)) return `${e.type.name.toUpperCase()} ${str(e.value)}`;
        return `CAST(${str(e.value)} AS ${this.type(e.type)})`;
      case 'interval': {
        const months = this.intervalMonths(e);
        return months === undefined ? `INTERVAL '${this.intervalSeconds(e)}' SECOND` : `INTERVAL '${months}' MONTH`;
      }
      case 'unary':
        return e.op === 'not' ? `(NOT ${this.expr(e.operand)})` : `(${e.op} ${this.expr(e.operand)})`;
      case 'binary':
        return this.binary(e);
      case 'between':
        return `(${this.expr(e.operand)} ${e.negated ? 'NOT ' : ''}BETWEEN ${this.expr(e.low)} AND ${this.expr(e.high)})`;
      case 'in':
        if (!Array.isArray(e.list))
          return `(${this.expr(e.operand)} ${e.negated ? 'NOT IN' : 'IN'} (${this.query(e.list, 'flows')}))`;
        return `(${this.expr(e.operand)} ${e.negated ? 'NOT IN' : 'IN'} (${e.list.map((x) => this.expr(x)).join(', ')}))`;
      case 'like': {
        const [o, p] = e.caseInsensitive
          ? [`lower(${this.expr(e.operand)})`, `lower(${this.expr(e.pattern)})`]
          : [this.expr(e.operand), this.expr(e.pattern)];
        return `(${o} ${e.negated ? 'NOT LIKE' : 'LIKE'} ${p}${e.escape ? ` ESCAPE ${this.expr(e.escape)}` : ''})`;
      }
      case 'is-null':
        return `(${this.expr(e.operand)} IS ${e.negated ? 'NOT ' : ''}NULL)`;
      case 'is-distinct':
        return `(${this.expr(e.left)} IS ${e.negated ? 'NOT ' : ''}DISTINCT FROM ${this.expr(e.right)})`;
      case 'is-bool':
        return `(${this.expr(e.operand)} IS ${e.negated ? 'NOT ' : ''}${e.value ? 'TRUE' : 'FALSE'})`;
      case 'case':
        return `CASE${e.operand ? ` ${this.expr(e.operand)}` : ''} ${e.whens.map((w) => `WHEN ${this.expr(w.when)} THEN ${this.expr(w.then)}`).join(' ')}${e.else ? ` ELSE ${this.expr(e.else)}` : ''} END`;
      case 'cast':
        return `${e.try ? 'TRY_CAST' : 'CAST'}(${this.expr(e.operand)} AS ${this.type(e.type)})`;
      case 'call':
        return this.call(e);
      case 'extract':
        return `extract(${e.field.name.toUpperCase()} FROM ${this.expr(e.operand)})`;
      case 'subquery':
        return `(${this.query(e.query, 'flows')})`;
      case 'exists':
        return `EXISTS (${this.query(e.query, 'flows')})`;
      case 'array':
        return `ARRAY[${e.items.map((i) => this.expr(i)).join(', ')}]`;
      case 'row':
        return `ROW(${e.items.map((i) => this.expr(i)).join(', ')})`;
      case 'lambda':
        return `(${e.params.map((p) => q(p.name)).join(', ')}) -> ${this.expr(e.body)}`;
      case 'subscript':
        return `element_at(${this.expr(e.operand)}, ${this.expr(e.index)})`;
      default:
        return this.refuse(
          `\`${this.text.slice(e.span.offset, e.span.offset + Math.min(e.span.length, 40))}\``,
          e.span,
        );
    }
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>): string {
    // `x + CAST(0 AS HUGEINT)`: compile.ts widens Insights and Sumo arithmetic past BIGINT for DuckDB. Trino
    // has no such integer (a DECIMAL would change the answer's type); Athena's BIGINT arithmetic is its own.
    if (e.op === '+' && isHugeintZero(e.right)) return this.expr(e.left);
    const l = this.expr(e.left);
    const r = this.expr(e.right);
    switch (e.op) {
      case '/':
        // DuckDB divides integers as doubles.
        return `(CAST(${l} AS double) / ${r})`;
      case '//':
        return `CAST(truncate(CAST(${l} AS double) / ${r}) AS bigint)`;
      case '**':
        return `power(${l}, ${r})`;
      case 'and':
      case 'or':
        return `(${l} ${e.op.toUpperCase()} ${r})`;
      default:
        return `(${l} ${e.op} ${r})`;
    }
  }

  private call(e: Extract<Expr, { kind: 'call' }>): string {
    const name = e.name.name;
    if (NEEDS_WORKSPACE[name]) this.refuse(NEEDS_WORKSPACE[name], e.span);
    const args = e.args.map((a) => this.expr(a));
    const arg = (i: number) => args[i] ?? this.refuse(`${name}() without its argument`, e.span);
    const over = e.over
      ? ` OVER (${[
          e.over.partitionBy.length ? `PARTITION BY ${e.over.partitionBy.map((p) => this.expr(p)).join(', ')}` : '',
          e.over.orderBy.length
            ? `ORDER BY ${e.over.orderBy.map((o) => `${this.expr(o.expr)}${o.descending ? ' DESC' : ' ASC'} NULLS ${o.nulls === 'first' ? 'FIRST' : 'LAST'}`).join(', ')}`
            : '',
          e.over.frame ?? '',
        ]
          .filter(Boolean)
          .join(' ')})`
      : '';
    const filter = e.filter ? ` FILTER (WHERE ${this.expr(e.filter)})` : '';
    const distinct = e.distinct ? 'DISTINCT ' : '';
    const agg = (fn: string, list = args) => `${fn}(${e.star ? '*' : distinct + list.join(', ')})${filter}${over}`;
    switch (name) {
      case 'count':
      case 'sum':
      case 'avg':
      case 'min':
      case 'max':
      case 'count_if':
      case 'bool_and':
      case 'bool_or':
      case 'stddev_samp':
      case 'stddev_pop':
      case 'var_samp':
      case 'var_pop':
      case 'row_number':
      case 'rank':
      case 'dense_rank':
      case 'lag':
      case 'lead':
      case 'first_value':
      case 'last_value':
        return agg(name);
      case 'stddev':
        return agg('stddev_samp');
      case 'approx_count_distinct':
        return agg('approx_distinct');
      case 'quantile_disc':
      case 'quantile':
        return agg('approx_percentile');
      case 'median':
        return agg('approx_percentile', [arg(0), '0.5']);
      case 'arg_max':
      case 'arg_max_null':
      case 'max_by':
        return agg('max_by');
      case 'arg_min':
      case 'arg_min_null':
      case 'min_by':
        return agg('min_by');
      case 'any_value':
      case 'first':
        return agg('arbitrary');
      case 'list_transform':
        return `transform(${args.join(', ')})`;
      case 'ip6_hex':
        // The 32 hex digits of an IPv6 address (an IPv4 one has none, as locally).
        return `(CASE WHEN strpos(${arg(0)}, ':') > 0 THEN lower(to_hex(CAST(TRY_CAST(${arg(0)} AS IPADDRESS) AS varbinary))) END)`;
      case 'list':
      case 'array_agg':
        return agg('array_agg');
      case 'time_bucket': {
        const width = e.args[0];
        if (width?.kind !== 'interval')
          return this.refuse('time_bucket() with a width that is not a literal interval', e.span);
        // The pipe dialects' bins count from the epoch (`epochBucketSql`); another origin is not translated.
        const epoch = e.args.length === 3;
        if (epoch && !/^DATE '1970-01-01'$/i.test(arg(2)))
          return this.refuse('time_bucket() from an origin other than 1970-01-01', e.span);
        // Months are counted from 1970-01 (the epoch) or 2000-01, as DuckDB's time_bucket counts them without
        // an origin: either way 3 are quarters, 12 years.
        const months = this.intervalMonths(width);
        if (months !== undefined) {
          const year = epoch ? 1970 : 2000;
          const since = `((year(${arg(1)}) - ${year}) * 12 + month(${arg(1)}) - 1)`;
          return `date_add('month', CAST(floor(${since} / ${months}.0) * ${months} AS bigint), TIMESTAMP '${year}-01-01 00:00:00.000')`;
        }
        const s = this.intervalSeconds(width);
        return `CAST(from_unixtime(floor(to_unixtime(${arg(1)}) / ${s}) * ${s}) AS timestamp)`;
      }
      case 'epoch_ms': {
        // DuckDB's epoch_ms turns milliseconds into a time, or a time into milliseconds.
        const inner = e.args[0];
        const isNumber = inner?.kind === 'number' || (inner?.kind === 'cast' && /int/.test(inner.type.name));
        return isNumber
          ? `CAST(from_unixtime(${arg(0)} / 1000.0) AS timestamp)`
          : `CAST(to_unixtime(${arg(0)}) * 1000 AS bigint)`;
      }
      case 'epoch':
        return `to_unixtime(${arg(0)})`;
      case 'make_timestamp':
        return `CAST(from_unixtime(${arg(0)} / 1000000.0) AS timestamp)`;
      case 'strftime':
        return `date_format(${arg(0)}, ${this.strftime(e.args[1], e.span)})`;
      case 'date_trunc':
      case 'year':
      case 'month':
      case 'day':
      case 'hour':
      case 'minute':
      case 'second':
      case 'quarter':
      case 'week':
        return `${name}(${args.join(', ')})`;
      case 'isodow':
        return `day_of_week(${arg(0)})`;
      case 'dayofweek':
        return `(day_of_week(${arg(0)}) % 7)`;
      case 'dayofyear':
        return `day_of_year(${arg(0)})`;
      case 'regexp_matches':
      case 'regexp_full_match': {
        const flags = e.args[2]?.kind === 'string' ? e.args[2].value : '';
        const pattern = e.args[1]?.kind === 'string' ? e.args[1].value : null;
        if (pattern === null) return this.refuse(`${name}() with a pattern that is not a literal`, e.span);
        const p = `${flags.includes('i') ? '(?i)' : ''}${name === 'regexp_full_match' ? `^(?:${pattern})$` : pattern}`;
        return `regexp_like(${arg(0)}, ${str(p)})`;
      }
      case 'regexp_extract':
        if (e.args[2]?.kind === 'array') return this.refuse('parse with named parts', e.span);
        return `coalesce(regexp_extract(${args.join(', ')}), '')`;
      case 'regexp_extract_all': {
        // Every match of the whole pattern, in both (Trino's group 0 by default, as DuckDB's).
        if (e.args[1]?.kind !== 'string' || e.args.length !== 2)
          return this.refuse(`${name}() with a pattern that is not a literal, or of a group`, e.span);
        return `regexp_extract_all(${arg(0)}, ${arg(1)})`;
      }
      case 'regexp_replace': {
        if (e.args[3]?.kind !== 'string' || !e.args[3].value.includes('g'))
          return this.refuse('regexp_replace() of the first match only', e.span);
        const r = e.args[2]?.kind === 'string' ? str(e.args[2].value.replace(/\\(\d)/g, '$$$1')) : arg(2);
        return `regexp_replace(${arg(0)}, ${arg(1)}, ${r})`;
      }
      case 'contains':
        return `(strpos(${arg(0)}, ${arg(1)}) > 0)`;
      case 'prefix':
      case 'starts_with':
        return `starts_with(${arg(0)}, ${arg(1)})`;
      case 'suffix':
      case 'ends_with':
        return `(substr(${arg(0)}, -length(${arg(1)})) = ${arg(1)})`;
      case 'lower':
      case 'upper':
      case 'length':
      case 'trim':
      case 'ltrim':
      case 'rtrim':
      case 'reverse':
      case 'replace':
      case 'lpad':
      case 'rpad':
      case 'substring':
      case 'substr':
      case 'strpos':
      case 'concat_ws':
      case 'coalesce':
      case 'nullif':
      case 'abs':
      case 'ceil':
      case 'floor':
      case 'round':
      case 'sqrt':
      case 'ln':
      case 'exp':
      case 'log10':
      case 'log2':
      case 'power':
      case 'sign':
        return `${name}(${args.join(', ')})`;
      case 'ceiling':
        return `ceil(${arg(0)})`;
      case 'pow':
        return `power(${args.join(', ')})`;
      case 'concat':
        // DuckDB's concat skips NULLs.
        return `concat(${args.map((a) => `coalesce(CAST(${a} AS varchar), '')`).join(', ')})`;
      case 'split_part':
        return `coalesce(split_part(${args.join(', ')}), '')`;
      case 'string_split':
      case 'str_split':
        return `split(${arg(0)}, ${arg(1)})`;
      case 'len':
      case 'array_length':
        return `cardinality(${arg(0)})`;
      case 'greatest':
      case 'least':
        // DuckDB's skip NULLs.
        if (args.length !== 2) return this.refuse(`${name}() of more than two values`, e.span);
        return `${name}(coalesce(${arg(0)}, ${arg(1)}), coalesce(${arg(1)}, ${arg(0)}))`;
      case 'protocol_name': {
        const names = Array.from({ length: 256 }, (_, n) => {
          const keyword = IANA_PROTOCOLS.find(([p]) => p === n)?.[1];
          return keyword ? str(keyword) : 'NULL';
        });
        return `(CASE WHEN ${arg(0)} BETWEEN 0 AND 255 THEN element_at(ARRAY[${names.join(', ')}], CAST(${arg(0)} AS integer) + 1) END)`;
      }
      case 'tcp_flag_names': {
        const f = arg(0);
        return `(CASE WHEN ${f} IS NOT NULL THEN concat_ws(',', ${TCP_FLAGS.map(([n, bit]) => `CASE WHEN bitwise_and(${f}, ${bit}) <> 0 THEN ${str(n)} END`).join(', ')}) END)`;
      }
      case 'traffic_path_name':
        return `(CASE ${arg(0)} ${TRAFFIC_PATHS.map(([n, t]) => `WHEN ${n} THEN ${str(t)}`).join(' ')} END)`;
      case 'ip_in_cidr':
      case 'compare_cidr_prefix': {
        const cidrArg = name === 'ip_in_cidr' ? e.args[1] : e.args[0];
        const bits = name === 'compare_cidr_prefix' ? e.args[2] : null;
        if (cidrArg?.kind !== 'string' || (bits && bits.kind !== 'number'))
          return this.refuse(`${name}() with a network that is not a literal`, e.span);
        const cidr = bits ? `${cidrArg.value}/${bits.kind === 'number' ? bits.text : ''}` : cidrArg.value;
        const range = parseCidr(cidr);
        if (!range) return this.refuse(`The network ${cidr}`, e.span);
        const network = range.family === 4 ? `${ipv4Text(range.lo)}/${cidr.split('/')[1] ?? 32}` : cidr;
        return `contains(${str(network)}, TRY_CAST(${name === 'ip_in_cidr' ? arg(0) : arg(1)} AS IPADDRESS))`;
      }
      default:
        return this.refuse(`The DuckDB function ${name}()`, e.name.span);
    }
  }

  /** A strftime pattern as Trino's MySQL-style one. */
  private strftime(e: Expr | undefined, span: SourceSpan): string {
    if (e?.kind !== 'string') return this.refuse('strftime() with a pattern that is not a literal', span);
    const map: Record<string, string> = {
      Y: '%Y',
      m: '%m',
      d: '%d',
      H: '%H',
      M: '%i',
      S: '%s',
      y: '%y',
      j: '%j',
      b: '%b',
      B: '%M',
      a: '%a',
      A: '%W',
      p: '%p',
      I: '%h',
      f: '%f',
      '%': '%%',
    };
    return str(
      e.value.replace(/%(-?)(.)/g, (_m, dash: string, c: string) => {
        if (dash) return { d: '%e', m: '%c', H: '%k', I: '%l' }[c] ?? this.refuse(`The strftime pattern %-${c}`, span);
        return map[c] ?? this.refuse(`The strftime pattern %${c}`, span);
      }),
    );
  }
}

/** DuckDB's aggregate functions that plans and analysts use: what `GROUP BY ALL` leaves out of the keys. */
const AGGREGATES = new Set([
  'count',
  'sum',
  'avg',
  'min',
  'max',
  'count_if',
  'bool_and',
  'bool_or',
  'stddev',
  'stddev_samp',
  'stddev_pop',
  'var_samp',
  'var_pop',
  'approx_count_distinct',
  'quantile',
  'quantile_disc',
  'median',
  'arg_max',
  'arg_min',
  'arg_max_null',
  'arg_min_null',
  'max_by',
  'min_by',
  'any_value',
  'first',
  'list',
  'array_agg',
]);

function hasAggregate(e: Expr): boolean {
  let found = false;
  walkExpr(e, (x) => {
    if (x.kind === 'call' && !x.over && AGGREGATES.has(x.name.name)) found = true;
  });
  return found;
}

/**
 * The result's column names as DuckDB gives them (an alias as written, quoted or not), which Athena's
 * lower-cased labels lose; null when one is an expression DuckDB names by its text, or a `*`.
 */
function resultNames(statement: Statement, text: string): string[] | null {
  let body = statement.query.body;
  while (body.kind === 'set') body = body.left;
  if (body.kind !== 'select') return null;
  const names: string[] = [];
  for (const item of body.items) {
    if (item.kind === 'star') return null;
    if (item.alias) {
      const written = text.slice(item.alias.span.offset, item.alias.span.offset + item.alias.span.length);
      names.push(item.alias.quoted ? written.slice(1, -1).replace(/""/g, '"') : written);
    } else if (item.expr.kind === 'column') names.push(item.expr.parts[item.expr.parts.length - 1]!.name);
    else return null;
  }
  return names;
}

/** The workspace columns a statement names (the last part of each column reference). */
function namedColumns(statement: Statement): Set<string> {
  const out = new Set<string>();
  walkStatement(statement, (e) => {
    if (e.kind === 'column') out.add(e.parts[e.parts.length - 1]!.name);
  });
  return out;
}

export function duckdbToTrino(text: string, table: AthenaTable, range?: TimeBounds | null): TrinoCompiled {
  return refusingProblems(text, () => {
    const { statement } = parseSqlStatement(text, { dialect: 'duckdb' });
    refuseExplain(statement);
    const names = namedColumns(statement);
    for (const n of ['extra', 'import_id'])
      if (names.has(n))
        throw new QueryProblem(`The workspace column ${n} does not exist in Athena's table.`, statement.span);
    // A field the table lacks (vpc_id on a table of the default format) is NULL, as on the workspace's records
    // of that format: read from the table, Athena would fail the query with COLUMN_NOT_FOUND. A text field's
    // `-` (a NODATA record's address or action: AWS's text table keeps it, a number column reads it as NULL)
    // is missing, as the workspace stores it, so that `IS NULL`, `count(f)` and Insights' `f = "-"` answer alike.
    const field = (f: FlowField) =>
      table.columns && !table.columns.includes(f.column)
        ? `CAST(NULL AS ${f.type.toLowerCase()}) AS ${q(f.column)}`
        : f.type === 'VARCHAR'
          ? `nullif(${q(f.column)}, '-') AS ${q(f.column)}`
          : `${q(f.column)} AS ${q(f.column)}`;
    const columns = [
      ...FLOW_FIELDS.filter((f) => names.has(f.column)).map(field),
      ...Object.entries(DERIVED)
        .filter(([n]) => names.has(n))
        .map(([n, sql]) => `${sql} AS ${q(n)}`),
    ];
    // `SELECT *` of the records: the fields of the documented DDL, with the record's times.
    const star = text.includes('*');
    if (star)
      for (const f of FLOW_FIELDS.filter((x) => x.since >= 2 && x.since <= 5 && !names.has(x.column)))
        columns.push(field(f));
    if (columns.length === 0) columns.push('"start" AS "start"');
    const where = timeRangePredicates(table, range);
    const view = `"flows" AS (SELECT ${columns.join(', ')} FROM ${tableSql(table)}${where.length ? ` WHERE ${where.join(' AND ')}` : ''})`;
    const body = new TrinoWriter(text).query(statement.query, 'flows');
    const sql = body.startsWith('WITH ') ? `WITH ${view}, ${body.slice(5)}` : `WITH ${view}\n${body}`;
    const resultColumns = resultNames(statement, text);
    return { ok: true, sql, ...(resultColumns ? { columns: resultColumns } : {}) };
  });
}
