/**
 * Puts the enrichment functions and lookup tables (`queries/catalog/sql-macros.ts`) on a query connection:
 * TEMPORARY macros and tables, so they exist for that connection only, are never written into the
 * workspace file, and user SQL (read-only) can call them but not change them.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { enrichmentSql, type EnrichmentOptions } from '../../../queries/catalog/sql-macros';

/** The macros that read the VPC ranges: `direction` and the `in_vpc*_` tests it and compiled queries use. */
const VPC_MACRO = /^CREATE OR REPLACE TEMP MACRO (in_vpc\w*|direction)\(/;

/** The SQL text per VPC ranges key, all of it and the VPC macros alone; a workspace has one or two keys. */
const cached = new Map<string, { all: string; vpc: string }>();
const KEEP = 8;

function sqlFor(vpcCidrs: readonly string[] | undefined): { all: string; vpc: string } {
  const key = JSON.stringify(vpcCidrs ?? null);
  let entry = cached.get(key);
  if (!entry) {
    const statements = enrichmentSql(vpcCidrs ? { vpcCidrs } : {});
    // One batch is several times faster than a statement at a time; the text is the same for every connection.
    entry = { all: statements.join(';\n'), vpc: statements.filter((s) => VPC_MACRO.test(s)).join(';\n') };
    cached.set(key, entry);
    if (cached.size > KEEP) cached.delete(cached.keys().next().value!);
  }
  return entry;
}

/** Everything, with `direction` relative to `vpcCidrs` (by default the private ranges). */
export async function installEnrichment(conn: DuckDBConnection, options: EnrichmentOptions = {}): Promise<void> {
  await conn.run(sqlFor(options.vpcCidrs).all);
}

/** Only the VPC macros again, on a connection that has the rest, when the ranges changed. */
export async function installVpcRanges(conn: DuckDBConnection, vpcCidrs: readonly string[]): Promise<void> {
  await conn.run(sqlFor(vpcCidrs).vpc);
}
