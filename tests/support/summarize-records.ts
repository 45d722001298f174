/**
 * The minute summary in tests. Fixtures that write records straight into the record table, without an
 * import's commit, make the summary as that commit would (`ledger.summarizeImports`): queries answer some
 * stats from it. And the check that the summary counts exactly the records the workspace holds.
 */
import { SUMMARY_TABLE, summarizeSql } from '../../queries/catalog/minute-summary';
import { RECORD_TABLE } from '../../main/engine/workspace/schema';

interface Runner {
  run(sql: string): Promise<unknown>;
  all<T>(sql: string): Promise<T[]>;
}

export async function summarizeRecords(db: Pick<Runner, 'run'>): Promise<void> {
  await db.run(`DELETE FROM ${SUMMARY_TABLE}`);
  await db.run(summarizeSql(RECORD_TABLE, 'TRUE'));
}

/** The summary rows that differ from the records' own counts and sums, either way (none when in step). */
export async function summaryMismatches(db: Pick<Runner, 'all'>): Promise<unknown[]> {
  const columns = 'import_id, minute, action, protocol, log_status, records, bytes, packets';
  const fromRecords =
    `SELECT import_id, date_trunc('minute', start_time) AS minute, action, protocol, log_status, ` +
    `count(*) AS records, sum(bytes)::HUGEINT AS bytes, sum(packets)::HUGEINT AS packets FROM ${RECORD_TABLE} GROUP BY ALL`;
  const kept = `SELECT ${columns} FROM ${SUMMARY_TABLE}`;
  return db.all(
    `(SELECT 'records' AS side, * FROM (${fromRecords} EXCEPT ALL ${kept})) UNION ALL ` +
      `(SELECT 'summary' AS side, * FROM (${kept} EXCEPT ALL ${fromRecords}))`,
  );
}
