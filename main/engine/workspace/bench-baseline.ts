/**
 * The yardstick of `npm run bench:ingest`: DuckDB's own fastest load of the same files into a fresh database
 * file, with the same memory and thread settings a workspace gets: `CREATE TABLE AS SELECT * FROM read_csv(...)`
 * with the columns and their types given (auto-detection samples the file first, which is slower and would
 * flatter the ratio), then CHECKPOINT. Benchmark use only; it opens its own instance and never a workspace.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdirSync } from 'node:fs';
import { DEFAULT_FORMAT, fieldByAwsName } from '../../../queries/catalog/fields';
import { instanceOptions, sqlString, workspaceDirs } from './config';

/** The default format's fields under their Athena names and types, as read_csv's `columns`. */
const DEFAULT_COLUMNS = DEFAULT_FORMAT.map((aws) => {
  const field = fieldByAwsName(aws)!;
  return `${sqlString(field.column)}: ${sqlString(field.type)}`;
}).join(', ');

/** Loads default-format text files with a header line (gzip or not) into `dbFile`. */
export async function rawCsvLoad(dbFile: string, csvGlob: string): Promise<{ rows: number; ms: number }> {
  const dirs = workspaceDirs(dbFile);
  mkdirSync(dirs.temp, { recursive: true });
  const instance = await DuckDBInstance.create(dbFile, instanceOptions(dirs));
  try {
    const conn = await instance.connect();
    try {
      const started = performance.now();
      await conn.run(
        `CREATE TABLE flows AS SELECT * FROM read_csv(${sqlString(csvGlob)}, columns = {${DEFAULT_COLUMNS}}, ` +
          `delim = ' ', quote = '', escape = '', header = true, nullstr = '-', auto_detect = false)`,
      );
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
