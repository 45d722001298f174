import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseChart } from '../../../../queries/chart/chart-choice';
import { compileQuery } from '../../../../queries/language';
import { buildChartOption, seriesSummary } from '../../../../renderer/src/lib/chart-option';
import { col, testPalette } from '../../../support/chart-fixtures';

const palette = testPalette(2);
type Series = {
  name: string;
  type: string;
  stack?: string;
  data: [number, number | null][];
  lineStyle?: { type?: string };
};
const t = (minute: number) => Date.parse('2026-03-02T00:00:00Z') + minute * 60_000;
const at = (minute: number) => new Date(t(minute)).toISOString();

describe("Sumo's outlier drawn as a band with the outliers marked", () => {
  // The columns Sumo's outlier gives (the compiler's, so that the chart is drawn for what a query answers).
  const columns = compileQuery('_sourceCategory=vpc | timeslice 1m | count by _timeslice | outlier _count', {
    dialect: 'sumo',
  }).columns!.map((n, i) => col(n, i === 0 ? 'TIMESTAMP' : 'DOUBLE'));
  // time, value, error, lower, upper, indicator, violation
  const rows = [
    [at(0), 10, null, null, null, 0, 0],
    [at(1), 12, 2, null, null, 0, 0],
    [at(2), 11, 0, 8, 14, 0, 0],
    [at(3), 30, 19, -2, 20, 1, 1],
    [at(4), 12, 1, 5, 17, 0, 0],
  ];

  it('is the chart chosen for an outlier result: the measure, its edges and the indicator', () => {
    assert.deepEqual(chooseChart(columns, rows).spec, {
      type: 'line',
      x: '_timeslice',
      y: ['_count', '_count_lower', '_count_upper', '_count_indicator'],
    });
  });

  it('stacks the band on its lower edge, draws every point and marks each outlier', () => {
    const spec = chooseChart(columns, rows).spec;
    const option = buildChartOption({ columns, rows, spec, palette });
    const [lower, band, value, outliers] = option.series as Series[];
    assert.equal(lower!.stack, 'band');
    assert.equal(band!.stack, 'band');
    // The band's height is upper − lower where both are known; none before (the window is still filling).
    assert.deepEqual(band!.data, [
      [t(0), null],
      [t(1), null],
      [t(2), 6],
      [t(3), 22],
      [t(4), 12],
    ]);
    assert.deepEqual(
      lower!.data.map((d) => d[1]),
      [null, null, 8, -2, 5],
    );
    assert.deepEqual(value!.data, [
      [t(0), 10],
      [t(1), 12],
      [t(2), 11],
      [t(3), 30],
      [t(4), 12],
    ]);
    assert.equal(outliers!.type, 'scatter');
    assert.deepEqual(outliers!.data, [[t(3), 30]]);
    assert.deepEqual((option.legend as { data: unknown[] }).data, [
      '_count',
      { name: 'expected range', icon: 'roundRect' },
      'outliers',
    ]);
    // The measures share one axis (the indicator's 0 and 1 would otherwise get a second one).
    assert.equal(Array.isArray(option.yAxis), false);
    // Counts are never below 0: the axis starts there, though the band's lower edge reaches -2.
    assert.equal((option.yAxis as { min?: number }).min, 0);
    assert.deepEqual(
      seriesSummary(option).map((s) => [s.name, s.points, s.area ?? false]),
      [
        ['_count_lower', 3, false],
        ['expected range', 3, true],
        ['_count', 5, false],
        ['outliers', 1, false],
      ],
    );
  });
});

describe("Sumo's predict drawn with its forecast going on dashed", () => {
  const columns = [
    col('_timeslice', 'TIMESTAMP'),
    col('_count', 'BIGINT'),
    col('_count_predicted', 'DOUBLE'),
    col('_count_error', 'DOUBLE'),
  ];
  const rows = [
    [at(0), 2, 2, 0],
    [at(1), 4, 4, 0],
    [at(2), 6, 6, 0],
    [at(3), null, 8, null],
    [at(4), null, 10, null],
  ];

  it('draws the observed part solid, the fit dotted and the forecast dashed from the last observed point', () => {
    const spec = chooseChart(columns, rows).spec;
    assert.deepEqual(spec, { type: 'line', x: '_timeslice', y: ['_count', '_count_predicted'] });
    const option = buildChartOption({ columns, rows, spec, palette });
    const [observed, fitted, forecast] = option.series as Series[];
    assert.deepEqual(observed!.data, [
      [t(0), 2],
      [t(1), 4],
      [t(2), 6],
    ]);
    assert.equal(observed!.lineStyle?.type, undefined);
    assert.equal(fitted!.lineStyle?.type, 'dotted');
    assert.deepEqual(forecast!.data, [
      [t(2), 6],
      [t(3), 8],
      [t(4), 10],
    ]);
    assert.equal(forecast!.lineStyle?.type, 'dashed');
    assert.equal(forecast!.name, 'forecast');
  });
});
