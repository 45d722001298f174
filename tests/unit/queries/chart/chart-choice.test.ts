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
    assert.deepEqual(chooseChart(columns, []).spec, { type: 'area', x: '_timeslice', y: 'bytes', series: 'action' });
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
});
