/**
 * A CSV or JSON export (the app's Export, `flowscope query --output x.csv|x.json`) holds the cells `flowscope
 * query --format csv|json` prints for the same result: a time is its instant in ISO 8601 with a Z, a NaN or
 * an infinity is the text `NaN`/`Infinity`/`-Infinity` (so a JSON file is JSON), a map is an object of its keys.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Engine } from '../../../main/engine';
import { flowscopeInProcess } from '../../support/flowscope-cli';
import { tempDir } from '../workspace/helpers';

const dir = tempDir('flowscope-export-text-');
const workspace = join(dir, 'w.duckdb');
const HEADER =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
// 2024-03-01T23:59:59Z and a minute later; the second record has no packets to divide by.
const LINES = [
  '2 123456789012 eni-0a 10.0.0.1 10.0.0.2 443 49152 6 10 5000 1709337599 1709337659 ACCEPT OK',
  '2 123456789012 eni-0b 10.0.0.3 10.0.0.2 443 49152 6 0 0 1709337659 1709337719 REJECT OK',
];
let engine: Engine;

before(async () => {
  const log = join(dir, 'flows.log');
  writeFileSync(log, `${HEADER}\n${LINES.join('\n')}\n`);
  engine = await Engine.open({ workspace, create: true });
  const { jobId } = await engine.ingestFiles({ files: [engine.files.register(log)] });
  assert.equal((await engine.jobWait({ jobId })).state, 'done');
});

after(async () => {
  await engine.close();
});

async function exported(query: string, dialect: 'sql' | 'insights', format: 'csv' | 'json'): Promise<string> {
  const { resultId } = await engine.queryRun({ query, dialect, pageSize: 10 });
  const file = join(dir, `export-${Math.random().toString(36).slice(2)}.${format}`);
  await engine.exportResult({ resultId, format, target: engine.files.register(file) });
  return readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
}

test('a JSON export is JSON: a NaN or an infinity is written as the text "NaN", "Infinity", "-Infinity"', async () => {
  const text = await exported(
    `SELECT srcaddr, bytes / packets AS per_packet, -bytes / packets AS negative, 0 / packets AS ratio,
            CAST(packets AS FLOAT) / 0 AS real FROM flows ORDER BY srcaddr`,
    'sql',
    'json',
  );
  assert.deepEqual(JSON.parse(text), [
    { srcaddr: '10.0.0.1', per_packet: 500, negative: -500, ratio: 0, real: 'Infinity' },
    { srcaddr: '10.0.0.3', per_packet: 'NaN', negative: 'NaN', ratio: 'NaN', real: 'NaN' },
  ]);
  const infinite = await exported(
    'SELECT bytes / 0 AS up, -bytes / 0 AS down FROM flows WHERE bytes > 0',
    'sql',
    'json',
  );
  assert.deepEqual(JSON.parse(infinite), [{ up: 'Infinity', down: '-Infinity' }]);
});

test('CSV and JSON exports write a time as its instant in ISO 8601 with a Z, whatever its type', async () => {
  const query = `SELECT start_time, TIMESTAMPTZ '2024-03-02 04:59:59+05' AS zoned, CAST(start_time AS TIMESTAMP_S) AS s,
                        CAST(start_time + INTERVAL 1 MICROSECOND AS TIMESTAMP_NS) AS ns
                 FROM flows ORDER BY start_time LIMIT 1`;
  assert.deepEqual(JSON.parse(await exported(query, 'sql', 'json')), [
    {
      start_time: '2024-03-01T23:59:59.000000Z',
      zoned: '2024-03-01T23:59:59.000000Z',
      s: '2024-03-01T23:59:59.000000Z',
      ns: '2024-03-01T23:59:59.000001000Z',
    },
  ]);
  assert.equal(
    await exported(query, 'sql', 'csv'),
    'start_time,zoned,s,ns\n' +
      '2024-03-01T23:59:59.000000Z,2024-03-01T23:59:59.000000Z,2024-03-01T23:59:59.000000Z,2024-03-01T23:59:59.000001000Z\n',
  );
  const insights = 'fields @timestamp, srcAddr | sort @timestamp asc';
  assert.equal(
    await exported(insights, 'insights', 'csv'),
    "'@timestamp,srcAddr\n2024-03-01T23:59:59.000000Z,10.0.0.1\n2024-03-02T00:00:59.000000Z,10.0.0.3\n",
  );
  assert.deepEqual(JSON.parse(await exported(insights, 'insights', 'json'))[0], {
    '@timestamp': '2024-03-01T23:59:59.000000Z',
    srcAddr: '10.0.0.1',
  });
});

/** The query printed with `--format`, and written with `--output` (its byte order mark aside). */
async function printedAndWritten(args: string[], format: 'csv' | 'json'): Promise<[string, string]> {
  const printed = await flowscopeInProcess(['query', ...args, '--workspace', workspace, '--format', format]);
  assert.equal(printed.code, 0, printed.err);
  const out = join(dir, `cli-${Math.random().toString(36).slice(2)}.${format}`);
  const written = await flowscopeInProcess(['query', ...args, '--workspace', workspace, '--output', out]);
  assert.equal(written.code, 0, written.err);
  return [printed.out, readFileSync(out, 'utf8').replace(/^\uFEFF/, '')];
}

test('--output x.json and x.csv hold what --format json and csv print, for every kind of column', async () => {
  await engine.close();
  try {
    const sql = `SELECT 'NaN'::DOUBLE AS nan, 'inf'::DOUBLE AS inf, '-inf'::DOUBLE AS ninf, 0.3::FLOAT AS real,
      1.5::DOUBLE AS plain, NULL::DOUBLE AS nothing, MAP {'a': 1} AS m, MAP {443: 2} AS by_port,
      MAP {'k': [TIMESTAMP '2024-01-01 00:00:00']} AS nested, TIMESTAMP '2024-03-01 23:59:59' AS t,
      TIMESTAMPTZ '2024-03-01 23:59:59+05' AS tz, 'infinity'::TIMESTAMP AS forever, TIMESTAMP '290000-01-01' AS far,
      [1.5, 'nan'::DOUBLE] AS l, TIMESTAMP_NS '2024-03-01 23:59:59.123456789' AS ns,
      {'a b': 9007199254740993::BIGINT, 't': TIMESTAMP '2024-01-01'} AS s, NULL::MAP(VARCHAR, INTEGER) AS no_map,
      [1, 2]::INTEGER[2] AS pair, DATE '2024-01-01' AS d, '=1' AS formula,
      170141183460469231731687303715884105727::HUGEINT AS huge`;
    const [printedJson, writtenJson] = await printedAndWritten(['--dialect', 'sql', sql], 'json');
    const row = JSON.parse(writtenJson)[0];
    assert.deepEqual(JSON.parse(writtenJson), JSON.parse(printedJson));
    assert.equal(row.nan, 'NaN');
    assert.deepEqual(row.m, { a: 1 });
    assert.deepEqual(row.by_port, { 443: 2 });
    assert.equal(row.tz, '2024-03-01T18:59:59.000000Z');
    assert.match(writtenJson, /"huge":170141183460469231731687303715884105727\b/);
    const [printedCsv, writtenCsv] = await printedAndWritten(['--dialect', 'sql', sql], 'csv');
    assert.equal(writtenCsv, printedCsv);

    // Athena SQL's times (a zoned one is Trino's text, which names its zone) and Insights' @timestamp.
    const athena = `SELECT from_unixtime(start) AS t, from_unixtime(start, 'America/New_York') AS zoned, srcaddr
                    FROM vpc_flow_logs ORDER BY 1`;
    for (const args of [
      ['--dialect', 'athena', athena],
      ['fields @timestamp, srcAddr, interfaceId | sort @timestamp asc'],
    ]) {
      const [json, file] = await printedAndWritten(args, 'json');
      assert.deepEqual(JSON.parse(file), JSON.parse(json));
      assert.match(file, /"2024-03-01T23:59:59\.000000Z"/);
      const [csv, csvFile] = await printedAndWritten(args, 'csv');
      assert.equal(csvFile, csv);
    }
    const [, zoned] = await printedAndWritten(['--dialect', 'athena', athena], 'json');
    assert.equal(JSON.parse(zoned)[0].zoned, '2024-03-01 18:59:59.000 America/New_York');
  } finally {
    engine = await Engine.open({ workspace });
  }
});
