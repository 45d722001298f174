import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { Engine } from '../../../main/engine';
import { writeFlowLogFile } from '../../../main/engine/ingest/generator';
import { tempDir } from '../workspace/helpers';

const dir = tempDir('flowscope-export-sorted-');
let engine: Engine;
let reader: DuckDBInstance;

before(async () => {
  const log = join(dir, 'a.log');
  await writeFlowLogFile(log, { records: 2000, seed: 11 });
  engine = await Engine.open({ workspace: join(dir, 'w.duckdb'), create: true });
  const { jobId } = await engine.ingestFiles({ files: [engine.files.register(log)] });
  assert.equal((await engine.jobWait({ jobId })).state, 'done');
  reader = await DuckDBInstance.create(':memory:');
});

after(async () => {
  await engine.close();
  reader.closeSync();
});

async function column(sql: string): Promise<string[]> {
  const conn = await reader.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRows().map((r) => String(r[0]));
  } finally {
    conn.closeSync();
  }
}

test('an export keeps the order the table shows (a clicked column), as the pages read it', async () => {
  // Insights shows ports as logged (text, `-` for NODATA): the table sorts them as numbers.
  const query = 'stats count(*) as n by dstPort';
  const { resultId, rowCount } = await engine.queryRun({ query, dialect: 'insights', pageSize: 10 });
  const sort = [{ column: 'dstPort', descending: true }];
  const shown = await engine.queryPage({ resultId, offset: 0, limit: 10_000, sort });
  const expected = shown.rows.map((r) => String(r[0]));
  assert.equal(expected.length, rowCount);
  assert.notDeepEqual(
    expected,
    [...expected].sort((a, b) => (a < b ? 1 : -1)),
    'a text sort would differ: the test tells the orders apart',
  );
  for (const [format, read] of [
    ['csv', (p: string) => `SELECT dstPort FROM read_csv('${p}', header = true, all_varchar = true)`],
    ['parquet', (p: string) => `SELECT dstPort FROM read_parquet('${p}')`],
  ] as const) {
    const file = join(dir, `sorted.${format}`);
    await engine.exportResult({ resultId, format, target: engine.files.register(file), sort });
    assert.deepEqual(await column(read(file)), expected, format);
  }
});
