/**
 * Hostile queries and saved-query files, run as the app and the CLI run them (`query.run`, `query --file`):
 * file reads, writes and COPY, extension loading, settings, EXPLAIN and EXPLAIN ANALYZE of every writing
 * statement, regex and size bombs, huge limits, deep nesting. Each is refused or harmless: nothing outside
 * the workspace is read (a canary file's secret never comes back) or written, and the workspace holds
 * exactly what it held before.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { Dialect, Output } from '../../preload/contract';
import { Engine } from '../../main/engine';
import { call } from '../../main/engine/dispatch';
import { FlowscopeError } from '../../main/engine/errors';
import { readSavedQueryFile } from '../../main/engine/library/saved-query-file';
import { writeFlowLogFile } from '../../main/engine/ingest/generator';
import { tempDir } from '../integration/workspace/helpers';
import { recordFigures } from './figures';

const root = new URL('../../', import.meta.url).pathname;
const dir = tempDir('flowscope-hostile-');
const SECRET = 'canary-7f3a9c-not-for-queries';
/** Outside the workspace: a file with a secret, and where writes would land. */
const outside = join(dir, 'outside');
const canary = join(outside, 'secret.csv');
const out = join(outside, 'written');
let engine: Engine;
let workspace: string;
const tally = { queries: 0, refused: 0, harmless: 0, files: 0 };

before(async () => {
  mkdirSync(outside);
  writeFileSync(canary, `secret\n${SECRET}\n`);
  workspace = join(dir, 'ws', 'flows.duckdb');
  mkdirSync(dirname(workspace));
  // A copy of the canary beside the workspace file, for path traversal out of the staging folder.
  writeFileSync(join(dirname(workspace), 'beside.csv'), `secret\n${SECRET}\n`);
  engine = await Engine.open({ workspace, create: true });
  const logs = join(dir, 'logs.log.gz');
  await writeFlowLogFile(logs, { records: 2000, gzip: true, seed: 9 });
  const { jobId } = (await call(engine, 'ingest.files', { files: [engine.files.register(logs)] })) as { jobId: string };
  assert.equal((await engine.jobWait({ jobId })).state, 'done');
});

after(async () => {
  await engine.close();
  recordFigures('3-hostile', {
    'hostile queries': `${tally.queries} (SQL, Insights, Sumo, Athena; through query.run and the CLI): ${tally.refused} refused, ${tally.harmless} ran harmlessly; ${tally.files} hostile saved-query files; no file read or written outside the workspace, the workspace unchanged`,
  });
});

async function snapshot() {
  const rows = async (sql: string) =>
    (await engine.workspace.all(sql)).map((r) =>
      JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)),
    );
  return {
    flows: await rows('SELECT count(*) AS n, sum(bytes) AS b, count(DISTINCT import_id) AS i FROM flows'),
    imports: await rows('SELECT id, sha256, records, status FROM imports ORDER BY id'),
    meta: await rows('SELECT key, value FROM meta ORDER BY key'),
    catalog: await rows(
      `SELECT table_name, table_type FROM information_schema.tables WHERE table_catalog <> 'temp' ORDER BY ALL`,
    ),
    functions: await rows(`SELECT count(*) AS n FROM duckdb_functions() WHERE NOT internal AND schema_name <> 'temp'`),
    outside: readdirSync(outside).sort(),
    // DuckDB folds its write-ahead log into the file at moments of its own choosing.
    beside: readdirSync(dirname(workspace))
      .filter((n) => !n.endsWith('.wal'))
      .sort(),
  };
}

const staging = () => engine.workspace.stagingDir;
const exportDir = () => engine.workspace.exportDir;

/** The hostile SQL, `$CANARY` the secret file outside, `$OUT` a path outside, `$STAGING`/`$EXPORT` the allowed folders. */
const SQL: string[] = [
  // Reading outside the workspace.
  `SELECT * FROM read_csv('$CANARY')`,
  `SELECT * FROM read_csv_auto('$CANARY')`,
  `SELECT * FROM read_text('$CANARY')`,
  `SELECT * FROM read_blob('$CANARY')`,
  `SELECT * FROM read_json_auto('$CANARY')`,
  `SELECT * FROM read_parquet('$CANARY')`,
  `SELECT * FROM parquet_metadata('$CANARY')`,
  `SELECT * FROM sniff_csv('$CANARY')`,
  `SELECT * FROM '$CANARY'`,
  `DESCRIBE SELECT * FROM read_csv('$CANARY')`,
  `SUMMARIZE SELECT * FROM read_text('$CANARY')`,
  `SELECT * FROM glob('/etc/*')`,
  `SELECT * FROM read_text('$STAGING/../../beside.csv')`,
  `SELECT * FROM read_text('$EXPORT/../../beside.csv')`,
  `SELECT * FROM read_csv('https://example.com/x.csv')`,
  `SELECT * FROM query('SELECT * FROM read_text(''$CANARY'')')`,
  // Writing, directly and through EXPLAIN ANALYZE.
  `COPY (SELECT 1) TO '$OUT'`,
  `COPY main.flows TO '$EXPORT/all.csv'`,
  `EXPORT DATABASE '$OUT'`,
  `ATTACH '$OUT.db' AS evil`,
  `CREATE TABLE main.evil AS SELECT 1`,
  `CREATE OR REPLACE TEMP MACRO direction(a, b) AS 'hijacked'`,
  `INSERT INTO main.flows (srcaddr) VALUES ('evil')`,
  `UPDATE meta SET value = '99' WHERE key = 'schema_version'`,
  `DELETE FROM imports`,
  `DROP TABLE rejected_lines`,
  `ALTER TABLE flows ADD COLUMN evil VARCHAR`,
  `TRUNCATE flows`,
  `CHECKPOINT`,
  `VACUUM`,
  `SELECT 1; DROP TABLE flows`,
  `SELECT 1 --\n; DELETE FROM flows`,
  `EXPLAIN ANALYZE COPY (SELECT 1) TO '$OUT'`,
  `EXPLAIN ANALYZE ATTACH '$OUT.db' AS evil`,
  `EXPLAIN ANALYZE INSERT INTO main.flows (srcaddr) VALUES ('evil')`,
  `EXPLAIN ANALYZE UPDATE imports SET sha256 = 'x'`,
  `EXPLAIN ANALYZE DELETE FROM main.flows`,
  // flows is a view: its record table.
  `DELETE FROM main.flow_records`,
  `EXPLAIN ANALYZE DELETE FROM main.flow_records`,
  `EXPLAIN ANALYZE INSERT INTO main.flow_records (srcaddr) VALUES ('evil')`,
  `EXPLAIN ANALYZE CREATE TABLE main.evil AS SELECT 1`,
  `EXPLAIN ANALYZE DROP TABLE main.flows`,
  `EXPLAIN ANALYZE EXPORT DATABASE '$OUT'`,
  `EXPLAIN ANALYZE CHECKPOINT`,
  `EXPLAIN (ANALYZE, FORMAT json) DELETE FROM main.flows`,
  `PREPARE evil AS DELETE FROM flows`,
  `SELECT * FROM checkpoint()`,
  `SELECT * FROM force_checkpoint()`,
  `CALL enable_profiling()`,
  `SELECT * FROM enable_profiling()`,
  `SELECT * FROM enable_logging()`,
  `SELECT * FROM truncate_duckdb_logs()`,
  `SELECT * FROM disable_optimizer()`,
  `SELECT * FROM import_database('$OUT')`,
  `SELECT * FROM query('SELECT system.main.repeat(''x'', 2000000000)')`,
  `SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT 1'))`,
  // Extensions and settings.
  `INSTALL httpfs`,
  `LOAD httpfs`,
  `FORCE INSTALL json`,
  `SET enable_external_access = true`,
  `SET allowed_directories = ['/']`,
  `RESET allowed_directories`,
  `SET memory_limit = '100GB'`,
  `SET profiling_output = '$OUT'`,
  `PRAGMA enable_profiling`,
  `SELECT set_config('memory_limit', '100GB', false)`,
  // Bombs: size, time, depth.
  `SELECT length(repeat('x', 2000000000))`,
  `SELECT system.main.repeat('x', 2000000000)`,
  `SELECT length(printf('%2000000000d', 1))`,
  `SELECT regexp_matches(repeat('a', 100000), '(a*)*b')`,
  `SELECT * FROM main.flows LIMIT 9223372036854775807`,
  `SELECT count(*) FROM range(100000) a, range(100000) b`,
  `WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r`,
  `SELECT len(list(repeat('x', 10000))) FROM range(3000000)`,
  `SELECT ${'('.repeat(3000)}1${')'.repeat(3000)}`,
  `SELECT * FROM ${'(SELECT * FROM '.repeat(200)}main.flows${') t'.repeat(200)}`,
  // Harmless reads of DuckDB's own catalog: allowed, and must show nothing outside.
  `SELECT * FROM duckdb_settings()`,
  `SELECT * FROM duckdb_secrets()`,
  `SELECT current_setting('allowed_directories') AS dirs`,
];

/** The same in the other dialects: their text compiles to SQL, and must not smuggle anything. */
const OTHER: [dialect: Dialect, query: string][] = [
  ['insights', `fields @message | filter @message like /x/ | limit 5; DROP TABLE flows`],
  ['insights', `stats count(*) by srcAddr | sort srcAddr') ; DELETE FROM flows; --`],
  ['insights', `filter srcAddr = "'); COPY flows TO '$OUT'; --"`],
  ['sumo', `_sourceCategory=vpc | where src_ip = "x'); DROP TABLE flows; --" | count`],
  ['sumo', `_sourceCategory=vpc | lookup name from file:///etc/passwd on x=y`],
  ['sumo', `_sourceCategory=vpc | lookup name from https://evil.example/x.csv on x=y`],
  // Deeper or longer than the stack follows (queries/language/nesting.ts): a query error, not an internal one.
  ['insights', `filter ${'('.repeat(5000)}bytes > 1${')'.repeat(5000)}`],
  ['sumo', `_sourceCategory=vpc | ${'1+'.repeat(20000)}1 as x | count by x`],
  ['athena', `SELECT * FROM vpc_flow_logs WHERE ${'NOT '.repeat(20000)}true`],
  ['athena', `SELECT * FROM ${'(SELECT * FROM '.repeat(2000)}vpc_flow_logs${') t'.repeat(2000)}`],
];

const fill = (q: string) =>
  q
    .replaceAll('$CANARY', canary)
    .replaceAll('$OUT', out)
    .replaceAll('$STAGING', staging())
    .replaceAll('$EXPORT', exportDir());

/** Runs a hostile query: it is refused, or it answers without the secret. */
async function hostile(query: string, dialect: Dialect): Promise<void> {
  tally.queries++;
  try {
    const r = (await call(engine, 'query.run', {
      query,
      dialect,
      timeoutMs: 5000,
      pageSize: 1000,
    })) as Output<'query.run'>;
    assert.doesNotMatch(JSON.stringify(r.rows), new RegExp(SECRET), `${query} read the canary`);
    tally.harmless++;
  } catch (err) {
    assert.ok(err instanceof FlowscopeError, `${query}: ${String(err)}`);
    assert.ok(
      ['query_refused', 'query_error', 'query_timeout', 'bad_request'].includes(err.code),
      `${query}: ${err.code} ${err.message}`,
    );
    assert.doesNotMatch(err.message, new RegExp(SECRET), `${query}'s error quotes the canary`);
    tally.refused++;
  }
}

test('hostile SQL is refused or harmless, and changes nothing', async () => {
  const before = await snapshot();
  for (const q of SQL) await hostile(fill(q), 'sql');
  assert.ok(SQL.length >= 30);
  assert.deepEqual(await snapshot(), before);
  assert.equal(existsSync(out), false);
  assert.equal(existsSync(`${out}.db`), false);
  assert.deepEqual(readdirSync(exportDir()), []);
});

test('hostile Insights, Sumo and Athena text is refused or harmless, and changes nothing', async () => {
  const before = await snapshot();
  for (const [dialect, q] of OTHER) await hostile(fill(q), dialect);
  assert.deepEqual(await snapshot(), before);
});

test('the enrichment functions still answer after every hostile query: nothing replaced them', async () => {
  const r = (await call(engine, 'query.run', {
    query: `SELECT direction('10.0.0.1', '8.8.8.8') AS d, protocol_name(6) AS p`,
    dialect: 'sql',
  })) as Output<'query.run'>;
  assert.deepEqual(r.rows, [['outbound', 'TCP']]);
});

test('aggregations nested past the limit are refused before DuckDB plans them; as many as the limit answer', async () => {
  // Planning time doubles per level and cannot be interrupted: 40 levels did not plan in 5 minutes, holding a
  // thread every later query needed.
  const nested = (depth: number) => {
    let sql = 'SELECT srcaddr, count(*) AS n FROM main.flows GROUP BY srcaddr';
    for (let i = 1; i < depth; i++) sql = `SELECT srcaddr, count(*) AS n FROM (${sql}) WHERE n >= 0 GROUP BY srcaddr`;
    return sql;
  };
  const windows = (depth: number) => {
    let sql = 'SELECT srcaddr, bytes AS n FROM main.flows';
    for (let i = 0; i < depth; i++)
      sql = `SELECT srcaddr, row_number() OVER (PARTITION BY srcaddr ORDER BY n) AS n FROM (${sql}) WHERE n >= 0`;
    return sql;
  };
  const withChain = (depth: number) =>
    `WITH q0 AS (SELECT srcaddr, count(*) AS n FROM main.flows GROUP BY srcaddr), ` +
    Array.from(
      { length: depth - 1 },
      (_, i) => `q${i + 1} AS (SELECT srcaddr, sum(n) AS n FROM q${i} GROUP BY srcaddr)`,
    ).join(', ') +
    ` SELECT count(*) AS n FROM q${depth - 1}`;
  const refused: [Dialect, string][] = [
    ['sql', nested(40)],
    ['sql', withChain(40)],
    ['sumo', `_sourceCategory=vpc ${'| count by src_ip '.repeat(40)}`],
    ['athena', nested(40).replaceAll('main.flows', 'vpc_flow_logs')],
    ['sql', windows(40)],
  ];
  for (const [dialect, query] of refused) {
    await assert.rejects(
      call(engine, 'query.run', { query, dialect, timeoutMs: 5000 }),
      (err: FlowscopeError) => {
        assert.equal(err.code, 'query_refused', `${dialect}: ${err.message}`);
        assert.match(err.message, /nests \d\d aggregations or window functions .* up to 12 run here/);
        return true;
      },
      dialect,
    );
  }
  const answered = (await call(engine, 'query.run', { query: nested(12), dialect: 'sql' })) as Output<'query.run'>;
  assert.ok(answered.rows.length > 0);
});

test('a saved query that multiplies a value past the limit (nested replace, a lambda) is refused at once, in every dialect', async () => {
  // A tester's F1: each printed "stopped" at its 1 s timeout and computed on for 25-75 s, the process at 2.3-4.3
  // times the memory limit. No SQL is needed: Sumo's and Insights' replace, Athena's transform. Here a tenth of
  // the tester's sizes, just past the limit (the nested replace builds 3 x 2,500 x 2,500 characters a record).
  const before = await snapshot();
  const x = 'x'.repeat(2_500);
  const y = 'y'.repeat(2_500);
  for (const [dialect, query, pattern] of [
    [
      'sumo',
      `* | where src_ip matches "*.*" | limit 1 | replace(src_ip, ".", "${x}") as y | replace(y, "x", "${y}") as z | length(z) as n | fields n`,
      /replace would build a value larger/,
    ],
    [
      'insights',
      `filter srcAddr like /\\./ | fields replace(srcAddr, ".", "${x}") as y | fields replace(y, "x", "${y}") as z | limit 1`,
      /replace would build a value larger/,
    ],
    [
      'athena',
      `SELECT cardinality(flatten(transform(sequence(1, 5000), x -> sequence(1, 5000)))) AS n`,
      /inside a lambda builds its value once for every element/,
    ],
    [
      'sql',
      `SELECT length(regexp_replace(repeat('x', 100000), 'x', repeat('y', 400), 'g')) AS n`,
      /regexp_replace would build/,
    ],
    ['sql', `SELECT len(flatten(list_transform(range(5000), x -> range(5000)))) AS n`, /range\(\) inside a lambda/],
  ] as const) {
    const started = performance.now();
    await assert.rejects(
      call(engine, 'query.run', { query, dialect, timeoutMs: 5000, pageSize: 100 }),
      (err: unknown) => err instanceof FlowscopeError && err.code === 'query_refused' && pattern.test(err.message),
      `${dialect}: ${query.slice(0, 60)}`,
    );
    assert.ok(
      performance.now() - started < 3000,
      `${dialect} answered in ${Math.round(performance.now() - started)} ms`,
    );
    tally.queries++;
    tally.refused++;
  }
  assert.deepEqual(await snapshot(), before);
});

/** Saved-query files as someone might send them. */
function savedFiles(): [name: string, body: string][] {
  const doc = (query: string, dialect = 'sql') =>
    JSON.stringify({ version: 1, name: 'Looks useful', dialect, query: fill(query) });
  return [
    ['explain-analyze.flowquery.json', doc(`EXPLAIN ANALYZE DELETE FROM main.flows WHERE action = 'REJECT'`)],
    ['copy-out.flowquery.json', doc(`EXPLAIN ANALYZE COPY (SELECT * FROM flows) TO '$OUT'`)],
    ['read-canary.flowquery.json', doc(`SELECT * FROM read_text('$CANARY')`)],
    ['bomb.flowquery.json', doc(`SELECT length(repeat('x', 2000000000))`)],
    ['two-statements.flowquery.json', doc(`SELECT 1; DROP TABLE flows`)],
    [
      'insights-smuggle.flowquery.json',
      doc(`fields srcAddr | filter srcAddr = "'); DROP TABLE flows; --"`, 'insights'),
    ],
    [
      'unknown-key.flowquery.json',
      JSON.stringify({ version: 1, name: 'x', dialect: 'sql', query: 'SELECT 1', run: 'rm -rf /' }),
    ],
    ['newer.flowquery.json', JSON.stringify({ version: 99, name: 'x', dialect: 'sql', query: 'SELECT 1' })],
    [
      'proto.flowquery.json',
      `{"version":1,"name":"x","dialect":"sql","query":"SELECT 1","__proto__":{"polluted":true}}`,
    ],
    ['deep.flowquery.json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ['huge.flowquery.json', doc(`SELECT '${'x'.repeat(300_000)}'`)],
    ['not-json.flowquery.json', '\u0000\u0001binary'],
  ];
}

test('hostile saved-query files are refused by name or run as harmless queries', async () => {
  const before = await snapshot();
  const files = join(dir, 'saved');
  mkdirSync(files);
  for (const [name, body] of savedFiles()) {
    const path = join(files, name);
    writeFileSync(path, body);
    tally.files++;
    let saved;
    try {
      saved = readSavedQueryFile(path);
    } catch (err) {
      assert.ok(err instanceof FlowscopeError, String(err));
      assert.ok(err.message.includes(name), `the refusal names the file: ${err.message}`);
      continue;
    }
    await hostile(saved.query, saved.dialect);
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype was polluted');
  assert.deepEqual(await snapshot(), before);
});

test('the CLI runs a hostile saved-query file and a hostile query as refusals, changing nothing', async () => {
  await engine.close();
  const flowscope = (...args: string[]) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', join(root, 'main/cli/index.ts'), ...args], {
      cwd: root,
    }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
    );
  const file = join(dir, 'saved', 'explain-analyze.flowquery.json');
  const viaFile = await flowscope('query', '--file', file, '--workspace', workspace);
  assert.equal(viaFile.code, 1);
  assert.match(viaFile.stderr, /EXPLAIN runs (here )?only on a read-only query/);
  const direct = await flowscope('query', fill(`SELECT * FROM read_text('$CANARY')`), '--workspace', workspace);
  assert.equal(direct.code, 1);
  assert.doesNotMatch(direct.stderr, new RegExp(SECRET));
  tally.queries += 2;
  tally.refused += 2;
  engine = await Engine.open({ workspace });
  const [row] = await engine.workspace.all<{ n: bigint }>('SELECT count(*) AS n FROM flows');
  assert.equal(row!.n, 2000n);
  assert.equal(existsSync(out), false);
});
