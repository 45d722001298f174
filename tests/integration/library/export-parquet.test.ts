import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { Engine } from '../../../main/engine';
import { tempDir } from '../workspace/helpers';

const dir = tempDir('flowscope-export-parquet-');
let engine: Engine;
let reader: DuckDBInstance;

before(async () => {
  const log = join(dir, 'big.log');
  // Two records of 2^53 + 1 bytes each: their sum, 18014398509481986, is no double.
  writeFileSync(
    log,
    [
      'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status',
      '2 123456789012 eni-1 10.0.0.1 10.0.0.2 443 51000 6 10 9007199254740993 1772409600 1772409660 ACCEPT OK',
      '2 123456789012 eni-1 10.0.0.1 2001:db8::1 443 51000 6 10 9007199254740993 1772409600 1772409660 ACCEPT OK',
      '',
    ].join('\n'),
  );
  engine = await Engine.open({ workspace: join(dir, 'w.duckdb'), create: true });
  const { jobId } = await engine.ingestFiles({ files: [engine.files.register(log)] });
  assert.equal((await engine.jobWait({ jobId })).state, 'done');
  reader = await DuckDBInstance.create(':memory:');
});

after(async () => {
  await engine.close();
  reader.closeSync();
});

async function exported(query: string, dialect: 'insights' | 'sql', name: string) {
  const { resultId } = await engine.queryRun({ query, dialect, pageSize: 10 });
  const file = join(dir, name);
  await engine.exportResult({ resultId, format: 'parquet', target: engine.files.register(file) });
  const conn = await reader.connect();
  try {
    const r = await conn.runAndReadAll(
      `SELECT * EXCLUDE (t), t FROM (SELECT *, (SELECT list(type ORDER BY name) FROM parquet_schema('${file}') WHERE num_children IS NULL) AS t FROM read_parquet('${file}'))`,
    );
    // As JSON: integers and decimals as their digits, which a JS number would round.
    return r.getRowObjectsJson()[0]!;
  } finally {
    conn.closeSync();
  }
}

test('a Parquet export keeps a sum of bytes beyond 2^53 as an integer with every digit', async () => {
  const row = await exported('stats sum(bytes) as b', 'insights', 'sum.parquet');
  assert.equal(row.b, '18014398509481986');
  assert.deepEqual(row.t, ['INT64']);
});

test('a 128-bit integer too large for 64 bits is written as a decimal with every digit', async () => {
  const row = await exported(
    'SELECT 12345678901234567890123456789012345678::HUGEINT AS h, 9007199254740993::UHUGEINT AS u',
    'sql',
    'wide.parquet',
  );
  assert.equal(row.h, '12345678901234567890123456789012345678');
  assert.equal(row.u, '9007199254740993');
  assert.deepEqual(row.t, ['FIXED_LEN_BYTE_ARRAY', 'INT64']);
});
