/**
 * A NODATA or SKIPDATA record's `-` as Sumo Logic and CloudWatch Logs Insights show it: a group `-`, and
 * `-` in the record's fields, while aggregates of numbers skip it. DuckDB SQL reads the stored table, where
 * it is NULL. The fixture has 13 records: 5 ACCEPT, 4 REJECT, and 4 NODATA/SKIPDATA
 * (every field but the account, ENI, times and status `-`).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { CellValue, Dialect, Output } from '../../../preload/contract';
import { call } from '../../../main/engine/dispatch';
import { rawRecordsQuery } from '../../../renderer/src/lib/drill-down';
import { openFixture, ROWS } from './fixture';
import { openedForFile } from '../../support/opened-for-file';

const fx = openedForFile(openFixture);

async function run(query: string, dialect: Dialect, extra: Record<string, unknown> = {}): Promise<Output<'query.run'>> {
  return (await call(fx().engine, 'query.run', { query, dialect, pageSize: 1000, ...extra })) as Output<'query.run'>;
}

const cells = (out: { rows: CellValue[][] }) => out.rows.map((r) => [...r]);
const byKey = (rows: CellValue[][]) => [...rows].sort((a, b) => String(a[0]).localeCompare(String(b[0])));

test('a group of NODATA/SKIPDATA records is `-` in Insights, Sumo and Athena SQL, NULL in DuckDB SQL', async () => {
  const expected = [
    ['-', 4],
    ['ACCEPT', 5],
    ['REJECT', 4],
  ];
  assert.deepEqual(byKey(cells(await run('stats count(*) by action', 'insights'))), expected);
  assert.deepEqual(byKey(cells(await run('_sourceCategory=vpc | count by action', 'sumo'))), expected);
  // DuckDB SQL reads the workspace's table as stored; Athena SQL reads AWS's text table, where a `-` in a
  // string column stays `-` (and one in a number column is NULL).
  assert.deepEqual(byKey(cells(await run('SELECT action, count(*) FROM flows GROUP BY 1', 'sql'))), [
    ['ACCEPT', 5],
    [null, 4],
    ['REJECT', 4],
  ]);
  assert.deepEqual(
    byKey(cells(await run('SELECT action, count(*) FROM vpc_flow_logs GROUP BY 1', 'athena'))),
    expected,
  );
});

test('a number field is its text as logged: the port groups and their `-`, typed as text', async () => {
  const out = await run('_sourceCategory=vpc | count by dest_port | sort by _count, dest_port asc', 'sumo');
  assert.equal(out.columns[0]!.type, 'VARCHAR');
  const ports = new Map<string, number>();
  for (const r of ROWS) ports.set(String(r[3] ?? '-'), (ports.get(String(r[3] ?? '-')) ?? 0) + 1);
  assert.deepEqual(new Map(out.rows.map((r) => [r[0] as string, r[1] as number])), ports);
  // Sorted by the text where the counts tie, as Sumo sorts a field it did not cast (3389 before 443).
  assert.deepEqual(
    out.rows.map((r) => r[0]),
    ['-', '22', '53', '80', '3389', '443', '51000'],
  );
});

test('a NODATA record lists `-` in every field the log left out, in both dialects', async () => {
  const insights = await run(
    'filter logStatus = "NODATA" | fields srcAddr, dstAddr, srcPort, dstPort, protocol, packets, bytes, action, interfaceId, logStatus',
    'insights',
  );
  assert.deepEqual(cells(insights), [['-', '-', '-', '-', '-', '-', '-', '-', 'eni-d', 'NODATA']]);
  const sumo = await run(
    '_sourceCategory=vpc | where status = "NODATA" | fields src_ip, dest_ip, src_port, dest_port, protocol, packets, bytes, action',
    'sumo',
  );
  assert.deepEqual(cells(sumo), [['-', '-', '-', '-', '-', '-', '-', '-']]);
  // Without `fields`, the default columns of an Insights record show it too.
  const all = await run('filter logStatus = "SKIPDATA" | sort @timestamp | limit 1', 'insights');
  const record = Object.fromEntries(all.columns.map((c, i) => [c.name, all.rows[0]![i]]));
  assert.equal(record.srcAddr, '-');
  assert.equal(record.bytes, '-');
  assert.equal(record.action, '-');
  assert.equal(record.interfaceId, 'eni-d');
});

test('aggregates skip `-`: no bytes in Insights, 0 in Sumo; count(field) counts it', async () => {
  const insights = await run('stats sum(bytes) as b, count(bytes) as c, max(dstPort) as p by action', 'insights');
  assert.deepEqual(byKey(cells(insights)), [
    ['-', null, 4, null],
    ['ACCEPT', 5680, 5, 51000],
    ['REJECT', 1480, 4, 3389],
  ]);
  const sumo = await run('_sourceCategory=vpc | sum(bytes) by action', 'sumo');
  assert.deepEqual(byKey(cells(sumo)), [
    ['-', 0],
    ['ACCEPT', 5680],
    ['REJECT', 1480],
  ]);
});

test('drill-down from a `-` group opens exactly its records, in both dialects', async () => {
  for (const [dialect, query] of [
    ['insights', 'stats count(*) as n by action'],
    ['sumo', '_sourceCategory=vpc | count by action'],
  ] as const) {
    const groups = await run(query, dialect);
    const dash = groups.rows.find((r) => r[0] === '-')!;
    const drill = rawRecordsQuery(query, dialect, groups.columns, dash);
    assert.ok(drill, `${dialect}: a drill-down query`);
    const records = await run(drill.query, dialect);
    assert.equal(records.rowCount, 4, `${dialect}: ${drill.query}`);
    const status = records.columns.findIndex((c) => /^(logStatus|log_status)$/.test(c.name));
    const statuses = records.rows.map((r) => r[status]).sort();
    assert.deepEqual(statuses, ['NODATA', 'SKIPDATA', 'SKIPDATA', 'SKIPDATA'], `${dialect}: ${drill.query}`);
  }
});

test('the grid sorts a port column as numbers, `-` last either way; a chart and an export carry `-`', async () => {
  const out = await run('fields dstPort, action', 'insights');
  const page = async (descending: boolean) =>
    (
      (await call(fx().engine, 'query.page', {
        resultId: out.resultId,
        offset: 0,
        limit: 100,
        sort: [{ column: 'dstPort', descending }],
      })) as Output<'query.page'>
    ).rows.map((r) => r[0]);
  const numbers = ROWS.map((r) => r[3])
    .filter((p): p is number => p !== null)
    .sort((a, b) => a - b)
    .map(String);
  assert.deepEqual(await page(false), [...numbers, '-', '-', '-', '-']);
  assert.deepEqual(await page(true), [...numbers.reverse(), '-', '-', '-', '-']);

  const groups = await run('stats count(*) as n by action', 'insights');
  const chart = (await call(fx().engine, 'query.chart', {
    resultId: groups.resultId,
    spec: { type: 'bar', x: 'action', y: 'n' },
    width: 600,
  })) as Output<'query.chart'>;
  assert.deepEqual(byKey(chart.rows.map((r) => [...r])), [
    ['-', 4],
    ['ACCEPT', 5],
    ['REJECT', 4],
  ]);

  const exported = (await call(fx().engine, 'export.result', {
    resultId: groups.resultId,
    format: 'csv',
    name: 'actions',
  })) as Output<'export.result'>;
  const file = fx().engine.takeDownload(exported.downloadId!);
  try {
    const lines = readFileSync(file.path, 'utf8').trim().split('\n');
    assert.deepEqual(lines.slice(1).sort(), ['-,4', 'ACCEPT,5', 'REJECT,4']);
  } finally {
    file.done();
  }
});

test('functions read `-` where the record has it: coalesce, earliest/latest, first/last, format', async () => {
  const logged = (v: string | number | null) => (v === null ? '-' : String(v));
  const byTime = [...ROWS].sort((a, b) => a[7] - b[7]);
  const [oldest, newest] = [byTime[0]!, byTime.at(-1)!];
  // The newest record is SKIPDATA: its action and address are `-`, not the last ones some record had.
  assert.equal(newest[8], null);
  const expected = [[logged(oldest[8]), logged(newest[0]), logged(newest[3])]];
  assert.deepEqual(
    cells(await run('stats earliest(action) as a, latest(srcAddr) as s, latest(dstPort) as p', 'insights')),
    expected,
  );
  // Sumo lists records newest first: `last` is the oldest value, `first` and `most_recent` the newest.
  assert.deepEqual(
    cells(
      await run('_sourceCategory=vpc | last(action) as a, first(src_ip) as s, most_recent(dest_port) as p', 'sumo'),
    ),
    expected,
  );

  const counted = (values: string[]) => {
    const n = new Map<string, number>();
    for (const v of values) n.set(v, (n.get(v) ?? 0) + 1);
    return [...n.entries()].sort(([a], [b]) => a.localeCompare(b));
  };
  // A field beyond the default format (vpcId) is absent, so coalesce passes over it; `-` is a value.
  assert.deepEqual(
    byKey(cells(await run('fields coalesce(vpcId, action, "none") as a | stats count(*) by a', 'insights'))),
    counted(ROWS.map((r) => logged(r[8]))),
  );
  assert.deepEqual(
    byKey(cells(await run('_sourceCategory=vpc | format("%s:%s", src_ip, dest_port) as x | count by x', 'sumo'))),
    counted(ROWS.map((r) => `${logged(r[0])}:${logged(r[3])}`)),
  );
  assert.deepEqual(
    byKey(
      cells(
        await run(
          '_sourceCategory=vpc | where bytes > 0 | format("%d B, %.1f kB", bytes, bytes / 1000) as x | count by x',
          'sumo',
        ),
      ),
    ),
    counted(ROWS.filter((r) => r[6] !== null).map((r) => `${r[6]} B, ${(r[6]! / 1000).toFixed(1)} kB`)),
  );
  await assert.rejects(
    run('_sourceCategory=vpc | format("%s and %s", action) as x', 'sumo'),
    /The pattern of format\(\) takes 2 values, not 1/,
  );
});

test('two fields as logged compare as numbers where both are, as text where one is `-`', async () => {
  // Ports: `1235 < 80` is false as numbers, true as text; a NODATA record's `-` equals its other `-`.
  const compare = (a: number | null, b: number | null, op: '<' | '=') =>
    a === null || b === null
      ? op === '<'
        ? (a ?? '-') < (b ?? '-')
        : (a ?? '-') === (b ?? '-')
      : op === '<'
        ? a < b
        : a === b;
  for (const op of ['<', '='] as const) {
    const expected = ROWS.filter((r) => compare(r[2], r[3], op)).length;
    assert.deepEqual(cells(await run(`filter srcPort ${op} dstPort | stats count(*)`, 'insights')), [[expected]], op);
    assert.deepEqual(
      cells(await run(`_sourceCategory=vpc | where src_port ${op} dest_port | count`, 'sumo')),
      [[expected]],
      op,
    );
  }
});
