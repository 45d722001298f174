/**
 * Files an analyst made out of flow logs rather than received: two S3 deliveries joined with `cat`, and
 * comma-separated copies (a log opened in Excel and saved as CSV, Athena's downloaded query results). Every
 * answer is worked out from the lines written below.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { importFile, importPaths } from '../../../main/engine/ingest';
import { Workspace } from '../../../main/engine/workspace';
import { tempDir } from '../workspace/helpers';

const dir = tempDir('flowscope-joined-');
let ws: Workspace;

before(async () => {
  ws = await Workspace.open(join(dir, 'ws.duckdb'), { create: true });
});
after(() => ws.close());

const START = 1772445600; // 2026-03-02T10:00:00Z
const HEADER =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
/** The i-th default-format record: bytes 100·(i+1), a REJECT every fourth. */
const record = (i: number) =>
  `2 123456789012 eni-0a1b2c3d4e5f60718 10.0.0.${i + 1} 203.0.113.9 ${40000 + i} 443 6 ${i + 1} ${(i + 1) * 100} ` +
  `${START + i * 60} ${START + i * 60 + 60} ${i % 4 ? 'ACCEPT' : 'REJECT'} OK`;
const delivery = (from: number, n: number) =>
  gzipSync(`${[HEADER, ...Array.from({ length: n }, (_, k) => record(from + k))].join('\n')}\n`);

test('two deliveries joined with cat: the second header line is rejected as a header, not as 29 conversion errors', async () => {
  const path = join(dir, 'joined.log.gz');
  writeFileSync(path, Buffer.concat([delivery(0, 30), delivery(30, 20)]));
  const outcome = await importFile(ws, path, {});
  assert.equal(outcome.status, 'imported', outcome.error);
  assert.deepEqual([outcome.records, outcome.rejected], [50, 1]);
  const [line] = (await ws.rejected(outcome.importId, 0, 10)).lines;
  assert.equal(Number(line!.line), 32);
  assert.equal(line!.raw, HEADER);
  assert.equal(
    line!.reason,
    'a header line (field names, not a record): files joined one after another each start with one',
  );
});

/** What the workspace holds: records, imports and rejected lines. */
async function holding(): Promise<number[]> {
  const [row] = await ws.all<Record<string, bigint>>(
    'SELECT (SELECT count(*) FROM flows) AS f, (SELECT count(*) FROM imports) AS i, (SELECT count(*) FROM rejected_lines) AS r',
  );
  return Object.values(row!).map(Number);
}

/** The fields of the default format with srcaddr/dstaddr, srcport/dstport and packets/bytes swapped, and a record in that order. */
const SWAPPED = [0, 1, 2, 4, 3, 6, 5, 7, 9, 8, 10, 11, 12, 13];
const swapped = (line: string) => SWAPPED.map((i) => line.split(' ')[i]).join(' ');

test('joined files whose second header names the fields in another order fail, naming that line; nothing is stored', async () => {
  const path = join(dir, 'joined-reordered.log');
  const lines = [
    HEADER,
    ...Array.from({ length: 30 }, (_, k) => record(k)),
    swapped(HEADER),
    ...Array.from({ length: 20 }, (_, k) => swapped(record(30 + k))),
  ];
  writeFileSync(path, `${lines.join('\n')}\n`);
  const before = await holding();
  const outcome = await importFile(ws, path, {});
  assert.equal(outcome.status, 'failed');
  assert.equal(
    outcome.error,
    `${path}, line 32: a header of another record format (version account-id interface-id dstaddr srcaddr dstport srcport protocol …) ` +
      'follows records of the first; these are files joined one after another: import them one by one.',
  );
  assert.deepEqual(await holding(), before);
});

test('joined files whose second header names other fields (a custom format) fail the same way', async () => {
  const path = join(dir, 'joined-other-fields.log.gz');
  const custom = 'version srcaddr dstaddr start end action';
  const other = gzipSync(`${custom}\n2 10.0.0.1 10.0.0.2 ${START} ${START + 60} ACCEPT\n`);
  writeFileSync(path, Buffer.concat([delivery(0, 5), other]));
  const before = await holding();
  const outcome = await importFile(ws, path, {});
  assert.equal(outcome.status, 'failed');
  assert.match(
    outcome.error!,
    /, line 7: a header of another record format \(version srcaddr dstaddr start end action\) follows/,
  );
  assert.deepEqual(await holding(), before);
});

test('joined CSV files whose second header has the same fields in another order fail too', async () => {
  const path = join(dir, 'joined.csv');
  const rows = [HEADER, record(0), record(1), swapped(HEADER), swapped(record(2))].map((l) => l.split(' ').join(','));
  writeFileSync(path, `${rows.join('\r\n')}\r\n`);
  const before = await holding();
  const outcome = await importFile(ws, path, {});
  assert.equal(outcome.status, 'failed');
  assert.match(
    outcome.error!,
    /joined\.csv, line 4: a header of another record format \(version account-id interface-id dstaddr srcaddr dstport srcport protocol …\) follows/,
  );
  assert.deepEqual(await holding(), before);
});

test('among small files read together, the joined file fails alone and the others import', async () => {
  const folder = join(dir, 'folder');
  mkdirSync(folder);
  // Records of their own: the first test's joined deliveries hold records 0 to 49, and a record held already
  // is held once.
  writeFileSync(join(folder, 'a.log'), `${[HEADER, record(100), record(101)].join('\n')}\n`);
  writeFileSync(join(folder, 'b.log'), `${[HEADER, record(102), swapped(HEADER), swapped(record(103))].join('\n')}\n`);
  writeFileSync(join(folder, 'c.log'), `${[HEADER, record(104)].join('\n')}\n`);
  const result = await importPaths(ws, [folder], {});
  assert.deepEqual(
    result.files.map((f) => [f.path.slice(folder.length + 1), f.status, f.records]),
    [
      ['a.log', 'imported', 2],
      ['b.log', 'failed', 0],
      ['c.log', 'imported', 1],
    ],
  );
  assert.match(result.files[1]!.error!, /b\.log, line 3: a header of another record format/);
  const [sum] = await ws.all<{ bytes: bigint }>(
    `SELECT sum(bytes) AS bytes FROM flows WHERE import_id IN (${result.files[0]!.importId}, ${result.files[2]!.importId})`,
  );
  assert.equal(Number(sum!.bytes), 10100 + 10200 + 10500);
});

test('a log saved by Excel as CSV imports; the values Excel changed are rejected lines saying so, never stored changed', async () => {
  // Records 60 and on: records held already (the first test's) are held once.
  const cells = (i: number) => record(60 + i).split(' ');
  const rows = [
    HEADER.split(' ').join(','),
    cells(0).join(','),
    cells(1).join(','),
    // Excel's General format: 12 digits become 1.23457E+11, and a leading zero goes.
    Object.assign(cells(2), { 1: '1.23457E+11' }).join(','),
    Object.assign(cells(3), { 1: '12345678901' }).join(','),
    Object.assign(cells(4), { 9: '1.23457E+11' }).join(','),
    Object.assign(cells(5), { 10: '02/03/2026 10:05' }).join(','),
    cells(6).join(','),
  ];
  const path = join(dir, 'flows.csv');
  writeFileSync(path, `\uFEFF${rows.join('\r\n')}\r\n`);
  const outcome = await importFile(ws, path, {});
  assert.equal(outcome.status, 'imported', outcome.error);
  assert.deepEqual([outcome.records, outcome.rejected], [3, 4]);
  const [sum] = await ws.all<{ bytes: bigint; status: string; account: string }>(
    `SELECT sum(bytes) AS bytes, min(log_status) AS status, min(account_id) AS account FROM flows WHERE import_id = ${outcome.importId}`,
  );
  assert.deepEqual([Number(sum!.bytes), sum!.status, sum!.account], [6100 + 6200 + 6700, 'OK', '123456789012']);
  const lines = (await ws.rejected(outcome.importId, 0, 10)).lines;
  assert.deepEqual(
    lines.map((l) => [Number(l.line), l.reason, l.raw]),
    [
      [
        4,
        'field "account-id" is 1.23457E+11: an account id is 12 digits (a spreadsheet writes it as a number)',
        rows[3],
      ],
      [
        5,
        'field "account-id" is 12345678901: an account id is 12 digits (a spreadsheet writes it as a number)',
        rows[4],
      ],
      [
        6,
        'field "bytes" is 1.23457E+11: not a whole number as flow logs write it (a spreadsheet rounds them)',
        rows[5],
      ],
      [7, 'field "start" is 02/03/2026 10:05: not a number; field "start" is missing: the record has no time', rows[6]],
    ],
  );
});

test('a log saved by Excel in a European locale (";" between fields) imports by its header; changed values are rejected lines', async () => {
  const cells = (i: number) => record(60 + i).split(' ');
  const rows = [
    HEADER.split(' ').join(';'),
    cells(10).join(';'),
    // A value holding the separator is quoted, as Excel writes it.
    Object.assign(cells(11), { 2: '"eni-a;b"' }).join(';'),
    // A decimal comma: Excel's General format of 12 digits in that locale.
    Object.assign(cells(12), { 9: '1,23457E+11' }).join(';'),
  ];
  const path = join(dir, 'flows-semicolon.csv');
  writeFileSync(path, `\uFEFF${rows.join('\r\n')}\r\n`);
  const outcome = await importFile(ws, path, {});
  assert.equal(outcome.status, 'imported', outcome.error);
  assert.deepEqual([outcome.records, outcome.rejected], [2, 1]);
  const stored = await ws.all<{ eni: string; bytes: bigint; srcport: number }>(
    `SELECT interface_id AS eni, bytes, srcport FROM flows WHERE import_id = ${outcome.importId} ORDER BY start`,
  );
  assert.deepEqual(
    stored.map((r) => [r.eni, Number(r.bytes), r.srcport]),
    [
      ['eni-0a1b2c3d4e5f60718', 7100, 40070],
      ['eni-a;b', 7200, 40071],
    ],
  );
  const lines = (await ws.rejected(outcome.importId, 0, 10)).lines;
  assert.deepEqual(
    lines.map((l) => [Number(l.line), l.reason, l.raw]),
    [
      [
        4,
        'field "bytes" is 1,23457E+11: not a whole number as flow logs write it (a spreadsheet rounds them)',
        rows[3],
      ],
    ],
  );
});

test("Athena's downloaded results import by their header: its column names, any order, quoted, NULL as empty, partitions read past", async () => {
  // `SELECT * FROM vpc_flow_logs` over AWS's DDL (columns version … traffic_path, PARTITIONED BY `date`), a few
  // columns moved; a `-` in an integer column is NULL to Athena and written empty, a `-` in a string stays.
  // The partition is no field of the line as logged: not stored, not in `@message`.
  const header = ['start', 'end', 'version', 'account_id', 'interface_id', 'srcaddr', 'dstaddr', 'srcport', 'dstport'];
  const more = ['protocol', 'packets', 'bytes', 'action', 'log_status', 'vpc_id', 'flow_direction', 'date'];
  const q = (v: string) => (v === '' ? '' : `"${v}"`);
  const row = (values: string[]) => values.map(q).join(',');
  const lines = [
    row([...header, ...more]),
    row([`${START}`, `${START + 60}`, '5', '123456789012', 'eni-0c', '10.1.0.5', '10.1.9.9', '443', '50000']) +
      ',' +
      row(['6', '12', '3400', 'ACCEPT', 'OK', 'vpc-0a', 'ingress', '2026-03-02']),
    row([`${START}`, `${START + 60}`, '5', '123456789012', 'eni-0c', '-', '-', '', '']) +
      ',' +
      row(['', '', '', '-', 'NODATA', 'vpc-0a', '-', '2026-03-02']),
  ];
  const path = join(dir, 'athena-results.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  const outcome = await importFile(ws, path, {});
  assert.equal(outcome.status, 'imported', outcome.error);
  assert.deepEqual([outcome.records, outcome.rejected], [2, 0]);
  const got = await ws.all<Record<string, unknown>>(
    `SELECT version, account_id, interface_id, srcaddr, dstport, protocol, bytes, start, "end", action, log_status, ` +
      `vpc_id, flow_direction, extra['date'] AS date FROM flows WHERE import_id = ${outcome.importId} ORDER BY log_status`,
  );
  assert.deepEqual(
    got.map((r) => Object.values(r).map((v) => (typeof v === 'bigint' ? Number(v) : v))),
    [
      [5, '123456789012', 'eni-0c', null, null, null, null, START, START + 60, null, 'NODATA', 'vpc-0a', null, null],
      [
        5,
        '123456789012',
        'eni-0c',
        '10.1.0.5',
        50000,
        6,
        3400,
        START,
        START + 60,
        'ACCEPT',
        'OK',
        'vpc-0a',
        'ingress',
        null,
      ],
    ],
  );
  const [format] = await ws.all<{ format: string }>(`SELECT format FROM imports WHERE id = ${outcome.importId}`);
  assert.equal(
    format!.format,
    'csv start end version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes action log-status vpc-id flow-direction',
  );
});

test('a comma-separated file without a header line is refused for that reason', async () => {
  const path = join(dir, 'no-header.csv');
  writeFileSync(path, `${record(0).split(' ').join(',')}\r\n${record(1).split(' ').join(',')}\r\n`);
  const outcome = await importFile(ws, path, {});
  assert.equal(outcome.status, 'failed');
  assert.match(outcome.error!, /is not a flow log: it is comma-separated .* without a header line naming its fields/);
});

test('small CSV files of one header, one with commas and one with semicolons, each read at its own separator', async () => {
  const folder = join(dir, 'two-separators');
  mkdirSync(folder);
  for (const [name, separator, from] of [
    ['a-commas.csv', ',', 80],
    ['b-semicolons.csv', ';', 90],
  ] as const) {
    const rows = [HEADER, record(from), record(from + 1)].map((l) => l.split(' ').join(separator));
    writeFileSync(join(folder, name), `${rows.join('\n')}\n`);
  }
  const result = await importPaths(ws, [folder], {});
  assert.deepEqual(
    result.files.map((f) => [f.status, f.records, f.rejected]),
    [
      ['imported', 2, 0],
      ['imported', 2, 0],
    ],
  );
});

test("a line with two blanks in a row (as copied from AWS's own example) is rejected naming the field they follow", async () => {
  const fields = (i: number) => record(200 + i).split(' ');
  const lines = [
    HEADER,
    // After dstport (the 7th field), as in AWS's "TCP flag sequence" example.
    [...fields(0).slice(0, 7), '', ...fields(0).slice(7)].join(' '),
    record(201),
    // Blanks at the line's end are no field: the line is a record.
    `${record(202)}  `,
    // One field too many, and no doubled blank: the count is the reason.
    `${record(203)} x`,
  ];
  const path = join(dir, 'doubled-blank.log');
  writeFileSync(path, `${lines.join('\n')}\n`);
  const outcome = await importFile(ws, path, {});
  assert.deepEqual([outcome.status, outcome.records, outcome.rejected], ['imported', 2, 2]);
  const rejected = (await ws.rejected(outcome.importId, 0, 10)).lines;
  assert.deepEqual(
    rejected.map((l) => [Number(l.line), l.reason]),
    [
      [
        2,
        'two blanks in a row after field "dstport" (field 7), where flow logs write one: read as an empty field, one too many',
      ],
      [5, 'Expected fields: 14 Found: 15'],
    ],
  );
});

test("a space-separated file whose header names the fields with Athena's underscores is read by its header, in its order", async () => {
  // Before, the header was taken for a record (rejected as "a header line") and the records were read in the
  // default order: bytes stored as packets and packets as bytes.
  const names = HEADER.replace(/-/g, '_').split(' ');
  const bytesFirst = [...names.slice(0, 8), 'bytes', 'packets', ...names.slice(10)];
  const reordered = ['account_id', 'version', ...bytesFirst.slice(2)];
  const order = (header: readonly string[]) => header.map((n) => names.indexOf(n));
  const cases = [
    ['athena-names.log', bytesFirst],
    ['athena-names-reordered.log', reordered],
    ['athena-names-upper.log', bytesFirst.map((n) => n.toUpperCase())],
  ] as const;
  for (const [c, [file, header]] of cases.entries()) {
    const path = join(dir, file);
    const at = order(header.map((n) => n.toLowerCase()));
    const first = 230 + 5 * c;
    const line = (i: number) => at.map((k) => record(first + i).split(' ')[k]).join(' ');
    writeFileSync(path, `${[header.join(' '), line(0), line(1)].join('\n')}\n`);
    const outcome = await importFile(ws, path, {});
    assert.deepEqual([outcome.status, outcome.records, outcome.rejected], ['imported', 2, 0], file);
    const got = await ws.all<{ version: number; account_id: string; packets: bigint; bytes: bigint }>(
      `SELECT version, account_id, packets, bytes FROM flows WHERE import_id = ${outcome.importId} ORDER BY bytes`,
    );
    assert.deepEqual(
      got.map((r) => [r.version, r.account_id, Number(r.packets), Number(r.bytes)]),
      [
        [2, '123456789012', first + 1, (first + 1) * 100],
        [2, '123456789012', first + 2, (first + 2) * 100],
      ],
      file,
    );
  }
});

test('a first line that names fields but cannot be read as a header refuses the file, never read in the default order', async () => {
  const path = join(dir, 'quoted-names.log');
  const quoted = HEADER.split(' ')
    .map((n) => `"${n}"`)
    .join(' ');
  writeFileSync(path, `${quoted}\n${record(400)}\n`);
  const before = await holding();
  const outcome = await importFile(ws, path, {});
  assert.equal(outcome.status, 'failed');
  assert.match(
    outcome.error!,
    /quoted-names\.log cannot be imported: its first line names fields as a header does \("version" "account-id" .*\), but cannot be read as one: its names are quoted/,
  );
  assert.deepEqual(await holding(), before);
});
