import assert from 'node:assert/strict';
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { Engine } from '../../../main/engine';
import { writeFlowLogFile } from '../../../main/engine/ingest/generator';
import { moveExport } from '../../../main/engine/library/export-result';
import { workspaceDirs } from '../../../main/engine/workspace/config';
import { flowscopeInProcess } from '../../support/flowscope-cli';
import { tempDir } from '../workspace/helpers';

const dir = tempDir('flowscope-export-target-');
const ws = join(dir, 'flows.duckdb');
const exportDir = workspaceDirs(ws).export;

before(async () => {
  const log = join(dir, 'a.log');
  await writeFlowLogFile(log, { records: 300, seed: 5 });
  const engine = await Engine.open({ workspace: ws, create: true });
  const { jobId } = await engine.ingestFiles({ files: [engine.files.register(log)] });
  assert.equal((await engine.jobWait({ jobId })).state, 'done');
  await engine.close();
});

async function records(): Promise<number> {
  const r = await flowscopeInProcess([
    'query',
    'SELECT count(*) AS n FROM flows',
    '--workspace',
    ws,
    '--format',
    'csv',
  ]);
  assert.equal(r.code, 0, r.err);
  return Number(r.out.split('\n')[1]);
}

test('--output naming the workspace itself is refused before anything runs, and the workspace is untouched', async () => {
  const before = readFileSync(ws);
  const r = await flowscopeInProcess(['query', 'SELECT 1 AS x', '--workspace', ws, '--output', ws]);
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /Cannot export to .*flows\.duckdb: that is the workspace/);
  assert.equal(statSync(ws).size, before.length);
  assert.equal(await records(), 300);
});

test('--output into the workspace side folder, onto its write-ahead log or another workspace is refused', async () => {
  const other = join(dir, 'other.duckdb');
  copyFileSync(ws, other);
  for (const [target, why] of [
    [join(workspaceDirs(ws).root, 'vpc-ranges.csv'), /that is the workspace/],
    [`${ws}.wal`, /that is the workspace/],
    [other, /it is a DuckDB database/],
  ] as const) {
    const r = await flowscopeInProcess(['query', 'SELECT 1 AS x', '--workspace', ws, '--output', target]);
    assert.equal(r.code, 2, `${target}: ${r.err}`);
    assert.match(r.err, why);
  }
  assert.equal(statSync(other).size, statSync(ws).size, 'the other workspace is not replaced');
});

test('--output through a symbolic link, a linked folder or a hard link to the workspace is refused', async () => {
  const links = join(dir, 'links');
  mkdirSync(links);
  symlinkSync(ws, join(links, 'result.csv'));
  symlinkSync(dir, join(links, 'up'));
  linkSync(ws, join(links, 'hard.csv'));
  const size = statSync(ws).size;
  for (const [target, why] of [
    [join(links, 'result.csv'), /that is the workspace/],
    [join(links, 'up', 'flows.duckdb'), /that is the workspace/],
    [join(links, 'up', 'flows.duckdb.wal'), /that is the workspace/],
    [join(links, 'hard.csv'), /it is a DuckDB database/],
  ] as const) {
    const r = await flowscopeInProcess(['query', 'SELECT 1 AS x', '--workspace', ws, '--output', target]);
    assert.equal(r.code, 2, `${target}: ${r.err}`);
    assert.match(r.err, why);
  }
  assert.equal(statSync(ws).size, size);
  assert.equal(await records(), 300);
});

test('--output to a folder, or into a folder that does not exist, says so and leaves no file behind', async () => {
  mkdirSync(join(dir, 'out'));
  const intoFolder = await flowscopeInProcess([
    'query',
    'SELECT 1 AS x',
    '--workspace',
    ws,
    '--output',
    join(dir, 'out'),
  ]);
  assert.equal(intoFolder.code, 2);
  assert.match(intoFolder.err, /it is a folder; name a file in it/);
  const missing = join(dir, 'nowhere', 'x.csv');
  const r = await flowscopeInProcess(['query', 'SELECT 1 AS x', '--workspace', ws, '--output', missing]);
  assert.equal(r.code, 2);
  assert.match(r.err, /the folder .*nowhere does not exist/);
  assert.doesNotMatch(r.err, /ENOENT|rename/);
  assert.deepEqual(readdirSync(exportDir), []);
});

test('an export target refused by the engine (as a save dialog hands it over) leaves the workspace whole', async () => {
  const engine = await Engine.open({ workspace: ws });
  try {
    const { resultId } = await engine.queryRun({ query: 'SELECT 1 AS x', dialect: 'sql', pageSize: 10 });
    await assert.rejects(
      engine.exportResult({ resultId, format: 'csv', target: engine.files.register(ws) }),
      /that is the workspace/,
    );
    assert.deepEqual(readdirSync(exportDir), []);
  } finally {
    await engine.close();
  }
  assert.equal(await records(), 300);
});

test('an export that cannot be moved where it was asked does not stay in the export folder', () => {
  const from = join(exportDir, 'abc-result.csv');
  copyFileSync(join(dir, 'a.log'), from);
  assert.throws(() => moveExport(from, join(dir, 'gone', 'x.csv')), /Could not write the export to .*x\.csv/);
  assert.equal(existsSync(from), false);
});
