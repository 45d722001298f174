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

const numberOf = (c: CellValue) =>
  typeof c === 'number' ? c : typeof c === 'string' && /^-?\d+(\.\d+)?$/.test(c) ? Number(c) : null;

/**
 * Asserts that two answers hold the same rows, in any order, but for a top N's choice among rows tied at its
 * cut (`limit 10` of counts where the 10th and 11th are equal): the rows one answer has and the other lacks
 * must then all hold, in one number column, that column's smallest (or largest) value in their answer, and
 * that value must be the same in both.
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
  const columns = expected[0]!.map((_, k) => k);
  const tiedAtCut = columns.some((k) =>
    [Math.min, Math.max].some((end) => {
      const cut = (rows: Rows) => end(...rows.map((r) => numberOf(r[k]!) ?? NaN));
      const [a, e] = [cut(actual), cut(expected)];
      return (
        Number.isFinite(e) &&
        a === e &&
        extra.every((r) => numberOf(r[k]!) === a) &&
        missing.every((r) => numberOf(r[k]!) === e)
      );
    }),
  );
  assert.ok(
    tiedAtCut,
    `${what}: ${JSON.stringify(extra).slice(0, 300)} instead of ${JSON.stringify(missing).slice(0, 300)}, not a choice among ties`,
  );
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
