import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Channel, Input } from '../../../preload/contract';
import { callChannel, refusedChannel } from '../../support/through-dispatch';
import { Engine } from '../../../main/engine';

let dir: string;
let engine: Engine;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowscope-library-engine-'));
  engine = await Engine.open({ workspace: join(dir, 'w.duckdb'), create: true, libraryDir: join(dir, 'library') });
  await addRecords(engine, 0, 50);
});

after(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Records as an import would leave them: a ledger row, then the flows that belong to it. */
async function addRecords(e: Engine, first: number, count: number): Promise<void> {
  await e.workspace.transaction(async (tx) => {
    const importId = await tx.beginImport({
      source: 'file',
      path: `/data/part-${first}.log`,
      size: count,
      sha256: `sha-${first}`,
      format: 'text',
    });
    await tx.run(
      `INSERT INTO flow_records (version, srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes, start, "end", action, log_status, start_time, end_time, import_id)
       SELECT 2, '10.0.0.' || (i % 5), '8.8.8.8', 40000 + i, CASE WHEN i % 2 = 0 THEN 443 ELSE 22 END, 6, 1, 100 * i, 1767225600 + i * 60,
              1767225660 + i * 60, CASE WHEN i % 3 = 0 THEN 'REJECT' ELSE 'ACCEPT' END, 'OK',
              to_timestamp(1767225600 + i * 60)::TIMESTAMP, to_timestamp(1767225660 + i * 60)::TIMESTAMP, $1
       FROM range(${first}, ${first + count}) t(i)`,
      [importId],
    );
    await tx.finishImport(importId, { records: count, rejected: 0 });
  });
}

const call = <C extends Channel>(channel: C, input: Input<C>) => callChannel(engine, channel, input);

const refused = <C extends Channel>(channel: C, input: Input<C>) => refusedChannel(engine, channel, input);

const BY_PORT = {
  version: 1 as const,
  name: 'Bytes by port',
  dialect: 'insights' as const,
  query: 'stats sum(bytes) as total, count(*) as flows by dstPort | sort dstPort',
  chart: { type: 'bar' as const, x: 'dstPort', y: 'total' },
  tags: ['ports'],
};

test('a saved query round-trips: save, reopen the engine, load, run — the same result as the original text', async () => {
  const direct = await call('query.run', { query: BY_PORT.query });
  const saved = await call('library.save', { query: BY_PORT });
  await engine.close();
  engine = await Engine.open({ workspace: join(dir, 'w.duckdb'), libraryDir: join(dir, 'library') });
  const loaded = await call('library.get', { id: saved.id });
  const rerun = await call('query.run', { query: loaded.query.query, dialect: loaded.query.dialect });
  assert.deepEqual(rerun.rows, direct.rows);
  assert.deepEqual(rerun.columns, direct.columns);
  assert.deepEqual(direct.rows, [
    ['22', 62500, 25],
    ['443', 60000, 25],
  ]);
});

test('a dashboard round-trips: pin, reopen, every panel runs and answers as its query does', async () => {
  const pinned = await call('dashboard.pin', {
    newDashboardName: 'Round trip',
    title: 'By port',
    query: { ref: 'user:bytes-by-port' },
  });
  await call('dashboard.pin', {
    dashboardId: pinned.id,
    title: 'Rejects',
    query: { ...BY_PORT, name: 'Rejects', query: 'filter action = "REJECT" | stats count(*) as n' },
  });
  await engine.close();
  engine = await Engine.open({ workspace: join(dir, 'w.duckdb'), libraryDir: join(dir, 'library') });
  const dash = await call('dashboard.get', { id: pinned.id });
  const answers = await Promise.all(
    dash.panels.map((p) => call('dashboard.runPanel', { query: p.query!.query, dialect: p.query!.dialect })),
  );
  assert.deepEqual(answers[0]!.rows, [
    ['22', 62500, 25],
    ['443', 60000, 25],
  ]);
  assert.deepEqual(answers[1]!.rows, [[17]]);
});

test('a panel opened again answers from the cache until an import changes the data', async () => {
  const input = { query: 'stats count(*) as n by action | sort action', filters: { port: 443 } };
  const first = await call('dashboard.runPanel', input);
  assert.equal(first.cached, false);
  const again = await call('dashboard.runPanel', input);
  assert.equal(again.cached, true);
  assert.deepEqual(again.rows, first.rows);
  const otherFilters = await call('dashboard.runPanel', { ...input, filters: { port: 22 } });
  assert.equal(otherFilters.cached, false, 'other filters are another query');

  await addRecords(engine, 50, 10);
  const afterImport = await call('dashboard.runPanel', input);
  assert.equal(afterImport.cached, false, 'an import invalidates the cache');
  assert.notDeepEqual(afterImport.rows, first.rows);

  const [last] = await engine.workspace.all<{ id: number }>('SELECT max(id) AS id FROM imports');
  await call('workspace.removeImport', { importId: last!.id });
  const afterRemoval = await call('dashboard.runPanel', input);
  assert.deepEqual(afterRemoval.rows, first.rows, 'after the removal the data is as it was before the import');
});

test('a panel asked again while the same run is in flight answers, though the asker before stopped that run', async () => {
  // A live dashboard stops its older run of a panel and asks again: the new ask joins the run in flight (same
  // key), and that run's stop was not the new asker's. Long enough to still be running when stopped.
  const input = { query: 'SELECT sum(hash(range) % 7) AS n FROM range(300000000)', dialect: 'sql' as const };
  const first = call('dashboard.runPanel', { ...input, queryId: 'older-run' });
  await new Promise((done) => setTimeout(done, 300));
  const second = call('dashboard.runPanel', { ...input, queryId: 'newer-run' });
  await new Promise((done) => setTimeout(done, 100));
  await call('query.cancel', { queryId: 'older-run' });
  await assert.rejects(first, /cancelled/);
  const answer = await Promise.race([
    second,
    new Promise<never>((_, fail) => setTimeout(() => fail(new Error('no answer in 60 s')), 60_000)),
  ]);
  assert.equal(answer.rows.length, 1);
  assert.equal(answer.cached, false, 'it ran the panel itself');
});

test("a dashboard's panels never push out the workbench's kept results, and workbench results push out only each other", async () => {
  const kept = await call('query.run', { query: 'stats count(*) as n by srcAddr | sort srcAddr', pageSize: 1 });
  // More panels than results are kept of either kind, each a query of its own (so none answers from the cache).
  for (let i = 0; i < 30; i++)
    await call('dashboard.runPanel', { query: `stats count(*) as n by dstPort | filter n > ${i}`, pageSize: 5 });
  const page = await call('query.page', { resultId: kept.resultId, offset: 1, limit: 2 });
  assert.equal(page.rowCount, kept.rowCount);
  assert.equal(page.rows.length, 2);

  const later = [];
  for (let i = 0; i < 8; i++) later.push(await call('query.run', { query: `fields srcAddr | limit ${i + 1}` }));
  const gone = await refused('query.page', { resultId: kept.resultId, offset: 0, limit: 1 });
  assert.equal(gone.code, 'not_found');
  const newest = await call('query.page', { resultId: later[7]!.resultId, offset: 0, limit: 10 });
  assert.equal(newest.rows.length, 8);
});

test('the panel cache outlives the session: a new engine on the same data answers from the workspace folder', async () => {
  const input = { query: 'stats count(*) as n by dstPort | sort dstPort', filters: { action: 'ACCEPT' as const } };
  const first = await call('dashboard.runPanel', input);
  await engine.close();
  engine = await Engine.open({ workspace: join(dir, 'w.duckdb'), libraryDir: join(dir, 'library') });
  const next = await call('dashboard.runPanel', input);
  assert.equal(next.cached, true);
  assert.deepEqual(next.rows, first.rows);
  assert.equal(next.resultId, '', 'no kept result stands behind an answer read back from disk');
  await addRecords(engine, 100, 5);
  assert.equal((await call('dashboard.runPanel', input)).cached, false, 'an import still invalidates it');
});

// Found by an outside probe: the panel cache lives in the folder beside the workspace, which travels with a
// shared workspace, and its names are hashes of what the sender can compute (the panel's SQL, the ledger). A
// `<key>.json` there that linked elsewhere was read as the panel's answer (a link to /dev/zero hung the
// engine), and a link planted at `.<key>.tmp` had the cache's write land on a file elsewhere.
test('the panel cache reads and writes no links planted in the workspace folder', async () => {
  const own = mkdtempSync(join(tmpdir(), 'flowscope-panel-links-'));
  const workspace = join(own, 'w.duckdb');
  let other = await Engine.open({ workspace, create: true, libraryDir: join(own, 'library') });
  try {
    await addRecords(other, 0, 20);
    const input = { query: 'stats count(*) as n by action | sort action' } as const;
    const first = await callChannel(other, 'dashboard.runPanel', input);
    await other.close();
    const cacheDir = join(`${workspace}.flowscope`, 'panel-cache');
    const [file] = readdirSync(cacheDir);
    const key = file!.replace(/\.json$/, '');
    const forged = join(own, 'forged.json');
    const answer = JSON.parse(readFileSync(join(cacheDir, file!), 'utf8')) as { rows: unknown[] };
    writeFileSync(forged, JSON.stringify({ ...answer, rows: [['forged', 1]] }));
    rmSync(join(cacheDir, file!));
    symlinkSync(forged, join(cacheDir, file!));
    const victim = join(own, 'victim.txt');
    writeFileSync(victim, 'mine');
    symlinkSync(victim, join(cacheDir, `.${key}.tmp`));

    other = await Engine.open({ workspace, libraryDir: join(own, 'library') });
    const next = await callChannel(other, 'dashboard.runPanel', input);
    assert.equal(next.cached, false, 'a link is not a cached answer');
    assert.deepEqual(next.rows, first.rows);
    assert.equal(readFileSync(victim, 'utf8'), 'mine');
  } finally {
    await other.close();
    rmSync(own, { recursive: true, force: true });
  }
});

test('a shared query that reads files is refused when it runs, through the same guard as typed SQL', async () => {
  const imported = await call('library.import', {
    text: JSON.stringify({
      version: 1,
      name: 'Innocent',
      dialect: 'sql',
      query: "SELECT * FROM read_csv('/etc/passwd')",
    }),
    fileName: 'innocent.flowquery.json',
  });
  assert.equal(imported.trusted, false);
  const item = await call('library.get', { id: imported.id });
  await call('library.trust', { kind: 'query', id: imported.id });
  for (const channel of ['query.run', 'dashboard.runPanel'] as const) {
    const error = await refused(channel, { query: item.query.query, dialect: item.query.dialect });
    assert.ok(['query_refused', 'query_error'].includes(error.code), error.code);
    assert.match(error.message, /disabled|refused|Permission|not allowed/i);
  }
  for (const query of ["COPY (SELECT 1) TO '/tmp/flowscope-evil.csv'", "ATTACH '/tmp/x.duckdb'", 'INSTALL httpfs']) {
    const error = await refused('dashboard.runPanel', { query, dialect: 'sql' });
    assert.equal(error.code, 'query_refused', query);
  }
  assert.equal(existsSync('/tmp/flowscope-evil.csv'), false);
});

const MILLION = 'SELECT range AS n, range % 7 AS bucket FROM range(1000000)';
for (const [format, reader] of [
  ['csv', (p: string) => `read_csv('${p}', header = true)`],
  ['parquet', (p: string) => `read_parquet('${p}')`],
  ['json', (p: string) => `read_json('${p}', format = 'array')`],
] as const) {
  test(`export.result writes the whole 1,000,000-row result to ${format}, not just the page on screen`, async () => {
    const run = await call('query.run', { query: MILLION, dialect: 'sql', pageSize: 100 });
    assert.equal(run.rows.length, 100);
    const target = join(dir, `export.${format}`);
    writeFileSync(target, '');
    const out = await call('export.result', { resultId: run.resultId, format, target: engine.files.register(target) });
    assert.equal(out.rows, 1_000_000);
    assert.equal(out.savedTo, target);
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const [[count]] = (await conn.runAndReadAll(`SELECT count(*) FROM ${reader(target)}`)).getRows() as [[bigint]];
    conn.closeSync();
    db.closeSync();
    assert.equal(count, 1_000_000n);
  });
}

test('without a target the export waits for one download, then is gone', async () => {
  const run = await call('query.run', { query: 'SELECT 1 AS a', dialect: 'sql' });
  const out = await call('export.result', { resultId: run.resultId, format: 'csv', name: 'One row' });
  assert.equal(out.fileName, 'one-row.csv');
  const file = engine.takeDownload(out.downloadId!);
  assert.ok(existsSync(file.path));
  file.done();
  assert.equal(existsSync(file.path), false);
});

test('an export stopped with query.cancel fails as cancelled and leaves no file at the target or in the export folder', async () => {
  // Long enough to be stopped halfway: millions of rows of text, sorted, to a CSV.
  const run = await call('query.run', {
    query: 'SELECT range AS n, md5(range::VARCHAR) AS label FROM range(6000000)',
    dialect: 'sql',
    pageSize: 10,
  });
  const target = join(dir, 'stopped.csv');
  writeFileSync(target, 'kept as it was\n');
  const exporting = refused('export.result', {
    resultId: run.resultId,
    format: 'csv',
    target: engine.files.register(target),
    sort: [{ column: 'label', descending: true }],
    queryId: 'export-1',
  });
  // Cancelled once DuckDB has begun writing (a file under a name of its own in the export folder).
  const exportDir = engine.workspace.exportDir;
  while (readdirSync(exportDir).length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(await call('query.cancel', { queryId: 'export-1' }), { cancelled: true });
  const error = await exporting;
  assert.equal(error.code, 'cancelled');
  assert.equal(error.message, 'The export was cancelled; no file was written.');
  assert.equal(readFileSync(target, 'utf8'), 'kept as it was\n');
  assert.deepEqual(readdirSync(exportDir), []);
  // The result is still kept: exported again, it is whole.
  const out = await call('export.result', {
    resultId: run.resultId,
    format: 'parquet',
    target: engine.files.register(join(dir, 'whole.parquet')),
  });
  assert.equal(out.rows, 6_000_000);
});

test('exporting a result the engine no longer keeps says to run the query again', async () => {
  const error = await refused('export.result', { resultId: 'r999999', format: 'csv' });
  assert.equal(error.code, 'not_found');
  assert.match(error.message, /run the query again/);
});
