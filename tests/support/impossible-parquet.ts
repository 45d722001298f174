/**
 * A Parquet file of three records of which two are impossible, row 2 for its port (70000) and row 3 for its
 * half a packet (2.5): an import keeps one record and rejects two rows.
 */
import { DuckDBInstance } from '@duckdb/node-api';

export async function writeParquetWithRejects(path: string): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    await c.run(
      `COPY (SELECT 2 AS version, '10.0.0.' || i AS srcaddr, '10.1.0.1' AS dstaddr, [40000, 70000, 443][i + 1] AS srcport,
                [1.0, 1.0, 2.5][i + 1]::DOUBLE AS packets, 1772409600::BIGINT AS start, 1772409660::BIGINT AS "end"
           FROM range(3) t(i)) TO '${path.replaceAll("'", "''")}' (FORMAT parquet)`,
    );
  } finally {
    c.closeSync();
    db.closeSync();
  }
}
