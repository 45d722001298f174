/**
 * Flowscope's own `SELECT * FROM flows` export, as CSV and as Parquet, imported into another workspace: the
 * columns Flowscope adds to every record (start_time, end_time, src_ip4, dst_ip4, extra, import_id) are read
 * past, as an Athena download's partition columns are, so neither `extra` nor `@message` holds them and
 * `importId` is not the other workspace's.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Engine } from '../../../main/engine';
import { DERIVED_COLUMNS } from '../../../queries/catalog/fields';
import { tempDir } from '../workspace/helpers';

const dir = tempDir('flowscope-own-export-');
let engine: Engine;

const HEADER =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id flow-direction';
const LINES = [
  '5 123456789012 eni-0a 10.0.0.1 10.0.0.2 443 51000 6 10 5000 1772409600 1772409660 ACCEPT OK vpc-0a ingress',
  '5 123456789012 eni-0a 10.0.0.2 10.0.0.1 51000 443 6 8 700 1772409600 1772409660 ACCEPT OK vpc-0a egress',
  '5 123456789012 eni-0a - - - - - - - 1772409660 1772409720 - NODATA vpc-0a -',
];

before(async () => {
  const log = join(dir, 'v5.log');
  writeFileSync(log, `${[HEADER, ...LINES].join('\n')}\n`);
  engine = await Engine.open({ workspace: join(dir, 'w.duckdb'), create: true });
  const { jobId } = await engine.ingestFiles({ files: [engine.files.register(log)] });
  assert.equal((await engine.jobWait({ jobId })).state, 'done');
});

after(() => engine.close());

async function rows(e: Engine, query: string, dialect: 'sql' | 'insights' = 'sql') {
  const { resultId } = await e.queryRun({ query, dialect, pageSize: 50 });
  return (await e.queryPage({ resultId, offset: 0, limit: 50 })).rows;
}

const FIELDS = 'SELECT * EXCLUDE (extra, import_id) FROM flows ORDER BY start, srcaddr';

for (const format of ['csv', 'parquet'] as const) {
  test(`a SELECT * export as ${format} imports back with its records' fields only, no derived column among them`, async () => {
    const { resultId } = await engine.queryRun({ query: 'SELECT * FROM flows', dialect: 'sql', pageSize: 10 });
    const file = join(dir, `all.${format}`);
    await engine.exportResult({ resultId, format, target: engine.files.register(file) });
    const other = await Engine.open({ workspace: join(dir, `round-trip-${format}.duckdb`), create: true });
    try {
      const { jobId } = await other.ingestFiles({ files: [other.files.register(file)] });
      const job = await other.jobWait({ jobId });
      assert.equal(job.state, 'done', JSON.stringify(job));
      // Every field as it was; the derived columns made again by this import.
      assert.deepEqual(await rows(other, FIELDS), await rows(engine, FIELDS));
      // Before: `extra` held start-time, end-time, src-ip4, dst-ip4, extra and import-id.
      const keys = (await rows(other, 'SELECT DISTINCT unnest(map_keys(extra)) AS k FROM flows ORDER BY k')).flat();
      const derived = Object.keys(DERIVED_COLUMNS).map((c) => c.replace(/_/g, '-'));
      assert.deepEqual(
        keys.filter((k) => derived.includes(String(k))),
        [],
      );
      // No text of a derived column (a time with its blank, the map) in the line as logged.
      for (const [message] of await rows(other, 'fields @message', 'insights')) {
        assert.doesNotMatch(String(message), /\d{4}-\d{2}-\d{2} \d{2}:|\{|=/, String(message));
        const fields = String(message).split(' ');
        assert.ok(!fields.includes('167772161'), String(message)); // src_ip4 of 10.0.0.1
        // A CSV's line is its columns' fields (vpc-0a among them); Parquet holds no one line: the default format's.
        if (format === 'csv') assert.ok(fields.includes('vpc-0a'), String(message));
        else assert.equal(fields.length, 14, String(message));
      }
      if (format === 'csv') {
        const described = (await rows(other, 'SELECT format FROM imports'))[0]?.[0];
        assert.doesNotMatch(String(described), /start-time|end-time|src-ip4|dst-ip4|extra|import-id/);
      }
    } finally {
      await other.close();
    }
  });
}
