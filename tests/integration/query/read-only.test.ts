/**
 * The read-only promise: no query, whatever its form, changes the workspace or writes a file. Checked at both
 * layers, the guard that refuses writing statements (EXPLAIN ANALYZE included, since it runs what it explains)
 * and, beneath it, the READ ONLY transaction every user statement runs in.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Output } from '../../../preload/contract';
import { call } from '../../../main/engine/dispatch';
import { Engine } from '../../../main/engine';
import { FlowscopeError } from '../../../main/engine/errors';
import { Workspace } from '../../../main/engine/workspace';
import { readOnly } from '../../../main/engine/workspace/query-runner';
import { openFixture, ROWS, type Fixture } from './fixture';

let fx: Fixture;
let exportDir: string;
before(async () => {
  fx = await openFixture();
  await fx.engine.workspace.transaction(async (tx) => {
    await tx.run(
      `INSERT INTO imports (id, source, path, size, sha256, records, rejected, started_at, finished_at, status)
       VALUES (1, 'file', '/data/a.log', 10, 'abc123', 13, 0, now(), now(), 'done')`,
    );
  });
  exportDir = fx.engine.workspace.exportDir;
});
after(async () => {
  await fx.close();
});

const run = (query: string, dialect = 'sql') =>
  call(fx.engine, 'query.run', { query, dialect }) as Promise<Output<'query.run'>>;

/** What a write could change: the records, the ledger, the catalog and the export folder. */
async function snapshot() {
  const records = (await run('SELECT count(*), count(*) FILTER (action = $$REJECT$$) FROM main.flows')).rows;
  const ledger = (await run('SELECT id, sha256 FROM main.imports ORDER BY id')).rows;
  const tables = (
    await run(`SELECT table_name FROM information_schema.tables WHERE table_catalog <> 'temp' ORDER BY 1`)
  ).rows;
  return { records, ledger, tables, exported: readdirSync(exportDir) };
}

const target = () => join(exportDir, 'evil.csv');
/** `<export>` stands for the workspace's export folder, the one folder a COPY could write to. */
const inExport = (query: string) => query.replace('<export>', target());
const HOSTILE = [
  "EXPLAIN ANALYZE DELETE FROM main.flows WHERE action='REJECT'",
  'EXPLAIN ANALYZE CREATE TABLE main.evil AS SELECT 1',
  "EXPLAIN ANALYZE UPDATE imports SET sha256='x'",
  "EXPLAIN ANALYZE COPY main.flows TO '<export>'",
  "EXPLAIN ANALYZE COPY (SELECT * FROM flows) TO '<export>' (FORMAT csv)",
  "explain analyze insert into main.flows (srcaddr) values ('evil')",
  'EXPLAIN ANALYZE DROP TABLE main.rejected_lines',
  "explain /* a */ analyse /* b */ delete from main.flows where action='REJECT'",
  "EXPLAIN (ANALYZE) DELETE FROM main.flows WHERE action='REJECT'",
  "EXPLAIN (ANALYZE, FORMAT json) DELETE FROM main.flows WHERE action='REJECT'",
  "EXPLAIN ANALYZE WITH x AS (SELECT 1) DELETE FROM main.flow_records WHERE action='REJECT'",
  "EXPLAIN ANALYZE WITH x AS (SELECT 1) UPDATE main.imports SET sha256 = 'x'",
  'EXPLAIN ANALYZE CREATE VIEW main.v AS SELECT 1',
  'EXPLAIN ANALYZE CREATE MACRO main.m() AS 1',
  'EXPLAIN ANALYZE ALTER TABLE main.imports RENAME TO gone',
  "EXPLAIN ANALYZE DELETE FROM main.flows WHERE action='REJECT';",
  // DuckDB nests block comments: a scanner that ends a comment at the first */ sees a SELECT here.
  `/* /* */ EXPLAIN ANALYZE SELECT 1 AS "*/ EXPLAIN ANALYZE DELETE FROM main.flows WHERE action='REJECT' --"`,
  `/* /* */ EXPLAIN ANALYZE SELECT 1 AS "*/ EXPLAIN ANALYZE COPY main.flows TO '<export>' --"`,
  `EXPLAIN (ANALYZE /* /* */ ) SELECT 1 AS "*/ ) COPY main.flows TO '<export>' --"`,
  `/* /* */ EXPLAIN ANALYZE SELECT 1 AS "*/ EXPLAIN ANALYZE CREATE TEMP VIEW flows AS SELECT * FROM main.flows WHERE false --"`,
  `/* /* */ EXPLAIN ANALYZE SELECT 1 AS "*/ EXPLAIN ANALYZE CREATE OR REPLACE TEMP MACRO geo_country(a) AS 'KP' --"`,
];

for (const hostile of HOSTILE) {
  test(`refused, and nothing changes: ${hostile}`, async () => {
    const query = inExport(hostile);
    const before = await snapshot();
    await assert.rejects(run(query), (err: FlowscopeError) => {
      assert.equal(err.code, 'query_refused', err.message);
      assert.match(err.message, /read-only|EXPLAIN/);
      return true;
    });
    assert.deepEqual(await snapshot(), before);
    assert.equal(existsSync(target()), false);
    // Nothing made on the pooled connections either, which later queries would read (a temporary view
    // named flows, a macro replaced).
    assert.equal((await run('SELECT count(*) FROM flows')).rows[0]![0], ROWS.length);
    assert.equal((await run("SELECT geo_country('8.8.8.8')")).rows[0]![0], 'US');
  });
}

test('with a time range, EXPLAIN ANALYZE of a write is still refused and nothing changes', async () => {
  const before = await snapshot();
  const timeRange = { from: '2026-03-01T00:00:00Z', to: null };
  for (const query of HOSTILE.map(inExport))
    await assert.rejects(call(fx.engine, 'query.run', { query, dialect: 'sql', timeRange }), (err: FlowscopeError) =>
      ['query_refused', 'query_error'].includes(err.code),
    );
  assert.deepEqual(await snapshot(), before);
});

test('EXPLAIN and EXPLAIN ANALYZE of a query still run, in every spelling DuckDB takes', async () => {
  for (const query of [
    'EXPLAIN SELECT count(*) FROM flows',
    'EXPLAIN ANALYZE SELECT count(*) FROM flows',
    'explain analyse select count(*) from flows',
    'EXPLAIN (FORMAT json) SELECT count(*) FROM flows',
    'EXPLAIN (ANALYZE, FORMAT json) SELECT count(*) FROM flows',
    'EXPLAIN (SELECT count(*) FROM flows)',
    'EXPLAIN ANALYZE WITH x AS (SELECT * FROM flows) SELECT count(*) FROM x',
  ]) {
    const result = await run(query);
    assert.ok(result.rowCount >= 1, query);
  }
});

test('the guard says what it refuses and where, before anything reaches DuckDB', async () => {
  const compiled = (await call(fx.engine, 'query.compile', {
    query: "EXPLAIN ANALYZE\n  DELETE FROM main.flows WHERE action='REJECT'",
    dialect: 'sql',
  })) as Output<'query.compile'>;
  assert.equal(compiled.sql, null);
  const [diagnostic] = compiled.diagnostics;
  assert.match(diagnostic!.message, /EXPLAIN runs only on a read-only query.*`DELETE` is refused/);
  assert.deepEqual([diagnostic!.span.line, diagnostic!.span.column, diagnostic!.span.length], [2, 3, 6]);
});

test('Insights and Sumo text cannot smuggle a write either', async () => {
  const before = await snapshot();
  for (const [query, dialect] of [
    ["filter action = 'REJECT'; DELETE FROM main.flows", 'insights'],
    ['fields srcAddr | filter srcAddr = "x\'); DELETE FROM main.flows; --"', 'insights'],
    ['_sourceCategory=vpc | where action = "x\'); DELETE FROM main.flows; --" | count', 'sumo'],
  ] as const) {
    await call(fx.engine, 'query.run', { query, dialect }).catch(() => undefined);
  }
  assert.deepEqual(await snapshot(), before);
  assert.equal((await run('SELECT count(*) FROM main.flows')).rows[0]![0], ROWS.length);
});

test('a NUL in a query is refused at its place: DuckDB would read the statement only up to it', async () => {
  for (const [query, dialect] of [
    ["SELECT count(*) AS n FROM flows WHERE srcaddr = '10.0.0.1'\u0000 AND false", 'sql'],
    ['filter srcAddr = "x\u0000"', 'insights'],
    ['_sourceCategory=vpc | where action = "REJECT\u0000" | count', 'sumo'],
    ["SELECT count(*) FROM vpc_flow_logs WHERE action = 'REJECT'\u0000 AND false", 'athena'],
  ] as const) {
    const compiled = (await call(fx.engine, 'query.compile', { query, dialect })) as Output<'query.compile'>;
    assert.equal(compiled.sql, null, query);
    assert.match(compiled.diagnostics[0]!.message, /NUL character/);
    assert.equal(compiled.diagnostics[0]!.span.offset, query.indexOf('\u0000'));
    await assert.rejects(call(fx.engine, 'query.run', { query, dialect }), /NUL character/);
  }
});

test('beneath the guard, a writing statement run the way user SQL runs cannot change the workspace', async () => {
  const path = join(fx.dir, 'depth.duckdb');
  const ws = await Workspace.open(path, { create: true });
  try {
    await ws.run(`INSERT INTO flow_records (version, srcaddr, action, import_id) VALUES (2, '10.0.0.1', 'REJECT', 0)`);
    const conn = await ws.connect();
    try {
      for (const statement of [
        "EXPLAIN ANALYZE DELETE FROM main.flow_records WHERE action = 'REJECT'",
        'EXPLAIN ANALYZE CREATE TABLE main.evil AS SELECT 1',
        "DELETE FROM main.flow_records WHERE action = 'REJECT'",
        'CREATE TABLE main.evil AS SELECT 1',
      ]) {
        await assert.rejects(
          readOnly(conn, () => conn.run(statement).then(() => undefined)),
          /read-only/,
          statement,
        );
      }
      await readOnly(conn, () => conn.run('CREATE TEMPORARY TABLE kept AS SELECT 42 AS n').then(() => undefined));
      assert.equal((await conn.runAndReadAll('SELECT n FROM kept')).getRows()[0]![0], 42);
    } finally {
      conn.closeSync();
    }
  } finally {
    await ws.close();
  }
  const reopened = await Engine.open({ workspace: path });
  try {
    const rows = (await call(reopened, 'query.run', {
      query: `SELECT count(*) FROM main.flows WHERE action = 'REJECT'`,
      dialect: 'sql',
    })) as Output<'query.run'>;
    assert.deepEqual(rows.rows, [[1]]);
  } finally {
    await reopened.close();
  }
});
