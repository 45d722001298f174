/**
 * A file is known by its bytes (sha256), and its records by their sum of hashes. The import hashes a file before reading it only when the ledger
 * holds an import of the same size; otherwise the hash is taken while DuckDB reads it and checked again
 * before the commit. These tests hold the promise on both paths: the same bytes are never stored twice, other
 * bytes of the same size are, and the ledger keeps each file's size and hash. The same records under other
 * bytes (a gzip'd copy, CRLF line ends, another order) are not stored twice either, alone or in one folder;
 * nor are records another import already holds among others of its own (a concatenation of files imported, a
 * superset, a CloudWatch export of part of a file), and removing the import that held them hands them back.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { importFile, importPaths } from '../../../main/engine/ingest';
import { FlowLogGenerator } from '../../../main/engine/ingest/generator';
import { Workspace } from '../../../main/engine/workspace';
import { openedForFile } from '../../support/opened-for-file';

const fixture = join(import.meta.dirname, '..', '..', 'fixtures', 'ingest', 'default.log');
const dir = mkdtempSync(join(tmpdir(), 'flowscope-duplicates-'));
const ws = openedForFile(() => Workspace.open(join(dir, 'ws.duckdb'), { create: true }), dir);

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** A file of the fixture's lines; `tweak` changes its text (the same length or not). */
function write(name: string, tweak: (text: string) => string = (t) => t): { path: string; text: string } {
  const text = tweak(readFileSync(fixture, 'utf8'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return { path, text };
}

async function ledgerRow(id: number): Promise<{ size: bigint; sha256: string; records: bigint }> {
  const [row] = await ws().all<{ size: bigint; sha256: string; records: bigint }>(
    'SELECT size, sha256, records FROM imports WHERE id = $1',
    [id],
  );
  return row!;
}

async function storedRecords(): Promise<number> {
  const [row] = await ws().all<{ n: bigint }>('SELECT count(*) AS n FROM flows');
  return Number(row!.n);
}

/** `aws logs filter-log-events` output of these lines, each in its interface's stream, written at `name`. */
function filterLogEventsJson(name: string, lines: readonly string[]): string {
  const events = lines.map((message, i) => ({
    logStreamName: `${message.split(' ')[2]}-all`,
    timestamp: 1772409600000 + i,
    message,
    eventId: String(i),
  }));
  const json = join(dir, name);
  writeFileSync(json, JSON.stringify({ events, searchedLogStreams: [] }));
  return json;
}

test('a file hashed while it loads has its size and hash in the ledger, and its copy adds nothing', async () => {
  const a = write('a.log');
  const first = await importFile(ws(), a.path, {});
  assert.equal(first.status, 'imported', first.error);
  const row = await ledgerRow(first.importId!);
  assert.deepEqual([Number(row.size), row.sha256], [Buffer.byteLength(a.text), sha256(a.text)]);
  const before = await storedRecords();

  const copy = write('a-copy.log');
  const again = await importFile(ws(), copy.path, {});
  assert.deepEqual([again.status, again.importId, again.records], ['already-imported', first.importId, 0]);
  assert.equal(await storedRecords(), before);
});

test('other bytes of the same size are imported; the ledger tells them apart by hash', async () => {
  // The first record's bytes field, one digit changed: same length, other content.
  const b = write('b.log', (t) => t.replace(' 89010 ', ' 89011 '));
  const a = readFileSync(join(dir, 'a.log'), 'utf8');
  assert.equal(Buffer.byteLength(b.text), Buffer.byteLength(a));
  assert.notEqual(sha256(b.text), sha256(a));
  const before = await storedRecords();
  const outcome = await importFile(ws(), b.path, {});
  assert.equal(outcome.status, 'imported', outcome.error);
  assert.equal((await ledgerRow(outcome.importId!)).sha256, sha256(b.text));
  assert.equal(await storedRecords(), before + outcome.records);
  assert.ok(outcome.records > 0);
});

test('the same new file imported twice at once is stored once', async () => {
  // A size no import has yet, so both start without the hash; the second to commit finds the first.
  const c = write('c.log', (t) => `${t}${t.split('\n')[1]}\n`);
  const copy = write('c-copy.log', (t) => `${t}${t.split('\n')[1]}\n`);
  const before = await storedRecords();
  const outcomes = await Promise.all([importFile(ws(), c.path, {}), importFile(ws(), copy.path, {})]);
  assert.deepEqual(outcomes.map((o) => o.status).sort(), ['already-imported', 'imported']);
  const imported = outcomes.find((o) => o.status === 'imported')!;
  assert.equal(outcomes.find((o) => o.status === 'already-imported')!.importId, imported.importId);
  assert.equal(await storedRecords(), before + imported.records);
  const [row] = await ws().all<{ n: bigint }>('SELECT count(*) AS n FROM imports WHERE sha256 = $1', [sha256(c.text)]);
  assert.equal(Number(row!.n), 1);
});

/** The fixture's records, the header first, the others in another order. */
const reordered = (t: string) => {
  const [header, ...lines] = t.trimEnd().split('\n');
  return `${[header, ...lines.reverse()].join('\n')}\n`;
};

test("the same records under other bytes (gzip'd, CRLF, reordered) are not stored twice, and the outcome says whose they are", async () => {
  const base = write('same.log', (t) => t.replace(' 89010 ', ' 89012 '));
  const first = await importFile(ws(), base.path, {});
  assert.equal(first.status, 'imported', first.error);
  const before = await storedRecords();
  const gz = join(dir, 'same.log.gz');
  writeFileSync(gz, gzipSync(base.text));
  const crlf = write('same-crlf.log', () => base.text.replaceAll('\n', '\r\n'));
  const other = write('same-reordered.log', () => reordered(base.text));
  for (const path of [gz, crlf.path, other.path]) {
    const outcome = await importFile(ws(), path, {});
    assert.deepEqual(
      [outcome.status, outcome.importId, outcome.records, outcome.sameRecordsAs],
      ['already-imported', first.importId, 0, base.path],
      path,
    );
  }
  assert.equal(await storedRecords(), before);
  const [ledger] = await ws().all<{ n: bigint }>("SELECT count(*) AS n FROM imports WHERE status = 'imported'");
  const [running] = await ws().all<{ n: bigint }>("SELECT count(*) AS n FROM imports WHERE status <> 'imported'");
  assert.equal(Number(running!.n), 0);
  assert.ok(Number(ledger!.n) >= 1);

  // One record more, or one record held twice, is other records.
  const twice = write('same-twice.log', () => `${base.text}${base.text.trimEnd().split('\n').at(-1)}\n`);
  const more = await importFile(ws(), twice.path, {});
  assert.equal(more.status, 'imported', more.error);
  assert.equal(await storedRecords(), before + more.records);
});

test("a folder holding a log, its gzip'd copy and a copy with CRLF line ends stores the records once", async () => {
  const folder = join(dir, 'folder');
  mkdirSync(folder);
  const text = reordered(readFileSync(fixture, 'utf8')).replace(' 89010 ', ' 89013 ');
  writeFileSync(join(folder, 'x.log'), text);
  writeFileSync(join(folder, 'x.log.gz'), gzipSync(text));
  writeFileSync(join(folder, 'y.log'), text.replaceAll('\n', '\r\n'));
  const before = await storedRecords();
  const result = await importPaths(ws(), [folder], {});
  const imported = result.files.filter((f) => f.status === 'imported');
  assert.equal(imported.length, 1, JSON.stringify(result.files));
  assert.deepEqual(
    result.files.filter((f) => f.status === 'already-imported').map((f) => f.sameRecordsAs),
    [imported[0]!.path, imported[0]!.path],
  );
  assert.equal(await storedRecords(), before + imported[0]!.records);
  assert.equal(result.records, imported[0]!.records);
});

test("filter-log-events JSON of an S3 file's records is the same records: the stream each event names is not part of the record", async () => {
  const base = write('streamed.log', (t) => t.replace(' 89010 ', ' 89014 '));
  const first = await importFile(ws(), base.path, {});
  assert.equal(first.status, 'imported', first.error);
  const before = await storedRecords();
  const lines = base.text.trimEnd().split('\n').slice(1);
  const json = filterLogEventsJson('streamed.json', lines);
  const outcome = await importFile(ws(), json, {});
  assert.deepEqual(
    [outcome.status, outcome.importId, outcome.sameRecordsAs],
    ['already-imported', first.importId, base.path],
  );
  assert.equal(await storedRecords(), before);
});

const HEADER =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

/** Default-format records no other test here imports (the fixture's are shared by most). */
function records(seed: number, count: number): string[] {
  const gen = new FlowLogGenerator({ seed });
  return Array.from({ length: count }, (_, i) => gen.line(i / count));
}

const logText = (lines: readonly string[]) => `${[HEADER, ...lines].join('\n')}\n`;

async function ledgerRecords(id: number): Promise<number> {
  return Number((await ledgerRow(id)).records);
}

test('a zcat of objects already imported brings no record twice, and says how many were held', async () => {
  const folder = join(dir, 'objects');
  mkdirSync(folder);
  const parts = [records(101, 40), records(102, 30), records(103, 20)];
  parts.forEach((lines, i) => writeFileSync(join(folder, `part-${i}.log.gz`), gzipSync(logText(lines))));
  const first = await importPaths(ws(), [folder], {});
  assert.equal(first.records, 90, JSON.stringify(first.files));
  const before = await storedRecords();
  // zcat keeps each object's header line: a header in the middle is not a record.
  const cat = join(dir, 'cat.log');
  writeFileSync(cat, parts.map(logText).join(''));
  const outcome = await importFile(ws(), cat, {});
  assert.deepEqual([outcome.status, outcome.records, outcome.heldBefore], ['imported', 0, 90], outcome.error);
  assert.equal(await storedRecords(), before);
  assert.equal(await ledgerRecords(outcome.importId!), 0);
});

test('a superset stores only what is new; a record logged twice in it stays twice', async () => {
  const lines = records(104, 50);
  const base = write('subset.log', () => logText(lines));
  const first = await importFile(ws(), base.path, {});
  assert.equal(first.records, 50, first.error);
  const before = await storedRecords();
  const [extra] = records(105, 1);
  const superset = write('superset.log', () => logText([...lines, extra!, lines[7]!]));
  const outcome = await importFile(ws(), superset.path, {});
  assert.deepEqual([outcome.status, outcome.records, outcome.heldBefore], ['imported', 2, 50], outcome.error);
  assert.equal(await storedRecords(), before + 2);
  assert.equal(await ledgerRecords(outcome.importId!), 2);
});

test('filter-log-events JSON of part of a text file already imported adds nothing', async () => {
  const lines = records(106, 60);
  const first = await importFile(ws(), write('text-first.log', () => logText(lines)).path, {});
  assert.equal(first.records, 60, first.error);
  const before = await storedRecords();
  const json = filterLogEventsJson('part.json', lines.slice(10, 35));
  const outcome = await importFile(ws(), json, {});
  assert.deepEqual([outcome.status, outcome.records, outcome.heldBefore], ['imported', 0, 25], outcome.error);
  assert.equal(await storedRecords(), before);
});

test('removing the import that held records hands them to the later imports that brought them', async () => {
  const lines = records(107, 30);
  const a = await importFile(ws(), write('held-a.log', () => logText(lines)).path, {});
  const [one] = records(108, 1);
  const b = await importFile(ws(), write('held-b.log', () => logText([one!, ...lines.slice(0, 20)])).path, {});
  const c = await importFile(ws(), write('held-c.log', () => logText(lines.slice(10))).path, {});
  assert.deepEqual(
    [a.records, b.records, b.heldBefore, c.records, c.heldBefore],
    [30, 1, 20, 0, 20],
    JSON.stringify([a, b, c]),
  );
  const before = await storedRecords();
  // b and c brought every record of a: without it, b holds its 21 and c the 10 b does not, and the
  // workspace holds as many records as before.
  assert.equal(await ws().removeImport(a.importId!), 0);
  assert.equal(await storedRecords(), before);
  assert.deepEqual([await ledgerRecords(b.importId!), await ledgerRecords(c.importId!)], [21, 10]);
  const [summed] = await ws().all<{ n: bigint }>(
    `SELECT sum(records) AS n FROM flow_minutes WHERE import_id IN (${b.importId}, ${c.importId})`,
  );
  assert.equal(Number(summed!.n), 31);
});

/** An S3 delivery's object name, as AWS writes it, of flow log `flowLog` with this hash. */
const delivery = (flowLog: string, hash: string) =>
  `123456789012_vpcflowlogs_us-east-1_${flowLog}_20231114T2215Z_${hash}.log`;

test('two S3 deliveries with equal records are both kept (two flow logs, no interface-id); a copy of one is not', async () => {
  // Each flow log is of one end of the same conversation: without interface-id, both log the same lines.
  const text =
    'version srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n' +
    '2 10.9.0.5 10.9.0.6 44321 443 6 10 900 1700000000 1700000060 ACCEPT OK\n' +
    '2 10.9.0.6 10.9.0.5 443 44321 6 10 1000 1700000000 1700000060 ACCEPT OK\n';
  const a = write(delivery('fl-0aaaaaaaaaaaaaaaa', 'aaaa1111'), () => text);
  const b = write(delivery('fl-0bbbbbbbbbbbbbbbb', 'bbbb2222'), () => text);
  const before = await storedRecords();
  const result = await importPaths(ws(), [a.path, b.path], {});
  assert.deepEqual(
    result.files.map((f) => [f.status, f.records]),
    [
      ['imported', 2],
      ['imported', 2],
    ],
  );
  assert.equal(await storedRecords(), before + 4);
  // The gzip'd copy of one delivery is the same delivery: its records are not stored again.
  const gz = join(dir, `${delivery('fl-0aaaaaaaaaaaaaaaa', 'aaaa1111')}.gz`);
  writeFileSync(gz, gzipSync(text));
  const copy = await importFile(ws(), gz, {});
  assert.deepEqual([copy.status, copy.sameRecordsAs], ['already-imported', a.path]);
  assert.equal(await storedRecords(), before + 4);
});

test("a format with interface-id but not the flow's addresses and ports keeps an equal record of another delivery", async () => {
  // Two rejected probes of one interface in one minute log the same line: with no 5-tuple, nothing tells them apart.
  const header = 'version interface-id start end action log-status packets bytes\n';
  const probe = '2 eni-0d00000000000000a 1700000000 1700000060 REJECT OK 1 40\n';
  const first = write(delivery('fl-0ccc', '11111111'), () => `${header}${probe}${probe}`);
  const second = write(
    delivery('fl-0ccc', '22222222'),
    () => `${header}${probe}2 eni-0d00000000000000a 1700000000 1700000060 ACCEPT OK 3 120\n`,
  );
  const result = await importPaths(ws(), [first.path, second.path], {});
  assert.deepEqual(
    result.files.map((f) => [f.status, f.records, f.heldBefore ?? 0]),
    [
      ['imported', 2, 0],
      ['imported', 2, 0],
    ],
  );
  const [row] = await ws().all<{ n: bigint }>(
    "SELECT count(*) AS n FROM flows WHERE interface_id = 'eni-0d00000000000000a' AND action = 'REJECT'",
  );
  assert.equal(Number(row!.n), 3);
});
