/**
 * Lookup tables the analyst imports (`flowscope lookup import NAME file.csv`) and Insights' `lookup`
 * command reads. The engine puts each table on a query connection as `lookup_<name>`, every column text as
 * in the CSV; the compiler only needs the names, so that a missing table or column is an error at its
 * own position, not DuckDB's.
 */
import { sqlIdent } from '../catalog/sql-quote';
import type { SourceSpan } from './plan';
import { QueryProblem, didYouMean } from './source';

export interface LookupTableInfo {
  name: string;
  columns: readonly string[];
}

/** Table names: what CloudWatch allows (letters, digits, `_`), so they can also be SQL names. */
export const LOOKUP_TABLE_NAME = /^[A-Za-z0-9_]{1,64}$/;

export function lookupTableIdent(name: string): string {
  return `"lookup_${name}"`;
}

/**
 * The join for `lookup table key as field, … OUTPUT column, …`: a derived table with one row per key (the
 * first in the file), its columns renamed so that they cannot collide with the query's own.
 */
export function lookupTableSql(
  tables: readonly LookupTableInfo[],
  table: { name: string; span: SourceSpan },
  keys: readonly { column: string; span: SourceSpan; sql: string }[],
  outputs: readonly { name: string; span: SourceSpan }[],
  n: number,
  cidr = false,
): { from: string; on: string; outputs: { name: string; sql: string }[] } {
  const found =
    tables.find((t) => t.name === table.name) ?? tables.find((t) => t.name.toLowerCase() === table.name.toLowerCase());
  if (!found) {
    const known = tables.map((t) => t.name);
    throw new QueryProblem(
      `There is no lookup table \`${table.name}\` in this workspace.`,
      table.span,
      (didYouMean(table.name, known) ? `${didYouMean(table.name, known)} ` : '') +
        `import one with: flowscope lookup import ${table.name} file.csv --workspace <file>` +
        (known.length ? ` (imported: ${known.join(', ')})` : ''),
    );
  }
  const column = (name: string, span: SourceSpan): string => {
    const c =
      found.columns.find((x) => x === name) ?? found.columns.find((x) => x.toLowerCase() === name.toLowerCase());
    if (c === undefined)
      throw new QueryProblem(
        `The lookup table \`${found.name}\` has no column \`${name}\`.`,
        span,
        didYouMean(name, found.columns) ?? `its columns are ${found.columns.join(', ')}`,
      );
    return c;
  };
  if (cidr) return cidrJoin(found, keys[0]!, column, outputs, n);
  const keyColumns = keys.map((k) => column(k.column, k.span));
  const outColumns = outputs.map((o) => column(o.name, o.span));
  const alias = `_l${n}`;
  const select = [
    ...keyColumns.map((c, i) => `${sqlIdent(c)} AS k${i}`),
    ...outColumns.map((c, i) => `${sqlIdent(c)} AS v${i}`),
  ];
  return {
    from:
      `(SELECT DISTINCT ON (${keyColumns.map(sqlIdent).join(', ')}) ${select.join(', ')} ` +
      `FROM ${lookupTableIdent(found.name)} ORDER BY rowid) AS ${alias}`,
    on: keys.map((k, i) => `${alias}.k${i} = ${k.sql}`).join(' AND '),
    outputs: outputs.map((o, i) => ({ name: o.name, sql: `${alias}.v${i}` })),
  };
}

/**
 * `cidrlookup`: the row whose CIDR range holds the address, the longest prefix where ranges nest, as a
 * lateral join (one row at most per record). An empty key column is the table's `cidr` column, else its first.
 */
function cidrJoin(
  table: LookupTableInfo,
  key: { column: string; span: SourceSpan; sql: string },
  column: (name: string, span: SourceSpan) => string,
  outputs: readonly { name: string; span: SourceSpan }[],
  n: number,
): { from: string; on: string; outputs: { name: string; sql: string }[] } {
  const range = sqlIdent(
    key.column
      ? column(key.column, key.span)
      : (table.columns.find((c) => c.toLowerCase() === 'cidr') ?? table.columns[0]!),
  );
  const alias = `_l${n}`;
  const values = outputs.map((o, i) => `${sqlIdent(column(o.name, o.span))} AS v${i}`);
  return {
    from:
      `LATERAL (SELECT ${values.join(', ')} FROM ${lookupTableIdent(table.name)} ` +
      `WHERE coalesce(ip_in_cidr(${key.sql}, ${range}), false) ` +
      `ORDER BY TRY_CAST(split_part(${range}, '/', 2) AS INTEGER) DESC NULLS LAST, rowid LIMIT 1) AS ${alias}`,
    on: 'TRUE',
    outputs: outputs.map((o, i) => ({ name: o.name, sql: `${alias}.v${i}` })),
  };
}
