/**
 * `flowscope imports` lists a workspace's imports newest first; `flowscope imports remove` takes one back out
 * (its records and rejected lines go, the others' stay, `info` follows, the file can be imported again), refuses
 * an unknown id without removing anything, says which records stay with a later overlapping CloudWatch import,
 * and refuses a workspace another process has open.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { flowscope } from '../../support/flowscope-cli';
import { holdWorkspace } from '../../support/held-workspace';
import { tempDir } from '../workspace/helpers';

const root = new URL('../../../', import.meta.url).pathname;
const fixtures = join(root, 'tests/fixtures/ingest');
const dir = tempDir('flowscope-cli-imports-');
const GOOD = join(fixtures, 'default.log');
const MALFORMED = join(fixtures, 'malformed-lines.log');

async function json(...args: string[]): Promise<Record<string, unknown>> {
  const run = await flowscope(...args, '--json');
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

async function rows(ws: string, sql: string): Promise<unknown[]> {
  const run = await flowscope('query', sql, '-w', ws, '--format', 'json');
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as unknown[];
}

test('list newest first, remove one: the other keeps its records, info follows, the file can come back', async () => {
  const ws = join(dir, 'two.duckdb');
  assert.equal((await flowscope('import', GOOD, '-w', ws)).code, 0);
  assert.equal((await flowscope('import', MALFORMED, '-w', ws)).code, 0);
  const kept = 'SELECT * EXCLUDE (import_id) FROM main.flows WHERE import_id = 1 ORDER BY ALL';
  const before = await rows(ws, kept);
  assert.equal(before.length, 60);

  const listed = await json('imports', '-w', ws);
  assert.equal(listed.total, 2);
  const imports = listed.imports as Array<Record<string, unknown>>;
  assert.deepEqual(
    imports.map((i) => [i.id, i.source, i.path, i.records, i.rejected]),
    [
      [2, 'file', MALFORMED, 18, 3],
      [1, 'file', GOOD, 60, 0],
    ],
  );
  const text = await flowscope('imports', '--workspace', ws);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^#2 {2}\S+Z {2}file {2}default {2}\S+malformed-lines\.log {2}18 records, 3 rejected\n#1 /);
  const one = await flowscope('imports', '-w', ws, '--limit', '1');
  assert.match(one.stdout, /^#2 .*\nThe newest 1 of 2 imports; --limit 2 lists them all\.\n$/);

  const removed = await flowscope('imports', 'remove', '2', '-w', ws);
  assert.equal(removed.code, 0, removed.stderr);
  assert.equal(
    removed.stdout,
    `Removed #2 ${MALFORMED}: 18 records the workspace no longer holds.\n` +
      `The file keeps its size until \`flowscope compact --workspace ${ws}\` gives back the space (with the app and \`flowscope serve\` closed).\n`,
  );
  assert.deepEqual(await rows(ws, kept), before);
  const info = await json('info', '-w', ws);
  assert.deepEqual([info.records, info.imports, info.rejected], [60, 1, 0]);
  assert.deepEqual(
    ((await json('imports', '-w', ws)).imports as Array<{ id: number }>).map((i) => i.id),
    [1],
  );

  const again = await json('import', MALFORMED, '-w', ws);
  assert.deepEqual(
    (again.files as Array<Record<string, unknown>>).map((f) => [f.status, f.records, f.rejected]),
    [['imported', 18, 3]],
  );
  const after = await json('info', '-w', ws);
  assert.deepEqual([after.records, after.imports, after.rejected], [78, 2, 3]);
  assert.deepEqual(
    ((await json('imports', '-w', ws)).imports as Array<{ id: number }>).map((i) => i.id),
    [3, 1],
    'a removed id is not handed out again',
  );
});

test('an unknown id is named and nothing is removed, even beside a known one; a bad id is a usage error', async () => {
  const ws = join(dir, 'unknown.duckdb');
  assert.equal((await flowscope('import', GOOD, '-w', ws)).code, 0);
  const run = await flowscope('imports', 'remove', '1', '7', '-w', ws);
  assert.equal(run.code, 1);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^flowscope imports: There is no import #7 in .*unknown\.duckdb; nothing was removed\./);
  const asJson = await flowscope('imports', 'remove', '7', '-w', ws, '--json');
  assert.equal(asJson.code, 1);
  assert.equal(JSON.parse(asJson.stdout).code, 'not_found');
  assert.equal((await json('info', '-w', ws)).records, 60);

  const bad = await flowscope('imports', 'remove', 'x1', '-w', ws);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /x1 is not an import id/);
  assert.equal((await flowscope('imports', 'remove', '-w', ws)).code, 2);
  assert.equal((await flowscope('imports', 'delete', '1', '-w', ws)).code, 2);
});

test('records a later overlapping CloudWatch export left out stay with it, and the command says so', async () => {
  const events = JSON.parse(readFileSync(join(fixtures, 'filter-log-events.json'), 'utf8')) as {
    events: unknown[];
  };
  const first = join(dir, 'first.json');
  const wider = join(dir, 'wider.json');
  writeFileSync(first, JSON.stringify({ events: events.events.slice(0, 5) }));
  writeFileSync(wider, JSON.stringify({ events: events.events }));
  const ws = join(dir, 'cloudwatch.duckdb');
  assert.equal((await flowscope('import', first, '-w', ws)).code, 0);
  const widerRun = await json('import', wider, '-w', ws);
  assert.equal((widerRun.files as Array<{ heldBefore?: number }>)[0]!.heldBefore, 5);
  const total = (await json('info', '-w', ws)).records;

  const removed = await json('imports', 'remove', '1', '-w', ws);
  assert.deepEqual(removed, {
    removed: [{ id: 1, source: 'file', path: first, records: 5, removedRecords: 0 }],
    removedRecords: 0,
  });
  assert.equal((await json('info', '-w', ws)).records, total, 'the wider export holds every event now');

  assert.equal((await flowscope('import', first, '-w', ws)).code, 0);
  const text = await flowscope('imports', 'remove', '2', '-w', ws);
  assert.match(
    text.stdout,
    /^Removed #2 .*wider\.json: 3 records the workspace no longer holds; the other 5 of its 8 stay, held now by later CloudWatch imports that overlap it\.\n/,
  );
});

test('a workspace another process has open is refused as in use', async () => {
  const ws = join(dir, 'held.duckdb');
  const holder = await holdWorkspace(ws);
  try {
    const run = await flowscope('imports', 'remove', '1', '--workspace', ws);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^flowscope imports: .*in use by another Flowscope process \(process id \d+\)/);
  } finally {
    await holder.release();
  }
});

test('with --json, a failed imports or imports remove still ends with its own JSON shape, nothing counted', async () => {
  const ws = join(dir, 'json-shape.duckdb');
  assert.equal((await flowscope('import', GOOD, '-w', ws)).code, 0);
  const removing = await flowscope('imports', 'remove', '7', '-w', ws, '--json');
  assert.equal(removing.code, 1);
  assert.deepEqual(
    { ...JSON.parse(removing.stdout), error: undefined },
    { removed: [], removedRecords: 0, error: undefined, code: 'not_found' },
  );
  const listing = await flowscope('imports', '--limit', 'none', '-w', ws, '--json');
  assert.equal(listing.code, 2);
  assert.deepEqual(
    { ...JSON.parse(listing.stdout), error: undefined },
    { total: 0, imports: [], error: undefined, code: 'bad_request' },
  );
  const wrongLine = await flowscope('imports', '--no-such-option', '-w', ws, '--json');
  assert.equal(wrongLine.code, 2);
  assert.deepEqual(Object.keys(JSON.parse(wrongLine.stdout)), ['total', 'imports', 'error', 'code']);
});
