/**
 * Fixtures that write records straight into the record table, without an import's commit, make the minute
 * summary as that commit would (`ledger.summarizeImports`): queries answer some stats from it.
 */
import { SUMMARY_TABLE, summarizeSql } from '../../queries/catalog/minute-summary';
import { RECORD_TABLE } from '../../main/engine/workspace/schema';

export async function summarizeRecords(db: { run(sql: string): Promise<unknown> }): Promise<void> {
  await db.run(`DELETE FROM ${SUMMARY_TABLE}`);
  await db.run(summarizeSql(RECORD_TABLE, 'TRUE'));
}
