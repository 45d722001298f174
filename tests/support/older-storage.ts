/**
 * A workspace as a Flowscope before `STORAGE_VERSION` wrote it: the same database copied into DuckDB's default
 * storage format (v1.0), for the tests of upgrading one (compaction, `flowscope info`/`compact`, the app's notice).
 */
import { renameSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { sqlString } from '../../queries/catalog/sql-quote';

/** Writes `from` (a closed workspace file) to `to` in the v1.0 storage format; `to` may be `from` itself. */
export async function copyInOlderStorage(from: string, to: string): Promise<void> {
  const fresh = `${to}.older`;
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    await c.run(`ATTACH ${sqlString(from)} AS src (READ_ONLY)`);
    await c.run(`ATTACH ${sqlString(fresh)} AS dst (STORAGE_VERSION 'v1.0.0')`);
    await c.run('COPY FROM DATABASE src TO dst');
  } finally {
    c.closeSync();
    db.closeSync();
  }
  renameSync(fresh, to);
}
