import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { Engine } from '../../../main/engine';
import { writeFlowLogFile } from '../../../main/engine/ingest/generator';
import { flowscope } from '../../support/flowscope-cli';

const root = new URL('../../../', import.meta.url).pathname;
let dir: string;
let ws: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowscope-cli-saved-'));
  ws = join(dir, 'w.duckdb');
  const log = join(dir, 'flows.log');
  await writeFlowLogFile(log, { records: 5000, seed: 3 });
  const engine = await Engine.open({ workspace: ws, create: true });
  const { jobId } = await engine.ingestFiles({ files: [engine.files.register(log)] });
  assert.equal((await engine.jobWait({ jobId })).state, 'done');
  await engine.close();
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('query --file runs a saved query file and prints what the same text prints', async () => {
  const file = join(dir, 'rejected.flowquery.json');
  const query = 'filter action = "REJECT" | stats count(*) as n by dstPort | sort n desc, dstPort asc | limit 5';
  writeFileSync(file, JSON.stringify({ version: 1, name: 'Rejected', dialect: 'insights', query }));
  const fromFile = await flowscope('query', '--file', file, '--workspace', ws, '--format', 'json');
  const fromText = await flowscope('query', query, '--workspace', ws, '--format', 'json');
  assert.equal(fromFile.code, 0, fromFile.stderr);
  assert.equal(fromFile.stdout, fromText.stdout);
  assert.ok(JSON.parse(fromFile.stdout).length > 0);
});

test('a built-in library file runs from the command line', async () => {
  const r = await flowscope(
    'query',
    '--file',
    join(root, 'queries/library/sumo-overview-actions.flowquery.json'),
    '--workspace',
    ws,
    '--format',
    'csv',
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^action,_count\n/);
});

test('a malformed or newer saved-query file is refused with what is wrong, and nothing runs', async () => {
  const newer = join(dir, 'newer.flowquery.json');
  writeFileSync(newer, JSON.stringify({ version: 3, name: 'x', dialect: 'sql', query: 'SELECT 1' }));
  const r1 = await flowscope('query', '--file', newer, '--workspace', ws);
  assert.notEqual(r1.code, 0);
  assert.match(r1.stderr, /newer\.flowquery\.json is format version 3, written by a newer Flowscope/);
  const chart = join(dir, 'chart.flowquery.json');
  writeFileSync(
    chart,
    JSON.stringify({
      version: 1,
      name: 'x',
      dialect: 'sql',
      query: 'SELECT 1',
      chart: { type: 'bar', x: 'a', y: 'b', echarts: {} },
    }),
  );
  const r2 = await flowscope('query', '--file', chart, '--workspace', ws);
  assert.notEqual(r2.code, 0);
  assert.match(r2.stderr, /chart: Unrecognized key: "echarts"/);
});

test('a shared query file that reads other files is refused by the SQL guard', async () => {
  const evil = join(dir, 'evil.flowquery.json');
  writeFileSync(
    evil,
    JSON.stringify({ version: 1, name: 'x', dialect: 'sql', query: "SELECT * FROM read_csv('/etc/passwd')" }),
  );
  const r = await flowscope('query', '--file', evil, '--workspace', ws);
  assert.notEqual(r.code, 0);
  assert.doesNotMatch(r.stdout, /root:/);
  assert.match(r.stderr, /disabled|refused|Permission/i);
});

for (const format of ['csv', 'json', 'parquet'] as const) {
  test(`query --format ${format} --output writes the whole result to the file`, async () => {
    const out = join(dir, `all.${format}`);
    const r = await flowscope('query', 'SELECT * FROM flows', '--workspace', ws, '--format', format, '--output', out);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`5000 rows written to ${out.replace(/[.]/g, '\\.')}`));
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const reader = {
      csv: `read_csv('${out}')`,
      json: `read_json('${out}', format = 'array')`,
      parquet: `read_parquet('${out}')`,
    }[format];
    const [[n]] = (await conn.runAndReadAll(`SELECT count(*) FROM ${reader}`)).getRows() as [[bigint]];
    conn.closeSync();
    db.closeSync();
    assert.equal(n, 5000n);
  });
}

test('parquet without --output is refused: it is not for a terminal', async () => {
  const r = await flowscope('query', 'SELECT 1', '--workspace', ws, '--format', 'parquet');
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /parquet needs --output/);
});

test("a saved query's errors name its file, and say their line and column are of its query text", async () => {
  const broken = join(dir, 'broken.flowquery.json');
  writeFileSync(
    broken,
    JSON.stringify({ version: 1, name: 'x', dialect: 'insights', query: 'fields srcAddr\n| stats cnt(*) by' }),
  );
  const r1 = await flowscope('query', '--file', broken, '--workspace', ws);
  assert.equal(r1.code, 1);
  assert.match(
    r1.stderr,
    new RegExp(`^flowscope query: ${broken.replace(/[.]/g, '\\.')}, query text: line 2, column 18: `),
  );
  const explained = await flowscope('query', '--file', broken, '--workspace', ws, '--explain');
  assert.match(explained.stderr, /broken\.flowquery\.json, query text: line 2, column 18: /);
  const outside = join(dir, 'outside.flowquery.json');
  writeFileSync(
    outside,
    JSON.stringify({ version: 1, name: 'x', dialect: 'sql', query: "SELECT * FROM read_text('/etc/hostname')" }),
  );
  const r2 = await flowscope('query', '--file', outside, '--workspace', ws);
  assert.notEqual(r2.code, 0);
  assert.match(r2.stderr, /outside\.flowquery\.json, query text: Refused/);
  const truncated = join(dir, 'sub', 'cut.flowquery.json');
  mkdirSync(join(dir, 'sub'));
  writeFileSync(truncated, '{ "version": 1, "name": ');
  const r3 = await flowscope('query', '--file', truncated, '--workspace', ws);
  assert.equal(r3.code, 2);
  assert.match(r3.stderr, /sub\/cut\.flowquery\.json is not valid JSON/);
});

test('--output without --format writes the format the file name ends with, and CSV for any other name', async () => {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    for (const [name, reader] of [
      ['top.parquet', (p: string) => `read_parquet('${p}')`],
      ['top.JSON', (p: string) => `read_json('${p}', format = 'array')`],
      ['top.txt', (p: string) => `read_csv('${p}', header = true)`],
    ] as const) {
      const out = join(dir, name);
      const r = await flowscope('query', 'SELECT 7 AS n', '--workspace', ws, '--output', out);
      assert.equal(r.code, 0, r.stderr);
      const [[n]] = (await conn.runAndReadAll(`SELECT n FROM ${reader(out)}`)).getRows() as [[unknown]];
      assert.equal(Number(n), 7, name);
    }
  } finally {
    conn.closeSync();
    db.closeSync();
  }
});

test('a saved-query file that is not UTF-8 is refused, not run as another query with U+FFFD in it', async () => {
  // Saved as Latin-1 by another editor: é is the one byte E9.
  const latin1 = join(dir, 'latin1.flowquery.json');
  writeFileSync(
    latin1,
    Buffer.from('{"version": 1, "name": "x",\n "dialect": "sql", "query": "SELECT \'caf\xe9\' AS x"}', 'latin1'),
  );
  const r = await flowscope('query', '--file', latin1, '--workspace', ws, '--format', 'csv');
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /latin1\.flowquery\.json is not UTF-8 text \(line 2, column \d+\); save it as UTF-8/);
});

test('--file naming a folder is refused as one (exit 2), not with the system error EISDIR', async () => {
  const r = await flowscope('query', '--file', dir, '--workspace', ws);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /is a folder, not a saved-query file/);
  assert.doesNotMatch(r.stderr, /EISDIR/);
});
