import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { copyToExportFolder, Downloads, moveExport, type CopyTo } from '../../../main/engine/library/export-result';
import { Workspace } from '../../../main/engine/workspace';

const ROWS = 1_000_000;
const SQL = `SELECT range AS n, range * 3 AS tripled, 'row ' || range AS label FROM range(${ROWS}) WHERE range >= $1`;
let dir: string;
let ws: Workspace;
let reader: DuckDBInstance;

/** COPY of plain SQL on the locked-down workspace; the engine's path copies a kept result (see library-engine tests). */
function copyOf(sql: string, params: (string | number)[] = []): CopyTo {
  return async (path, options) => {
    const [row] = await ws.all<{ Count: bigint }>(`COPY (${sql}) TO '${path}' (${options})`, params);
    return Number(row!.Count);
  };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowscope-export-'));
  ws = await Workspace.open(join(dir, 'w.duckdb'), { create: true });
  // An ordinary DuckDB, not the locked-down workspace, reads the files back where the analyst saved them.
  reader = await DuckDBInstance.create(':memory:');
});

after(async () => {
  await ws.close();
  reader.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

async function readBack(sql: string): Promise<{ rows: bigint; total: bigint }> {
  const conn = await reader.connect();
  try {
    const r = await conn.runAndReadAll(sql);
    const [row] = r.getRowObjectsJS() as { rows: bigint; total: bigint }[];
    return row!;
  } finally {
    conn.closeSync();
  }
}

for (const [format, read] of [
  ['csv', (p: string) => `read_csv('${p}', header = true)`],
  ['parquet', (p: string) => `read_parquet('${p}')`],
  ['json', (p: string) => `read_json('${p}', format = 'array')`],
] as const) {
  test(`a 1,000,000-row result exports whole to ${format}, and reads back with every row`, async () => {
    const exported = await copyToExportFolder(ws.exportDir, copyOf(SQL, [0]), format, 'Big result');
    assert.equal(exported.rows, ROWS);
    assert.equal(exported.fileName, `big-result.${format}`);
    assert.ok(exported.path.startsWith(ws.exportDir), 'written inside the workspace export folder first');
    const saved = join(dir, `saved.${format}`);
    moveExport(exported.path, saved);
    assert.equal(existsSync(exported.path), false);
    const back = await readBack(`SELECT count(*) AS rows, sum(tripled) AS total FROM ${read(saved)}`);
    assert.equal(back.rows, BigInt(ROWS));
    assert.equal(back.total, (3n * BigInt(ROWS) * BigInt(ROWS - 1)) / 2n);
  });
}

test("a CSV export starts with UTF-8's byte order mark (Excel reads it as UTF-8 then), then its header line", async () => {
  const exported = await copyToExportFolder(ws.exportDir, copyOf("SELECT 'Zürich' AS a, 2 AS b"), 'csv');
  assert.equal(readFileSync(exported.path, 'utf8'), '\uFEFFa,b\nZürich,2\n');
  assert.equal(exported.bytes, Buffer.byteLength('\uFEFFa,b\nZürich,2\n'));
  rmSync(exported.path);
});

test('a JSON export keeps integers beyond 2^53 with all their digits', async () => {
  const exported = await copyToExportFolder(ws.exportDir, copyOf('SELECT 9007199254740993::BIGINT AS big'), 'json');
  assert.match(readFileSync(exported.path, 'utf8'), /9007199254740993\b/);
  rmSync(exported.path);
});

test('the export name cannot steer the file out of the export folder', async () => {
  const exported = await copyToExportFolder(ws.exportDir, copyOf('SELECT 1 AS a'), 'csv', '../../../etc/passwd');
  assert.ok(exported.path.startsWith(ws.exportDir));
  assert.equal(exported.fileName, 'etc-passwd.csv');
  rmSync(exported.path);
});

test('a download is handed out once and its file removed after', async () => {
  const downloads = new Downloads();
  const exported = await copyToExportFolder(ws.exportDir, copyOf('SELECT 1 AS a'), 'csv');
  const id = downloads.add(exported.path, exported.fileName);
  const file = downloads.take(id);
  assert.equal(file.fileName, 'result.csv');
  file.done();
  assert.equal(existsSync(exported.path), false);
  assert.throws(() => downloads.take(id), /no longer available/);
});
