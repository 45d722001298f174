/**
 * Puts the enrichment functions and lookup tables (`queries/catalog/sql-macros.ts`) on a query connection:
 * TEMPORARY macros and tables, so they exist for that connection only, are never written into the
 * workspace file, and user SQL (read-only) can call them but not change them.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { enrichmentSql, type EnrichmentOptions } from '../../../queries/catalog/sql-macros';

let cached: { key: string; sql: string } | null = null;

export async function installEnrichment(conn: DuckDBConnection, options: EnrichmentOptions = {}): Promise<void> {
  const key = JSON.stringify(options.vpcCidrs ?? null);
  // One batch is several times faster than a statement at a time; the text is the same for every connection.
  if (cached?.key !== key) cached = { key, sql: enrichmentSql(options).join(';\n') };
  await conn.run(cached.sql);
}
