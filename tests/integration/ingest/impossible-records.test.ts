import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { importFile, importPaths } from '../../../main/engine/ingest';
import { Workspace } from '../../../main/engine/workspace';
import { tempDir } from '../workspace/helpers';

const dir = tempDir('flowscope-impossible-');
let ws: Workspace;

before(async () => {
  ws = await Workspace.open(join(dir, 'ws.duckdb'), { create: true });
});
after(() => ws.close());

const HEADER =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const GOOD = '2 123456789012 eni-0a1 10.0.1.5 52.94.1.1 49152 443 6 10 5000 1772409600 1772409660 ACCEPT OK';
/** A good record with one field changed (by position in the default format). */
const good = (changes: Record<number, string>) =>
  GOOD.split(' ')
    .map((v, i) => changes[i] ?? v)
    .join(' ');

/** Each impossible record and the reason it must be rejected for. */
const IMPOSSIBLE: [string, RegExp][] = [
  [good({ 5: '-5' }), /field "srcport" is -5: a port is 0 to 65535/],
  [good({ 6: '70000' }), /field "dstport" is 70000: a port is 0 to 65535/],
  [good({ 7: '300' }), /field "protocol" is 300: a protocol number is 0 to 255/],
  [good({ 8: '-1' }), /field "packets" is -1: it cannot be negative/],
  [good({ 9: '-100' }), /field "bytes" is -100: it cannot be negative/],
  [good({ 10: '-60', 11: '0' }), /field "start" is -60: a time is Unix seconds/],
  [good({ 11: '99999999999999' }), /field "end" is 99999999999999: a time is Unix seconds/],
  [good({ 3: '999.1.1.1' }), /field "srcaddr" is 999\.1\.1\.1: not an IPv4 or IPv6 address/],
  [good({ 4: '10.0.0' }), /field "dstaddr" is 10\.0\.0: not an IPv4 or IPv6 address/],
  [good({ 3: 'fe80::1::2' }), /field "srcaddr" is fe80::1::2: not an IPv4 or IPv6 address/],
  [good({ 10: '1772409700', 11: '1772409600' }), /field "start" \(1772409700\) is after "end" \(1772409600\)/],
  [good({ 10: '-' }), /field "start" is missing: the record has no time/],
];
/** Odd but possible: kept. */
const POSSIBLE = [
  GOOD,
  good({ 3: '2001:db8::1', 4: '::ffff:10.0.0.1' }),
  good({ 5: '0', 6: '65535', 7: '255', 9: '0' }),
  good({ 10: '1772409600', 11: '1772409600' }),
  '2 123456789012 eni-0a1 - - - - - - - 1772409600 1772409660 - NODATA',
];

test('a line over the maximum length is a rejected line, and the impossible records after it keep their line numbers', async () => {
  const lines = [HEADER, GOOD, good({ 3: '"10.0.0.1' }), GOOD, 'x'.repeat(3_000_000), GOOD, good({ 5: '-5' })];
  const path = join(dir, 'long-line.log');
  writeFileSync(path, `${lines.join('\n')}\n`);
  const outcome = await importFile(ws, path, {});
  assert.equal(outcome.status, 'imported', outcome.error);
  assert.deepEqual([outcome.records, outcome.rejected], [3, 3]);
  const rejected = (await ws.rejected(outcome.importId, 0, 10)).lines;
  assert.deepEqual(
    rejected.map((l) => l.line),
    [3, 5, 7],
  );
  assert.match(rejected[0]!.reason, /field "srcaddr" is "10\.0\.0\.1: not an IPv4/);
  assert.match(rejected[1]!.reason, /Maximum line size/);
  assert.match(rejected[2]!.reason, /field "srcport" is -5/);
});

test('blank lines before the header, and blanks at the ends of lines, are passed over: lines keep their numbers', async () => {
  // The sniffer counted a trailing blank as a 15th field (the file was refused when every line had one), took
  // a blank first line for the first (no header), and the impossible-record pass lost a line that ends in one.
  // Records no other test here imports (an equal record would be held before).
  const lines = [
    '',
    '',
    `${HEADER} `,
    `${good({ 5: '40001' })} `,
    `${good({ 6: '70000' })} `,
    `${good({ 5: '40002' })}  `,
  ];
  const path = join(dir, 'blanks.log');
  writeFileSync(path, `${lines.join('\n')}\n`);
  const outcome = await importFile(ws, path, {});
  assert.equal(outcome.status, 'imported', outcome.error);
  assert.deepEqual([outcome.records, outcome.rejected], [2, 1]);
  const [line] = (await ws.rejected(outcome.importId, 0, 10)).lines;
  assert.deepEqual([line?.line, line?.reason], [5, 'field "dstport" is 70000: a port is 0 to 65535']);
  const stored = await ws.all<{ log_status: string }>(
    `SELECT DISTINCT log_status FROM flows WHERE import_id = ${outcome.importId}`,
  );
  assert.deepEqual(stored, [{ log_status: 'OK' }]);
});

test('impossible records in text are rejected lines with their line, reason and raw text; the others are stored', async () => {
  // Mixed so that line numbers are checked: header, then possible and impossible records in turn.
  const lines = [HEADER];
  for (let i = 0; i < Math.max(IMPOSSIBLE.length, POSSIBLE.length); i++) {
    if (POSSIBLE[i]) lines.push(POSSIBLE[i]!);
    if (IMPOSSIBLE[i]) lines.push(IMPOSSIBLE[i]![0]);
  }
  lines.push(good({ 9: 'lots' })); // the reader's own reject, counted once
  for (const gzip of [false, true]) {
    const path = join(dir, `mixed-${gzip}.log${gzip ? '.gz' : ''}`);
    // An interface of each file's own: records another import holds already are held once.
    const text = `${lines.join('\n')}\n`.replaceAll('eni-0a1', gzip ? 'eni-gz' : 'eni-mx');
    writeFileSync(path, gzip ? gzipSync(text) : text);
    const outcome = await importFile(ws, path, {});
    assert.equal(outcome.status, 'imported', outcome.error);
    assert.equal(outcome.records, POSSIBLE.length);
    assert.equal(outcome.rejected, IMPOSSIBLE.length + 1);
    const { lines: rejected } = await ws.rejected(outcome.importId!, 0, 100);
    const fileLines = text.split('\n');
    assert.equal(rejected.length, IMPOSSIBLE.length + 1);
    for (const r of rejected) {
      assert.equal(r.raw, fileLines[r.line - 1], `line ${r.line} is the raw text`);
      assert.equal(r.path, path);
    }
    for (const [record, reason] of IMPOSSIBLE) {
      const found = rejected.find((r) => r.raw === record.replaceAll('eni-0a1', gzip ? 'eni-gz' : 'eni-mx'));
      assert.ok(found, `${record} is rejected`);
      assert.match(found.reason, reason);
    }
    assert.match(rejected.at(-1)!.reason, /field "bytes"/);
    const [stored] = await ws.all<{ n: bigint; bad: bigint; untimed: bigint }>(
      `SELECT count(*) AS n, count(*) FILTER (WHERE srcport < 0 OR bytes < 0 OR start > "end" OR srcaddr = '999.1.1.1') AS bad,
              count(*) FILTER (WHERE start_time IS NULL) AS untimed FROM flows WHERE import_id = $1`,
      [outcome.importId!],
    );
    assert.deepEqual([stored!.n, stored!.bad, stored!.untimed], [BigInt(POSSIBLE.length), 0n, 0n]);
    const ledger = await ws.getImport(outcome.importId!);
    assert.deepEqual([ledger!.records, ledger!.rejected], [POSSIBLE.length, IMPOSSIBLE.length + 1]);
  }
  const [negative] = await ws.all<{ n: bigint }>('SELECT count(*) AS n FROM flows WHERE import_id < 0');
  assert.equal(negative!.n, 0n, 'no marked record is left behind');
});

test('small files imported together keep their own impossible records and counts', async () => {
  const folder = join(dir, 'small');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(folder);
  writeFileSync(join(folder, 'a.log'), [HEADER, good({ 2: 'eni-a' }), good({ 2: 'eni-a', 9: '-1' })].join('\n') + '\n');
  writeFileSync(join(folder, 'b.log'), [HEADER, good({ 2: 'eni-b' }), good({ 2: 'eni-b', 0: '3' })].join('\n') + '\n');
  writeFileSync(join(folder, 'c.log'), [HEADER, good({ 2: 'eni-c', 3: '1.2.3.256' })].join('\n') + '\n');
  const result = await importPaths(ws, [folder], {});
  const by = Object.fromEntries(result.files.map((f) => [f.path.split('/').at(-1), [f.records, f.rejected]]));
  assert.deepEqual(by, { 'a.log': [1, 1], 'b.log': [2, 0], 'c.log': [0, 1] });
  const c = result.files.find((f) => f.path.endsWith('c.log'))!;
  const { lines } = await ws.rejected(c.importId!, 0, 10);
  assert.deepEqual(
    lines.map((l) => [l.line, l.reason]),
    [[2, 'field "srcaddr" is 1.2.3.256: not an IPv4 or IPv6 address']],
  );
});

/** A Parquet file written by DuckDB itself from a SELECT. */
async function parquet(name: string, select: string): Promise<string> {
  const path = join(dir, name);
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(`COPY (${select}) TO '${path}' (FORMAT parquet)`);
  c.closeSync();
  db.closeSync();
  return path;
}

test('a Parquet file without the flow-log columns is refused with the reason, and nothing is stored', async () => {
  const before = await ws.all('SELECT (SELECT count(*) FROM flows) AS f, (SELECT count(*) FROM imports) AS i');
  const sales = await parquet('sales.parquet', `SELECT 'widget' AS product, 3 AS quantity FROM range(5)`);
  const noTime = await parquet('no-time.parquet', `SELECT '10.0.0.1' AS srcaddr, 443 AS dstport FROM range(5)`);
  const refused = await importFile(ws, sales, {});
  assert.equal(refused.status, 'failed');
  assert.match(
    refused.error!,
    /sales\.parquet is not a flow log: it has none of the flow-log columns .*product, quantity/,
  );
  const untimed = await importFile(ws, noTime, {});
  assert.equal(untimed.status, 'failed');
  assert.match(untimed.error!, /no-time\.parquet is not a flow log: it has no start column/);
  assert.deepEqual(
    await ws.all('SELECT (SELECT count(*) FROM flows) AS f, (SELECT count(*) FROM imports) AS i'),
    before,
  );
});

test('Parquet values of the wrong type or impossible are rejected with their row and reason, not stored as NULL', async () => {
  const path = await parquet(
    'typed-as-text.parquet',
    `SELECT 2 AS version, '10.0.0.' || i AS srcaddr, '10.1.0.1' AS dstaddr,
            CASE i WHEN 1 THEN 'abc' WHEN 2 THEN '-5' ELSE '100' END AS bytes,
            CASE i WHEN 3 THEN 'soon' WHEN 4 THEN '-' ELSE '1772409600' END AS start,
            '1772409660' AS "end"
       FROM range(6) t(i)`,
  );
  const outcome = await importFile(ws, path, {});
  assert.equal(outcome.status, 'imported', outcome.error);
  assert.deepEqual([outcome.records, outcome.rejected], [2, 4]);
  const { lines } = await ws.rejected(outcome.importId!, 0, 10);
  assert.deepEqual(
    lines.map((l) => [l.line, l.reason]),
    [
      [2, 'field "bytes" is abc: not a number'],
      [3, 'field "bytes" is -5: it cannot be negative'],
      [4, 'field "start" is soon: not a number; field "start" is missing: the record has no time'],
      [5, 'field "start" is missing: the record has no time'],
    ],
  );
  assert.equal(lines[0]!.raw, '2 10.0.0.1 10.1.0.1 abc 1772409600 1772409660');
});

test('a Parquet number not written as digits is rejected by its row, not stored as DuckDB would cast it', async () => {
  // DuckDB's cast takes 443.7 as 444, 0x10 as 16 and 1e3 as 1000, a double's 2.5 packets as 3. A whole
  // double is a number (pandas writes an integer column with missing values as doubles).
  const path = await parquet(
    'number-forms.parquet',
    `SELECT 2 AS version, '10.0.0.' || i AS srcaddr, '10.1.0.1' AS dstaddr,
            ['100', '443.7', '0x10', '1e3', '200'][i + 1] AS bytes,
            [1.0, 1.0, 1.0, 1.0, 2.5][i + 1]::DOUBLE AS packets,
            1772409600::BIGINT AS start, 1772409660::UBIGINT AS "end"
       FROM range(5) t(i)`,
  );
  const outcome = await importFile(ws, path, {});
  assert.equal(outcome.status, 'imported', outcome.error);
  assert.deepEqual([outcome.records, outcome.rejected], [1, 4]);
  // A Parquet file is no spreadsheet's CSV: its reason says what is wrong without blaming one.
  const rounded = 'not a whole number in digits, as flow logs write it';
  const { lines } = await ws.rejected(outcome.importId!, 0, 10);
  assert.deepEqual(
    lines.map((l) => [l.unit, l.line, l.reason]),
    [
      ['row', 2, `field "bytes" is 443.7: ${rounded}`],
      ['row', 3, 'field "bytes" is 0x10: not a number'],
      ['row', 4, `field "bytes" is 1e3: ${rounded}`],
      ['row', 5, `field "packets" is 2.5: ${rounded}`],
    ],
  );
  const stored = await ws.all<{ bytes: bigint; packets: bigint }>(
    `SELECT bytes, packets FROM flows WHERE import_id = ${outcome.importId}`,
  );
  assert.deepEqual(stored, [{ bytes: 100n, packets: 1n }]);
});

test('a whole number too large for its field is rejected saying so, in text and in Parquet, not in DuckDB’s words', async () => {
  const path = join(dir, 'too-large.log');
  const lines = [
    HEADER,
    good({ 9: '18446744073709551616' }),
    good({ 8: '-99999999999999999999', 6: '99999999999' }),
    good({ 9: 'lots' }),
  ];
  writeFileSync(path, `${lines.join('\n')}\n`.replaceAll('eni-0a1', 'eni-big'));
  const outcome = await importFile(ws, path, {});
  assert.equal(outcome.status, 'imported', outcome.error);
  const { lines: rejected } = await ws.rejected(outcome.importId!, 0, 10);
  assert.deepEqual(
    rejected.map((l) => [l.line, l.reason.split('; ').sort()]),
    [
      [2, ['field "bytes" is 18446744073709551616: more than a flow log\'s 64-bit counter holds']],
      [
        3,
        [
          'field "dstport" is 99999999999: a port is 0 to 65535',
          'field "packets" is -99999999999999999999: it cannot be negative',
        ],
      ],
      [4, ['field "bytes" is lots: not a number']],
    ],
  );

  // AWS's Parquet type for bytes is INT_64; an unsigned 64-bit column can hold more.
  const unsigned = await parquet(
    'unsigned.parquet',
    `SELECT 2 AS version, '10.0.0.1' AS srcaddr, '10.1.0.1' AS dstaddr, 18446744073709551615::UBIGINT AS bytes,
            1772409600 AS start, 1772409660 AS "end"`,
  );
  const fromParquet = await importFile(ws, unsigned, {});
  assert.equal(fromParquet.status, 'imported', fromParquet.error);
  const { lines: refused } = await ws.rejected(fromParquet.importId!, 0, 10);
  assert.deepEqual(
    refused.map((l) => l.reason),
    ['field "bytes" is 18446744073709551615: more than a flow log\'s 64-bit counter holds'],
  );
});
