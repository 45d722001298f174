import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_SERIES, OTHER } from '../../../../queries/chart/chart-data';
import { buildChartOption, PALETTES } from '../../../../renderer/src/lib/chart-option';

const col = (name: string, type: string) => ({ name, type });
type Series = {
  name: string;
  type: string;
  stack?: string;
  data: unknown[];
  links?: { source: string; target: string; value: number }[];
};
const seriesOf = (option: Record<string, unknown>) => option.series as Series[];

describe('chart options from a spec and a result', () => {
  it('puts every stacked series on the same time points, with zeros where one has none', () => {
    const columns = [col('t', 'TIMESTAMP'), col('action', 'VARCHAR'), col('n', 'BIGINT')];
    const rows = [
      ['2026-01-01T00:00:00Z', 'ACCEPT', 5],
      ['2026-01-01T00:05:00Z', 'ACCEPT', 7],
      ['2026-01-01T00:05:00Z', 'REJECT', 2],
    ];
    const option = buildChartOption({
      columns,
      rows,
      spec: { type: 'area', x: 't', y: 'n', series: 'action' },
      theme: 'light',
    });
    const [accept, reject] = seriesOf(option);
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    assert.deepEqual(accept!.data, [
      [t0, 5],
      [t0 + 300_000, 7],
    ]);
    assert.deepEqual(reject!.data, [
      [t0, 0],
      [t0 + 300_000, 2],
    ]);
    assert.equal(accept!.stack, 'total');
    assert.equal((option.xAxis as { type: string }).type, 'time');
    assert.ok(option.brush, 'a time series can be brushed');
  });

  it('folds series beyond the limit into Other', () => {
    const rows = Array.from({ length: MAX_SERIES + 5 }, (_, i) => ['2026-01-01T00:00:00Z', `k${i}`, i + 1]);
    const option = buildChartOption({
      columns: [col('t', 'TIMESTAMP'), col('k', 'VARCHAR'), col('n', 'BIGINT')],
      rows,
      spec: { type: 'line', x: 't', y: 'n', series: 'k' },
      theme: 'light',
    });
    const names = seriesOf(option).map((s) => s.name);
    assert.equal(names.length, MAX_SERIES + 1);
    assert.equal(names.at(-1), OTHER);
    assert.equal(names[0], `k${MAX_SERIES + 4}`, 'largest first');
  });

  it('draws a top-N as horizontal bars, largest first', () => {
    const option = buildChartOption({
      columns: [col('srcAddr', 'VARCHAR'), col('bytes', 'BIGINT')],
      rows: [
        ['a', 1],
        ['b', 9],
      ],
      spec: { type: 'bar', x: 'srcAddr', y: 'bytes' },
      theme: 'dark',
    });
    assert.deepEqual((option.yAxis as { data: string[] }).data, ['b', 'a']);
    assert.deepEqual(seriesOf(option)[0]!.data, [9, 1]);
    assert.equal(option.brush, undefined);
    assert.deepEqual(option.color, PALETTES.dark.colors);
  });

  it('keeps the two directions between two hosts apart in a Sankey, so it has no cycle', () => {
    const rows = [
      ['10.0.0.1', '10.0.0.2', 10],
      ['10.0.0.2', '10.0.0.1', 4],
    ];
    const option = buildChartOption({
      columns: [col('srcAddr', 'VARCHAR'), col('dstAddr', 'VARCHAR'), col('bytes', 'BIGINT')],
      rows,
      spec: { type: 'sankey', x: 'srcAddr', series: 'dstAddr', y: 'bytes' },
      theme: 'light',
    });
    const links = seriesOf(option)[0]!.links!;
    const sources = new Set(links.map((l) => l.source));
    assert.ok(links.every((l) => !sources.has(l.target)));
  });

  it('writes tooltips as plain text, with values formatted and markup left as text', () => {
    const option = buildChartOption({
      columns: [col('srcAddr', 'VARCHAR'), col('bytes', 'BIGINT')],
      rows: [['<img src=x>', 2048]],
      spec: { type: 'pie', x: 'srcAddr', y: 'bytes' },
      theme: 'light',
    });
    const tooltip = option.tooltip as { renderMode: string; formatter: (p: unknown) => string };
    assert.equal(tooltip.renderMode, 'richText');
    assert.equal(tooltip.formatter({ name: '<img src=x>', value: 2048, percent: 100 }), '<img src=x>: 2.00 KB (100%)');
  });

  it('sums a heat map by its two keys', () => {
    const rows = [
      ['ACCEPT', 6, 1],
      ['ACCEPT', 6, 2],
      ['REJECT', 17, 5],
    ];
    const option = buildChartOption({
      columns: [col('action', 'VARCHAR'), col('protocol', 'SMALLINT'), col('n', 'BIGINT')],
      rows,
      spec: { type: 'heatmap', x: 'action', series: 'protocol', y: 'n' },
      theme: 'light',
    });
    assert.deepEqual((option.xAxis as { data: string[] }).data, ['REJECT', 'ACCEPT'], 'largest total first');
    assert.deepEqual(seriesOf(option)[0]!.data, [
      [0, 0, 5],
      [1, 1, 3],
    ]);
  });
});
