import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_SERIES, OTHER } from '../../../../queries/chart/chart-data';
import { bigNumbers, buildChartOption, shareText, timeGaps } from '../../../../renderer/src/lib/chart-option';
import { LABEL_CHAR_PX } from '../../../../renderer/src/lib/short-labels';
import { echarts } from '../../../../renderer/src/components/chart/echarts-setup';
import { col, testPalette } from '../../../support/chart-fixtures';

const palette = testPalette(10);
type Series = {
  name: string;
  type: string;
  stack?: string;
  data: unknown[];
  links?: { source: string; target: string; value: number }[];
  itemStyle?: { color: string };
  yAxisIndex?: number;
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
      palette,
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
    assert.ok(accept!.stack && accept!.stack === reject!.stack, 'stacked together');
    assert.equal((option.xAxis as { type: string }).type, 'time');
    assert.ok(option.brush, 'a time series can be brushed');
  });

  it('breaks a line over time where its grid of bins has no row, rather than drawing a line across the hole', () => {
    // Five-minute bins with none from 00:10 to 02:00 (no records): the line stops at 00:05 and starts again at 02:00.
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    const at = (min: number) => new Date(t0 + min * 60_000).toISOString();
    const columns = [col('t', 'TIMESTAMP'), col('n', 'BIGINT')];
    const rows = [
      [at(0), 4],
      [at(5), 6],
      [at(120), 8],
      [at(125), 2],
    ];
    for (const type of ['line', 'area'] as const) {
      const [line] = seriesOf(buildChartOption({ columns, rows, spec: { type, x: 't', y: 'n' }, palette }));
      assert.deepEqual(line!.data, [
        [t0, 4],
        [t0 + 300_000, 6],
        [t0 + 600_000, null],
        [t0 + 7_200_000, 8],
        [t0 + 7_500_000, 2],
      ]);
    }
    // Bars leave the hole empty as they are; times on no grid (raw records) have no holes to find.
    const [bars] = seriesOf(buildChartOption({ columns, rows, spec: { type: 'bar', x: 't', y: 'n' }, palette }));
    assert.equal(bars!.data.length, 4);
    assert.deepEqual(timeGaps([0, 7, 10, 30]), []);
    assert.deepEqual(timeGaps([0, 5, 10, 30, 35]), [15]);
  });

  it('draws a series whose values are all NULL as gaps, never a line at 0, and says so in the legend', () => {
    // `stats sum(bytes) as bytes by bin(1h), action`: NODATA records group as "-" with no bytes.
    const columns = [col('t', 'TIMESTAMP'), col('action', 'VARCHAR'), col('bytes', 'HUGEINT')];
    const rows = [
      ['2026-01-01T00:00:00Z', 'ACCEPT', 5],
      ['2026-01-01T00:00:00Z', '-', null],
      ['2026-01-01T01:00:00Z', 'ACCEPT', 7],
      ['2026-01-01T01:00:00Z', '-', null],
    ];
    const option = buildChartOption({
      columns,
      rows,
      spec: { type: 'area', x: 't', y: 'bytes', series: 'action' },
      palette,
    });
    const dash = seriesOf(option).find((s) => s.name === '-')!;
    assert.deepEqual(
      dash.data.map((d) => (d as unknown[])[1]),
      [null, null],
    );
    const legend = option.legend as { formatter: (name: string) => string };
    assert.equal(legend.formatter('-'), '- (no values)');
    assert.equal(legend.formatter('ACCEPT'), 'ACCEPT');
    const tooltip = (option.tooltip as { formatter: (p: unknown) => string }).formatter([
      { seriesName: 'ACCEPT', seriesIndex: 0, name: '', value: [Date.parse('2026-01-01T00:00:00Z'), 5] },
      { seriesName: '-', seriesIndex: 1, name: '', value: [Date.parse('2026-01-01T00:00:00Z'), null] },
    ]);
    assert.match(tooltip, /\n- : –$|\n-: –$/);
  });

  it('draws a box plot as one box per time slice, its tooltip naming the five values', () => {
    const names = ['_min', '_Packets_pct_25', '_Packets_pct_50', '_Packets_pct_75', '_max'];
    const columns = [col('_timeslice', 'TIMESTAMP'), ...names.map((n) => col(n, 'DOUBLE'))];
    const rows = Array.from({ length: 1440 }, (_, i) => [
      new Date(Date.UTC(2026, 2, 4) + i * 60_000).toISOString(),
      1,
      2 + (i % 5),
      10,
      20,
      100 + i,
    ]);
    const option = buildChartOption({ columns, rows, spec: { type: 'boxplot', x: '_timeslice', y: names }, palette });
    const [box] = seriesOf(option);
    assert.equal(box!.type, 'boxplot');
    assert.equal(box!.data.length, 1440, 'every slice');
    assert.deepEqual(box!.data[3], [Date.UTC(2026, 2, 4) + 3 * 60_000, 1, 5, 10, 20, 103]);
    assert.equal((option.xAxis as { type: string }).type, 'time');
    assert.ok(!Array.isArray(option.yAxis), 'one value axis');
    const tooltip = (option.tooltip as { formatter: (p: unknown) => string }).formatter({
      dataIndex: 3,
      name: '',
      value: [],
    });
    assert.equal(
      tooltip,
      [
        '2026-03-04 00:03:00',
        'Maximum (_max): 103',
        '75th percentile (_Packets_pct_75): 20',
        'Median (_Packets_pct_50): 10',
        '25th percentile (_Packets_pct_25): 5',
        'Minimum (_min): 1',
      ].join('\n'),
    );
  });

  it('folds series beyond the limit into Other', () => {
    const rows = Array.from({ length: MAX_SERIES + 5 }, (_, i) => ['2026-01-01T00:00:00Z', `k${i}`, i + 1]);
    const option = buildChartOption({
      columns: [col('t', 'TIMESTAMP'), col('k', 'VARCHAR'), col('n', 'BIGINT')],
      rows,
      spec: { type: 'line', x: 't', y: 'n', series: 'k' },
      palette,
    });
    const names = seriesOf(option).map((s) => s.name);
    assert.equal(names.length, MAX_SERIES + 1);
    assert.equal(names.at(-1), OTHER);
    assert.equal(names[0], `k${MAX_SERIES + 4}`, 'largest first');
  });

  it('draws the top series the chart data kept, all named, beside the Other it already folded', () => {
    // chart-data's answer: MAX_SERIES named series and an Other that holds more than any of them.
    const rows = [
      ...Array.from({ length: MAX_SERIES }, (_, i) => ['2026-01-01T00:00:00Z', `k${i}`, i + 1]),
      ['2026-01-01T00:00:00Z', OTHER, 1000],
    ];
    const option = buildChartOption({
      columns: [col('t', 'TIMESTAMP'), col('k', 'VARCHAR'), col('n', 'BIGINT')],
      rows,
      spec: { type: 'area', x: 't', y: 'n', series: 'k' },
      palette,
    });
    const names = seriesOf(option).map((s) => s.name);
    assert.deepEqual(names, [...Array.from({ length: MAX_SERIES }, (_, i) => `k${MAX_SERIES - 1 - i}`), OTHER]);
    assert.deepEqual(seriesOf(option).at(-1)!.data, [[Date.parse('2026-01-01T00:00:00Z'), 1000]]);
  });

  it('draws a top-N as horizontal bars, largest first', () => {
    const option = buildChartOption({
      columns: [col('srcAddr', 'VARCHAR'), col('bytes', 'BIGINT')],
      rows: [
        ['a', 1],
        ['b', 9],
      ],
      spec: { type: 'bar', x: 'srcAddr', y: 'bytes' },
      palette,
    });
    assert.deepEqual((option.yAxis as { data: string[] }).data, ['b', 'a']);
    assert.deepEqual(seriesOf(option)[0]!.data, [9, 1]);
    assert.equal(option.brush, undefined);
    assert.deepEqual(option.color, ['#c1']);
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
      palette,
    });
    const links = seriesOf(option)[0]!.links!;
    const sources = new Set(links.map((l) => l.source));
    assert.ok(links.every((l) => !sources.has(l.target)));
  });

  it("labels a Sankey's nodes where they have room: beside one flow a thousand times the others, only that one", () => {
    const rows: (string | number)[][] = [['10.0.3.45', '203.0.113.50', 70_000_000_000]];
    for (let i = 1; i <= 9; i++) rows.push([`10.0.2.${i}`, `10.0.1.${i}`, 80_000_000]);
    const input = {
      columns: [col('srcAddr', 'VARCHAR'), col('dstAddr', 'VARCHAR'), col('bytes', 'BIGINT')],
      rows,
      spec: { type: 'sankey', x: 'srcAddr', series: 'dstAddr', y: 'bytes' } as const,
      palette,
    };
    type Node = { name: string; label?: { show: boolean } };
    const shown = (size?: { width: number; height: number }) =>
      (seriesOf(buildChartOption({ ...input, ...(size ? { size } : {}) }))[0]!.data as Node[])
        .filter((n) => n.label?.show !== false)
        .map((n) => n.name);
    // Every node is drawn; the tiny ones keep their tooltip and lose a label that would overlap its neighbour's.
    assert.equal((seriesOf(buildChartOption(input))[0]!.data as Node[]).length, 20);
    assert.deepEqual(shown({ width: 1200, height: 260 }), ['10.0.3.45 ›', '› 203.0.113.50']);
    assert.equal(shown().length, 20, 'with the height unknown, every node keeps its label');
    // Flows of one size: every node has room for its label.
    const even = { ...input, rows: rows.slice(1) };
    const evenNodes = seriesOf(buildChartOption({ ...even, size: { width: 1200, height: 260 } }))[0]!.data as Node[];
    assert.ok(evenNodes.every((n) => n.label?.show === true));
  });

  it('writes tooltips as plain text, with values formatted and markup left as text', () => {
    const option = buildChartOption({
      columns: [col('srcAddr', 'VARCHAR'), col('bytes', 'BIGINT')],
      rows: [['<img src=x>', 2048]],
      spec: { type: 'pie', x: 'srcAddr', y: 'bytes' },
      palette,
    });
    const tooltip = option.tooltip as { renderMode: string; formatter: (p: unknown) => string };
    assert.equal(tooltip.renderMode, 'richText');
    assert.equal(tooltip.formatter({ name: '<img src=x>', value: 2048, percent: 100 }), '<img src=x>: 2.05 kB (100%)');
  });

  it('lays bars down where each label has a line, and stands them up in a short chart', () => {
    const columns = [col('dstPort', 'INTEGER'), col('flows', 'BIGINT')];
    const rows = Array.from({ length: 10 }, (_, i) => [1000 + i, 100 - i]);
    const spec = { type: 'bar', x: 'dstPort', y: 'flows' } as const;
    const tall = buildChartOption({ columns, rows, spec, palette, size: { width: 900, height: 260 } });
    assert.equal((tall.yAxis as { type: string }).type, 'category', 'ten bars in 260 px lie down');
    const short = buildChartOption({ columns, rows, spec, palette, size: { width: 900, height: 120 } });
    const axis = short.xAxis as { type: string; axisLabel: { width: number; interval: number } };
    assert.equal(axis.type, 'category', 'ten bars in 120 px stand up');
    assert.equal(axis.axisLabel.interval, 0, 'every label shown');
    assert.ok(axis.axisLabel.width <= 90 - 8 + 1, 'each label as wide as its bar');
    // Under a standing bar the port stays whole: its service name has a line of its own.
    const label = (axis as unknown as { axisLabel: { formatter: (v: string) => string } }).axisLabel.formatter;
    assert.equal(label('1001'), '1001\nwebpush');
    assert.equal(label('1009'), '1009');
    // Two lines hang below the axis from their top (centred, the first sat on the axis line), and labels
    // already cut to their bar's width are all kept (hiding "overlaps" dropped every other one).
    const twoLines = axis.axisLabel as unknown as { verticalAlign: string; lineHeight: number; hideOverlap: boolean };
    assert.deepEqual([twoLines.verticalAlign, twoLines.hideOverlap], ['top', false]);
    assert.ok(twoLines.lineHeight > 0);
    assert.equal((buildChartOption({ columns, rows, spec, palette }).yAxis as { type: string }).type, 'category');
  });

  it('labels twenty IPv6 addresses of one /64 by their ends, all different, whole in the tooltip', () => {
    const columns = [col('srcaddr', 'VARCHAR'), col('n', 'BIGINT')];
    const address = (i: number) => `2600:1f18:4e2a:9b00:1234:5678:9abc:${i}`;
    const rows = Array.from({ length: 20 }, (_, i) => [address(i), 100 + i]);
    const spec = { type: 'bar', x: 'srcaddr', y: 'n' } as const;
    type Axis = { type: string; data: string[]; axisLabel: { formatter: (v: string) => string; width: number } };
    // Standing bars in the workbench at 1440x900, and lying bars on a dashboard panel (160 px of label).
    for (const size of [
      { width: 1090, height: 190 },
      { width: 600, height: 420 },
    ]) {
      const option = buildChartOption({ columns, rows, spec, palette, size });
      const axis = [option.xAxis, option.yAxis].find((a) => (a as Axis).type === 'category') as Axis;
      const shown = axis.data.map((x) => axis.axisLabel.formatter(x));
      assert.equal(new Set(shown).size, 20, `twenty different labels at ${size.width}x${size.height}: ${shown}`);
      for (const [i, label] of shown.entries()) {
        // What does not fit the label's width, ECharts cuts at the end: each label must fit as it is.
        assert.ok(label.length * LABEL_CHAR_PX <= axis.axisLabel.width, `${label} fits ${axis.axisLabel.width} px`);
        assert.ok(label.startsWith('2600'), label);
        assert.ok(label.endsWith(`:${axis.data[i]!.split(':').at(-1)}`), `${label} ends as ${axis.data[i]}`);
      }
      const tooltip = option.tooltip as { formatter: (p: unknown) => string };
      assert.ok(tooltip.formatter([{ name: address(7), axisValue: address(7), value: 107 }]).startsWith(address(7)));
    }
  });

  it('keeps the labels of a short chart flat, all different and each within its bar, so the bars keep their height', () => {
    const columns = [col('srcaddr', 'VARCHAR'), col('n', 'BIGINT')];
    const rows = Array.from({ length: 20 }, (_, i) => [`2600:1f18:4e2a:9b00:1234:5678:9abc:${i}`, 100 + i]);
    type Axis = { data: string[]; axisLabel: { formatter: (v: string) => string; width: number; rotate?: number } };
    const spec = { type: 'bar', x: 'srcaddr', y: 'n' } as const;
    // The workbench's chart at 1280x720.
    const option = buildChartOption({ columns, rows, spec, palette, size: { width: 900, height: 155 } });
    const axis = option.xAxis as Axis;
    assert.equal(axis.axisLabel.rotate, undefined);
    const shown = axis.data.map((x) => axis.axisLabel.formatter(x));
    assert.equal(new Set(shown).size, 20, shown.join(' '));
    for (const label of shown) assert.ok(label.length * LABEL_CHAR_PX <= axis.axisLabel.width, label);
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
      palette,
    });
    assert.deepEqual((option.xAxis as { data: string[] }).data, ['REJECT', 'ACCEPT'], 'largest total first');
    assert.deepEqual(seriesOf(option)[0]!.data, [
      { value: [0, 0, 5], keys: ['REJECT', '17'] },
      { value: [1, 1, 3], keys: ['ACCEPT', '6'] },
    ]);
  });

  it("labels as many of a heat map's rows as have room, and says which are labelled", () => {
    // stats count(*) as n by srcAddr, dstPort: 25 rows of ports in a chart 260 pixels high (1280×720).
    const rows = Array.from({ length: 25 }, (_, i) => ['10.0.0.5', 1000 + i, 25 - i]);
    const heat = (height: number) =>
      buildChartOption({
        columns: [col('srcAddr', 'VARCHAR'), col('dstPort', 'INTEGER'), col('n', 'BIGINT')],
        rows,
        spec: { type: 'heatmap', x: 'srcAddr', series: 'dstPort', y: 'n' },
        palette,
        size: { width: 1000, height },
      }).yAxis as { name?: string; axisLabel: { interval: number } };
    const short = heat(260);
    assert.ok(short.axisLabel.interval >= 2, `every ${short.axisLabel.interval + 1}th label: they overlapped`);
    assert.equal(short.name, `1 row in ${short.axisLabel.interval + 1} labelled: hover a cell for its row`);
    const tall = heat(600);
    assert.equal(tall.axisLabel.interval, 0, 'room for every label');
    assert.equal(tall.name, undefined);
  });

  it('draws ACCEPT and REJECT in their own colours in every kind of chart, and Other in grey', () => {
    const columns = [col('t', 'TIMESTAMP'), col('action', 'VARCHAR'), col('n', 'BIGINT')];
    const rows = [
      ['2026-01-01T00:00:00Z', 'REJECT', 2],
      ['2026-01-01T00:00:00Z', 'ACCEPT', 5],
      ['2026-01-01T00:00:00Z', 'Other', 1],
    ];
    const areas = seriesOf(
      buildChartOption({ columns, rows, spec: { type: 'area', x: 't', y: 'n', series: 'action' }, palette }),
    );
    const colorOf = (name: string) => areas.find((s) => s.name === name)!.itemStyle!.color;
    assert.deepEqual([colorOf('ACCEPT'), colorOf('REJECT'), colorOf('Other')], ['#accept', '#reject', '#other']);
    const pie = seriesOf(
      buildChartOption({
        columns: columns.slice(1),
        rows: rows.map((r) => r.slice(1)),
        spec: { type: 'pie', x: 'action', y: 'n' },
        palette,
      }),
    )[0]!.data as { name: string; itemStyle: { color: string } }[];
    assert.deepEqual(
      pie.map((d) => [d.name, d.itemStyle.color]),
      [
        ['REJECT', '#reject'],
        ['ACCEPT', '#accept'],
        ['Other', '#other'],
      ],
    );
  });

  it('names a pie slice with its share, a small one as "<1%" rather than "0%"', () => {
    const option = buildChartOption({
      columns: [col('logStatus', 'VARCHAR'), col('n', 'BIGINT')],
      rows: [
        ['OK', 149_780],
        ['SKIPDATA', 220],
      ],
      spec: { type: 'pie', x: 'logStatus', y: 'n' },
      palette,
    });
    const legend = option.legend as { formatter: (name: string) => string };
    assert.deepEqual([legend.formatter('OK'), legend.formatter('SKIPDATA')], ['OK >99%', 'SKIPDATA <1%']);
    assert.deepEqual([shareText(0), shareText(0.5), shareText(1)], ['0%', '50%', '100%']);
  });

  it('shows no shares on a pie of a measure that does not add up (averages are no parts of a whole)', () => {
    const rows = [
      ['x', 30],
      ['y', 10],
    ];
    const pie = (addsUp?: false) =>
      buildChartOption({
        columns: [col('k', 'VARCHAR'), { ...col('a', 'DOUBLE'), ...(addsUp === false ? { addsUp } : {}) }],
        rows,
        spec: { type: 'pie', x: 'k', y: 'a' },
        palette,
      });
    const texts = (option: Record<string, unknown>) => {
      const legend = option.legend as { formatter: (name: string) => string };
      const tooltip = option.tooltip as { formatter: (p: { name: string; value: number }) => string };
      return [legend.formatter('x'), tooltip.formatter({ name: 'x', value: 30 })];
    };
    assert.deepEqual(texts(pie(false)), ['x', 'x: 30']);
    assert.deepEqual(texts(pie()), ['x 75%', 'x: 30 (75%)']);
  });

  it('puts a measure orders of magnitude smaller on a second axis, each axis in its own unit', () => {
    const option = buildChartOption({
      columns: [
        col('t', 'TIMESTAMP'),
        { name: 'total', type: 'DOUBLE', kind: 'bytes' as const },
        col('flows', 'BIGINT'),
      ],
      rows: [
        ['2026-01-01T00:00:00Z', 5e9, 300],
        ['2026-01-01T01:00:00Z', 7e9, 420],
      ],
      spec: { type: 'line', x: 't', y: ['total', 'flows'] },
      palette,
    });
    const axes = option.yAxis as { axisLabel: { formatter: (v: number) => string } }[];
    assert.equal(axes.length, 2);
    assert.equal(axes[0]!.axisLabel.formatter(5e9), '5.00 GB');
    assert.equal(axes[1]!.axisLabel.formatter(1200), '1,200');
    assert.deepEqual(
      seriesOf(option).map((s) => s.yAxisIndex),
      [0, 1],
    );
  });

  it('tooltips follow the whole axis: every series at the pointed time, formatted', () => {
    const option = buildChartOption({
      columns: [col('t', 'TIMESTAMP'), col('action', 'VARCHAR'), col('bytes', 'BIGINT')],
      rows: [['2026-01-01T00:00:00Z', 'ACCEPT', 2000]],
      spec: { type: 'bar', x: 't', y: 'bytes', series: 'action' },
      palette,
    });
    const tooltip = option.tooltip as { trigger: string; formatter: (p: unknown) => string };
    assert.equal(tooltip.trigger, 'axis');
    const t = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(
      tooltip.formatter([
        { seriesName: 'ACCEPT', seriesIndex: 0, name: '', value: [t, 2000] },
        { seriesName: 'REJECT', seriesIndex: 1, name: '', value: [t, 1500000] },
      ]),
      '2026-01-01 00:00:00\nACCEPT: 2.00 kB\nREJECT: 1.50 MB',
    );
  });

  it('names ports with their service on a category axis ("22 ssh")', () => {
    const option = buildChartOption({
      columns: [col('dstPort', 'VARCHAR'), col('flows', 'BIGINT')],
      rows: [['22', 9]],
      spec: { type: 'bar', x: 'dstPort', y: 'flows' },
      palette,
    });
    const axis = option.yAxis as { axisLabel: { formatter: (v: string) => string } };
    assert.equal(axis.axisLabel.formatter('22'), '22 ssh');
  });

  it('shows a single row of measures as big numbers in their units', () => {
    const numbers = bigNumbers(
      [col('sources', 'BIGINT'), { name: 'b', type: 'HUGEINT', kind: 'bytes' as const }],
      [[12345, 3_400_000]],
      { type: 'number', y: ['sources', 'b'] },
      'utc',
    );
    assert.deepEqual(numbers, [
      { label: 'sources', text: '12,345' },
      { label: 'b', text: '3.40 MB' },
    ]);
  });

  it('shows a big number DuckDB sent as digits exactly, not as the double nearest to it', () => {
    const numbers = bigNumbers(
      [col('h', 'HUGEINT'), col('d', 'DECIMAL(38,2)')],
      [['9007199254740993', '12345678901234567.89']],
      { type: 'number', y: ['h', 'd'] },
      'utc',
    );
    assert.deepEqual(
      numbers.map((n) => n.text),
      ['9,007,199,254,740,993', '12,345,678,901,234,567.89'],
    );
  });
});

describe('a chart says where its times are and has room for its values', () => {
  const columns = [col('t', 'TIMESTAMP'), col('n', 'BIGINT')];
  const rows = [
    ['2026-01-01T00:00:00Z', 5_000],
    ['2026-01-01T00:05:00Z', 70_000],
  ];
  const spec = { type: 'bar', x: 't', y: 'n' } as const;
  type Axis = { name?: string; splitNumber?: number };

  it('names the zone of a time axis, UTC or this machine’s, inside the chart', () => {
    const utc = buildChartOption({ columns, rows, spec, palette, zone: 'utc' });
    assert.equal((utc.xAxis as Axis).name, 'Time (UTC)');
    assert.equal((utc.grid as { outerBoundsContain?: string }).outerBoundsContain, 'all');
    const local = buildChartOption({ columns, rows, spec, palette, zone: 'local' });
    assert.equal((local.xAxis as Axis).name, `Time (${Intl.DateTimeFormat().resolvedOptions().timeZone})`);
    // The records strip says it in its caption instead: no room under its bars.
    assert.equal((buildChartOption({ columns, rows, spec, palette, compact: true }).xAxis as Axis).name, undefined);
  });

  it('dates a time axis where the day changes, in a chart 300 to 1,400 pixels wide', () => {
    // Three days by the hour, a spike on the third (the probe's "Traffic over time" in a half-width panel),
    // drawn by the app's own ECharts build, whose narrow charts kept "12:00 06:00 18:00" and hid the dates.
    const start = Date.UTC(2026, 2, 2);
    const days = Array.from({ length: 72 }, (_, i) =>
      ['ACCEPT', 'REJECT'].map((action) => [
        new Date(start + i * 3_600_000).toISOString(),
        action,
        i === 56 && action === 'ACCEPT' ? 70e9 : 60e6,
      ]),
    ).flat();
    for (const width of [300, 400, 500, 1000, 1400]) {
      const height = 220;
      const option = buildChartOption({
        columns: [col('t', 'TIMESTAMP'), col('action', 'VARCHAR'), col('bytes', 'BIGINT')],
        rows: days,
        spec: { type: 'area', x: 't', y: 'bytes', series: 'action' },
        palette,
        size: { width, height },
      });
      const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
      chart.setOption({ ...option, animation: false });
      const labels = [...chart.renderToSVGString().matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
      chart.dispose();
      for (const day of ['Mar 3', 'Mar 4'])
        assert.ok(labels.includes(day), `${width} px: ${day} in ${labels.join(' ')}`);
    }
  });

  it('asks a short value axis for fewer values than a tall one', () => {
    const ticks = (height: number) =>
      (buildChartOption({ columns, rows, spec, palette, size: { width: 900, height } }).yAxis as Axis).splitNumber;
    assert.equal(ticks(130), 2);
    assert.equal(ticks(200), 3);
    assert.equal(ticks(400), 5);
  });
});
