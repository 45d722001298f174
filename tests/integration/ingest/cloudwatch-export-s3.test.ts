/**
 * A CloudWatch Logs export to S3 (`aws logs create-export-task`), as AWS writes it and an analyst syncs it:
 * `<prefix>/<task id>/<log stream>/000000.gz`, each line the event's time in ISO 8601 UTC and its message, and
 * the `aws-logs-write-test` object AWS leaves at the prefix. Every answer is worked out from the lines below.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { importPaths } from '../../../main/engine/ingest';
import { Workspace } from '../../../main/engine/workspace';
import { openedForFile } from '../../support/opened-for-file';

const dir = mkdtempSync(join(tmpdir(), 'flowscope-cw-export-'));
const ws = openedForFile(() => Workspace.open(join(dir, 'ws.duckdb'), { create: true }), dir);

const START = 1772445600; // 2026-03-02T10:00:00Z
/** A default-format message of interface `eni`, the i-th of its stream. */
const message = (eni: string, i: number) =>
  `2 123456789012 ${eni} 10.0.0.${i + 1} 203.0.113.9 ${40000 + i} 443 6 ${i + 1} ${(i + 1) * 100} ${START + i * 60} ${START + i * 60 + 60} ${i % 4 ? 'ACCEPT' : 'REJECT'} OK`;
const exportLine = (text: string, i: number) => `${new Date((START + i * 60 + 75) * 1000).toISOString()} ${text}`;

function writeExport(root: string, task: string, stream: string, lines: string[]): string {
  const folder = join(root, task, stream);
  mkdirSync(folder, { recursive: true });
  const path = join(folder, '000000.gz');
  writeFileSync(path, gzipSync(`${lines.join('\n')}\n`));
  return path;
}

/**
 * Three overlapping CloudWatch exports of one interface's stream: `filter-log-events` run twice, minutes 0–59
 * and 30–89, each holding minute 40's event twice, then an export task of minutes 80–99. Answers what to import.
 */
function overlappingExports(eni: string, name: string): [string, string, string] {
  const events = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, k) => ({
      logStreamName: `${eni}-all`,
      timestamp: (START + (from + k) * 60) * 1000,
      message: message(eni, from + k),
    }));
  const twice = message(eni, 40);
  const first = join(dir, `${name}-first.json`);
  const second = join(dir, `${name}-second.json`);
  writeFileSync(first, JSON.stringify({ events: [...events(0, 60), { timestamp: 0, message: twice }] }));
  writeFileSync(second, JSON.stringify({ events: [...events(30, 90), { timestamp: 0, message: twice }] }));
  const task = join(dir, `${name}-task`);
  writeExport(
    task,
    'task',
    `${eni}-all`,
    Array.from({ length: 20 }, (_, k) => exportLine(message(eni, 80 + k), 80 + k)),
  );
  return [first, second, task];
}

test('a create-export-task folder imports every stream, its lines read past their event time', async () => {
  const root = join(dir, 'exportedlogs');
  const a = Array.from({ length: 40 }, (_, i) => exportLine(message('eni-0a1b2c3d4e5f60718', i), i));
  const b = Array.from({ length: 25 }, (_, i) => exportLine(message('eni-0ffffffffffffffff', i), i));
  // A message cut short in the export is a rejected line, numbered and with its reason.
  b.push(exportLine('2 123456789012 eni-0ffffffffffffffff 10.0.0.99', 25));
  writeExport(root, '0f1e2d3c-task', 'eni-0a1b2c3d4e5f60718-all', a);
  writeExport(root, '0f1e2d3c-task', 'eni-0ffffffffffffffff-all', b);
  writeFileSync(join(root, 'aws-logs-write-test'), 'Permission Check Successful');

  const result = await importPaths(ws(), [root], {});
  assert.deepEqual(result.files.map((f) => [f.status, f.records, f.rejected, f.error]).sort(), [
    ['imported', 25, 1, undefined],
    ['imported', 40, 0, undefined],
  ]);
  assert.equal(result.passedOver ?? 0, 1);
  const [row] = await ws().all<{ n: bigint; bytes: bigint; rejects: bigint; first: string; enis: bigint }>(
    `SELECT count(*) AS n, sum(bytes) AS bytes, count(*) FILTER (WHERE action = 'REJECT') AS rejects, ` +
      `strftime(min(start_time), '%Y-%m-%dT%H:%M:%S') AS first, count(DISTINCT interface_id) AS enis FROM flows`,
  );
  // 100·(1+…+40) + 100·(1+…+25); a REJECT every fourth record: 10 + 7.
  assert.deepEqual(
    [Number(row!.n), Number(row!.bytes), Number(row!.rejects), row!.first, Number(row!.enis)],
    [65, 82000 + 32500, 17, '2026-03-02T10:00:00', 2],
  );
  const [rejected] = await ws().all<{ line: number; reason: string; raw: string }>(
    'SELECT line, reason, raw FROM rejected_lines',
  );
  assert.equal(Number(rejected!.line), 26);
  assert.match(rejected!.reason, /Expected fields/);
  assert.equal(rejected!.raw, b[25]);
});

test('an export of a custom-format log group is read with the format given, and the ledger names both', async () => {
  const root = join(dir, 'custom');
  const lines = Array.from({ length: 3 }, (_, i) =>
    exportLine(`eni-0c 10.1.0.${i} 10.1.9.9 ${START + i * 60} ${START + i * 60 + 60} ${i + 1}000 ACCEPT ingress`, i),
  );
  writeExport(root, 'task', 'eni-0c-all', lines);
  const result = await importPaths(ws(), [root], {
    logFormat: '${interface-id} ${srcaddr} ${dstaddr} ${start} ${end} ${bytes} ${action} ${flow-direction}',
  });
  assert.deepEqual(
    result.files.map((f) => [f.status, f.records, f.rejected]),
    [['imported', 3, 0]],
  );
  const rows = await ws().all<{ bytes: bigint; dir: string }>(
    "SELECT bytes, flow_direction AS dir FROM flows WHERE interface_id = 'eni-0c' ORDER BY bytes",
  );
  assert.deepEqual(
    rows.map((r) => [Number(r.bytes), r.dir]),
    [
      [1000, 'ingress'],
      [2000, 'ingress'],
      [3000, 'ingress'],
    ],
  );
  const [ledger] = await ws().all<{ format: string }>(`SELECT format FROM imports WHERE path LIKE '%eni-0c-all%'`);
  assert.equal(ledger!.format, 'cloudwatch-export interface-id srcaddr dstaddr start end bytes action flow-direction');
});

test('overlapping CloudWatch exports hold each event once; an event logged twice stays twice', async () => {
  const eni = 'eni-0d0d0d0d0d0d0d0d0';
  const [first, second, task] = overlappingExports(eni, 'overlap');
  const result = await importPaths(ws(), [first, second, task], {});
  assert.deepEqual(
    result.files.map((f) => [f.status, f.records, f.heldBefore]),
    [
      ['imported', 61, undefined],
      ['imported', 30, 31],
      ['imported', 10, 10],
    ],
  );
  const [row] = await ws().all<{ n: bigint; bytes: bigint; forty: bigint }>(
    `SELECT count(*) AS n, sum(bytes) AS bytes, count(*) FILTER (WHERE srcport = 40040) AS forty FROM flows WHERE interface_id = '${eni}'`,
  );
  // Minutes 0–99 once, minute 40 twice: 100·(1+…+100) + 4,100.
  assert.deepEqual([Number(row!.n), Number(row!.bytes), Number(row!.forty)], [101, 505000 + 4100, 2]);
  const ledger = await ws().all<{ records: bigint }>(
    `SELECT records FROM imports WHERE path IN ('${first}', '${second}') ORDER BY id`,
  );
  assert.deepEqual(
    ledger.map((r) => Number(r.records)),
    [61, 30],
  );
});

test('removing a CloudWatch export hands the events it held for later overlapping ones back to them, an event logged twice still twice', async () => {
  const eni = 'eni-0f0f0f0f0f0f0f0f0';
  const [first, second, task] = overlappingExports(eni, 'removed');
  const result = await importPaths(ws(), [first, second, task], {});
  const [firstId, secondId, taskId] = result.files.map((f) => f.importId!);
  const held = async () => {
    const [row] = await ws().all<{ n: bigint; bytes: bigint; forty: bigint }>(
      `SELECT count(*) AS n, sum(bytes)::BIGINT AS bytes, count(*) FILTER (WHERE srcport = 40040) AS forty FROM flows WHERE interface_id = '${eni}'`,
    );
    const ledger = await ws().all<{ id: number; records: bigint }>(
      `SELECT id, records FROM imports WHERE id IN (${firstId}, ${secondId}, ${taskId}) ORDER BY id`,
    );
    const summary = await ws().all<{ n: bigint }>(
      `SELECT sum(records)::BIGINT AS n FROM flow_minutes WHERE import_id IN (${firstId}, ${secondId}, ${taskId})`,
    );
    return {
      records: Number(row!.n),
      bytes: Number(row!.bytes),
      forty: Number(row!.forty),
      ledger: ledger.map((r) => Number(r.records)),
      summary: Number(summary[0]!.n),
    };
  };
  // As if the first had never been imported: minutes 30–89 (40 twice) from the second, 90–99 from the task;
  // the workspace holds 30 records fewer (minutes 0–29), not the first's 61.
  assert.equal(await ws().removeImport(firstId!), 30);
  assert.deepEqual(await held(), {
    records: 71,
    bytes: 100 * (5050 - 465) + 4100,
    forty: 2,
    ledger: [61, 10],
    summary: 71,
  });
  // And without the second, the task holds its 20 minutes, 80–99.
  assert.equal(await ws().removeImport(secondId!), 51);
  assert.deepEqual(await held(), { records: 20, bytes: 100 * (5050 - 3240), forty: 0, ledger: [20], summary: 20 });
});

test('removing a CloudWatch export hands back the later export’s events that log no interface too', async () => {
  // A record whose interface-id is `-` (stored as NULL) is still one event of its stream.
  const stream = 'eni-0e0e0e0e0e0e0e0e0-all';
  const noInterface = (i: number) => message('-', i).replace(' 10.0.0.', ' 10.9.0.');
  const events = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, k) => ({
      logStreamName: stream,
      timestamp: (START + (from + k) * 60) * 1000,
      message: noInterface(from + k),
    }));
  const first = join(dir, 'no-interface-first.json');
  const second = join(dir, 'no-interface-second.json');
  writeFileSync(first, JSON.stringify({ events: events(0, 20) }));
  writeFileSync(second, JSON.stringify({ events: events(10, 30) }));
  const result = await importPaths(ws(), [first, second], {});
  assert.deepEqual(
    result.files.map((f) => [f.status, f.records, f.heldBefore]),
    [
      ['imported', 20, undefined],
      ['imported', 10, 10],
    ],
  );
  await ws().removeImport(result.files[0]!.importId!);
  const [row] = await ws().all<{ n: bigint }>(
    `SELECT count(*) AS n FROM flows WHERE interface_id IS NULL AND starts_with(srcaddr, '10.9.0.')`,
  );
  assert.equal(Number(row!.n), 20, 'minutes 10–29, the second export’s');
});
