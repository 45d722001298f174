import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OTHER } from '../../../../queries/chart/chart-data';
import { buildChartOption } from '../../../../renderer/src/lib/chart-option';
import { chartPick } from '../../../../renderer/src/lib/chart-pick';
import { rawRecordsQuery } from '../../../../renderer/src/lib/drill-down';
import { col, testPalette } from '../../../support/chart-fixtures';

const palette = testPalette(2);
type Item = { name?: string; keys?: string[]; side?: string; value?: unknown; source?: string; target?: string };

describe('a click on a chart picks the group behind it', () => {
  it('a bar of a top-N is its key, read back as the column holds it (a port is a number)', () => {
    const columns = [col('dstPort', 'INTEGER'), col('flows', 'BIGINT')];
    const pick = chartPick(columns, { type: 'bar', x: 'dstPort', y: 'flows' }, { name: '22', seriesName: 'flows' });
    assert.deepEqual(pick, { columns: [columns[0]], row: [22] });
    const raw = rawRecordsQuery('stats count(*) as flows by dstPort', 'insights', pick!.columns, pick!.row);
    assert.equal(raw!.query, 'filter dstPort = 22\n| sort @timestamp desc');
  });

  it('"Other" is many keys and no pick; "(none)" is a null key', () => {
    const columns = [col('srcAddr', 'VARCHAR'), col('n', 'BIGINT')];
    assert.equal(chartPick(columns, { type: 'pie', x: 'srcAddr', y: 'n' }, { name: OTHER }), null);
    assert.deepEqual(chartPick(columns, { type: 'pie', x: 'srcAddr', y: 'n' }, { name: '(none)' })!.row, [null]);
  });

  it('a stacked bar is its category and its series', () => {
    const columns = [col('srcAddr', 'VARCHAR'), col('action', 'VARCHAR'), col('n', 'BIGINT')];
    const pick = chartPick(
      columns,
      { type: 'bar', x: 'srcAddr', series: 'action', y: 'n' },
      { name: '10.0.0.5', seriesName: 'REJECT' },
    );
    assert.deepEqual(pick!.row, ['10.0.0.5', 'REJECT']);
  });

  it('a point of a time series is its bucket, as wide as the engine drew it or as its bin() says', () => {
    const columns = [col('bin(5m)', 'TIMESTAMP'), col('action', 'VARCHAR'), col('n', 'BIGINT')];
    const spec = { type: 'bar', x: 'bin(5m)', series: 'action', y: 'n' } as const;
    const at = Date.parse('2026-03-02T10:00:00Z');
    const click = { value: [at, 7], seriesName: 'REJECT' };
    const own = chartPick(columns, spec, click)!;
    assert.equal(own.bucketMs, 300_000);
    const raw = rawRecordsQuery(
      'stats count(*) as n by bin(5m), action',
      'insights',
      own.columns,
      own.row,
      own.bucketMs,
    );
    assert.deepEqual(raw, {
      query: 'filter action = "REJECT"\n| sort @timestamp desc',
      timeRange: { from: '2026-03-02T10:00:00.000Z', to: '2026-03-02T10:05:00.000Z' },
    });
    assert.equal(
      chartPick(columns, spec, click, [{ kind: 'rebinned', points: 72, bucketMs: 3_600_000 }])!.bucketMs,
      3_600_000,
      're-binned by the engine',
    );
    const named = [col('hour', 'TIMESTAMP'), col('n', 'BIGINT')];
    assert.equal(chartPick(named, { type: 'bar', x: 'hour', y: 'n' }, { value: [at, 1] }), null, 'width unknown');
  });

  it('a Sankey link is its source and destination, a node one end, as drawn by the chart option', () => {
    const columns = [col('srcAddr', 'VARCHAR'), col('dstPort', 'INTEGER'), col('n', 'BIGINT')];
    const spec = { type: 'sankey', x: 'srcAddr', series: 'dstPort', y: 'n' } as const;
    const option = buildChartOption({ columns, rows: [['203.0.113.9', 22, 40]], spec, palette });
    const [series] = option.series as { links: Item[]; data: Item[] }[];
    const link = series!.links[0]!;
    assert.notEqual(link.target, '22', 'the drawn label is formatted');
    assert.deepEqual(chartPick(columns, spec, { dataType: 'edge', data: link })!.row, ['203.0.113.9', 22]);
    const target = series!.data.find((n) => n.side === 'target')!;
    const pick = chartPick(columns, spec, { dataType: 'node', data: target })!;
    assert.deepEqual([pick.columns[0]!.name, pick.row], ['dstPort', [22]]);
  });

  it('a heat-map cell is its two keys', () => {
    const columns = [col('action', 'VARCHAR'), col('protocol', 'SMALLINT'), col('n', 'BIGINT')];
    const spec = { type: 'heatmap', x: 'action', series: 'protocol', y: 'n' } as const;
    const option = buildChartOption({ columns, rows: [['REJECT', 6, 3]], spec, palette });
    const [series] = option.series as { data: Item[] }[];
    assert.deepEqual(chartPick(columns, spec, { data: series!.data[0] })!.row, ['REJECT', 6]);
  });
});
