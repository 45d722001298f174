/**
 * Sumo Logic's flow-log queries from its documentation (`tests/fixtures/published-queries/sumo-docs.ts`) run
 * unchanged on the hand-written fixture, their answers worked out here from its rows.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CellValue, Output } from '../../../preload/contract';
import { call } from '../../../main/engine/dispatch';
import { SUMO_DOCS_QUERIES } from '../../fixtures/published-queries/sumo-docs';
import { openFixture, ROWS, T0 } from './fixture';
import { openedForFile } from '../../support/opened-for-file';

const fx = openedForFile(openFixture);

async function run(name: string): Promise<{ columns: string[]; rows: Record<string, CellValue>[] }> {
  const out = (await call(fx().engine, 'query.run', {
    query: SUMO_DOCS_QUERIES.find((q) => q.name === name)!.query,
    dialect: 'sumo',
    pageSize: 1000,
  })) as Output<'query.run'>;
  return {
    columns: out.columns.map((c) => c.name),
    rows: out.rows.map((r) => Object.fromEntries(out.columns.map((c, i) => [c.name, r[i]!]))),
  };
}

test('every query of the documentation runs unchanged', async () => {
  for (const q of SUMO_DOCS_QUERIES) await run(q.name);
});

test('the Box Plot example: the smallest and largest packets of each minute that has numbers', async () => {
  const { columns, rows } = await run('Box Plot chart: packets per minute');
  assert.deepEqual(columns, ['_timeslice', '_min', '_Packets_pct_25', '_Packets_pct_50', '_Packets_pct_75', '_max']);
  const minutes = new Map<number, number[]>();
  for (const r of ROWS) {
    const m = Math.floor(r[7] / 60) * 60;
    minutes.set(m, [...(minutes.get(m) ?? []), ...(r[5] === null ? [] : [r[5]])]);
  }
  assert.deepEqual(
    rows.map((r) => [r._timeslice, r._min, r._max]),
    [...minutes]
      .sort((a, b) => a[0] - b[0])
      .map(([m, p]) => [
        new Date((T0 + m) * 1000).toISOString().replace('Z', '000Z'),
        p.length ? Math.min(...p) : null,
        p.length ? Math.max(...p) : null,
      ]),
  );
});

test('the alert example: no minute has over 1000 rejections here, so no row', async () => {
  assert.deepEqual((await run('Alert when rejections pass a threshold')).rows, []);
});

test("the apps' field extraction rules give every record its fields by the rule's names", async () => {
  const pci = await run('VPCFlowLogFER (PCI Compliance and Cloud Security Monitoring apps)');
  assert.equal(pci.rows.length, ROWS.length);
  const vpc = await run('VPCFlowLogFER (Amazon VPC Flow Logs app)');
  assert.deepEqual(vpc.columns, [
    'interfaceID',
    'src_ip',
    'dest_ip',
    'src_port',
    'dest_port',
    'Protocol',
    'Packets',
    'bytes',
    'Action',
    'status',
  ]);
  assert.deepEqual(
    vpc.rows.map((r) => [r.interfaceID, r.src_ip, r.dest_port, r.Action, r.status]).sort(),
    ROWS.map((r) => [r[10], r[0] ?? '-', r[3] === null ? '-' : String(r[3]), r[8] ?? '-', r[9]]).sort(),
  );
});
