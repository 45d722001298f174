/**
 * Security Lake's records work in every dashboard: the same generated version 5 records, imported once as
 * flow-log text and once as the OCSF Parquet Security Lake writes for them, give every panel of every
 * built-in dashboard the same answer (rows and chart data).
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Engine } from '../../../main/engine';
import { writeFlowLogFile } from '../../../main/engine/ingest/generator';
import { PANEL_PAGE_SIZE, type CellValue } from '../../../preload/contract';
import { panelChartWidth } from '../../../queries/chart/chart-data';
import { flowLogsAsOcsf, V5_FIELDS } from '../../support/security-lake';
import { tempDir } from '../workspace/helpers';

const dir = tempDir('flowscope-ocsf-dashboards-');
let text: Engine;
let lake: Engine;

async function imported(name: string, file: string): Promise<Engine> {
  const engine = await Engine.open({ workspace: join(dir, `${name}.duckdb`), create: true });
  const job = await engine.jobWait(await engine.ingestFiles({ files: [engine.files.register(file)] }));
  assert.equal(job.state, 'done', job.error);
  return engine;
}

before(async () => {
  const records = join(dir, 'v5.log');
  await writeFlowLogFile(records, { seed: 613, records: 4000, header: false, fields: V5_FIELDS, span: 6 * 3600 });
  const withHeader = join(dir, 'v5-with-header.log');
  writeFileSync(withHeader, `${V5_FIELDS.join(' ')}\n${readFileSync(records, 'utf8')}`);
  const parquet = join(dir, 'lake', 'records.gz.parquet');
  await flowLogsAsOcsf(records, parquet);
  text = await imported('text', withHeader);
  lake = await imported('lake', parquet);
});
after(async () => {
  await text?.close();
  await lake?.close();
});

type Rows = readonly (readonly CellValue[])[];

/** A row's measure: its last cell that is a number. */
const measure = (r: readonly CellValue[]) =>
  Number([...r].reverse().find((c) => typeof c === 'number' || (typeof c === 'string' && /^-?\d+(\.\d+)?$/.test(c))));

/**
 * Asserts that two answers hold the same rows, in any order, but for a top N's choice among rows tied at its
 * cut (`limit 10` of counts where the 10th and 11th are equal): a row one answer has and the other lacks
 * must then have the smallest measure of its answer, and the two smallest measures must be equal.
 */
function assertSameRows(actual: Rows, expected: Rows, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: rows`);
  const left = expected.map((r) => JSON.stringify(r));
  const extra: (readonly CellValue[])[] = [];
  for (const r of actual) {
    const i = left.indexOf(JSON.stringify(r));
    if (i >= 0) left.splice(i, 1);
    else extra.push(r);
  }
  if (extra.length === 0) return;
  const missing = left.map((r) => JSON.parse(r) as CellValue[]);
  const cut = Math.min(...expected.map(measure));
  assert.equal(Math.min(...actual.map(measure)), cut, `${what}: the cut`);
  for (const r of [...extra, ...missing])
    assert.equal(measure(r), cut, `${what}: ${JSON.stringify(r)} differs and is not tied at the cut`);
}

test('every panel of every built-in dashboard answers the same on Security Lake records as on the flow-log text', async () => {
  assert.deepEqual(
    await lake.workspaceInfo().then((i) => i.records),
    await text.workspaceInfo().then((i) => i.records),
  );
  let panels = 0;
  for (const entry of (await text.dashboardList()).entries.filter((e) => e.origin === 'builtin')) {
    for (const p of (await text.dashboardGet({ id: entry.id })).panels) {
      if (!p.query) continue;
      const input = {
        query: p.query.query,
        dialect: p.query.dialect,
        pageSize: PANEL_PAGE_SIZE,
        chart: { spec: p.chart, width: panelChartWidth(p.layout) },
      };
      const [a, b] = await Promise.all([text.dashboardRunPanel(input), lake.dashboardRunPanel(input)]);
      const what = `${entry.id} ${p.id} (${p.title})`;
      assert.deepEqual(
        b.columns.map((c) => c.name),
        a.columns.map((c) => c.name),
        what,
      );
      assert.equal(b.rowCount, a.rowCount, what);
      if (a.rowCount <= a.rows.length) assertSameRows(b.rows, a.rows, what);
      if (a.chart) assertSameRows(b.chart!.rows, a.chart.rows, `${what}: chart`);
      panels++;
    }
  }
  assert.ok(panels >= 30, `${panels} panels compared`);
});
