/**
 * `flowscope compact` upgrades a workspace in an older storage format (which `flowscope info` points out) without
 * changing any answer, and refuses a workspace another process has open; a workspace of an older schema is
 * upgraded by whichever command opens it, which says so.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { test } from 'node:test';
import { SCHEMA_VERSION } from '../../../main/engine/workspace';
import { STORAGE_VERSION } from '../../../main/engine/workspace/config';
import { MIGRATIONS } from '../../../main/engine/workspace/schema';
import { flowscope, flowscopeInProcess } from '../../support/flowscope-cli';
import { copyInOlderStorage } from '../../support/older-storage';
import { holdWorkspace } from '../../support/held-workspace';
import { tempDir } from '../workspace/helpers';

const dir = tempDir('flowscope-cli-compact-');
const TOP_SOURCES = 'SELECT srcaddr, sum(bytes)::BIGINT AS b FROM main.flows GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20';

test('info names an older storage format and how to upgrade; compact upgrades it and every answer stays', async () => {
  const ws = join(dir, 'older.duckdb');
  const made = await flowscope('demo', '--workspace', ws, '--records', '2000');
  assert.equal(made.code, 0, made.stderr);
  await copyInOlderStorage(ws, ws);

  const info = await flowscope('info', '--workspace', ws);
  assert.equal(info.code, 0, info.stderr);
  const line = info.stdout.split('\n').find((l) => l.startsWith('Storage format'));
  assert.equal(
    line,
    `Storage format v1.0.0+ (older: queries that group by text are slower; upgrade with \`flowscope compact --workspace ${ws}\`)`,
  );
  assert.deepEqual(JSON.parse((await flowscope('info', '-w', ws, '--json')).stdout).storage, {
    version: 'v1.0.0+',
    current: false,
  });
  const before = await flowscope('query', TOP_SOURCES, '-w', ws, '--format', 'json');
  assert.equal(before.code, 0, before.stderr);
  assert.equal(JSON.parse(before.stdout).length, 20);

  const compacted = await flowscope('compact', '--workspace', ws, '--json');
  assert.equal(compacted.code, 0, compacted.stderr);
  const report = JSON.parse(compacted.stdout) as Record<string, unknown>;
  assert.equal(report.storageBefore, 'v1.0.0+');
  assert.equal(report.storageAfter, `${STORAGE_VERSION}+`);
  assert.ok((report.bytesBefore as number) > 0 && (report.bytesAfter as number) > 0, compacted.stdout);
  assert.equal(typeof report.seconds, 'number');

  assert.deepEqual(JSON.parse((await flowscope('info', '-w', ws, '--json')).stdout).storage, {
    version: `${STORAGE_VERSION}+`,
    current: true,
  });
  assert.equal(
    (await flowscope('info', '-w', ws)).stdout.split('\n').find((l) => l.startsWith('Storage format')),
    `Storage format ${STORAGE_VERSION}+`,
  );
  assert.equal((await flowscope('query', TOP_SOURCES, '-w', ws, '--format', 'json')).stdout, before.stdout);

  const again = await flowscope('compact', '-w', ws);
  assert.equal(again.code, 0, again.stderr);
  assert.match(
    again.stdout,
    /^Compacted .*older\.duckdb: [\d.]+ [kKMG]?B(ytes)? → [\d.]+ [kKMG]?B(ytes)? \([\d,]+ → [\d,]+ bytes\) in \d+\.\d s; storage format v1\.5\.0\+\.\n$/,
  );
  assert.match((await flowscope('--help')).stderr, /^ {2}compact +Rewrite a workspace/m);
});

test('compact refuses a workspace another process has open, saying what to close', async () => {
  const ws = join(dir, 'held.duckdb');
  const holder = await holdWorkspace(ws);
  try {
    const run = await flowscope('compact', '--workspace', ws);
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /in use by another Flowscope process \(process id \d+\)\. Compacting rewrites the file: close the app/,
    );
    const json = await flowscope('compact', '--workspace', ws, '--json');
    assert.equal(json.code, 1);
    assert.equal(JSON.parse(json.stdout.trim()).code, 'workspace_in_use');
  } finally {
    await holder.release();
  }
});

/** An empty workspace of schema 3. */
async function schema3(name: string): Promise<string> {
  const ws = join(dir, name);
  const db = await DuckDBInstance.create(ws);
  const c = await db.connect();
  for (const statement of [
    ...MIGRATIONS.filter((m) => m.to <= 3).flatMap((m) => m.statements),
    `INSERT INTO meta VALUES ('schema_version', '3')`,
  ])
    await c.run(statement);
  c.closeSync();
  db.closeSync();
  return ws;
}

test('a workspace of an older schema is upgraded when a command opens it, and the command says so on stderr', async () => {
  const ws = await schema3('schema-3.duckdb');
  const info = await flowscope('info', '--workspace', ws, '--json');
  assert.equal(info.code, 0, info.stderr);
  assert.equal(JSON.parse(info.stdout).schemaVersion, SCHEMA_VERSION, 'stdout stays one JSON line');
  const said = info.stderr.match(/^Upgrading (.+) from workspace schema 3 to (\d+), once: .* kept at (.+)\.\n$/);
  assert.ok(said, info.stderr);
  assert.deepEqual([said[1], Number(said[2])], [ws, SCHEMA_VERSION]);
  assert.ok(existsSync(said[3]!), `the backup ${said[3]} is there`);
  const again = await flowscope('info', '--workspace', ws);
  assert.equal(again.stderr, '', 'only the first open upgrades');

  // Said on the command's own error stream, not the process's (a host running the CLI in-process reads that).
  const inProcess = await flowscopeInProcess(['info', '--workspace', await schema3('schema-3-in-process.duckdb')]);
  assert.equal(inProcess.code, 0, inProcess.err);
  assert.match(inProcess.err, /^Upgrading .* from workspace schema 3 to \d+, once: /);
});
