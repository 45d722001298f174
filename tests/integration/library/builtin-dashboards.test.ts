import { outlierColumns } from '../../../queries/chart/series-overlays';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { schemaPath, schemaText } from '../../../build/library/document-schemas';
import { Engine } from '../../../main/engine';
import { writeFlowLogFile } from '../../../main/engine/ingest/generator';
import { BUILTIN_DASHBOARDS_DIR } from '../../../main/engine/library';
import { PANEL_PAGE_SIZE } from '../../../preload/contract';
import { isTimeSeries } from '../../../queries/chart/chart-choice';
import { panelChartWidth } from '../../../queries/chart/chart-data';
import { Dashboard } from '../../../queries/library/dashboard';

let dir: string;
let engine: Engine;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowscope-builtin-dash-'));
  engine = await Engine.open({ workspace: join(dir, 'w.duckdb'), create: true, libraryDir: join(dir, 'library') });
  const file = join(dir, 'flows.log');
  await writeFlowLogFile(file, { records: 20_000, seed: 7 });
  const { jobId } = await engine.ingestFiles({ files: [engine.files.register(file)] });
  const job = await engine.jobWait({ jobId });
  assert.equal(job.state, 'done', job.error);
});

after(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the committed flowdash JSON Schema is the one generated from the zod schema', () => {
  assert.equal(readFileSync(schemaPath('flowdash'), 'utf8'), schemaText('flowdash'), 'run npm run gen:library-schemas');
});

test('every built-in dashboard file is valid by the JSON Schema and by the engine’s own schema', () => {
  const validate = new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse(schemaText('flowdash')));
  const files = readdirSync(BUILTIN_DASHBOARDS_DIR).filter((f) => f.endsWith('.flowdash.json'));
  assert.deepEqual(files.sort(), [
    'accepts-and-rejects.flowdash.json',
    'activity.flowdash.json',
    'interactive-traffic.flowdash.json',
    'overview.flowdash.json',
    'rejections.flowdash.json',
    'traffic.flowdash.json',
  ]);
  for (const f of files) {
    const doc = JSON.parse(readFileSync(join(BUILTIN_DASHBOARDS_DIR, f), 'utf8'));
    assert.ok(validate(doc), `${f}: ${JSON.stringify(validate.errors)}`);
    assert.ok(Dashboard.safeParse(doc).success, f);
  }
});

test('the JSON Schema refuses what the engine refuses: unknown keys and raw chart options', () => {
  const validate = new Ajv2020({ strict: false }).compile(JSON.parse(schemaText('flowdash')));
  const panel = { id: 'a', title: 'x', query: { ref: 'builtin:top-talkers' }, layout: { x: 0, y: 0, w: 6, h: 4 } };
  assert.equal(validate({ version: 1, name: 'ok', panels: [panel] }), true);
  assert.equal(
    validate({ version: 1, name: 'x', panels: [{ ...panel, chart: { type: 'bar', x: 'a', y: 'b', option: {} } }] }),
    false,
  );
  assert.equal(validate({ version: 1, name: 'x', panels: [], script: 'alert(1)' }), false);
  assert.equal(validate({ version: 2, name: 'x', panels: [] }), false);
});

test('every panel of every built-in dashboard finds its query and runs on generated flow logs', async () => {
  const { entries } = await engine.dashboardList();
  const builtins = entries.filter((e) => e.origin === 'builtin');
  assert.equal(builtins.length, 6);
  for (const entry of builtins) {
    const item = await engine.dashboardGet({ id: entry.id });
    assert.ok(item.trusted, 'built-in dashboards run without asking');
    const answers = await Promise.all(
      item.panels.map(async (p) => {
        assert.equal(p.error, null, `${entry.id} ${p.id}: ${p.error}`);
        assert.ok(p.chart, `${entry.id} ${p.id} has a chart`);
        return engine.dashboardRunPanel({ query: p.query!.query, dialect: p.query!.dialect, pageSize: 2000 });
      }),
    );
    answers.forEach((a, i) => {
      const panel = item.panels[i]!;
      assert.ok(a.rowCount > 0, `${entry.id} ${panel.id} (${panel.title}) has rows`);
      const names = new Set(a.columns.map((c) => c.name));
      const chart = panel.chart!;
      // A pivoted chart's series and y name the transpose's fields, whose values are the result's columns.
      const named = chart.pivoted
        ? [chart.x]
        : [chart.x, ...(Array.isArray(chart.y) ? chart.y : [chart.y]), chart.series];
      if (chart.pivoted) assert.ok(a.columns.length > 1, `${entry.id} ${panel.id}: a column per series`);
      // Sumo's outlier result draws as its band clipped at 0 under the series, outliers marked: the chart
      // names all four columns the overlay needs, not three bare lines (the band drawn to -2 GB).
      const outlier = outlierColumns([...names]);
      if (outlier)
        assert.deepEqual(
          chart.y,
          [outlier.value, outlier.lower, outlier.upper, outlier.indicator],
          `${entry.id} ${panel.id} (${panel.title}) draws its outlier band`,
        );
      for (const col of named.filter((c): c is string => !!c)) {
        assert.ok(
          names.has(col),
          `${entry.id} ${panel.id}: chart column ${col} is in the result (${[...names].join(', ')})`,
        );
      }
    });
  }
});

test('an interactive engine warms the built-in dashboards, so opening them answers from the cache', async () => {
  await engine.close();
  engine = await Engine.open({
    workspace: join(dir, 'w.duckdb'),
    libraryDir: join(dir, 'library'),
    warmDashboards: true,
  });
  await engine.warmedUp;
  for (const id of ['builtin:overview', 'builtin:traffic']) {
    const item = await engine.dashboardGet({ id });
    for (const p of item.panels) {
      // What the dashboard view asks: the panel's page and its chart at the one panel width.
      const answer = await engine.dashboardRunPanel({
        query: p.query!.query,
        dialect: p.query!.dialect,
        pageSize: PANEL_PAGE_SIZE,
        chart: { spec: p.chart, width: panelChartWidth(p.layout) },
      });
      assert.equal(answer.cached, true, `${id} ${p.id}`);
    }
  }
  const filtered = await engine.dashboardRunPanel({
    query: 'stats count(*) as n',
    filters: { action: 'REJECT' },
    pageSize: 2000,
  });
  assert.equal(filtered.cached, false, 'only what the dashboards open with is warmed');
});

test('on a held-out workspace, every time-series panel of every built-in dashboard spans its whole time range', async () => {
  // Not the demo's days, seeds or size: 2.5 days from a Monday 06:00, another seed.
  const heldOut = await Engine.open({ workspace: join(dir, 'held-out.duckdb'), create: true });
  try {
    const file = join(dir, 'held-out.log');
    await writeFlowLogFile(file, {
      records: 30_000,
      seed: 4242,
      start: Date.UTC(2025, 10, 17, 6) / 1000,
      span: 216_000,
    });
    const job = await heldOut.jobWait(await heldOut.ingestFiles({ files: [heldOut.files.register(file)] }));
    assert.equal(job.state, 'done', job.error);
    const span = (await heldOut.workspaceInfo()).timeSpan!;
    const [from, to] = [Date.parse(span.from), Date.parse(span.to)];
    let checked = 0;
    for (const entry of (await heldOut.dashboardList()).entries.filter((e) => e.origin === 'builtin')) {
      for (const p of (await heldOut.dashboardGet({ id: entry.id })).panels) {
        const answer = await heldOut.dashboardRunPanel({
          query: p.query!.query,
          dialect: p.query!.dialect,
          pageSize: PANEL_PAGE_SIZE,
          chart: { spec: p.chart, width: panelChartWidth(p.layout) },
        });
        const chart = answer.chart;
        if (!chart || !isTimeSeries(chart.spec, chart.columns)) continue;
        const x = chart.columns.findIndex((c) => c.name === chart.spec.x);
        const times = chart.rows.map((r) => Date.parse(String(r[x])));
        // A point stands for its bucket: the query's own (at most an hour here) or the chart's wider one.
        const bucket = Math.max(3_600_000, ...chart.reductions.map((r) => ('bucketMs' in r ? r.bucketMs : 0)));
        const what = `${entry.id} ${p.id} (${p.title})`;
        assert.ok(
          Math.min(...times) <= from + bucket,
          `${what} starts at ${new Date(Math.min(...times)).toISOString()}`,
        );
        assert.ok(
          Math.max(...times) >= to - 2 * bucket,
          `${what} ends at ${new Date(Math.max(...times)).toISOString()}`,
        );
        assert.ok(chart.rows.length <= 2 * panelChartWidth(p.layout) * 11, `${what}: ${chart.rows.length} points`);
        checked++;
      }
    }
    assert.ok(checked >= 4, `${checked} time-series panels checked`);
  } finally {
    await heldOut.close();
  }
});
