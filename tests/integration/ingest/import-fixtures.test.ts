import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { DEFAULT_FORMAT } from '../../../queries/catalog/fields';
import { importFile, importPaths, importStagedFile } from '../../../main/engine/ingest';
import { FlowLogGenerator, writeFlowLogFile } from '../../../main/engine/ingest/generator';
import { Workspace } from '../../../main/engine/workspace';
import { DuckDBInstance } from '@duckdb/node-api';
import { openedForFile } from '../../support/opened-for-file';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'ingest');
const fixture = (name: string) => join(fixtures, name);
const dir = mkdtempSync(join(tmpdir(), 'flowscope-ingest-'));
const ws = openedForFile(() => Workspace.open(join(dir, 'ws.duckdb'), { create: true }), dir);

/** The records of a flow-log text as JavaScript reads them, independently of DuckDB: field name → value. */
function parseText(text: string, fields?: readonly string[]): Record<string, string>[] {
  const lines = text.split('\n').filter((l) => l.length > 0);
  const names = fields ?? lines.shift()!.split(' ');
  return lines.map((l) => Object.fromEntries(l.split(' ').map((v, i) => [names[i]!, v])));
}
const sumOf = (records: Record<string, string>[], field: string) =>
  records.reduce((s, r) => s + (r[field] === '-' ? 0 : Number(r[field])), 0);

async function one<T = Record<string, unknown>>(sql: string, params: (string | number)[] = []): Promise<T> {
  const rows = await ws().all<T>(sql, params);
  return rows[0]!;
}

/** The default-format lines of a text as stored: source, destination, bytes and start, in a fixed order. */
const recordKeys = (lines: readonly string[]) =>
  lines
    .map((l) => l.split(' '))
    .map((f) => [f[3], f[4], f[9], f[10]].join(' '))
    .sort();

/** The same four values of the records an import stored. */
/** The fixture's lines under another account id: the same flows, other records. */
const otherAccount = (text: string, account = '210987654321') => text.replaceAll(' 123456789012 ', ` ${account} `);

async function storedKeys(importId: number): Promise<string[]> {
  const rows = await ws().all<{ k: string }>(
    `SELECT concat_ws(' ', coalesce(srcaddr, '-'), coalesce(dstaddr, '-'), coalesce(bytes::VARCHAR, '-'), start) AS k FROM flows WHERE import_id = $1`,
    [importId],
  );
  return rows.map((r) => r.k).sort();
}

async function totals(): Promise<{ flows: bigint; imports: bigint; rejected: bigint }> {
  return one(
    `SELECT (SELECT count(*) FROM flows) AS flows, (SELECT count(*) FROM imports) AS imports, (SELECT count(*) FROM rejected_lines) AS rejected`,
  );
}

test('the default format, plain and gzip, imports every record with its values and derived columns', async () => {
  for (const [name, text] of [
    ['default.log', readFileSync(fixture('default.log'), 'utf8')],
    ['default.log.gz', gunzipSync(readFileSync(fixture('default.log.gz'))).toString('utf8')],
  ] as const) {
    const expected = parseText(text);
    const outcome = await importFile(ws(), fixture(name), {});
    assert.equal(outcome.status, 'imported', outcome.error);
    assert.equal(outcome.records, expected.length);
    assert.equal(outcome.rejected, 0);
    const got = await one<{ n: bigint; bytes: bigint; nodata: bigint; t: bigint; ip: bigint }>(
      `SELECT count(*) AS n, sum(bytes)::BIGINT AS bytes, count(*) FILTER (WHERE log_status <> 'OK') AS nodata,
              count(*) FILTER (WHERE epoch(start_time)::BIGINT = start) AS t,
              count(*) FILTER (WHERE src_ip4 = (split_part(srcaddr, '.', 1)::UBIGINT * 16777216 + split_part(srcaddr, '.', 2)::UBIGINT * 65536 + split_part(srcaddr, '.', 3)::UBIGINT * 256 + split_part(srcaddr, '.', 4)::UBIGINT)) AS ip
       FROM flows WHERE import_id = $1`,
      [outcome.importId!],
    );
    assert.equal(Number(got.n), expected.length);
    assert.equal(Number(got.bytes), sumOf(expected, 'bytes'));
    assert.equal(Number(got.nodata), expected.filter((r) => r['log-status'] !== 'OK').length);
    assert.equal(Number(got.t), expected.length, 'start_time is start in UTC');
    assert.equal(
      Number(got.ip),
      expected.filter((r) => r.srcaddr !== '-').length,
      'src_ip4 is the integer form of srcaddr',
    );
    const [stored] = await ws().all<{ n: bigint }>(
      `SELECT count(*) AS n FROM duckdb_columns() WHERE table_name = 'flow_records'`,
    );
    assert.equal(
      Number(stored!.n),
      20,
      'the fourteen fields, start_time, end_time, src_ip4, dst_ip4, extra and import_id',
    );
  }
});

test('a custom format with its fields in another order lands each value in its own column', async () => {
  const expected = parseText(readFileSync(fixture('custom-v5-order.log'), 'utf8'));
  const outcome = await importFile(ws(), fixture('custom-v5-order.log'), {});
  assert.equal(outcome.status, 'imported', outcome.error);
  const rows = await ws().all<{
    srcaddr: string | null;
    dstport: number | null;
    bytes: bigint | null;
    flow_direction: string | null;
    vpc_id: string;
    traffic_path: number | null;
  }>(
    `SELECT srcaddr, dstport, bytes, flow_direction, vpc_id, traffic_path FROM flows WHERE import_id = $1 ORDER BY start, srcport, bytes`,
    [outcome.importId!],
  );
  assert.equal(rows.length, expected.length);
  const [inExtra] = await ws().all<{ n: bigint }>(
    `SELECT count(*) AS n FROM flow_records WHERE import_id = $1 AND extra['vpc-id'] IS NOT NULL`,
    [outcome.importId!],
  );
  assert.equal(Number(inExtra!.n), expected.length, 'version 3-5 fields are kept in extra and read as columns');
  const num = (v: string | undefined) => (v === undefined || v === '-' ? Infinity : Number(v));
  const inOrder = [...expected].sort(
    (a, b) => num(a.start) - num(b.start) || num(a.srcport) - num(b.srcport) || num(a.bytes) - num(b.bytes),
  );
  rows.forEach((row, i) => {
    const want = inOrder[i]!;
    assert.equal(row.srcaddr, want.srcaddr === '-' ? null : want.srcaddr);
    assert.equal(row.dstport, want.dstport === '-' ? null : Number(want.dstport));
    assert.equal(row.bytes === null ? null : Number(row.bytes), want.bytes === '-' ? null : Number(want.bytes));
    assert.equal(row.flow_direction, want['flow-direction'] === '-' ? null : want['flow-direction']);
    assert.equal(row.vpc_id, want['vpc-id']);
    assert.equal(row.traffic_path, want['traffic-path'] === '-' ? null : Number(want['traffic-path']));
  });
});

test('version 8 fields (ECS, reject-reason) and Transit Gateway fields are stored in their columns', async () => {
  const v8 = parseText(readFileSync(fixture('v8-ecs.log'), 'utf8'));
  const a = await importFile(ws(), fixture('v8-ecs.log'), {});
  assert.equal(a.status, 'imported', a.error);
  const got = await one<{ ecs: bigint; bpa: bigint; v: number }>(
    `SELECT count(ecs_cluster_name) AS ecs, count(reject_reason) AS bpa, max(version) AS v FROM flows WHERE import_id = $1`,
    [a.importId!],
  );
  assert.equal(Number(got.ecs), v8.filter((r) => r['ecs-cluster-name'] !== '-').length);
  assert.equal(Number(got.bpa), v8.filter((r) => r['reject-reason'] !== '-').length);
  assert.equal(got.v, 8);

  const tgw = await importFile(ws(), fixture('transit-gateway.log'), {});
  assert.equal(tgw.status, 'imported', tgw.error);
  assert.equal(tgw.records, 3);
  const t = await one<{ ids: bigint; lost: bigint; nulls: bigint; dirs: string }>(
    `SELECT count(DISTINCT tgw_id) AS ids, sum(packets_lost_no_route)::BIGINT AS lost, count(*) FILTER (WHERE tgw_dst_vpc_account_id IS NULL) AS nulls,
            string_agg(flow_direction, ',' ORDER BY bytes) AS dirs
     FROM flows WHERE import_id = $1`,
    [tgw.importId!],
  );
  assert.deepEqual([Number(t.ids), Number(t.lost), Number(t.nulls), t.dirs], [1, 3, 1, 'egress,egress,ingress']);
});

test('headerless records read as the default format, or with the log format the user gives', async () => {
  const plain = await importFile(ws(), fixture('cloudwatch-messages.log'), {});
  assert.equal(plain.status, 'imported', plain.error);
  assert.equal(
    plain.records,
    parseText(readFileSync(fixture('cloudwatch-messages.log'), 'utf8'), DEFAULT_FORMAT).length,
  );

  const format = readFileSync(fixture('headerless-custom.format.txt'), 'utf8').trim();
  const withoutFormat = await importFile(ws(), fixture('headerless-custom.log'), {});
  assert.equal(withoutFormat.status, 'failed');
  assert.match(withoutFormat.error!, /headerless-custom\.log is not a flow log: .*14 fields of the default format/);

  const fields = format.split(' ').map((f) => f.slice(2, -1));
  const expected = parseText(readFileSync(fixture('headerless-custom.log'), 'utf8'), fields);
  const custom = await importFile(ws(), fixture('headerless-custom.log'), { logFormat: format });
  assert.equal(custom.status, 'imported', custom.error);
  const got = await one<{ n: bigint; bytes: bigint; egress: bigint }>(
    `SELECT count(*) AS n, sum(bytes)::BIGINT AS bytes, count(*) FILTER (WHERE flow_direction = 'egress') AS egress FROM flows WHERE import_id = $1`,
    [custom.importId!],
  );
  assert.equal(Number(got.n), expected.length);
  assert.equal(Number(got.bytes), sumOf(expected, 'bytes'));
  assert.equal(Number(got.egress), expected.filter((r) => r['flow-direction'] === 'egress').length);
});

test('a field Flowscope does not know is kept in extra, and NODATA/SKIPDATA records count as records', async () => {
  const extra = await importFile(ws(), fixture('extra-field.log'), {});
  assert.equal(extra.status, 'imported', extra.error);
  assert.equal(extra.records, 10);
  const e = await one<{ kept: bigint; sample: string }>(
    `SELECT count(*) FILTER (WHERE extra['future-field'] LIKE 'quantum-%') AS kept, min(extra['future-field']) AS sample FROM flows WHERE import_id = $1`,
    [extra.importId!],
  );
  assert.equal(Number(e.kept), 10);
  assert.equal(e.sample, 'quantum-0');
  const format = await one<{ format: string }>('SELECT format FROM imports WHERE id = $1', [extra.importId!]);
  assert.match(format.format, /future-field$/);

  const nodata = await importFile(ws(), fixture('nodata-skipdata.log'), {});
  assert.equal(nodata.records, 4);
  const n = await one<{ gaps: string; addr: bigint }>(
    `SELECT string_agg(log_status, ',' ORDER BY start, interface_id, log_status) AS gaps, count(srcaddr) AS addr FROM flows WHERE import_id = $1`,
    [nodata.importId!],
  );
  assert.equal(n.gaps, 'NODATA,OK,OK,SKIPDATA');
  assert.equal(Number(n.addr), 2, "'-' is stored as NULL");
});

test('malformed lines are rejected one by one with file, line number, reason and raw text; the rest is imported', async () => {
  const text = readFileSync(fixture('malformed-lines.log'), 'utf8');
  const lines = text.split('\n').slice(0, -1);
  const bad = lines
    .map((l, i) => ({ l, line: i + 1 }))
    .slice(1)
    .filter(({ l }) => l.split(' ').length !== 14 || !/^\d+$/.test(l.split(' ')[0]!));
  const outcome = await importFile(ws(), fixture('malformed-lines.log'), {});
  assert.equal(outcome.status, 'imported', outcome.error);
  assert.equal(outcome.rejected, bad.length);
  assert.equal(outcome.records, lines.length - 1 - bad.length);
  const rejected = await ws().rejected(outcome.importId!, 0, 100);
  assert.deepEqual(
    rejected.lines.map((r) => [r.line, r.raw, r.path]),
    bad.map(({ l, line }) => [line, l, fixture('malformed-lines.log')]),
  );
  assert.equal(rejected.lines[0]!.reason, `Expected fields: 14 Found: ${bad[0]!.l.split(' ').length}`);
  assert.match(rejected.lines[2]!.reason, /field "version"/);
  const good = lines.slice(1).filter((_, i) => !bad.some((b) => b.line === i + 2));
  assert.deepEqual(await storedKeys(outcome.importId!), recordKeys(good), 'every other line is stored');
  const ledger = await ws().getImport(outcome.importId!);
  assert.equal(ledger!.rejected, bad.length);
});

test('files that cannot be read are refused by name and reason, and the workspace stays exactly as it was', async () => {
  const before = await totals();
  const cases: [string, RegExp][] = [
    ['truncated.log.gz', /truncated\.log\.gz cannot be read: .*(gzip|compress|stream|EOF|end of file)/i],
    ['not-a-flow-log.txt', /not-a-flow-log\.txt is not a flow log/],
    ['corrupt.parquet', /corrupt\.parquet cannot be read/],
  ];
  for (const [name, pattern] of cases) {
    const outcome = await importFile(ws(), fixture(name), {});
    assert.equal(outcome.status, 'failed', name);
    assert.match(outcome.error!, pattern);
    assert.doesNotMatch(outcome.error!, /staging/, 'the message names the file, not its staged copy');
  }
  assert.deepEqual(await totals(), before);
  assert.deepEqual(readdirSync(ws().stagingDir), [], 'staged copies are removed');
});

test('Parquet as AWS delivers it, found in its Hive-style folders, is cast to the workspace types', async () => {
  const result = await importPaths(ws(), [fixture('parquet')], {});
  assert.equal(result.files.length, 1);
  const [file] = result.files;
  assert.equal(file!.status, 'imported', file!.error);
  const fields = [...DEFAULT_FORMAT, 'vpc-id', 'subnet-id', 'flow-direction'];
  const gen = new FlowLogGenerator({ seed: 21, fields });
  const expected = Array.from({ length: 50 }, (_, i) =>
    Object.fromEntries(
      gen
        .line(i / 50)
        .split(' ')
        .map((v, j) => [fields[j]!, v]),
    ),
  );
  assert.equal(file!.records, expected.length);
  const got = await one<{ bytes: bigint; ports: bigint; t: string; ip: bigint }>(
    `SELECT sum(bytes)::BIGINT AS bytes, sum(dstport)::BIGINT AS ports, typeof(any_value(version)) AS t, count(dst_ip4) AS ip FROM flows WHERE import_id = $1`,
    [file!.importId!],
  );
  assert.equal(Number(got.bytes), sumOf(expected, 'bytes'));
  assert.equal(Number(got.ports), sumOf(expected, 'dstport'));
  assert.equal(got.t, 'SMALLINT');
  assert.equal(Number(got.ip), expected.filter((r) => r.dstaddr !== '-').length);
});

test('Parquet with Transit Gateway and ECS columns: their values read back under the Athena names', async () => {
  const path = join(dir, 'tgw.parquet');
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  await conn.run(
    `COPY (SELECT 6 AS version, 'tgw-0aa' AS tgw_id, i::BIGINT AS packets_lost_no_route, CASE WHEN i % 2 = 0 THEN '-' ELSE 'prod' END AS ecs_cluster_name,
             '10.0.0.' || i AS srcaddr, 1772409600 + i AS start, 1772409660 + i AS "end", 'TransitGateway' AS resource_type
      FROM range(10) t(i)) TO '${path}' (FORMAT parquet)`,
  );
  conn.closeSync();
  db.closeSync();
  const outcome = await importFile(ws(), path, {});
  assert.equal(outcome.status, 'imported', outcome.error);
  const got = await one<{ tgw: string; lost: bigint; ecs: bigint; kind: string; keys: bigint }>(
    `SELECT any_value(tgw_id) AS tgw, sum(packets_lost_no_route)::BIGINT AS lost, count(ecs_cluster_name) AS ecs,
            any_value(resource_type) AS kind, max(cardinality(extra)) AS keys
     FROM flows WHERE import_id = $1`,
    [outcome.importId!],
  );
  assert.deepEqual(
    [got.tgw, Number(got.lost), Number(got.ecs), got.kind, Number(got.keys)],
    ['tgw-0aa', 45, 5, 'TransitGateway', 4],
    "sparse fields live in extra ('-' kept out of it) and read back as their columns",
  );
});

test('CloudWatch exports: filter-log-events and get-log-events JSON and a gzip subscription payload', async () => {
  for (const [name, count] of [
    ['filter-log-events.json', 8],
    ['get-log-events.json', 4],
    ['subscription-payload.json.gz', 6],
  ] as const) {
    const outcome = await importFile(ws(), fixture(name), {});
    assert.equal(outcome.status, 'imported', `${name}: ${outcome.error}`);
    assert.equal(outcome.records, count, name);
    const got = await one<{ n: bigint; format: string }>(
      'SELECT count(*) AS n, (SELECT format FROM imports WHERE id = $1) AS format FROM flows WHERE import_id = $1',
      [outcome.importId!],
    );
    assert.equal(Number(got.n), count, name);
    assert.match(
      got.format,
      name.startsWith('subscription') ? /^cloudwatch-subscription default$/ : /^cloudwatch-json/,
    );
  }
});

test('Logs Insights results downloaded from the console (CSV and JSON) import their @message records and streams', async () => {
  const lines = readFileSync(fixture('cloudwatch-messages.log'), 'utf8').trim().split('\n').slice(0, 5);
  const at = (i: number) => `2023-11-14 22:1${i}:20.000`;
  const csv = [
    '@timestamp,@message,@logStream,@log',
    ...lines.map((l, i) => `${at(i)},${otherAccount(l, '444444444444')},eni-csv-all,1:/vpc/flowlogs`),
  ];
  const json = lines.map((l, i) => ({
    '@timestamp': at(i),
    '@message': otherAccount(l),
    '@logStream': 'eni-json-all',
  }));
  const { writeFileSync } = await import('node:fs');
  for (const [name, text, stream] of [
    ['logs-insights-results.csv', csv.join('\r\n'), 'eni-csv-all'],
    ['logs-insights-results.json', JSON.stringify(json, null, 2), 'eni-json-all'],
  ] as const) {
    const path = join(dir, name);
    writeFileSync(path, text);
    const outcome = await importFile(ws(), path, {});
    assert.equal(outcome.status, 'imported', `${name}: ${outcome.error}`);
    assert.equal(outcome.records, lines.length, name);
    const got = await one<{ streams: string }>(
      "SELECT string_agg(DISTINCT extra['log-stream']) AS streams FROM flows WHERE import_id = $1",
      [outcome.importId!],
    );
    assert.equal(got.streams, stream, name);
  }
});

test('a staged S3 object keeps only records inside the time bounds, and the same key and ETag is not imported twice', async () => {
  // Under another account: default.log's own records are held already, and a record held is held once.
  const text = otherAccount(readFileSync(fixture('default.log'), 'utf8'));
  const records = parseText(text);
  const starts = records.map((r) => Number(r.start)).sort((a, b) => a - b);
  const timeFrom = starts[10]!;
  const timeTo = starts[40]!;
  const staged = join(ws().stagingDir, 'object.log');
  const { writeFileSync } = await import('node:fs');
  // Different bytes from default.log (one more blank line), so the content hash does not match it.
  writeFileSync(staged, `${text}\n`);
  const origin = { source: 's3' as const, path: 's3://bucket/AWSLogs/x.log', etag: '"abc"', timeFrom, timeTo };
  const outcome = await importStagedFile(ws(), staged, origin);
  assert.equal(outcome.status, 'imported', outcome.error);
  assert.equal(outcome.records, starts.filter((s) => s >= timeFrom && s < timeTo).length);
  writeFileSync(staged, text);
  const again = await importStagedFile(ws(), staged, origin);
  assert.equal(again.status, 'already-imported');
  assert.deepEqual(readdirSync(ws().stagingDir), [], 'the staged file is removed whatever the outcome');
});

test('re-importing a folder adds nothing: every file is already-imported or fails again by itself', async () => {
  const first = await importPaths(ws(), [fixtures], {});
  const names = first.files.map((f) => f.path.slice(fixtures.length + 1));
  assert.ok(names.includes('default.log') && names.some((n) => n.endsWith('.parquet')), 'walks the folder recursively');
  const before = await totals();
  const second = await importPaths(ws(), [fixtures], {});
  assert.equal(second.records, 0);
  assert.deepEqual(
    second.files.map((f) => f.status),
    first.files.map((f) => (f.status === 'failed' ? 'failed' : 'already-imported')),
  );
  assert.deepEqual(await totals(), before);
  const failed = second.files.filter((f) => f.status === 'failed').map((f) => f.path.slice(fixtures.length + 1));
  // headerless-custom.log is not a default-format file, but the same bytes were imported with their log format before.
  assert.deepEqual(failed.sort(), [
    'corrupt.parquet',
    'headerless-custom.format.txt',
    'not-a-flow-log.txt',
    'truncated.log.gz',
  ]);
});

test('small files of one layout imported together still get one import each, with their own records, counts and rejected lines', async () => {
  const folder = join(dir, 'batch');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  mkdirSync(folder);
  // Each under an account of its own: the fixtures' records (and the staged object's) are held already, these
  // files share most of their flows, and a record held is held once.
  const malformed = readFileSync(fixture('malformed-lines.log'), 'utf8');
  const texts = {
    'a.log': otherAccount(malformed.replace(/\n2 /, '\nX '), '333333333333'),
    'b.log':
      otherAccount(readFileSync(fixture('default.log'), 'utf8'), '444444444444')
        .split('\n')
        .slice(0, 30)
        .join('\n') + '\n',
    'c.log': otherAccount(malformed.replace('this is not a record', 'still not a record at all'), '555555555555'),
  };
  for (const [name, text] of Object.entries(texts)) writeFileSync(join(folder, name), text);
  const result = await importPaths(ws(), [folder], {});
  assert.deepEqual(
    result.files.map((f) => f.status),
    ['imported', 'imported', 'imported'],
  );
  const commits = await ws().all<{ n: bigint }>(
    `SELECT count(DISTINCT finished_at) AS n FROM imports WHERE id IN (${result.files.map((f) => f.importId).join(', ')})`,
  );
  assert.equal(Number(commits[0]!.n), 1, 'the three files went in with one statement and one commit');
  for (const [i, [name, text]] of Object.entries(texts).entries()) {
    const outcome = result.files[i]!;
    assert.equal(outcome.path, join(folder, name));
    const lines = text.split('\n').slice(0, -1);
    const bad = lines
      .map((l, n) => ({ l, n: n + 1 }))
      .slice(1)
      .filter(({ l }) => l.split(' ').length !== 14 || !/^\d+$/.test(l.split(' ')[0]!));
    assert.equal(outcome.rejected, bad.length, name);
    assert.equal(outcome.records, lines.length - 1 - bad.length, name);
    const good = lines.slice(1).filter((_, n) => !bad.some((b) => b.n === n + 2));
    assert.deepEqual(await storedKeys(outcome.importId!), recordKeys(good), `${name}: its own records`);
    const rejected = await ws().rejected(outcome.importId!, 0, 100);
    assert.deepEqual(
      rejected.lines.map((r) => [r.path, r.line, r.raw]),
      bad.map((b) => [join(folder, name), b.n, b.l]),
    );
    const ledger = await ws().getImport(outcome.importId!);
    assert.deepEqual(
      [ledger!.records, ledger!.rejected, ledger!.status],
      [outcome.records, outcome.rejected, 'imported'],
    );
  }
});

/** A generated default-format file (its header line first) written at `path`; answers its text. */
async function generatedFile(path: string, records: number, seed: number, gzip = false): Promise<string> {
  await writeFlowLogFile(path, { records, seed, gzip });
  const bytes = readFileSync(path);
  return (gzip ? gunzipSync(bytes) : bytes).toString('utf8');
}

test('a folder of small files, gzip and plain, around a file too big to batch: every file its own import, in name order, each batch one commit', async () => {
  const folder = join(dir, 'batches');
  const { statSync } = await import('node:fs');
  // a and b plain, c-big plain and over the small-file size, c and d gzip'd (another batch), e and f plain again.
  const files = [
    { name: 'a.log', records: 50, seed: 30 },
    { name: 'b.log', records: 51, seed: 31 },
    { name: 'c-big.log', records: 12_000, seed: 29 },
    { name: 'c.log.gz', records: 52, seed: 32 },
    { name: 'd.log.gz', records: 53, seed: 33 },
    { name: 'e.log', records: 54, seed: 34 },
    { name: 'f.log', records: 55, seed: 35 },
  ];
  const texts: string[] = [];
  for (const f of files)
    texts.push(await generatedFile(join(folder, f.name), f.records, f.seed, f.name.endsWith('.gz')));
  assert.ok(statSync(join(folder, 'c-big.log')).size > 1 << 20, 'the big file is over the small-file size');
  const result = await importPaths(ws(), [folder], {});
  assert.deepEqual(
    result.files.map((f) => [f.path, f.status]),
    files.map((f) => [join(folder, f.name), 'imported']),
  );
  const ids = result.files.map((f) => f.importId!);
  assert.deepEqual(
    ids,
    [...ids].sort((x, y) => x - y),
    'import ids follow the files’ order',
  );
  for (const [i, outcome] of result.files.entries()) {
    const lines = texts[i]!.split('\n').slice(1, -1);
    assert.equal(outcome.records, lines.length, outcome.path);
    assert.deepEqual(await storedKeys(outcome.importId!), recordKeys(lines), `${outcome.path}: its own records`);
  }
  const commits = await ws().all<{ id: number; t: string }>(
    `SELECT id, finished_at::VARCHAR AS t FROM imports WHERE id IN (${ids.join(', ')}) ORDER BY id`,
  );
  const sameCommit = (i: number, j: number) => commits[i]!.t === commits[j]!.t;
  assert.ok(sameCommit(0, 1) && sameCommit(3, 4) && sameCommit(5, 6), 'files of one layout went in together');
  assert.ok(!sameCommit(1, 2) && !sameCommit(2, 3) && !sameCommit(4, 5), 'each batch and the big file committed apart');
});

test('an import cancelled while a batch is being written answers only once that batch has rolled back', async () => {
  const folder = join(dir, 'cancelled-batches');
  // Two batches (plain, then gzip'd): the first is written while the files of the second are still being read.
  for (const [i, name] of ['a.log', 'b.log'].entries())
    await writeFlowLogFile(join(folder, name), { records: 40, seed: 50 + i });
  for (let i = 0; i < 300; i++)
    await writeFlowLogFile(join(folder, `c${1000 + i}.log.gz`), { records: 5, seed: 60 + i, gzip: true });
  const before = await totals();
  const controller = new AbortController();
  let written: 'running' | 'settled' = 'settled';
  const workspace = ws();
  // The workspace as importPaths sees it: cancelled as the first batch's transaction begins.
  const watched = new Proxy(workspace, {
    get(target, key) {
      if (key === 'transaction')
        return (fn: Parameters<Workspace['transaction']>[0]) => {
          written = 'running';
          controller.abort();
          return target.transaction(fn).finally(() => (written = 'settled'));
        };
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  await assert.rejects(importPaths(watched, [folder], {}, controller.signal), /cancelled/);
  assert.equal(written, 'settled', 'the batch’s transaction had ended when the import answered');
  assert.deepEqual(await totals(), before);
});
