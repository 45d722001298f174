/**
 * An Athena SQL query as Amazon Athena should run it against a real table. The query is sent as written,
 * but for its table references: each becomes a WITH query, `flowscope_records`, that reads the table
 * within the time range (partition predicates and the records' `start`) and shows it under the names the
 * query uses, computed as the local dialect computes them (`athena/record.ts`): the Bootstrap's names over
 * the Athena columns, partition columns the table's own where it files records alike (`ownPartition`), else
 * from each record's own time. So the same text means the same records here and there, and a query written
 * for the Bootstrap's table runs against a table of the AWS documentation's layout. Trino inlines the WITH query, so Athena still prunes partitions and pushes
 * filters into its reader.
 */
import type { TimeBounds } from '../compile';
import type { SourceSpan } from '../plan';
import { QueryProblem } from '../source';
import type { Query, QueryBody, Relation, Statement } from '../sql-syntax/ast';
import { parseSqlStatement, RESERVED } from '../sql-syntax/parser';
import { walkStatement } from '../sql-syntax/walk';
import { compileAthena } from '../athena';
import { ACCOUNT_FROM_KEY, recordColumns, starColumns, type RecordColumn } from '../athena/record';
import { textPartitions } from '../athena/partition-layout';
import { tableRefs, type TableRef } from '../athena/table-refs';
import { refuseExplain, refusingProblems, type TrinoCompiled } from './compiled';
import type { CopiedRun } from './error-place';
import { quoteTrino, tableSql, timeRangePredicates, type AthenaTable, type PartitionScheme } from './table';

/** The WITH query standing for the table. */
const RECORDS_VIEW = 'flowscope_records';

/** Flowscope's enrichment functions: the workspace's, not Athena's. */
const LOCAL_ONLY = new Set([
  'protocol_name',
  'service_name',
  'tcp_flag_names',
  'traffic_path_name',
  'is_private_ip',
  'is_public_ip',
  'direction',
  'ip_in_cidr',
]);

/** strftime's minutes and seconds as Trino's MySQL-style date_format writes them. */
const mysqlPattern = (strftime: string) => strftime.replace(/%M/g, '%i').replace(/%S/g, '%s');

/** Hive partitions by the strftime pattern of the record column they file a record as. */
const HIVE_PARTITIONS: Record<string, string> = { '%Y': 'year', '%m': 'month', '%d': 'day' };

/**
 * The table's own partition that files a record as a record column does, if it has one: the S3 folder a record
 * was delivered to, as the workspace reads it (`athena/record.ts`), which the record's `start` only
 * approximates (a record that starts before midnight is often in the next day's folder); and a filter on it
 * prunes what Athena scans.
 */
function ownPartition(c: RecordColumn, p: PartitionScheme): string | null {
  if (c.naming !== 'partition') return null;
  if (p.kind === 'day') return c.timeFormat === '%Y/%m/%d' ? p.column : null;
  if (p.kind === 'date') return c.datePartition ? p.column : null;
  if (p.kind !== 'hive' || !c.timeFormat || c.name === 'ts') return null;
  if (c.timeFormat === '%H') return p.hourly ? 'hour' : null;
  return HIVE_PARTITIONS[c.timeFormat] ?? null;
}

/** Trino SQL for a record column, over the table's Athena columns. */
function columnSql(c: RecordColumn, table: AthenaTable): string {
  if (c.field === 'region' || c.name === 'region_partition' || c.name === 'aws-region')
    return table.regionPartition ? quoteTrino(table.regionPartition) : '"region"';
  const own = ownPartition(c, table.partitions);
  if (own) return quoteTrino(own);
  if (c.field) {
    const stored = quoteTrino(c.field);
    // The Bootstrap's text column holds the '-' an integer column of the AWS DDL reads as NULL.
    return c.type === 'varchar' && c.field === 'traffic_path' ? `coalesce(CAST(${stored} AS varchar), '-')` : stored;
  }
  if (c.datePartition) return 'CAST(from_unixtime("start") AS date)';
  if (c.timeFormat) return `date_format(from_unixtime("start"), '${mysqlPattern(c.timeFormat)}')`;
  if (c.name === 'aws-service') return "'vpcflowlogs'";
  // Athena's own hidden column: the object each record was read from.
  if (c.name === '$path') return '"$path"';
  // The table's own account partition; else the account folder of the object's key, as locally.
  if (table.accountPartition) return quoteTrino(table.accountPartition);
  return `coalesce(regexp_extract("$path", '${ACCOUNT_FROM_KEY}', 1), "account_id")`;
}

/** Whether the table has what the view reads for a record column (every column, when its columns are not known). */
function readable(c: RecordColumn, table: AthenaTable): boolean {
  if (!table.columns) return true;
  if (c.field === 'region' || c.name === 'region_partition' || c.name === 'aws-region')
    return table.regionPartition !== undefined || table.columns.includes('region');
  return !c.field || table.columns.includes(c.field);
}

/** Whether any SELECT of the statement has a `*` item. */
function hasStar(statement: Statement): boolean {
  const query = (q: Query): boolean => (q.with?.ctes ?? []).some((c) => query(c.query)) || body(q.body);
  const body = (b: QueryBody): boolean =>
    b.kind === 'select'
      ? b.items.some((i) => i.kind === 'star') || b.from.some(relation)
      : b.kind === 'set'
        ? body(b.left) || body(b.right)
        : b.kind === 'nested'
          ? query(b.query)
          : false;
  const relation = (r: Relation): boolean =>
    r.kind === 'join' ? relation(r.left) || relation(r.right) : r.kind === 'derived' ? query(r.query) : false;
  let found = query(statement.query);
  walkStatement(statement, (e) => {
    const sub =
      e.kind === 'subquery' || e.kind === 'exists'
        ? e.query
        : e.kind === 'in' && !Array.isArray(e.list)
          ? e.list
          : null;
    if (sub && query(sub)) found = true;
  });
  return found;
}

/**
 * A reference to a qualified table other than the one the query is sent to, refused at its place. Locally
 * any table name is the workspace's records; on Athena a name such as `flowlogs.cloudtrail_logs` or
 * `information_schema.tables` means that table, which Flowscope cannot read in the flow-log table's stead.
 * An unqualified name (`vpc_flow_logs`, as published queries name it) is the flow-log table, as locally.
 */
function otherTable(text: string, table: AthenaTable): TrinoCompiled | null {
  let refs: TableRef[];
  try {
    refs = tableRefs(parseSqlStatement(text).statement);
  } catch {
    return null; // a text that does not parse, or nests too deep: the local compile says so at its place
  }
  const [database, name] = table.name.toLowerCase().split('.') as [string, string];
  const other = refs.find(({ parts }) => {
    if (parts.length === 1) return false;
    const [catalog, db, t] = parts.length === 3 ? parts : ['awsdatacatalog', ...parts];
    return catalog !== 'awsdatacatalog' || db !== database || t !== name;
  });
  return other
    ? {
        ok: false,
        refused: true,
        message: `${other.parts.join('.')} is another table: a query sent to Athena reads only ${table.name}, the flow-log table it is sent to. Name that table, or leave the table name unqualified.`,
        span: other.span,
      }
    : null;
}

/** `runs` once `length` characters were put in at offset `at` of the text they are in (a run there is split). */
function shiftedRuns(runs: readonly CopiedRun[], at: number, length: number): CopiedRun[] {
  return runs.flatMap((r) => {
    if (r.sent >= at) return [{ ...r, sent: r.sent + length }];
    if (r.sent + r.length <= at) return [r];
    const before = at - r.sent;
    return [
      { ...r, length: before },
      { sent: at + length, text: r.text + before, length: r.length - before },
    ];
  });
}

export function athenaToTrino(text: string, table: AthenaTable, range?: TimeBounds | null): TrinoCompiled {
  const elsewhere = otherTable(text, table);
  if (elsewhere) return elsewhere;
  // The same checks as a local run: what is wrong here would be wrong there.
  const local = compileAthena(text);
  if (!local.ok) return local;
  return refusingProblems(text, () => {
    const { statement } = parseSqlStatement(text);
    refuseExplain(statement);
    const names = new Set<string>();
    const firstSeen = new Map<string, SourceSpan>();
    // Names Trino reserves that the local dialect reads unquoted (`from_unixtime(end)`): quoted for Athena.
    const reserved: SourceSpan[] = [];
    walkStatement(statement, (e) => {
      if (e.kind === 'column') {
        const last = e.parts[e.parts.length - 1]!;
        names.add(last.name);
        if (!firstSeen.has(last.name)) firstSeen.set(last.name, last.span);
      }
      if (e.kind === 'column' && e.parts.length === 1 && !e.parts[0]!.quoted && RESERVED.has(e.parts[0]!.name))
        reserved.push(e.parts[0]!.span);
      if (e.kind === 'call' && LOCAL_ONLY.has(e.name.name))
        throw new QueryProblem(
          `${e.name.name}() is Flowscope's enrichment, computed from the workspace; Athena does not have it.`,
          e.name.span,
        );
    });
    const columns = recordColumns(names, textPartitions(statement));
    const shown = new Map<string, RecordColumn>();
    // A star is the fields the table has (AWS's default-format table has 14): one it lacks would fail the query.
    if (hasStar(statement)) for (const c of starColumns(columns, names)) if (readable(c, table)) shown.set(c.name, c);
    for (const n of names) {
      const c = columns.get(n);
      if (c && !readable(c, table))
        throw new QueryProblem(
          `Column '${n}' cannot be read on Athena: ${table.name} has no column ${c.field} (its format does not log it); its columns are ${table.columns!.join(', ')}.`,
          firstSeen.get(n)!,
        );
      if (c) shown.set(n, c);
    }
    // A query naming no column (`count(*)`) still needs one in the WITH query.
    if (shown.size === 0) shown.set('start', columns.get('start')!);
    const where = timeRangePredicates(table, range);
    const view =
      `${quoteTrino(RECORDS_VIEW)} AS (SELECT ${[...shown.values()].map((c) => `${columnSql(c, table)} AS ${quoteTrino(c.name)}`).join(', ')} ` +
      `FROM ${tableSql(table)}${where.length ? ` WHERE ${where.join(' AND ')}` : ''})`;
    const edits = [
      ...tableRefs(statement).map((ref) => ({
        span: ref.span,
        text: quoteTrino(RECORDS_VIEW) + (ref.alias ? '' : ` AS ${quoteTrino(ref.parts.at(-1)!)}`),
      })),
      ...reserved.map((span) => ({
        span,
        text: quoteTrino(text.slice(span.offset, span.offset + span.length).toLowerCase()),
      })),
    ].sort((a, b) => a.span.offset - b.span.offset);
    let sql = '';
    let at = 0;
    const copied: CopiedRun[] = [];
    const copy = (to: number) => {
      if (to > at) copied.push({ sent: sql.length, text: at, length: to - at });
      sql += text.slice(at, to);
    };
    for (const edit of edits) {
      copy(edit.span.offset);
      sql += edit.text;
      at = edit.span.offset + edit.span.length;
    }
    copy(text.length);
    sql = sql.replace(/[\s;]+$/, '');
    // Our WITH query goes first: the query's own WITH queries may read it.
    const withWord = /^(\s*(?:--[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*)WITH(\s+RECURSIVE)?\b/i.exec(sql);
    const head = withWord ? withWord[0].length : 0;
    const inserted = withWord ? ` ${view},` : `WITH ${view}\n`;
    const out = withWord ? `${withWord[0]}${inserted}${sql.slice(head)}` : `${inserted}${sql}`;
    return { ok: true, sql: out, copied: shiftedRuns(copied, head, inserted.length) };
  });
}
