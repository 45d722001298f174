/**
 * A file is known by its bytes (sha256). The import hashes a file before reading it only when the ledger
 * holds an import of the same size; otherwise the hash is taken while DuckDB reads it and checked again
 * before the commit. These tests hold the promise on both paths: the same bytes are never stored twice, other
 * bytes of the same size are, and the ledger keeps each file's size and hash.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { importFile } from '../../../main/engine/ingest';
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
