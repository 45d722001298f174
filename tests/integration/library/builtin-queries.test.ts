/**
 * Every built-in query of `queries/library` is a valid saved-query file, compiles, and runs through the
 * engine on a small workspace whose records are written out here; a few answers are checked against
 * values computed by hand from those records.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CellValue } from '../../../preload/contract';
import { SavedQuery } from '../../../queries/library/saved-query';
import { openFixture, type Fixture, type Row } from '../query/fixture';

const LIBRARY = new URL('../../../queries/library/', import.meta.url).pathname;
const ROWS: Row[] = [
  ['172.20.0.10', '10.0.1.5', 40001, 443, 6, 10, 5000, 0, 'ACCEPT', 'OK', 'eni-a', 19],
  ['172.20.0.10', '10.0.1.6', 40002, 443, 6, 4, 1200, 30, 'ACCEPT', 'OK', 'eni-a', 19],
  ['172.20.0.10', '10.0.1.5', 40003, 80, 6, 3, 700, 90, 'ACCEPT', 'OK', 'eni-a', 18],
  ['172.20.0.10', '52.1.2.3', 40004, 443, 6, 2, 300, 100, 'ACCEPT', 'OK', 'eni-a', 2],
  ['10.0.1.5', '172.20.0.10', 443, 40001, 6, 12, 9000, 5, 'ACCEPT', 'OK', 'eni-b', 19],
  ['203.0.113.9', '10.0.1.5', 55000, 22, 6, 1, 60, 200, 'REJECT', 'OK', 'eni-b', 2],
  ['203.0.113.9', '10.0.1.6', 55001, 22, 6, 1, 60, 210, 'REJECT', 'OK', 'eni-b', 2],
  ['198.51.100.4', '10.0.1.6', 61000, 3389, 6, 3, 180, 400, 'ACCEPT', 'OK', 'eni-b', 2],
  ['10.0.1.6', '8.8.8.8', 5353, 53, 17, 1, 90, 420, 'ACCEPT', 'OK', 'eni-a', null],
  ['10.0.1.7', '10.0.1.5', 0, 0, 1, 2, 168, 500, 'REJECT', 'OK', 'eni-c', null],
  [null, null, null, null, null, null, null, 600, null, 'NODATA', 'eni-d', null],
  [null, null, null, null, null, null, null, 3700, null, 'SKIPDATA', 'eni-d', null],
];

const files = readdirSync(LIBRARY)
  .filter((f) => f.endsWith('.flowquery.json'))
  .sort();
let fixture: Fixture;

async function run(file: string): Promise<{ columns: string[]; rows: CellValue[][] }> {
  const doc = SavedQuery.parse(JSON.parse(readFileSync(join(LIBRARY, file), 'utf8')));
  const result = await fixture.engine.queryRun({ query: doc.query, dialect: doc.dialect, pageSize: 1000 });
  return { columns: result.columns.map((c) => c.name), rows: result.rows };
}

function objects(r: { columns: string[]; rows: CellValue[][] }): Record<string, CellValue>[] {
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, row[i]!])));
}

describe('built-in query library', () => {
  before(async () => {
    fixture = await openFixture({ rows: ROWS, version: 3 });
  });
  after(() => fixture?.close());

  test('holds at least 20 queries covering all three dialects', () => {
    assert.ok(files.length >= 20, `${files.length} files`);
    const dialects = new Set(
      files.map((f) => (JSON.parse(readFileSync(join(LIBRARY, f), 'utf8')) as { dialect: string }).dialect),
    );
    assert.deepEqual([...dialects].sort(), ['insights', 'sql', 'sumo']);
  });

  for (const file of files) {
    test(`${file} is a valid saved query that runs and yields its chart's columns`, async () => {
      const doc = SavedQuery.parse(JSON.parse(readFileSync(join(LIBRARY, file), 'utf8')));
      const { columns, rows } = await run(file);
      assert.ok(rows.length > 0, 'returns rows on the fixture');
      // A pivoted chart's series and value name the columns its result's many columns fold back into.
      const named = doc.chart?.pivoted
        ? [doc.chart.x]
        : [doc.chart?.x, doc.chart?.series, ...[doc.chart?.y ?? []].flat()];
      const chartColumns = named.filter((c): c is string => typeof c === 'string');
      for (const c of chartColumns) assert.ok(columns.includes(c), `chart column ${c} is in ${columns.join(', ')}`);
    });
  }

  test('the analyst Sumo query gives the bytes each destination received from 172.20.0.10, largest first', async () => {
    const r = objects(await run('analyst-bytes-by-destination.flowquery.json'));
    assert.deepEqual(r, [
      { src_ip: '172.20.0.10', dest_ip: '10.0.1.5', _sum: 5700 },
      { src_ip: '172.20.0.10', dest_ip: '10.0.1.6', _sum: 1200 },
      { src_ip: '172.20.0.10', dest_ip: '52.1.2.3', _sum: 300 },
    ]);
  });

  test('SSH/RDP attempts from the internet list the public sources only', async () => {
    const r = objects(await run('ssh-rdp-from-internet.flowquery.json'));
    const bySource = r.map((x) => [x.srcAddr, x.dstAddr, x.dstPort, x.action, x.attempts]);
    assert.deepEqual(
      bySource.sort((a, b) => String(a[1]).localeCompare(String(b[1])) || String(a[0]).localeCompare(String(b[0]))),
      [
        ['203.0.113.9', '10.0.1.5', '22', 'REJECT', 1],
        ['198.51.100.4', '10.0.1.6', '3389', 'ACCEPT', 1],
        ['203.0.113.9', '10.0.1.6', '22', 'REJECT', 1],
      ],
    );
  });

  test('rejected traffic by port names the IANA service', async () => {
    const r = objects(await run('rejected-by-port.flowquery.json'));
    assert.deepEqual(r[0], { dstPort: '22', service: 'ssh', rejections: 2 });
  });

  test('the Sumo Overview actions panel counts records per action', async () => {
    const r = objects(await run('sumo-overview-actions.flowquery.json'));
    assert.deepEqual(r.slice(0, 2), [
      { action: 'ACCEPT', _count: 7 },
      { action: 'REJECT', _count: 3 },
    ]);
  });

  test('protocols carry their IANA names', async () => {
    const r = objects(await run('protocols.flowquery.json'));
    assert.deepEqual(
      r.map((x) => [x.name, x.records, x.bytes]),
      [
        ['TCP', 8, 16500],
        ['ICMP', 1, 168],
        ['UDP', 1, 90],
      ],
    );
  });

  test('traffic direction splits bytes relative to the VPC ranges seen in the data', async () => {
    const r = Object.fromEntries(
      objects(await run('traffic-direction.flowquery.json')).map((x) => [x.direction, x.bytes]),
    );
    assert.deepEqual(r, { internal: 5000 + 1200 + 700 + 9000 + 168, outbound: 300 + 90, inbound: 60 + 60 + 180 });
  });

  test('NODATA and SKIPDATA gaps are counted per hour and interface', async () => {
    const r = objects(await run('nodata-skipdata-gaps.flowquery.json'));
    assert.deepEqual(
      r.map((x) => [x.hour, x.interfaceId, x.logStatus, x.records]),
      [
        ['2026-03-02T00:00:00.000000Z', 'eni-d', 'NODATA', 1],
        ['2026-03-02T01:00:00.000000Z', 'eni-d', 'SKIPDATA', 1],
      ],
    );
  });
});
