import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseChart } from '../../../../queries/chart/chart-choice';
import { planChart } from '../../../../queries/chart/chart-data';
import { ChartSpec } from '../../../../queries/library/saved-query';
import { buildChartOption, CODE_PROPERTY, WORLD_MAP } from '../../../../renderer/src/lib/chart-option';
import { echarts } from '../../../../renderer/src/components/chart/echarts-setup';
import { col, testPalette } from '../../../support/chart-fixtures';

const palette = testPalette(1);

describe('the world map for results keyed by country', () => {
  it('a measure by ISO country code is drawn on the world map first, bars second', () => {
    const columns = [col('cc', 'VARCHAR'), col('b', 'HUGEINT')];
    const choice = chooseChart(columns, [
      ['US', 100],
      [null, 40],
      ['DE', 7],
    ]);
    assert.deepEqual(choice.spec, { type: 'map', x: 'cc', y: 'b' });
    assert.deepEqual(
      choice.options.map((o) => o.type),
      ['map', 'bar', 'table'],
    );
  });

  it('a column named like a country but holding other values is not a map', () => {
    const columns = [col('country_code', 'VARCHAR'), col('n', 'BIGINT')];
    assert.equal(chooseChart(columns, [['United States', 3]]).spec.type, 'bar');
  });

  it('a map spec needs the code and value columns', () => {
    assert.equal(ChartSpec.safeParse({ type: 'map', x: 'cc', y: 'b' }).success, true);
    assert.equal(ChartSpec.safeParse({ type: 'map', x: 'cc' }).success, false);
  });

  it('its data is one summed value per country, none left out, empty codes dropped', () => {
    const plan = planChart('r1', [col('cc', 'VARCHAR'), col('b', 'BIGINT')], { type: 'map', x: 'cc', y: 'b' }, 800)!;
    const data = plan.data({ xs: 240, series: 0, loMs: null, hiMs: null });
    assert.match(data.sql, /WHERE "cc" IS NOT NULL\) GROUP BY 1/);
    assert.deepEqual(data.reductions, []);
  });

  it('the option colours each country by its value on the bundled world map, matched by ISO code', () => {
    const option = buildChartOption({
      columns: [col('cc', 'VARCHAR'), col('b', 'BIGINT')],
      rows: [
        ['US', 100],
        ['DE', 7],
      ],
      spec: { type: 'map', x: 'cc', y: 'b' },
      palette,
    });
    const [series] = option.series as { type: string; map: string; nameProperty: string; data: unknown[] }[];
    assert.equal(series!.type, 'map');
    assert.equal(series!.map, WORLD_MAP);
    assert.equal(series!.nameProperty, CODE_PROPERTY);
    assert.deepEqual(series!.data, [
      { name: 'US', value: 100 },
      { name: 'DE', value: 7 },
    ]);
    assert.equal((option.visualMap as { max: number }).max, 100);
  });
});

describe('the bundled world map', () => {
  it("tags Natural Earth's countries with their ISO alpha-2 codes", async () => {
    const { worldGeoJson } = await import('../../../../renderer/src/components/chart/world-map');
    const map = worldGeoJson() as { features: { properties: Record<string, string> }[] };
    const codes = map.features.map((f) => f.properties[CODE_PROPERTY]);
    for (const code of ['US', 'DE', 'FR', 'BR', 'IN', 'CN', 'AU', 'ZA']) assert.ok(codes.includes(code), code);
    assert.ok(codes.filter((c) => c !== '').length >= 170, `${codes.filter((c) => c !== '').length} tagged`);
  });

  it('prints its colour scale and the values over it below the map, not over Antarctica', () => {
    const [width, height] = [560, 200];
    const option = buildChartOption({
      columns: [col('country_code', 'VARCHAR'), col('_count', 'BIGINT')],
      rows: [
        ['US', 24_266],
        ['DE', 500],
      ],
      spec: { type: 'map', x: 'country_code', y: '_count' },
      palette,
      size: { width, height },
    });
    const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
    chart.setOption({ ...option, animation: false });
    const svg = chart.renderToSVGString();
    chart.dispose();
    const mapBottom = height - (option.series as { bottom: number }[])[0]!.bottom;
    const values = [...svg.matchAll(/<text[^>]*y="([-\d.e]+)"[^>]*translate\([-\d.e]+ ([-\d.e]+)\)[^>]*>([^<]*)</g)];
    assert.deepEqual(
      values.map((m) => m[3]),
      ['0', '24,266'],
    );
    for (const [, y, dy, text] of values)
      assert.ok(
        Number(y) + Number(dy) - 6 >= mapBottom,
        `${text} at ${Number(y) + Number(dy)}, the map ends at ${mapBottom}`,
      );
  });
});
