import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Output } from '../../../preload/contract';
import { call } from '../../../main/engine/dispatch';
import { FlowscopeError } from '../../../main/engine/errors';
import { openFixture, ROWS, T0 } from './fixture';
import { DUCKDB_FUNCTIONS } from '../../../queries/catalog/generated/duckdb-functions';
import { isRefusedFunction } from '../../../main/engine/workspace/query-limits';
import { openedForFile } from '../../support/opened-for-file';

const fx = openedForFile(openFixture);

const iso = (offset: number) => new Date((T0 + offset) * 1000).toISOString();
const run = (query: string, extra: Record<string, unknown> = {}) =>
  call(fx().engine, 'query.run', { query, ...extra }) as Promise<Output<'query.run'>>;

async function refusal(query: string): Promise<FlowscopeError> {
  try {
    await run(query);
  } catch (err) {
    assert.ok(err instanceof FlowscopeError);
    return err;
  }
  assert.fail(`${query} was not refused`);
}

test('in SQL, flows means the records of the time range; main.flows reaches all of them', async () => {
  const range = { timeRange: { from: iso(3600), to: iso(7200) } };
  assert.deepEqual((await run('SELECT count(*) AS n FROM flows', range)).rows, [[3]]);
  assert.deepEqual(
    (await run('-- leading comment\nWITH x AS (SELECT * FROM flows) SELECT count(*) FROM x', range)).rows,
    [[3]],
  );
  assert.deepEqual((await run('FROM flows SELECT count(*)', range)).rows, [[3]]);
  assert.deepEqual((await run('SELECT count(*) FROM main.flows', range)).rows, [[ROWS.length]]);
  assert.deepEqual((await run('SELECT count(*) FROM flows')).rows, [[ROWS.length]]);
});

test('SUMMARIZE, DESCRIBE and EXPLAIN run', async () => {
  const range = { timeRange: { from: iso(0), to: null } };
  const summary = await run('SUMMARIZE flows', range);
  assert.ok(summary.rows.some((r) => r[0] === 'srcaddr'));
  // After a comment that nests another (DuckDB's reading), it is still a SUMMARIZE, run as a subquery.
  const nested = await run('/* a /* b */ c */ SUMMARIZE flows', range);
  assert.deepEqual(nested.rows, summary.rows);
  const described = await run('DESCRIBE SELECT srcaddr, bytes FROM flows', range);
  assert.deepEqual(
    described.rows.map((r) => r[0]),
    ['srcaddr', 'bytes'],
  );
  const explained = await run('EXPLAIN SELECT count(*) FROM flows', range);
  assert.ok(explained.rowCount >= 1);
  // The plan names the table the flows view reads.
  assert.match(JSON.stringify(explained.rows), /flow_records/);
});

for (const query of [
  "COPY flows TO '/tmp/flowscope-copy.csv'",
  "ATTACH '/tmp/other.duckdb' AS other",
  'INSTALL httpfs',
  'LOAD httpfs',
  'SET threads = 1',
  'PRAGMA version',
  "CREATE SECRET s (TYPE s3, KEY_ID 'a', SECRET 'b')",
  'DROP TABLE flows',
]) {
  test(`SQL that is not a read-only query is refused: ${query}`, async () => {
    const err = await refusal(query);
    assert.equal(err.code, 'query_refused');
    assert.match(err.message, /read-only|refused/);
  });
}

test('the statement type decides, not the text: a WITH that inserts is refused and nothing changes', async () => {
  const err = await refusal("WITH x AS (SELECT 1) INSERT INTO flow_records (srcaddr) SELECT 'evil' FROM x");
  assert.equal(err.code, 'query_refused');
  assert.match(err.message, /INSERT/);
  assert.deepEqual((await run('SELECT count(*) FROM flows')).rows, [[ROWS.length]]);
});

test('two statements are refused, and the second never runs', async () => {
  const err = await refusal('SELECT 1; DROP TABLE flows');
  assert.equal(err.code, 'query_refused');
  assert.deepEqual((await run('SELECT count(*) FROM flows')).rows, [[ROWS.length]]);
});

test('reading a file outside the workspace is refused by the locked-down instance', async () => {
  const err = await refusal("SELECT * FROM read_csv('/etc/passwd')");
  assert.equal(err.code, 'query_refused');
});

test('pages come from the kept result, sorted over the whole result', async () => {
  const first = await run('SELECT srcaddr, bytes FROM flows WHERE bytes IS NOT NULL', { pageSize: 2 });
  assert.equal(first.rowCount, 9);
  assert.equal(first.rows.length, 2);
  const sorted = (await call(fx().engine, 'query.page', {
    resultId: first.resultId,
    offset: 0,
    limit: 3,
    sort: [{ column: 'bytes', descending: true }],
  })) as Output<'query.page'>;
  assert.deepEqual(
    sorted.rows.map((r) => r[1]),
    [4000, 1000, 700],
  );
  const last = (await call(fx().engine, 'query.page', {
    resultId: first.resultId,
    offset: 8,
    limit: 5,
    sort: [{ column: 'bytes', descending: true }],
  })) as Output<'query.page'>;
  assert.deepEqual(
    last.rows.map((r) => r[1]),
    [80],
  );
  await assert.rejects(
    call(fx().engine, 'query.page', {
      resultId: first.resultId,
      offset: 0,
      limit: 1,
      sort: [{ column: 'nope', descending: false }],
    }),
    /no column/,
  );
});

test('a running query is cancelled by its id', async () => {
  const running = run('SELECT count(*) FROM range(100000000000) a WHERE a.range % 7 = 3', { queryId: 'q-cancel' });
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(await call(fx().engine, 'query.cancel', { queryId: 'q-cancel' }), { cancelled: true });
  await assert.rejects(running, (err: FlowscopeError) => err.code === 'cancelled');
  assert.deepEqual(await call(fx().engine, 'query.cancel', { queryId: 'q-cancel' }), { cancelled: false });
});

test('a query that runs past its time limit is stopped with a clear message', async () => {
  const started = Date.now();
  await assert.rejects(
    run('SELECT count(*) FROM range(100000000000) a WHERE a.range % 7 = 3', { timeoutMs: 400 }),
    (err: FlowscopeError) => {
      assert.equal(err.code, 'query_timeout');
      assert.match(err.message, /longer than 400 ms/);
      return true;
    },
  );
  assert.ok(Date.now() - started < 5000);
});

test('query.compile shows the SQL with the time range, and diagnostics without running', async () => {
  const ok = (await call(fx().engine, 'query.compile', {
    query: 'filter action = "REJECT"',
    timeRange: { from: '2026-03-02T01:00:00', to: null },
  })) as Output<'query.compile'>;
  assert.equal(ok.dialect, 'insights');
  assert.match(ok.sql!, /start_time >= TIMESTAMP '2026-03-02 01:00:00.000'/);
  const bad = (await call(fx().engine, 'query.compile', {
    query: 'filter srcadr(1) = "x"',
  })) as Output<'query.compile'>;
  assert.equal(bad.sql, null);
  assert.equal(bad.diagnostics[0]!.span.column, 8);
  assert.match(bad.diagnostics[0]!.message, /^Unknown function `srcadr`/);
  const missing = (await call(fx().engine, 'query.compile', {
    query: 'filter srcadr = "x"',
  })) as Output<'query.compile'>;
  assert.notEqual(missing.sql, null);
  assert.deepEqual(missing.warnings, [
    {
      message: 'No field `srcadr` here: it is null in every record.',
      hint: 'did you mean `srcAddr`?',
      span: { offset: 7, line: 1, column: 8, length: 6 },
    },
  ]);
});

test('an Insights query naming a field the records lack runs, null there, with the warning in its answer', async () => {
  const out = (await call(fx().engine, 'query.run', {
    query: 'stats count(*) as n by srcAddr | sort cnt desc',
  })) as Output<'query.run'>;
  assert.ok(out.rowCount > 0);
  assert.equal(out.warnings?.[0]?.message, 'No field `cnt` here: it is null in every record.');
});

test('a query that does not compile fails with query_error and its diagnostics', async () => {
  await assert.rejects(run('stats count(*) by srcAddr | sort cnt('), (err: FlowscopeError) => {
    assert.equal(err.code, 'query_error');
    assert.match(err.message, /line 1, column 38: The query ends where/);
    assert.equal((err.detail as { diagnostics: unknown[] }).diagnostics.length, 1);
    return true;
  });
});

test("a SQL mistake is a query_error with DuckDB's message, not a refusal", async () => {
  await assert.rejects(run('SELECT no_such_column FROM flows'), (err: FlowscopeError) => {
    assert.equal(err.code, 'query_error');
    assert.match(err.message, /no_such_column/);
    return true;
  });
  // With a time range the statement DuckDB ran is not the user's text, so DuckDB's quote of it is left out.
  await assert.rejects(
    run('SELECT no_such_column FROM flows', { timeRange: { from: iso(0), to: null } }),
    (err: FlowscopeError) => {
      assert.match(err.message, /no_such_column/);
      assert.doesNotMatch(err.message, /LINE 1|MATERIALIZED/);
      return true;
    },
  );
});

test('queries and pages at the same time each get their own answer', async () => {
  const [a, b] = await Promise.all([
    run('SELECT bytes FROM flows WHERE bytes IS NOT NULL ORDER BY bytes', { pageSize: 1 }),
    run('SELECT count(*) FROM flows'),
  ]);
  const page = (offset: number) =>
    call(fx().engine, 'query.page', { resultId: a.resultId, offset, limit: 1 }) as Promise<Output<'query.page'>>;
  const [p1, c, p2, failed] = await Promise.all([
    page(1),
    run('SELECT max(bytes) FROM flows'),
    page(8),
    run('SELECT nope FROM flows').catch((e: unknown) => e),
  ]);
  assert.deepEqual([a.rows, b.rows, p1.rows, c.rows, p2.rows], [[[80]], [[ROWS.length]], [[100]], [[4000]], [[4000]]]);
  assert.equal((failed as FlowscopeError).code, 'query_error');
});

test('every DuckDB function SQL completion offers is one a workspace query can call', async () => {
  const answer = await run(
    "SELECT DISTINCT function_name FROM duckdb_functions() WHERE function_type IN ('scalar', 'aggregate', 'macro')",
    { pageSize: 5000 },
  );
  const callable = new Set(answer.rows.map((r) => String(r[0])));
  assert.deepEqual(
    DUCKDB_FUNCTIONS.map(([name]) => name).filter((name) => !callable.has(name) || isRefusedFunction(name)),
    [],
  );
  // Called through the guard, an aggregate and a macro of DuckDB's own run.
  assert.deepEqual((await run("SELECT count_if(true) AS a, list_reverse([1, 2]) AS b, 'x' AS c")).rows, [
    [1, [2, 1], 'x'],
  ]);
});
