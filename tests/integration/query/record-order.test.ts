/**
 * Records come newest first until a query sorts them, in both pipe dialects: Sumo lists messages that way, and
 * Insights reads unsorted records "in the default descending sort order using @timestamp" (CWL_QuerySyntax-Dedup).
 * So a `limit` without a sort keeps the latest records, and `dedup` keeps the latest of each value. Answers are
 * computed from the fixture's rows in plain code.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Output } from '../../../preload/contract';
import { call } from '../../../main/engine/dispatch';
import { openFixture, ROWS, T0, type Fixture, type Row } from './fixture';

let fx: Fixture;
before(async () => {
  fx = await openFixture();
});
after(async () => {
  await fx.close();
});

async function run(query: string, dialect: 'sumo' | 'insights'): Promise<Output<'query.run'>> {
  return (await call(fx.engine, 'query.run', { query, dialect, pageSize: 1000 })) as Output<'query.run'>;
}
const iso = (at: number) => new Date((T0 + at) * 1000).toISOString().replace('.000Z', '');
/** The first column of each row (a time), as an ISO time to the second. */
const times = (out: Output<'query.run'>) =>
  out.rows.map((r) =>
    String(r[0])
      .replace(/(\.\d+)?Z?$/, '')
      .replace(' ', 'T'),
  );
const newest = [...ROWS].sort((a, b) => b[7] - a[7]);

test('a limit without a sort keeps the latest records, latest first, in Sumo and Insights', async () => {
  const rejects = newest.filter((r) => r[8] === 'REJECT');
  const sumo = await run('_sourceCategory=vpc REJECT | fields _messagetime, src_ip | limit 2', 'sumo');
  assert.deepEqual(
    sumo.rows.map((r) => r[1]),
    rejects.slice(0, 2).map((r) => r[0]),
  );
  const insights = await run('fields @timestamp, srcAddr | filter action = "REJECT" | limit 2', 'insights');
  assert.deepEqual(
    times(insights),
    rejects.slice(0, 2).map((r) => iso(r[7])),
  );
  // A list without a limit comes in that order too.
  const all = await run('fields @timestamp, srcAddr', 'insights');
  assert.deepEqual(
    times(all),
    newest.map((r) => iso(r[7])),
  );
});

test('a sort decides the order, and what a limit keeps, as before', async () => {
  const oldest = await run('fields @timestamp | sort @timestamp asc | limit 2', 'insights');
  assert.deepEqual(
    times(oldest),
    [...newest]
      .reverse()
      .slice(0, 2)
      .map((r) => iso(r[7])),
  );
});

test('Insights dedup keeps the latest record of each value, and every record whose field is null', async () => {
  const out = await run('fields @timestamp, srcAddr, interfaceId | dedup interfaceId', 'insights');
  const latest = new Map<string, number>();
  for (const r of ROWS) latest.set(r[10], Math.max(latest.get(r[10]) ?? -1, r[7]));
  assert.deepEqual(times(out), [...latest.values()].sort((a, b) => b - a).map(iso));
  // A record's missing field is logged as '-', a value like any other: the NODATA/SKIPDATA records of eni-d
  // are one value. A field no record has is null in each, and null values are never duplicates.
  const dashes = await run('fields @timestamp, srcAddr | filter logStatus != "OK" | dedup srcAddr', 'insights');
  assert.equal(dashes.rowCount, 1);
  const nulls = await run('fields @timestamp, nosuch | dedup nosuch', 'insights');
  assert.equal(nulls.rowCount, ROWS.length);
});

test("Insights sorts text in CloudWatch's natural order: a logged `-` first, addresses as numbers, digits as numbers", async () => {
  const byDst = await run('stats count(*) as n by dstAddr | sort dstAddr', 'insights');
  assert.deepEqual(
    byDst.rows.map((r) => r[0]),
    ['-', '8.8.8.8', '10.0.0.5', '10.0.0.6', '10.0.0.7', '192.0.2.10', '2001:db8::2'],
  );
  const down = await run('stats count(*) as n by dstAddr | sort dstAddr desc', 'insights');
  assert.deepEqual(
    down.rows.map((r) => r[0]),
    byDst.rows.map((r) => r[0]).reverse(),
  );
  // A number field's `-` is text, which comes before every number ascending, after them descending.
  const ports = await run('fields dstPort | sort dstPort | limit 5', 'insights');
  assert.deepEqual(
    ports.rows.map((r) => r[0]),
    ['-', '-', '-', '-', '22'],
  );
});

test("Insights sorts grouped text by its runs, as CloudWatch's sort page says: a run of digits by its length, then its value", async () => {
  // CWL_QuerySyntax-Sort: "numeric portions by their length first and then by their numerical value" (5A before 111A).
  const rows: Row[] = [
    ['2001:db8::10', '10.0.0.5', 1, 1, 6, 1, 1, 0, 'ACCEPT', 'OK', 'eni-012'],
    ['2001:db8::9', '10.0.0.5', 1, 1, 6, 1, 1, 60, 'ACCEPT', 'OK', 'eni-0b2'],
    ['2001:db8::a', '10.0.0.5', 1, 1, 6, 1, 1, 120, 'ACCEPT', 'OK', 'eni-0a1'],
    ['10.0.0.10', '10.0.0.5', 1, 1, 6, 1, 1, 180, 'ACCEPT', 'OK', 'eni-111a'],
    ['10.0.0.9', '10.0.0.5', 1, 1, 6, 1, 1, 240, 'ACCEPT', 'OK', 'eni-5a'],
  ];
  const own = await openFixture({ rows });
  try {
    const sorted = async (query: string) => {
      const out = (await call(own.engine, 'query.run', {
        query,
        dialect: 'insights',
        pageSize: 100,
      })) as Output<'query.run'>;
      return out.rows.map((r) => r[0]);
    };
    const enis = ['eni-0a1', 'eni-0b2', 'eni-5a', 'eni-012', 'eni-111a'];
    assert.deepEqual(await sorted('stats count(*) by interfaceId | sort interfaceId asc'), enis);
    assert.deepEqual(await sorted('stats count(*) by interfaceId | sort interfaceId desc'), [...enis].reverse());
    // IPv4 by its number; then IPv6 by its runs: ::9 before ::10, and the letter after the digits.
    assert.deepEqual(await sorted('stats count(*) by srcAddr | sort srcAddr'), [
      '10.0.0.9',
      '10.0.0.10',
      '2001:db8::9',
      '2001:db8::10',
      '2001:db8::a',
    ]);
  } finally {
    await own.close();
  }
});
