/**
 * Chart data is made by DuckDB from every row of a kept result, in the size the chart draws: long time
 * series re-binned (sums kept) or downsampled (minimum and maximum kept), categories, series and links cut
 * to the largest with what was left out reported. Results here are SQL over `range()`, so each answer is
 * known without the flow records.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call } from '../../../main/engine/dispatch';
import type { ChartData, Input, Output } from '../../../preload/contract';
import { MAX_CATEGORIES, MAX_LINKS, MAX_SERIES, MAX_SLICES, OTHER } from '../../../queries/chart/chart-data';
import { openFixture } from './fixture';
import { openedForFile } from '../../support/opened-for-file';

const fx = openedForFile(openFixture);

const START = Date.UTC(2026, 2, 1);
/** Three days of one value a minute: 4,320 points. */
const PER_MINUTE = `SELECT TIMESTAMP '2026-03-01' + to_minutes(range) AS t, (range % 97) + CASE WHEN range = 2000 THEN 1000 ELSE 0 END AS n, range % 3 AS k FROM range(4320)`;

async function chart(sql: string, spec: Input<'query.chart'>['spec'], width = 600): Promise<ChartData> {
  const run = (await call(fx().engine, 'query.run', {
    query: sql,
    dialect: 'sql',
    pageSize: 10,
  })) as Output<'query.run'>;
  return (await call(fx().engine, 'query.chart', { resultId: run.resultId, spec, width })) as ChartData;
}

const column = (data: ChartData, name: string) => {
  const i = data.columns.findIndex((c) => c.name === name);
  assert.ok(i >= 0, `no column ${name}`);
  return data.rows.map((r) => r[i]);
};

test('a line with more points than pixels keeps the minimum and maximum of each bucket over the whole span', async () => {
  const data = await chart(PER_MINUTE, { type: 'line', x: 't', y: 'n' }, 600);
  const [reduction] = data.reductions;
  assert.equal(reduction?.kind, 'downsampled');
  assert.equal(reduction.kind === 'downsampled' && reduction.points, 4320);
  assert.ok(data.rows.length <= 600, `${data.rows.length} points for 600 pixels`);
  const values = column(data, 'n').map(Number);
  assert.equal(Math.max(...values), 1000 + (2000 % 97), 'the one spike is kept');
  assert.equal(Math.min(...values), 0);
  const times = column(data, 't').map((t) => Date.parse(String(t)));
  assert.deepEqual(
    times,
    [...times].sort((a, b) => a - b),
    'in time order',
  );
  assert.equal(times[0], START, 'from the first minute');
  assert.ok(times.at(-1)! >= START + 4319 * 60_000 - (reduction.kind === 'downsampled' ? reduction.bucketMs : 0));
});

test('stacked areas and bars are re-binned into round buckets whose sums add up to the whole', async () => {
  const data = await chart(PER_MINUTE, { type: 'bar', x: 't', y: 'n', series: 'k' }, 600);
  const [reduction] = data.reductions;
  assert.equal(reduction?.kind, 'rebinned');
  assert.equal(reduction.kind === 'rebinned' && reduction.bucketMs, 30 * 60_000, '4,320 minutes in ≤ 200 buckets');
  const total = column(data, 'n').reduce<number>((sum, v) => sum + Number(v), 0);
  let expected = 0;
  for (let i = 0; i < 4320; i++) expected += (i % 97) + (i === 2000 ? 1000 : 0);
  assert.equal(total, expected);
  assert.deepEqual(new Set(column(data, 'k')), new Set(['0', '1', '2']));
});

test('a short time series comes whole, one row per time and series', async () => {
  const data = await chart(
    `SELECT TIMESTAMP '2026-03-01' + to_hours(range // 2) AS t, range AS n FROM range(48)`,
    { type: 'line', x: 't', y: 'n' },
    600,
  );
  assert.deepEqual(data.reductions, []);
  assert.equal(data.rows.length, 24, 'two rows of the same hour add up');
  assert.equal(column(data, 'n')[0], 1);
});

test('bars of equal value keep the order of the result, as its table shows them', async () => {
  // Sumo's `top 10 dest_port by _count`: the last four are 8 each, in the order the answer gives them.
  const answer =
    `SELECT p AS dest_port, n AS _count FROM (VALUES (1, '22', 100), (2, '140', 8), (3, '71', 8), (4, '11', 8), ` +
    `(5, '102', 8)) AS t(o, p, n) ORDER BY o`;
  const data = await chart(answer, { type: 'bar', x: 'dest_port', y: '_count' });
  assert.deepEqual(column(data, 'dest_port'), ['22', '140', '71', '11', '102']);
  const many = await chart(
    `SELECT 'host-' || (100 - range) AS h, CASE WHEN range < 5 THEN 50 ELSE 1 END AS v FROM range(100) ORDER BY range`,
    { type: 'bar', x: 'h', y: 'v' },
  );
  assert.deepEqual(
    column(many, 'h').slice(0, 8),
    ['host-100', 'host-99', 'host-98', 'host-97', 'host-96', 'host-95', 'host-94', 'host-93'],
    'the top 20 of equal bars are the first in the result',
  );
});

test('bars show the largest categories, and say how many there were', async () => {
  const data = await chart(`SELECT 'host-' || range AS h, range AS v FROM range(100)`, { type: 'bar', x: 'h', y: 'v' });
  assert.deepEqual(data.reductions, [
    { kind: 'top', what: 'categories', shown: MAX_CATEGORIES, of: 100, other: false },
  ]);
  assert.equal(data.rows.length, MAX_CATEGORIES);
  assert.deepEqual(column(data, 'h').slice(0, 3), ['host-99', 'host-98', 'host-97']);
});

test('a pie folds the slices beyond the largest into Other, which holds the rest', async () => {
  const data = await chart(`SELECT range AS port, 1 AS flows FROM range(30) UNION ALL SELECT 7, 40`, {
    type: 'pie',
    x: 'port',
    y: 'flows',
  });
  assert.equal(data.rows.length, MAX_SLICES);
  assert.deepEqual(data.rows[0], ['7', 41]);
  assert.deepEqual(data.rows.at(-1), [OTHER, 30 - (MAX_SLICES - 1)]);
});

test('series beyond ten are folded into Other, and Sankey links are the largest', async () => {
  const series = await chart(
    `SELECT TIMESTAMP '2026-03-01' + to_hours(range % 5) AS t, 'peer-' || (range // 5) AS p, 1 AS n FROM range(75)`,
    { type: 'area', x: 't', y: 'n', series: 'p' },
  );
  assert.deepEqual(series.reductions, [{ kind: 'top', what: 'series', shown: MAX_SERIES, of: 15, other: true }]);
  assert.equal(new Set(column(series, 'p')).size, MAX_SERIES + 1);
  assert.ok(column(series, 'p').includes(OTHER));

  const sankey = await chart(
    `SELECT 'src-' || (range % 9) AS src, 'dst-' || (range % 11) AS dst, range AS b FROM range(99)`,
    { type: 'sankey', x: 'src', series: 'dst', y: 'b' },
  );
  assert.deepEqual(sankey.reductions, [{ kind: 'top', what: 'links', shown: MAX_LINKS, of: 99, other: false }]);
  assert.equal(sankey.rows.length, MAX_LINKS);
  assert.deepEqual(sankey.rows[0], ['src-8', 'dst-10', 98]);
});

test('a NULL category or series is one value like the others: counted in what is left out, never dropped unannounced', async () => {
  // 20 named ports and the NULL of records without one: 21 bars' worth, so the chart says it keeps 20.
  const bars = await chart(`SELECT CASE WHEN range % 21 < 20 THEN range % 21 END AS port, 1 AS n FROM range(21 * 5)`, {
    type: 'bar',
    x: 'port',
    y: 'n',
  });
  assert.deepEqual(bars.reductions, [
    { kind: 'top', what: 'categories', shown: MAX_CATEGORIES, of: MAX_CATEGORIES + 1, other: false },
  ]);
  assert.equal(bars.rows.length, MAX_CATEGORIES);

  // Ten named series and NULL: eleven, so one is folded into Other, and the chart says so.
  const series = await chart(
    `SELECT TIMESTAMP '2026-03-01' + to_hours(range % 3) AS t, CASE WHEN range // 3 < 10 THEN 'p' || (range // 3) END AS p, 1 + range // 3 AS n FROM range(33)`,
    { type: 'area', x: 't', y: 'n', series: 'p' },
  );
  assert.deepEqual(series.reductions, [
    { kind: 'top', what: 'series', shown: MAX_SERIES, of: MAX_SERIES + 1, other: true },
  ]);
  assert.ok(column(series, 'p').includes(OTHER));
});

test('a map says how much of the measure it cannot place: the rows without a country', async () => {
  const data = await chart(
    `SELECT * FROM (VALUES ('US', 30), ('DE', 10), (NULL, 60), (NULL, 40)) AS t(country_code, n)`,
    { type: 'map', x: 'country_code', y: 'n' },
  );
  assert.deepEqual(data.reductions, [{ kind: 'unplaced', rows: 2, value: 100, of: 140 }]);
  assert.deepEqual(column(data, 'country_code'), ['US', 'DE']);
  const placed = await chart(`SELECT 'US' AS country_code, 5 AS n`, { type: 'map', x: 'country_code', y: 'n' });
  assert.deepEqual(placed.reductions, []);
});

test('a measure that is Infinity or NaN (a division by zero) is drawn as nothing, and the chart says how many rows', async () => {
  // Before: ECharts was handed Infinity and drew an empty chart, with nothing said.
  const sql = `SELECT k, CASE WHEN k = 'a' THEN 1e400 WHEN k = 'b' THEN 'nan'::DOUBLE ELSE 5 END AS v, 2 AS w FROM (VALUES ('a'), ('b'), ('c'), ('d')) AS t(k)`;
  for (const type of ['bar', 'pie', 'line'] as const) {
    const data = await chart(sql, { type, x: 'k', y: 'v' });
    assert.deepEqual(data.reductions, [{ kind: 'not-finite', rows: 2 }], type);
    const drawn = Object.fromEntries(data.rows.map((r) => [r[0], r[1]]));
    assert.deepEqual(drawn, { c: 5, d: 5, a: null, b: null }, type);
  }
  // Counted once per row, whichever of its measures is not finite; a chart of finite values says nothing.
  assert.deepEqual((await chart(sql, { type: 'bar', x: 'k', y: ['w', 'v'] })).reductions, [
    { kind: 'not-finite', rows: 2 },
  ]);
  assert.deepEqual((await chart(sql, { type: 'bar', x: 'k', y: 'w' })).reductions, []);
  const sankey = await chart(`SELECT 'x' AS s, k AS d, v FROM (${sql})`, {
    type: 'sankey',
    x: 's',
    series: 'd',
    y: 'v',
  });
  assert.deepEqual(sankey.reductions, [{ kind: 'not-finite', rows: 2 }]);
});

test('a box plot draws every time slice (three days of minutes), its five values as the result has them', async () => {
  const sql = `SELECT t AS _timeslice, n AS _min, n + 1 AS p25, n + 2 AS p50, n + 3 AS p75, n + 4 AS _max FROM (${PER_MINUTE})`;
  const data = await chart(sql, { type: 'boxplot', x: '_timeslice', y: ['_min', 'p25', 'p50', 'p75', '_max'] }, 600);
  assert.deepEqual(data.reductions, [], 'nothing re-binned or cut');
  assert.equal(data.rows.length, 4320, 'a box for each minute');
  assert.deepEqual(
    data.columns.map((c) => c.name),
    ['_timeslice', '_min', 'p25', 'p50', 'p75', '_max'],
  );
  assert.deepEqual(data.rows[2000]!.slice(1).map(Number), [
    1000 + (2000 % 97),
    1001 + (2000 % 97),
    1002 + (2000 % 97),
    1003 + (2000 % 97),
    1004 + (2000 % 97),
  ]);
  assert.equal(Date.parse(String(data.rows[0]![0])), START);
});

test('a pivoted result (a column per address) is drawn as its columns stacked: the 10 largest by total and Other, every cell counted', async () => {
  // 30 address columns over 60 minutes; column a<i> holds i + 1 in each minute, a29 only in minute 7 (5,000).
  const cells = Array.from({ length: 30 }, (_, i) =>
    i === 29 ? `CASE WHEN range = 7 THEN 5000 END AS "a29"` : `${i + 1} AS "a${i}"`,
  );
  const sql = `SELECT TIMESTAMP '2026-03-01' + to_minutes(range) AS _timeslice, ${cells.join(', ')} FROM range(60)`;
  const data = await chart(sql, { type: 'bar', x: '_timeslice', series: 'src_ip', y: 'REJECTS', pivoted: true }, 600);
  assert.deepEqual(data.reductions, [{ kind: 'top', what: 'series', shown: 10, of: 30, other: true }]);
  assert.deepEqual(
    data.columns.map((c) => c.name),
    ['_timeslice', 'src_ip', 'REJECTS'],
  );
  const names = new Set(column(data, 'src_ip'));
  assert.ok(names.has('a29'), 'the one busy minute of a29 (5,000) is among the largest');
  assert.ok(names.has(OTHER));
  assert.equal(names.size, 11);
  const total = column(data, 'REJECTS').reduce<number>((sum, v) => sum + Number(v), 0);
  assert.equal(total, 60 * ((29 * 30) / 2) + 5000, 'every cell counted once');
  assert.equal(new Set(column(data, '_timeslice').map(String)).size, 60, 'every minute');
});

test('a re-binned time series of maxima or averages draws the highest of each bucket, never their sum', async () => {
  // 4,320 one-minute maxima in ≤ 200 bars: a 30-minute bar of 30 maxima summed read 30 times the largest.
  // The minutes by a recursive WITH, not `FROM range()`: the SQL reader that finds the aggregates takes no table function.
  const perMinute =
    `WITH RECURSIVE mins(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM mins WHERE i < 4319) ` +
    `SELECT t, max(n) AS m, avg(n) AS a, count(*) AS c FROM (SELECT TIMESTAMP '2026-03-01' + to_minutes(i) AS t, ` +
    `(i % 97) + CASE WHEN i = 2000 THEN 1000 ELSE 0 END AS n FROM mins) GROUP BY t ORDER BY t`;
  const data = await chart(perMinute, { type: 'bar', x: 't', y: ['m', 'c'] }, 600);
  const [reduction] = data.reductions;
  assert.equal(reduction?.kind, 'rebinned');
  assert.deepEqual(
    reduction.kind === 'rebinned' && reduction.highest,
    ['m'],
    'the count adds up, the maximum does not',
  );
  assert.equal(
    Math.max(...column(data, 'm').map(Number)),
    1000 + (2000 % 97),
    'the largest maximum, as the result has it',
  );
  assert.equal(
    column(data, 'c').reduce<number>((sum, v) => sum + Number(v), 0),
    4320,
    'counts still add up to the whole',
  );
  // The chart's own columns say it too (a pie of them shows no shares).
  assert.deepEqual(
    data.columns.map((c) => [c.name, c.addsUp]),
    [
      ['t', undefined],
      ['m', false],
      ['c', undefined],
    ],
  );
  const area = await chart(perMinute, { type: 'area', x: 't', y: 'a' }, 600);
  assert.ok(Math.max(...column(area, 'a').map(Number)) <= 1000 + 96, 'an average stays on the scale of the averages');
});

test('an Insights average per minute is not added up when its chart is re-binned', async () => {
  const run = (await call(fx().engine, 'query.run', {
    query: 'stats avg(bytes) as a, count(*) as n by bin(1m) as t',
    dialect: 'insights',
    pageSize: 10,
  })) as Output<'query.run'>;
  assert.equal(run.columns.find((c) => c.name === 'a')?.addsUp, false);
  assert.equal(run.columns.find((c) => c.name === 'n')?.addsUp, undefined);
});

test('a time series leaves out the rows without a time and says how many, rather than drawing them at 1970', async () => {
  const data = await chart(
    `SELECT CASE WHEN range % 2 = 0 THEN TIMESTAMP '2026-03-02' + to_minutes(range * 5) END AS t, range AS v FROM range(10)`,
    { type: 'line', x: 't', y: 'v' },
    600,
  );
  assert.deepEqual(data.reductions, [{ kind: 'no-time', rows: 5 }]);
  assert.deepEqual(column(data, 'v').map(Number), [0, 2, 4, 6, 8]);
  assert.ok(column(data, 't').every((t) => t !== null));
});

test('a pie leaves out the rows below zero and says how many, so the shares of the others are of what it draws', async () => {
  const data = await chart(
    `SELECT * FROM (VALUES ('a', -5), ('b', 10), ('c', 0), ('d', NULL)) AS t(k, v)`,
    { type: 'pie', x: 'k', y: 'v' },
    600,
  );
  assert.deepEqual(data.reductions, [{ kind: 'negative', rows: 1 }]);
  assert.deepEqual(column(data, 'k'), ['b', 'c', 'd']);
  // Bars draw a negative value below the axis: nothing is left out.
  const bars = await chart(`SELECT * FROM (VALUES ('a', -5), ('b', 10)) AS t(k, v)`, { type: 'bar', x: 'k', y: 'v' });
  assert.deepEqual(bars.reductions, []);
  assert.deepEqual(column(bars, 'k'), ['b', 'a']);
});

test('a pie of averages folds the rest into an Other that is the highest of them, never their sum', async () => {
  // 30 keys whose average is 1 to 30: summed, the 21 folded into Other made one slice of 231, seven times the largest.
  const averages =
    `WITH RECURSIVE keys(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM keys WHERE i < 30) ` +
    `SELECT 'k' || i AS k, avg(i) AS a FROM keys GROUP BY ALL ORDER BY a DESC`;
  const data = await chart(averages, { type: 'pie', x: 'k', y: 'a' }, 600);
  const values = new Map(data.rows.map((r) => [String(r[0]), Number(r[1])]));
  assert.equal(values.get(OTHER), 21);
  assert.equal(values.get('k30'), 30);
});

test('an Insights sum in MB per minute is added up when its chart is re-binned; bytes per flow, a ratio, is not', async () => {
  const run = (await call(fx().engine, 'query.run', {
    query: 'stats sum(bytes) / 1048576 as mb, sum(bytes) / count(*) as per_flow by bin(1m) as t',
    dialect: 'insights',
    pageSize: 10,
  })) as Output<'query.run'>;
  assert.equal(run.columns.find((c) => c.name === 'mb')?.addsUp, undefined);
  assert.equal(run.columns.find((c) => c.name === 'per_flow')?.addsUp, false);
});

test("a heat map's or Sankey's rows with the same two keys are one cell: counts added up, averages their highest, and the chart says so", async () => {
  const rows = `(VALUES ('a', 'x', 22, 10), ('a', 'x', 22, 20), ('a', 'x', 443, 60), ('b', 'y', 22, 5)) AS t(s, d, port, v)`;
  const averages = `SELECT s, d, port, avg(v) AS a, count(*) AS n FROM ${rows} GROUP BY ALL ORDER BY ALL`;
  for (const type of ['heatmap', 'sankey'] as const) {
    const avg = await chart(averages, { type, x: 's', series: 'd', y: 'a' });
    assert.deepEqual(avg.reductions, [{ kind: 'merged', rows: 1, highest: true }], type);
    assert.deepEqual(
      avg.rows.map((r) => [r[0], r[1], Number(r[2])]),
      [
        ['a', 'x', 60],
        ['b', 'y', 5],
      ],
      `${type}: the (a, x) cell is the highest average of its rows, not 15 + 60`,
    );
    const counts = await chart(averages, { type, x: 's', series: 'd', y: 'n' });
    assert.deepEqual(counts.reductions, [{ kind: 'merged', rows: 1, highest: false }], type);
    assert.deepEqual(
      counts.rows.map((r) => [r[0], r[1], Number(r[2])]),
      [
        ['a', 'x', 3],
        ['b', 'y', 1],
      ],
      `${type}: counts add up`,
    );
  }
  // One row per pair: nothing merged, nothing said.
  const one = await chart(`SELECT s, d, sum(v) AS b FROM ${rows} GROUP BY ALL`, {
    type: 'heatmap',
    x: 's',
    series: 'd',
    y: 'b',
  });
  assert.deepEqual(one.reductions, []);
});
