import assert from 'node:assert/strict';
import { test } from 'node:test';
import { columnAddsUp } from '../../../../queries/chart/column-meaning';
import { sqlColumnAddsUp } from '../../../../queries/chart/sql-column-meaning';
import { compileQuery } from '../../../../queries/language';

/** Each result column of a pipe query, and whether the chart may add its values up (null: the query does not say). */
const addsUp = (query: string) => {
  const compiled = compileQuery(query);
  assert.deepEqual(compiled.diagnostics, []);
  const adds = columnAddsUp(compiled.plan!);
  return Object.fromEntries(compiled.columns!.map((name) => [name, adds(name)]));
};

const sqlAddsUp = (sql: string, names: string[], dialect: 'sql' | 'athena' = 'sql') => {
  const adds = sqlColumnAddsUp(sql, dialect);
  return Object.fromEntries(names.map((name) => [name, adds(name)]));
};

test('a sum scaled by a constant, or rounded, adds up; a ratio of two aggregates does not (Insights)', () => {
  assert.deepEqual(
    addsUp(
      'stats sum(bytes) / 1048576 as mb, round(sum(bytes) / 1000000, 2) as m, sum(bytes) / count(*) as per_flow, ' +
        'count(*) as n, avg(bytes) as a by bin(1m) as t',
    ),
    { t: null, mb: true, m: true, per_flow: false, n: true, a: false },
  );
});

test('a column computed after stats adds up as what it is made of (Insights fields show only theirs; Sumo assignments)', () => {
  assert.deepEqual(
    addsUp('stats sum(bytes) as b, count(*) as n by bin(5m) as t | fields b / 1024 as kb, b / n as avg_b, n * 2 as n2'),
    { kb: true, avg_b: false, n2: true },
  );
  assert.deepEqual(
    addsUp(
      '_sourceCategory=vpc | timeslice 1m | sum(bytes) as b, count by _timeslice | b / 1024 / 1024 as mb | ' +
        'b / _count as per_flow | 100 * _count / 500 as pct | round(mb, 2) as mb2',
    ),
    { _timeslice: null, b: true, _count: true, mb: true, per_flow: false, pct: true, mb2: true },
  );
});

test("Sumo's running operators make columns that do not add up, except backshift, which moves its column", () => {
  const running = addsUp(
    '_sourceCategory=vpc | timeslice 1m | sum(bytes) as b by _timeslice | sort _timeslice | accum b as running | ' +
      'backshift b as before | smooth b as smoothed',
  );
  assert.deepEqual(running, { _timeslice: null, b: true, running: false, before: true, smoothed: false });
});

test('SQL: a scaled or rounded sum adds up; averages, ratios, distinct counts and running sums do not', () => {
  const sql =
    "SELECT date_trunc('minute', start_time) AS t, sum(bytes) / 1048576 AS mb, CAST(sum(bytes) AS BIGINT) AS b, " +
    "round(sum(bytes) / 1e6, 1) AS m, sum(bytes) / count(*) AS per_flow, 100.0 * count_if(action = 'REJECT') / count(*) AS pct, " +
    "count(DISTINCT srcaddr) AS sources, sum(sum(bytes)) OVER (ORDER BY 1) AS running, count_if(action = 'REJECT') AS rejects " +
    'FROM flows GROUP BY 1';
  assert.deepEqual(sqlAddsUp(sql, ['t', 'mb', 'b', 'm', 'per_flow', 'pct', 'sources', 'running', 'rejects']), {
    t: null,
    mb: true,
    b: true,
    m: true,
    per_flow: false,
    pct: false,
    sources: false,
    running: false,
    rejects: true,
  });
  assert.deepEqual(
    sqlAddsUp(
      'SELECT date_trunc(\'hour\', from_unixtime("start")) AS h, sum(bytes) / 1024 AS kb, approx_distinct(srcaddr) AS s FROM vpc_flow_logs GROUP BY 1',
      ['h', 'kb', 's'],
      'athena',
    ),
    { h: null, kb: true, s: false },
  );
});
