/**
 * The yardstick of `npm run bench:ingest`: DuckDB's own fastest load of the same files, `CREATE TABLE AS
 * SELECT * FROM read_csv(...)`, into a fresh database file with the same memory and thread settings a
 * workspace gets. Benchmark use only; it opens its own instance and never a workspace.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { sqlString } from '../queries/catalog/sql-quote';
import { instanceOptions, workspaceDirs } from '../main/engine/workspace/config';
import { mkdirSync } from 'node:fs';

export async function rawCsvLoad(dbFile: string, csvGlob: string): Promise<{ rows: number; ms: number }> {
  const dirs = workspaceDirs(dbFile);
  mkdirSync(dirs.temp, { recursive: true });
  const instance = await DuckDBInstance.create(dbFile, instanceOptions(dirs));
  try {
    const conn = await instance.connect();
    try {
      const started = performance.now();
      await conn.run(`CREATE TABLE flows AS SELECT * FROM read_csv(${sqlString(csvGlob)}, delim = ' ', header = true)`);
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
