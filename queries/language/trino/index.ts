/**
 * The second back end: a query of any dialect as the Trino SQL Amazon Athena runs against the team's
 * table. Pure; the engine sends what comes out. What cannot be said in Trino is refused here, with the
 * reason, before anything is sent.
 */
import { FLOW_FIELDS } from '../../catalog/fields';
import { shiftRange, statsOffset, type TimeBounds } from '../compile';
import { compileQuery, detectDialect } from '../index';
import type { Dialect, QueryDiagnostic } from '../types';
import type { TrinoCompiled } from './compiled';
import type { CopiedRun } from './error-place';
import { athenaToTrino } from './from-athena';
import { duckdbToTrino } from './from-duckdb';
import type { AthenaTable } from './table';

export { partitionSpan } from './table';
export { placeAthenaError, type CopiedRun } from './error-place';
export type { AthenaTable, PartitionScheme } from './table';

export interface TrinoResult {
  dialect: Dialect;
  sql: string | null;
  diagnostics: QueryDiagnostic[];
  refused?: boolean;
  /** The result's column names as the local engine gives them (Athena lower-cases its labels). */
  columns?: string[];
  /** The runs of `sql` copied unchanged from the text (an Athena SQL query's), to place Athena's errors. */
  copied?: CopiedRun[];
}

/**
 * The fields of the table's records as its flow log logs them, in the definition's order (its columns that
 * are flow-log fields; partitions and unknown columns left out): the line `@message` writes and searches.
 * Unknown without the definition (the default format's line then).
 */
function tableLine(table: AthenaTable): string[] | undefined {
  const fields = table.columns?.map((c) => FLOW_FIELDS.find((f) => f.column === c)).filter((f) => f !== undefined);
  return fields?.length ? fields.map((f) => f.aws) : undefined;
}

export function compileTrino(
  text: string,
  options: { dialect?: Dialect | undefined; table: AthenaTable; timeRange?: TimeBounds | null | undefined },
): TrinoResult {
  const dialect = options.dialect ?? detectDialect(text);
  let r: TrinoCompiled;
  let columns: string[] | null = null;
  if (dialect === 'athena') r = athenaToTrino(text, options.table, options.timeRange);
  else {
    // The other dialects go through their DuckDB SQL: the time range is the Trino WITH query's, not theirs.
    // Plain, not eager: grouping first is DuckDB's plan to make (`eager-stats.ts`), in DuckDB's functions.
    // Insights' implicit limit as CloudWatch's 10,000: Athena's answer is not cut here afterwards.
    const line = tableLine(options.table);
    const local = compileQuery(text, {
      dialect,
      context: { eager: false, probeCap: false, ...(line ? { lineFields: line } : {}) },
    });
    if (local.sql === null)
      return { dialect, sql: null, diagnostics: local.diagnostics, ...(local.refused ? { refused: true } : {}) };
    const whole = { offset: 0, line: 1, column: 1, length: 0 };
    // Steps the workspace takes after the SQL has run, which Athena would not.
    if (local.transpose)
      return {
        dialect,
        sql: null,
        refused: true,
        diagnostics: [
          {
            message:
              'transpose reshapes the answer in the workspace after the query has run; the query cannot run on Athena.',
            span: whole,
          },
        ],
      };
    columns = local.columns;
    // Insights' `offset` reads the records one offset before the range (its bins move forward by it).
    const offset = local.plan ? statsOffset(local.plan) : undefined;
    r = duckdbToTrino(local.sql, options.table, offset ? shiftRange(options.timeRange, offset) : options.timeRange);
    // A position in the DuckDB SQL means nothing in the text the analyst wrote, nor does its syntax.
    if (!r.ok && dialect !== 'sql')
      r = {
        ...r,
        span: whole,
        message: /cannot run on Athena\.$/.test(r.message)
          ? r.message
          : `The query's DuckDB form has no Trino equivalent here (${r.message}); it cannot run on Athena.`,
      };
  }
  if (r.ok) {
    const names = columns ?? r.columns;
    return {
      dialect,
      sql: r.sql,
      diagnostics: [],
      ...(names ? { columns: names } : {}),
      // A translation from another dialect copies nothing of the text as written.
      copied: dialect === 'athena' ? (r.copied ?? []) : [],
    };
  }
  return {
    dialect,
    sql: null,
    diagnostics: [{ message: r.message, span: r.span, ...(r.hint ? { hint: r.hint } : {}) }],
    ...(r.refused ? { refused: true } : {}),
  };
}
