/**
 * The yardstick of `npm run bench:ingest`: DuckDB's own fastest load of the same files into a fresh database
 * file, with the same memory and thread settings a workspace gets: `CREATE TABLE AS SELECT * FROM read_csv(...)`
 * with the columns and their types given (auto-detection samples the file first, which is slower and would
 * flatter the ratio), then CHECKPOINT; `read_json` and `read_parquet` for the other ways flow logs land.
 * Benchmark use only; it opens its own instance and never a workspace.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdirSync } from 'node:fs';
import { DEFAULT_FORMAT, fieldByAwsName } from '../queries/catalog/fields';
import { sqlString } from '../queries/catalog/sql-quote';
import { instanceOptions, workspaceDirs } from '../main/engine/workspace/config';

/** The default format's fields under their Athena names and types, as read_csv's `columns`. */
const DEFAULT_COLUMNS = DEFAULT_FORMAT.map((aws) => {
  const field = fieldByAwsName(aws)!;
  return `${sqlString(field.column)}: ${sqlString(field.type)}`;
}).join(', ');

/** DuckDB's own load of a space-separated text file (or glob) with its header line. */
export function rawCsvLoad(dbFile: string, csvGlob: string): Promise<{ rows: number; ms: number }> {
  return rawLoad(
    dbFile,
    `SELECT * FROM read_csv(${sqlString(csvGlob)}, columns = {${DEFAULT_COLUMNS}}, ` +
      `delim = ' ', quote = '', escape = '', header = true, nullstr = '-', auto_detect = false)`,
  );
}

/** DuckDB's own load of the log events of a gzip'd Firehose object of subscription payloads, as text. */
export function rawFirehoseLoad(dbFile: string, path: string): Promise<{ rows: number; ms: number }> {
  return rawLoad(
    dbFile,
    `SELECT unnest(logEvents, recursive := true) FROM read_json(${sqlString(path)}, format = 'auto', ` +
      `columns = {messageType: 'VARCHAR', logEvents: 'STRUCT("timestamp" BIGINT, message VARCHAR)[]'}, ` +
      `compression = 'gzip', maximum_object_size = 268435456) WHERE messageType = 'DATA_MESSAGE'`,
  );
}

/** DuckDB's own load of a Parquet file, every column as it is. */
export function rawParquetLoad(dbFile: string, path: string): Promise<{ rows: number; ms: number }> {
  return rawLoad(dbFile, `SELECT * FROM read_parquet(${sqlString(path)})`);
}

async function rawLoad(dbFile: string, select: string): Promise<{ rows: number; ms: number }> {
  const dirs = workspaceDirs(dbFile);
  mkdirSync(dirs.temp, { recursive: true });
  const instance = await DuckDBInstance.create(dbFile, instanceOptions(dirs));
  try {
    const conn = await instance.connect();
    try {
      const started = performance.now();
      await conn.run(`CREATE TABLE flows AS ${select}`);
      await conn.run('CHECKPOINT');
      const ms = performance.now() - started;
      const reader = await conn.runAndReadAll('SELECT count(*)::BIGINT AS n FROM flows');
      return { rows: Number(reader.getRowObjectsJS()[0]!.n), ms };
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}
