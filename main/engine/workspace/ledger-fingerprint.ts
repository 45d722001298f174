/**
 * A fingerprint of the import ledger: it changes whenever an import is added, finished or removed, so
 * anything computed from the records (the dashboards' panel cache, the VPC ranges inferred from the data) is
 * valid while it stays the same.
 */
import type { SqlRunner } from './ledger';

export async function ledgerFingerprint(db: SqlRunner): Promise<string> {
  const [row] = await db.all<Record<string, unknown>>(
    `SELECT count(*) AS n, max(id) AS last, sum(records) AS records, max(finished_at) AS finished FROM imports`,
  );
  return JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}
