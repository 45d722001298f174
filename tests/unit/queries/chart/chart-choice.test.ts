import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseChart, isTimeSeries, resolveChart, specFits } from '../../../../queries/chart/chart-choice';
import { ChartSpec } from '../../../../queries/library/saved-query';

const col = (name: string, type: string) => ({ name, type });

describe('chart choice from the shape of a result', () => {
  it('draws a bin() count over time as bars, and another measure over time as a line, the time on x', () => {
    const columns = [col('bin(5m)', 'TIMESTAMP'), col('count()', 'BIGINT')];
    const choice = chooseChart(columns, [['2026-01-01T00:00:00Z', 3]]);
    assert.deepEqual(choice.spec, { type: 'bar', x: 'bin(5m)', y: 'count()' });
    assert.deepEqual(
      choice.options.map((o) => o.type),
      ['bar', 'line', 'area', 'table'],
    );
    assert.equal(isTimeSeries(choice.spec, columns), true);
    const average = chooseChart([col('t', 'TIMESTAMP'), col('avg(packets)', 'DOUBLE')], []);
    assert.equal(average.spec.type, 'line');
  });

  it("draws Sumo's min, quartiles and max by _timeslice as a box plot, and offers it for such a result only", () => {
    const names = ['_min', '_Packets_pct_25', '_Packets_pct_50', '_Packets_pct_75', '_max'];
    const columns = [col('_timeslice', 'TIMESTAMP'), ...names.map((n) => col(n, 'DOUBLE'))];
    const rows = [
      ['2026-03-04T23:58:00.000Z', 1, 2, 3, 4, 5],
      ['2026-03-04T23:59:00.000Z', 1, 2, 3, 4, 9],
    ];
    const choice = chooseChart(columns, rows);
    assert.deepEqual(choice.spec, { type: 'boxplot', x: '_timeslice', y: names });
    assert.equal(isTimeSeries(choice.spec, columns), true);
    assert.ok(
      choice.options.some((o) => o.type === 'line'),
      'its lines stay on offer',
    );
    // Insights writes them as called; by a category, a box per category.
    const insights = ['min(packets)', 'pct(packets, 25)', 'pct(packets, 50)', 'pct(packets, 75)', 'max(packets)'];
    const byAction = chooseChart(
      [col('action', 'VARCHAR'), ...insights.map((n) => col(n, 'DOUBLE'))],
      [
        ['ACCEPT', 1, 2, 3, 4, 5],
        ['REJECT', 1, 1, 1, 2, 3],
      ],
    );
    assert.deepEqual(byAction.spec, { type: 'boxplot', x: 'action', y: insights });
    // Four of the five: no box.
    const partial = chooseChart(
      columns.slice(0, 5),
      rows.map((r) => r.slice(0, 5)),
    );
    assert.ok(!partial.options.some((o) => o.type === 'boxplot'));
    assert.equal(ChartSpec.safeParse({ type: 'boxplot', x: 't', y: names.slice(0, 4) }).success, false);
  });

  it('draws a wide transposed result (a column per source address) as stacked bars of its columns', () => {
    const addresses = Array.from({ length: 40 }, (_, i) => `203.0.113.${i}`);
    const columns = [col('_timeslice', 'TIMESTAMP'), ...addresses.map((a) => col(a, 'BIGINT'))];
    const rows = [['2026-03-04T23:59:00.000Z', ...addresses.map(() => null)]];
    const choice = chooseChart(columns, rows);
    assert.deepEqual(choice.spec, { type: 'bar', x: '_timeslice', pivoted: true });
    assert.equal(specFits(choice.spec, columns), true);
    assert.ok(
      choice.options.every((o) => ChartSpec.safeParse(o).success),
      'no option lists more measures than a spec holds',
    );
    const saved = { type: 'bar', x: '_timeslice', series: 'src_ip', y: 'REJECTS', pivoted: true } as const;
    assert.equal(ChartSpec.safeParse(saved).success, true);
    assert.equal(specFits(saved, columns), true, 'series and y name the columns and cells, not result columns');
    assert.equal(resolveChart(saved, columns, rows), saved);
    // A few columns (TCP, UDP, ICMP) stay lines of each.
    assert.equal(chooseChart(columns.slice(0, 4), [rows[0]!.slice(0, 4)]).spec.pivoted, undefined);
  });

  it('shows a single row of measures as big numbers', () => {
    const columns = [col('sources', 'BIGINT'), col('destinations', 'BIGINT')];
    assert.deepEqual(chooseChart(columns, [[12, 40]]).spec, { type: 'number', y: ['sources', 'destinations'] });
    assert.equal(
      chooseChart(columns, [
        [12, 40],
        [1, 2],
      ]).spec.type,
      'table',
    );
  });

  it('stacks areas when a key splits a time series', () => {
    const columns = [col('_timeslice', 'TIMESTAMP'), col('action', 'VARCHAR'), col('bytes', 'HUGEINT')];
    const rows = [
      ['2026-03-04T23:55:00.000000Z', 'ACCEPT', 1200],
      ['2026-03-04T23:55:00.000000Z', 'REJECT', 40],
      ['2026-03-05T00:00:00.000000Z', 'ACCEPT', 900],
    ];
    assert.deepEqual(chooseChart(columns, rows).spec, { type: 'area', x: '_timeslice', y: 'bytes', series: 'action' });
    // Buckets of 30 seconds are buckets too, and so is the one bucket of a short range.
    assert.equal(chooseChart(columns, [['2026-03-04T23:55:30Z', 'ACCEPT', 1]]).spec.type, 'area');
  });

  it('draws a top-N by one key as bars, and offers a pie when the slices are few', () => {
    const columns = [col('dstPort', 'INTEGER'), col('flows', 'BIGINT')];
    const rows = [
      [443, 10],
      [22, 5],
      [53, 2],
    ];
    const choice = chooseChart(columns, rows);
    assert.deepEqual(choice.spec, { type: 'bar', x: 'dstPort', y: 'flows' });
    assert.deepEqual(
      choice.options.map((o) => o.type),
      ['bar', 'pie', 'table'],
    );
  });

  it('offers no pie for many slices or negative values', () => {
    const columns = [col('srcAddr', 'VARCHAR'), col('n', 'DOUBLE')];
    const many = Array.from({ length: 20 }, (_, i) => [`10.0.0.${i}`, i]);
    assert.ok(!chooseChart(columns, many).options.some((o) => o.type === 'pie'));
    assert.ok(!chooseChart(columns, [['a', -1]]).options.some((o) => o.type === 'pie'));
  });

  it('draws source→destination pairs as a Sankey and two other keys as a heat map', () => {
    const flows = chooseChart([col('srcAddr', 'VARCHAR'), col('dstAddr', 'VARCHAR'), col('sum(bytes)', 'HUGEINT')], []);
    assert.deepEqual(flows.spec, { type: 'sankey', x: 'srcAddr', series: 'dstAddr', y: 'sum(bytes)' });
    const keys = chooseChart([col('action', 'VARCHAR'), col('protocol', 'SMALLINT'), col('count', 'BIGINT')], []);
    assert.equal(keys.spec.type, 'heatmap');
  });

  it('offers a chart of each measure where the first chart draws one of several, and names them', () => {
    // Two measures split by a key over time: every chart drew `records` only, and nothing said so.
    const columns = [
      col('bin(1h)', 'TIMESTAMP'),
      col('action', 'VARCHAR'),
      col('records', 'BIGINT'),
      col('bytes', 'BIGINT'),
    ];
    const choice = chooseChart(columns, [['2026-01-01T00:00:00Z', 'ACCEPT', 3, 900]]);
    assert.deepEqual(choice.measures, ['records', 'bytes']);
    assert.deepEqual(choice.spec, { type: 'area', x: 'bin(1h)', y: 'records', series: 'action' });
    assert.deepEqual(choice.options[1], { type: 'area', x: 'bin(1h)', y: 'bytes', series: 'action' });
    const byKey = chooseChart([col('srcAddr', 'VARCHAR'), col('records', 'BIGINT'), col('bytes', 'BIGINT')], []);
    assert.ok(byKey.options.some((o) => o.type === 'bar' && o.y === 'bytes'));
  });

  it('keeps a result without measures as a table', () => {
    assert.deepEqual(chooseChart([col('srcAddr', 'VARCHAR'), col('dstPort', 'INTEGER')], []).spec, { type: 'table' });
  });

  it('every choice is a valid saved-query chart spec', () => {
    const shapes = [
      [col('t', 'TIMESTAMP'), col('a', 'VARCHAR'), col('n', 'BIGINT'), col('m', 'DOUBLE')],
      [col('srcaddr', 'VARCHAR'), col('dstaddr', 'VARCHAR'), col('bytes', 'BIGINT')],
      [col('k', 'VARCHAR'), col('n', 'BIGINT'), col('m', 'BIGINT')],
    ];
    for (const columns of shapes)
      for (const spec of chooseChart(columns, [['x', 1, 2, 3]]).options) ChartSpec.parse(spec);
  });

  it('uses a saved chart only when its columns are in the result', () => {
    const columns = [col('dstPort', 'INTEGER'), col('flows', 'BIGINT')];
    const pie = { type: 'pie', x: 'dstPort', y: 'flows' } as const;
    assert.equal(specFits(pie, columns), true);
    assert.deepEqual(resolveChart(pie, columns, []), pie);
    assert.deepEqual(resolveChart({ type: 'pie', x: 'gone', y: 'flows' }, columns, []), {
      type: 'bar',
      x: 'dstPort',
      y: 'flows',
    });
  });
});

describe('chart choice for raw records', () => {
  it('shows raw records as a table first, with charts still on offer, and treats codes as keys, not measures', () => {
    const columns = [
      { name: '@timestamp', type: 'TIMESTAMP' },
      { name: 'version', type: 'SMALLINT' },
      { name: 'srcAddr', type: 'VARCHAR' },
      { name: 'dstAddr', type: 'VARCHAR' },
      { name: 'dstPort', type: 'INTEGER' },
      { name: 'bytes', type: 'BIGINT' },
    ];
    const choice = chooseChart(columns, []);
    assert.deepEqual(choice.spec, { type: 'table' });
    assert.ok(choice.options.some((o) => o.type === 'area' && o.y === 'bytes'));
  });

  it('shows a list of records with a time, a key and a measure as a table, not stacked areas', () => {
    // fields @timestamp, srcAddr, bytes | sort @timestamp desc | limit 5
    const columns = [col('@timestamp', 'TIMESTAMP'), col('srcAddr', 'VARCHAR'), col('bytes', 'BIGINT')];
    const rows = [
      ['2026-03-04T23:59:57.000000Z', '10.0.2.38', 144755],
      ['2026-03-04T23:59:51.000000Z', '10.0.1.52', 23994],
      ['2026-03-04T23:59:43.000000Z', '10.0.0.5', 12189],
      ['2026-03-04T23:59:40.000000Z', '10.0.0.5', 13050],
      ['2026-03-04T23:59:32.000000Z', '10.0.0.5', 19404],
    ];
    const choice = chooseChart(columns, rows);
    assert.deepEqual(choice.spec, { type: 'table' });
    assert.ok(
      choice.options.some((o) => o.type === 'area'),
      'charts stay on offer',
    );
    // Athena: SELECT srcaddr, dstaddr, from_unixtime(start) AS t, bytes … ORDER BY bytes DESC LIMIT 10
    const athena = chooseChart(
      [col('srcaddr', 'VARCHAR'), col('dstaddr', 'VARCHAR'), col('t', 'TIMESTAMP'), col('bytes', 'BIGINT')],
      [
        ['203.0.113.9', '10.0.1.12', '2026-03-04T22:14:05.000Z', 9000],
        ['198.51.100.7', '10.0.1.12', '2026-03-04T23:02:41.000Z', 8000],
      ],
    );
    assert.deepEqual(athena.spec, { type: 'table' });
  });

  it('shows a list of records as a table first when the compiler says it is one, whatever its columns look like', () => {
    // fields srcAddr, dstAddr, bytes | limit 5: two addresses and a number are a Sankey's shape.
    const columns = [col('srcAddr', 'VARCHAR'), col('dstAddr', 'VARCHAR'), col('bytes', 'BIGINT')];
    const rows = [
      ['10.0.0.5', '10.0.1.12', 4000],
      ['10.0.2.38', '10.0.0.5', 1200],
    ];
    assert.equal(chooseChart(columns, rows).spec.type, 'sankey', 'an aggregate of that shape is a Sankey');
    const records = chooseChart(columns, rows, true);
    assert.deepEqual(records.spec, { type: 'table' });
    assert.ok(
      records.options.some((o) => o.type === 'sankey'),
      'the chart stays on offer',
    );
    assert.deepEqual(chooseChart([col('bytes', 'BIGINT')], [[4000]], true).spec, { type: 'table' }, 'one record too');
  });

  it('shows one summary row with its first and last times as big numbers, not a bar on a time axis', () => {
    // stats count(*) as n, min(@timestamp) as lo, max(@timestamp) as hi
    const columns = [col('n', 'BIGINT'), col('lo', 'TIMESTAMP'), col('hi', 'TIMESTAMP')];
    const choice = chooseChart(columns, [[150000, '2026-03-03T00:00:03.000000Z', '2026-03-04T23:59:57.000000Z']]);
    assert.deepEqual(choice.spec, { type: 'number', y: 'n' });
  });
});
