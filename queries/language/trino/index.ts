/**
 * The second back end: a query of any dialect as the Trino SQL Amazon Athena runs against the team's
 * table. Pure; the engine sends what comes out. What cannot be said in Trino is refused here, with the
 * reason, before anything is sent.
 */
import type { TimeBounds } from '../compile';
import { detectDialect } from '../index';
import type { Dialect, QueryDiagnostic } from '../types';
import { athenaToTrino } from './from-athena';
import type { AthenaTable } from './table';

export type { AthenaTable, PartitionScheme } from './table';

export interface TrinoResult {
  dialect: Dialect;
  sql: string | null;
  diagnostics: QueryDiagnostic[];
  refused?: boolean;
}

export function compileTrino(
  text: string,
  options: { dialect?: Dialect | undefined; table: AthenaTable; timeRange?: TimeBounds | null | undefined },
): TrinoResult {
  const dialect = options.dialect ?? detectDialect(text);
  if (dialect !== 'athena')
    return {
      dialect,
      sql: null,
      refused: true,
      diagnostics: [
        {
          message: `${dialect === 'sql' ? 'DuckDB SQL' : dialect === 'sumo' ? 'Sumo' : 'Insights'} queries cannot be sent to Athena yet; write the query in Athena SQL.`,
          span: { offset: 0, line: 1, column: 1, length: 0 },
        },
      ],
    };
  const r = athenaToTrino(text, options.table, options.timeRange);
  if (r.ok) return { dialect, sql: r.sql, diagnostics: [] };
  return {
    dialect,
    sql: null,
    diagnostics: [{ message: r.message, span: r.span, ...(r.hint ? { hint: r.hint } : {}) }],
    ...(r.refused ? { refused: true } : {}),
  };
}
