/**
 * The entity view's queries (`renderer/src/lib/entity-queries.ts`) run through `query.run` on a real
 * workspace, each answer compared with one computed here from the fixture's records in plain code: totals,
 * peers with their direction against the VPC ranges, ports and services, protocols, interfaces, an ENI's
 * own address, the time series and its chart, and who owns a public address (from the packaged address
 * data and AWS's ranges, read here from their files).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { call } from '../../../main/engine/dispatch';
import type { CellValue, Output, TimeRange } from '../../../preload/contract';
import { parseCidr, parseIpv4 } from '../../../queries/catalog/ip';
import { parseEntity } from '../../../renderer/src/lib/entity';
import { entityQueries, overTimeChart, type EntityPanelId } from '../../../renderer/src/lib/entity-queries';
import { openFixture, recordOf, ROWS, T0, type Fixture, type Row } from './fixture';

const require = createRequire(import.meta.url);
const AWS_FIXTURE = new URL('../../fixtures/aws/ip-ranges.json', import.meta.url).pathname;
const VPC = ['10.0.0.0/16', '2001:db8::/32'];

const RECORDS: Row[] = [
  ...ROWS,
  ['10.0.0.6', '3.5.0.10', 40002, 443, 6, 2, 150, 7260, 'ACCEPT', 'OK', 'eni-a'],
  ['10.0.0.5', '192.0.2.10', 22, 51001, 6, 2, 90, 7320, 'ACCEPT', 'OK', 'eni-a'],
];

let fx: Fixture;
let noAws: Fixture;
before(async () => {
  fx = await openFixture({ rows: RECORDS, awsIpRangesFile: AWS_FIXTURE });
  await call(fx.engine, 'workspace.setVpcRanges', { cidrs: VPC });
  noAws = await openFixture({ rows: RECORDS, awsIpRangesFile: '/nowhere/ip-ranges.json' });
});
after(async () => {
  await fx.close();
  await noAws.close();
});

type Obj = Record<string, CellValue>;

async function panel(text: string, id: EntityPanelId, timeRange?: TimeRange, on = fx): Promise<Obj[]> {
  const q = entityQueries(parseEntity(text)!).find((p) => p.id === id)!;
  const out = (await call(on.engine, 'query.run', {
    query: q.sql,
    dialect: 'sql',
    pageSize: 1000,
    ...(timeRange ? { timeRange } : {}),
  })) as Output<'query.run'>;
  return out.rows.map((r) => Object.fromEntries(out.columns.map((c, i) => [c.name, r[i]!])));
}

/** The fixture's records as objects, the way the expectations below read them. */
const records = RECORDS.map(recordOf);
type Rec = (typeof records)[number];

const inVpc = (a: string) => a.startsWith('10.0.') || a.toLowerCase().startsWith('2001:db8:');
function direction(r: Rec): string | null {
  if (r.src === null || r.dst === null) return null;
  return [
    ['external', 'inbound'],
    ['outbound', 'internal'],
  ][Number(inVpc(r.src))]![Number(inVpc(r.dst))]!;
}

const sum = (list: Rec[], f: (r: Rec) => number | null) => {
  const values = list.map(f).filter((v): v is number => v !== null);
  return values.length ? values.reduce((a, b) => a + b, 0) : null;
};
const rejected = (list: Rec[]) => list.filter((r) => r.action === 'REJECT').length;

/** Groups records by a key, in first-seen order, with the measures every table has. */
function groups<K extends Obj>(list: Rec[], key: (r: Rec) => K) {
  const out = new Map<string, { key: K; list: Rec[] }>();
  for (const r of list) {
    const k = key(r);
    const id = JSON.stringify(k);
    if (!out.has(id)) out.set(id, { key: k, list: [] });
    out.get(id)!.list.push(r);
  }
  return [...out.values()];
}

/** Records, bytes, packets and rejects of each group of records: the conversation panels' columns. */
const conversations = <K extends Obj>(list: Rec[], key: (r: Rec) => K) =>
  groups(list, key).map(({ key, list }) => ({
    ...key,
    records: list.length,
    bytes: sum(list, (r) => r.bytes),
    packets: sum(list, (r) => r.packets),
    rejected: rejected(list),
  }));

const byText = (a: CellValue | undefined, b: CellValue | undefined) => String(a).localeCompare(String(b));
const isoSeconds = (s: number) => new Date(s * 1000).toISOString();
const sameInstant = (cell: CellValue, seconds: number) => assert.equal(Date.parse(String(cell)), seconds * 1000);

describe('an address', () => {
  const E = '10.0.0.5';
  const mine = records.filter((r) => r.src === E || r.dst === E);
  const peerOf = (r: Rec) => (r.src === E ? r.dst : r.src);

  test('totals, accepted and rejected, peers, first and last seen', async () => {
    const [s] = await panel(E, 'summary');
    assert.equal(s!.records, mine.length);
    assert.equal(
      s!.bytes,
      sum(mine, (r) => r.bytes),
    );
    assert.equal(
      s!.packets,
      sum(mine, (r) => r.packets),
    );
    assert.equal(s!.accepted, mine.filter((r) => r.action === 'ACCEPT').length);
    assert.equal(s!.rejected, rejected(mine));
    assert.equal(
      s!.rejected_bytes,
      sum(
        mine.filter((r) => r.action === 'REJECT'),
        (r) => r.bytes,
      ),
    );
    assert.equal(s!.peers, new Set(mine.map(peerOf)).size);
    sameInstant(s!.first_seen!, Math.min(...mine.map((r) => r.start)));
    sameInstant(s!.last_seen!, Math.max(...mine.map((r) => r.end)));
  });

  test('peers: the other end of each record, with direction against the VPC ranges, by bytes', async () => {
    const expected = conversations(mine, (r) => ({ peer: peerOf(r), direction: direction(r) })).sort(
      (a, b) => b.bytes! - a.bytes! || b.records - a.records || byText(a.peer, b.peer),
    );
    assert.deepEqual(await panel(E, 'peers'), expected);
    assert.ok(
      expected.some((p) => p.direction === 'inbound') && expected.some((p) => p.direction === 'outbound'),
      'the fixture has both ways',
    );
  });

  test('ports: the lower port of each record, and whether this address or its peer serves it', async () => {
    const expected = groups(
      mine.filter((r) => r.sport !== null && r.dport !== null),
      (r) => {
        const port = Math.min(r.sport!, r.dport!);
        const onIt = (r.src === E && r.sport === port) || (r.dst === E && r.dport === port && r.sport! > port);
        return { port, protocol: r.proto, served_by: onIt ? 'this address' : 'peer' };
      },
    )
      .map(({ key, list }) => ({ ...key, list }))
      .sort((a, b) => b.list.length - a.list.length || (a.port as number) - (b.port as number));
    const answer = await panel(E, 'ports');
    assert.deepEqual(
      answer.map((r) => [r.port, r.protocol, r.served_by, r.records, r.bytes, r.rejected]),
      expected.map((e) => [
        e.port,
        e.protocol,
        e.served_by,
        e.list.length,
        sum(e.list, (r) => r.bytes),
        rejected(e.list),
      ]),
    );
    assert.equal(answer.find((r) => r.port === 22 && r.served_by === 'this address')?.service, 'ssh');
    assert.equal(answer.find((r) => r.port === 443)?.service, 'https');
  });

  test('direction, protocols and interfaces', async () => {
    const count = (key: (r: Rec) => CellValue) =>
      groups(mine, (r) => ({ k: key(r) })).map(({ key, list }) => [key.k, list.length, sum(list, (r) => r.bytes)]);
    const sortDesc = (rows: (CellValue | undefined)[][]) =>
      rows.sort((a, b) => (b[1] as number) - (a[1] as number) || byText(a[0], b[0]));
    assert.deepEqual(
      sortDesc((await panel(E, 'direction')).map((r) => [r.direction, r.records, r.bytes])),
      sortDesc(count(direction)),
    );
    assert.deepEqual(
      (await panel(E, 'protocols')).map((r) => [r.protocol, r.records, r.bytes]),
      sortDesc(count((r) => r.proto)),
    );
    const protocols = await panel(E, 'protocols');
    assert.equal(protocols.find((r) => r.protocol === 6)?.name, 'TCP');
    assert.deepEqual(
      (await panel(E, 'interfaces')).map((r) => [r.interface_id, r.records, r.bytes]),
      sortDesc(count((r) => r.eni)),
    );
  });

  test('traffic over time: minutes by action that add up to the totals, and a chart of them', async () => {
    const minutes = await panel(E, 'overTime');
    assert.equal(
      minutes.reduce((a, r) => a + (r.records as number), 0),
      mine.length,
    );
    for (const r of minutes) assert.equal(Date.parse(String(r.minute)) % 60_000, 0, 'whole minutes');
    const rejects = minutes.filter((r) => r.action === 'REJECT');
    assert.deepEqual(
      rejects.map((r) => [Date.parse(String(r.minute)) / 1000, r.bytes]),
      mine.filter((r) => r.action === 'REJECT').map((r) => [r.start - (r.start % 60), r.bytes]),
    );
    const q = entityQueries(parseEntity(E)!).find((p) => p.id === 'overTime')!;
    const run = (await call(fx.engine, 'query.run', { query: q.sql, dialect: 'sql' })) as Output<'query.run'>;
    const chart = (await call(fx.engine, 'query.chart', {
      resultId: run.resultId,
      spec: overTimeChart('bytes'),
      width: 600,
    })) as Output<'query.chart'>;
    const y = chart.columns.findIndex((c) => c.name === 'bytes');
    assert.equal(
      chart.rows.reduce((a, r) => a + Number(r[y]), 0),
      sum(mine, (r) => r.bytes),
    );
  });

  test('the time range narrows every answer', async () => {
    const range = { from: isoSeconds(T0 + 3600), to: isoSeconds(T0 + 7200) };
    const inRange = mine.filter((r) => r.start >= T0 + 3600 && r.start < T0 + 7200);
    assert.ok(inRange.length > 0 && inRange.length < mine.length);
    const [s] = await panel(E, 'summary', range);
    assert.equal(s!.records, inRange.length);
    assert.equal(
      s!.bytes,
      sum(inRange, (r) => r.bytes),
    );
  });

  test('an IPv6 address typed in any spelling finds the records that log it', async () => {
    const v6 = records.filter((r) => r.src === '2001:db8::2' || r.dst === '2001:db8::2');
    const [s] = await panel('2001:DB8:0:0:0:0:0:0002', 'summary');
    assert.equal(s!.records, v6.length);
    assert.ok(v6.length > 0);
  });
});

describe('who owns an address', () => {
  /** The row of a packaged `lo,hi,value…` CSV whose range holds the address. */
  function packagedRow(pkg: string, file: string, address: string): string[] {
    const n = parseIpv4(address)!;
    for (const line of readFileSync(join(require.resolve(`${pkg}/package.json`), '..', file), 'utf8').split('\n')) {
      const fields = line.split(',');
      if (Number(fields[0]) <= n && n <= Number(fields[1])) return fields.slice(2);
    }
    throw new Error(`no range holds ${address}`);
  }

  test('a public address: not private, outside the VPC, with its country and autonomous system', async () => {
    const [about] = await panel('8.8.8.8', 'about');
    const [country] = packagedRow(
      '@ip-location-db/geo-whois-asn-country',
      'geo-whois-asn-country-ipv4-num.csv',
      '8.8.8.8',
    );
    const [asn, ...org] = packagedRow('@ip-location-db/asn', 'asn-ipv4-num.csv', '8.8.8.8');
    assert.equal(about!.private, false);
    assert.equal(about!.public, true);
    assert.equal(about!.in_vpc, false);
    assert.equal(about!.country, country);
    assert.equal(typeof about!.country_name, 'string');
    assert.equal(about!.asn, Number(asn));
    assert.equal(about!.as_org, org.join(',').replace(/^"|"$/g, ''));
  });

  test('a private address in the VPC ranges has no country', async () => {
    const [about] = await panel('10.0.0.5', 'about');
    assert.deepEqual(
      [about!.private, about!.public, about!.in_vpc, about!.country, about!.asn],
      [true, false, true, null, null],
    );
  });

  test("an AWS address: the most specific service of AWS's ranges and its Region; without the file, an error", async () => {
    const ranges = JSON.parse(readFileSync(AWS_FIXTURE, 'utf8')) as {
      prefixes: { ip_prefix: string; region: string; service: string }[];
    };
    const n = parseIpv4('3.5.0.10')!;
    const holding = ranges.prefixes.filter((p) => {
      const r = parseCidr(p.ip_prefix)!;
      return r.family === 4 && r.lo <= n && n <= r.hi && p.service !== 'AMAZON';
    });
    assert.equal(holding.length, 1);
    assert.deepEqual(await panel('3.5.0.10', 'aws'), [
      { aws_service: holding[0]!.service, aws_region: holding[0]!.region },
    ]);
    await assert.rejects(panel('3.5.0.10', 'aws', undefined, noAws), /ip-ranges/);
    assert.equal((await panel('3.5.0.10', 'about', undefined, noAws)).length, 1, 'the rest answers without it');
  });
});

describe('an ENI and a port', () => {
  test('an ENI: its own address is the one in most of its records; its conversations and ports', async () => {
    const mine = records.filter((r) => r.eni === 'eni-a');
    const ends = new Map<string, number>();
    for (const r of mine) for (const a of [r.src, r.dst]) if (a) ends.set(a, (ends.get(a) ?? 0) + 1);
    const top = [...ends.entries()].sort((a, b) => b[1] - a[1]);
    assert.ok(top[0]![1] > top[1]![1], 'one address leads');
    const [about] = await panel('eni-a', 'about');
    assert.equal(about!.address, top[0]![0]);
    assert.equal(about!.account_id, '123456789012');

    const expected = conversations(mine, (r) => ({ srcaddr: r.src, dstaddr: r.dst, direction: direction(r) })).sort(
      (a, b) =>
        b.bytes! - a.bytes! || b.records - a.records || byText(a.srcaddr, b.srcaddr) || byText(a.dstaddr, b.dstaddr),
    );
    assert.deepEqual(await panel('eni-a', 'peers'), expected);
    const ports = await panel('eni-a', 'ports');
    assert.equal(
      ports.reduce((a, r) => a + (r.records as number), 0),
      mine.length,
    );
    assert.equal('served_by' in ports[0]!, false, 'an ENI has no one side');
  });

  test('an ENI with NODATA records counts them, with no action, and its log status over time', async () => {
    const mine = records.filter((r) => r.eni === 'eni-d');
    const [s] = await panel('eni-d', 'summary');
    assert.deepEqual([s!.records, s!.accepted, s!.rejected, s!.bytes], [mine.length, 0, 0, null]);
    const statuses = (await panel('eni-d', 'overTime')).map((r) => r.action);
    assert.deepEqual([...new Set(statuses)].sort(), [...new Set(mine.map((r) => r.status))].sort());
  });

  test('a port: records with it at either end, and the addresses that used it', async () => {
    const mine = records.filter((r) => r.sport === 22 || r.dport === 22);
    const [s] = await panel('22', 'summary');
    assert.equal(s!.records, mine.length);
    assert.equal(s!.sources, new Set(mine.map((r) => r.src)).size);
    assert.equal(s!.destinations, new Set(mine.map((r) => r.dst)).size);
    const peers = await panel('22', 'peers');
    assert.deepEqual(
      peers.map((p) => `${p.srcaddr} ${p.dstaddr}`).sort(),
      [...new Set(mine.map((r) => `${r.src} ${r.dst}`))].sort(),
    );
  });
});
