/**
 * What the remote test servers answer: the Athena server runs the Trino SQL it received with the local
 * Athena dialect, the CloudWatch Logs server an Insights query with the local Insights dialect, each on a
 * workspace of the same records, every page, in the service's text form. So a test compares the remote
 * answer with the local one instead of with numbers written down.
 */
import type { CellValue, Column, Output } from '../../preload/contract';
import type { Engine } from '../../main/engine';
import { call } from '../../main/engine/dispatch';
import type { ExecutedAnswer } from './athena-server';
import type { InsightsAnswer, InsightsExecutor } from './cloudwatch-logs-server';

/** Athena's name of a DuckDB result type. */
export function athenaType(duckdb: string): string {
  if (/^(BIGINT|HUGEINT)$/.test(duckdb)) return 'bigint';
  if (/^(INTEGER|SMALLINT|TINYINT)$/.test(duckdb)) return 'integer';
  if (/^(DOUBLE|FLOAT|DECIMAL)/.test(duckdb)) return 'double';
  if (duckdb === 'DATE') return 'date';
  if (duckdb.startsWith('TIMESTAMP')) return 'timestamp';
  if (duckdb === 'BOOLEAN') return 'boolean';
  if (duckdb.endsWith('[]')) return 'array(varchar)';
  return 'varchar';
}

/** A cell as Athena's text. */
export function athenaText(cell: CellValue, column: Column): string | null {
  if (cell === null) return null;
  if (column.type.startsWith('TIMESTAMP')) return String(cell).replace('T', ' ').replace(/Z$/, '').slice(0, 23);
  if (Array.isArray(cell)) return `[${cell.map((c) => String(c)).join(', ')}]`;
  return String(cell);
}

/** Runs the Trino SQL Athena received with the Athena dialect on `engine`'s workspace, every page. */
export function athenaExecutor(
  engine: Engine,
  scannedBytes: (sql: string) => number,
): (sql: string) => Promise<ExecutedAnswer> {
  return async (sql) => {
    const first = (await call(engine, 'query.run', {
      query: sql,
      dialect: 'athena',
      pageSize: 10_000,
    })) as Output<'query.run'>;
    const rows = [...first.rows];
    while (rows.length < first.rowCount) {
      const page = (await call(engine, 'query.page', {
        resultId: first.resultId,
        offset: rows.length,
        limit: 10_000,
      })) as Output<'query.page'>;
      rows.push(...page.rows);
    }
    return {
      columns: first.columns.map((c) => ({ name: c.name, type: athenaType(c.type) })),
      rows: rows.map((r) => r.map((cell, i) => athenaText(cell, first.columns[i]!))),
      scannedBytes: scannedBytes(sql),
    };
  };
}

/** A cell as Insights prints it. */
export function insightsText(cell: CellValue, column: Column): string | null {
  if (cell === null) return null;
  if (column.type.startsWith('TIMESTAMP'))
    return new Date(String(cell).replace(/Z?$/, 'Z')).toISOString().replace('T', ' ').replace('Z', '');
  return String(cell);
}

/** Runs an Insights query the CloudWatch Logs server received on `engine`'s workspace, over its time range. */
export function insightsExecutor(engine: Engine, bytesScanned: number): InsightsExecutor {
  return async (query, _groups, fromMs, toMs): Promise<InsightsAnswer> => {
    const local = (await call(engine, 'query.run', {
      query,
      dialect: 'insights',
      timeRange: { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() },
      pageSize: 10_000,
    })) as Output<'query.run'>;
    if (local.rows.length < local.rowCount) throw new Error('the test answers fit one page of 10,000 rows');
    return {
      rows: local.rows.map((r) => r.map((cell, i) => [local.columns[i]!.name, insightsText(cell, local.columns[i]!)])),
      bytesScanned,
    };
  };
}
