import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileQuery } from '../../../../../queries/language/index';
import { transposeKeyOrder, transposeSql } from '../../../../../queries/language/series';
import { parseSumo } from '../../../../../queries/language/sumo/parser';

const SERIES = '_sourceCategory=vpc | timeslice 1m | count by _timeslice';
const diagnostic = (query: string) => {
  const r = compileQuery(query, { dialect: 'sumo' });
  assert.equal(r.sql, null, `expected an error for ${query}`);
  return r.diagnostics[0]!;
};

test('outlier reads its options in any order, with Sumo defaults', () => {
  const [stage] = parseSumo(
    `${SERIES} | outlier _count window=5,threshold=2.5 consecutive=2, direction=+`,
  ).stages.slice(-1);
  assert.deepEqual(stage && { ...stage, span: undefined, field: stage.kind === 'outlier' ? stage.field.name : '' }, {
    kind: 'outlier',
    field: '_count',
    by: [],
    window: 5,
    threshold: 2.5,
    consecutive: 2,
    direction: '+',
    span: undefined,
  });
  const defaults = parseSumo(`${SERIES} | outlier _count`).stages.at(-1);
  assert.ok(
    defaults?.kind === 'outlier' && defaults.window === 10 && defaults.threshold === 3 && defaults.direction === '+-',
  );
  assert.deepEqual(compileQuery(`${SERIES} | outlier _count`, { dialect: 'sumo' }).columns, [
    '_timeslice',
    '_count',
    '_count_error',
    '_count_lower',
    '_count_upper',
    '_count_indicator',
    '_count_violation',
  ]);
  assert.match(diagnostic(`${SERIES} | outlier _count window=0`).message, /above 0/);
  assert.match(diagnostic(`${SERIES} | outlier _count direction=*`).message, /a value for direction/);
});

test('outlier and predict need a time series before them', () => {
  const d = diagnostic('_sourceCategory=vpc | count by action | outlier _count');
  assert.match(d.message, /`outlier` needs a time series/);
  assert.match(d.hint ?? '', /timeslice 1m \| count by _timeslice/);
});

test('predict forecasts with the linear model; the auto-regressive one is refused by name', () => {
  assert.deepEqual(compileQuery(`${SERIES} | predict _count by 1m forecast=5`, { dialect: 'sumo' }).columns, [
    '_timeslice',
    '_count',
    '_count_predicted',
    '_count_error',
  ]);
  const stage = parseSumo(`${SERIES} | predict _count by 1m forecast=10m`).stages.at(-1);
  assert.ok(stage?.kind === 'predict' && stage.forecast === 10 && stage.stepMs === 60_000);
  const ar = diagnostic(`${SERIES} | predict _count by 1m model=ar`);
  assert.match(ar.message, /`ar` model is not available: .*without publishing what it fits/);
  assert.equal(ar.hint, 'drop model=ar to forecast with the linear model (the default)');
  assert.match(
    diagnostic(`${SERIES} | predict _count by 1m ar.window=20`).message,
    /auto-regressive model, which is not available/,
  );
  assert.match(diagnostic(`${SERIES} | predict _count by 1m model=arima`).message, /Unknown model `arima`/);
  assert.match(diagnostic(`${SERIES} | predict _count by 1m forecast=500`).message, /1 to 100 points/);
});

test('compare with timeshift names the shifted copies after the shift, and allows seven', () => {
  const columns = (q: string) => compileQuery(`${SERIES} | ${q}`, { dialect: 'sumo' }).columns;
  assert.deepEqual(columns('compare with timeshift 1d 3'), [
    '_timeslice',
    '_count',
    '_count_1d',
    '_count_2d',
    '_count_3d',
  ]);
  assert.deepEqual(columns('compare timeshift -24h'), ['_timeslice', '_count', '_count_24h']);
  assert.deepEqual(columns('compare timeshift 1d 5 avg, timeshift 1w as last_week'), [
    '_timeslice',
    '_count',
    '_count_avg',
    '_count_last_week',
  ]);
  assert.match(diagnostic(`${SERIES} | compare with timeshift 1d 8`).message, /8 shifted copies .* at most 7/);
  assert.match(
    diagnostic('_sourceCategory=vpc | where action="REJECT" | compare timeshift 1d').message,
    /needs an aggregate/,
  );
});

test('compare by keys other than a time slice needs a time range with both ends; by a time slice it does not', () => {
  const bySource = '_sourceCategory=vpc | count by srcaddr | compare with timeshift 1d';
  // Both copies read every record without a range, and a shifted open range still holds the query's own:
  // the same count twice, said to be the day before's.
  for (const timeRange of [null, { from: '2026-03-03T00:00:00Z', to: null }]) {
    const refused = compileQuery(bySource, { dialect: 'sumo', timeRange });
    assert.equal(refused.sql, null, JSON.stringify(timeRange));
    assert.match(refused.diagnostics[0]!.message, /choose a time range with a start and an end/);
  }
  const bounded = { from: '2026-03-03T00:00:00Z', to: '2026-03-04T00:00:00Z' };
  assert.deepEqual(compileQuery(bySource, { dialect: 'sumo', timeRange: bounded }).columns, [
    'srcaddr',
    '_count',
    '_count_1d',
  ]);
  assert.notEqual(compileQuery(`${SERIES} | compare with timeshift 1d`, { dialect: 'sumo' }).sql, null);
});

test('transpose is the last operator and names existing fields', () => {
  const ok = compileQuery(`${SERIES}, action | transpose row _timeslice column action`, { dialect: 'sumo' });
  assert.deepEqual(ok.transpose, { rows: ['_timeslice'], columns: ['action'], values: ['_count'] });
  assert.match(
    diagnostic(`${SERIES}, action | transpose row _timeslice column action | limit 5`).message,
    /must be the last/,
  );
  const unknown = diagnostic(`${SERIES}, action | transpose row _timeslice column actoin`);
  assert.match(unknown.message, /`actoin` is not a field/);
  assert.equal(unknown.hint, 'did you mean `action`?');
  const named = compileQuery(`${SERIES}, action | transpose row _timeslice column action as REJECT, *`, {
    dialect: 'sumo',
  });
  assert.deepEqual(named.transpose?.outputs, ['REJECT', '*']);
});

test('fields - leaves fields out, %"…" quotes a name with blanks', () => {
  const r = compileQuery(
    '_sourceCategory=vpc | count as Incidents by src_ip, dest_port | src_ip as %"Cardholder Host" | fields - src_ip',
    { dialect: 'sumo' },
  );
  assert.deepEqual(r.columns, ['dest_port', 'Incidents', 'Cardholder Host']);
});

test('accum, diff, smooth, rollingstd and total add their column under Sumo names, or the alias', () => {
  assert.deepEqual(
    compileQuery(`${SERIES} | accum _count | diff _count | smooth _count, 5 | rollingstd _count as sd | total _count`, {
      dialect: 'sumo',
    }).columns,
    ['_timeslice', '_count', '_accum', '_diff', '_smooth', 'sd', '_total'],
  );
  const smooth = parseSumo(`${SERIES}, action | smooth _count, 5 as s by action`).stages.at(-1);
  assert.ok(
    smooth?.kind === 'running' && smooth.window === 5 && smooth.as?.name === 's' && smooth.by[0]?.name === 'action',
  );
  const rolling = parseSumo(`${SERIES} | rollingstd _count`).stages.at(-1);
  assert.ok(rolling?.kind === 'running' && rolling.window === 10);
  const sql = compileQuery(`${SERIES}, action | accum _count by action`, { dialect: 'sumo' }).sql!;
  assert.match(sql, /sum\(.*\) OVER \(PARTITION BY .* ORDER BY .* ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW\)/);
  const bad = diagnostic(`${SERIES} | smooth _count, 0`);
  assert.match(bad.message, /`0` must be a whole number above 0/);
  assert.match(diagnostic(`${SERIES} | accum`).message, /numeric field/);
});

test('transpose reads its rows once (one PIVOT), not once per new column', () => {
  const spec = { rows: ['_timeslice'], columns: ['src_ip'], values: ['REJECTS'] };
  const keys = Array.from({ length: 200 }, (_, i) => `10.0.0.${i}`);
  const sql = transposeSql(spec, 't', keys);
  // 200 `arg_min(…) FILTER (WHERE _key = …)` took 21 s over 212 sources × 4,320 minutes; the PIVOT 1.7 s.
  assert.equal(sql.match(/\bPIVOT\b/g)?.length, 1);
  assert.doesNotMatch(sql, /FILTER/);
});

test("transpose's columns: Sumo's first 300 values, biggest total first, ties and non-numbers in string order", () => {
  const values = [
    { key: 'a', total: 1 },
    { key: 'b', total: 9 },
    { key: 'c', total: null },
    { key: 'd', total: 9 },
    { key: 'e', total: 3 },
  ];
  assert.deepEqual(transposeKeyOrder(values), ['b', 'd', 'e', 'a', 'c']);
  const many = Array.from({ length: 302 }, (_, i) => ({ key: `k${String(i).padStart(3, '0')}`, total: i }));
  const order = transposeKeyOrder(many);
  assert.deepEqual(order.slice(0, 2), ['k299', 'k298']);
  assert.deepEqual(order.slice(-2), ['k300', 'k301']);
});
