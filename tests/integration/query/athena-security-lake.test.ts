/**
 * The Athena dialect on Amazon Security Lake's published VPC flow queries (User Guide, source versions 1
 * and 2; the Security Analytics Bootstrap's OCSF directory), unchanged, over records that landed as
 * Security Lake's OCSF Parquet: flow-log text written here, mapped to OCSF 1.0.0-rc.2 as the published
 * table says (tests/support/security-lake.ts), imported by the engine. Every answer is worked out by hand
 * from the list below. And the documented OCSF samples, imported, read back through the table as the
 * records they were.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { CellValue, Output } from '../../../preload/contract';
import { Engine } from '../../../main/engine';
import { call } from '../../../main/engine/dispatch';
import { SECURITY_LAKE_QUERIES, type SecurityLakeQuery } from '../../fixtures/athena/security-lake-queries';
import { flowLogsAsOcsf, RC2_OCSF, V150_OCSF, writeOcsfParquet } from '../../support/security-lake';
import { columnsOf, sorted } from './athena-fixture';

const A = '111122223333';
const B = '444455556666';
const I0 = 'i-000000000000000';
const DAY_MS = 86_400_000;
/** Yesterday at noon UTC: inside every "last 7 days" filter, whenever the test runs. */
const RECENT = Math.floor(Date.now() / DAY_MS) * DAY_MS - DAY_MS / 2;
/** 2023-06-01 noon UTC: inside the Bootstrap's partition range (eventday 20230530 to 20230631). */
const OLD = Date.UTC(2023, 5, 1, 12);

interface Rec {
  at: number;
  account: string;
  region: string;
  eni: string;
  instance: string;
  src: string;
  dst: string;
  sport: number;
  dport: number;
  proto: number;
  packets: number;
  bytes: number;
  action: 'ACCEPT' | 'REJECT';
  direction: 'ingress' | 'egress';
}

const rec = (
  at: number,
  region: string,
  src: string,
  sport: number,
  dst: string,
  dport: number,
  packets: number,
  bytes: number,
  action: Rec['action'],
  direction: Rec['direction'],
  instance: string,
  more: Partial<Rec> = {},
): Rec => ({
  at,
  account: A,
  region,
  eni: `eni-${instance.slice(2)}`,
  instance,
  src,
  dst,
  sport,
  dport,
  proto: 6,
  packets,
  bytes,
  action,
  direction,
  ...more,
});

// R: the last 7 days; O: 2023-06-01. Both have a NODATA record of their own (below).
const R1 = rec(RECENT, 'us-east-1', '192.0.2.1', 22, '192.0.2.2', 50000, 10, 1000, 'ACCEPT', 'ingress', 'i-r1');
const R2 = rec(RECENT + 30_000, 'us-east-1', '192.0.2.2', 50000, '192.0.2.1', 22, 8, 800, 'ACCEPT', 'egress', 'i-r1');
const R3 = rec(RECENT, 'us-west-2', '198.51.100.7', 40000, '10.0.0.5', 443, 5, 500, 'REJECT', 'ingress', 'i-r3');
const R4 = rec(RECENT, 'eu-west-1', '10.0.0.6', 52000, '52.94.0.1', 443, 7, 700, 'ACCEPT', 'egress', 'i-r4');
const O1 = rec(OLD, 'us-east-1', '203.0.113.2', 443, '192.0.2.1', 50000, 10, 5000, 'ACCEPT', 'ingress', I0);
const O2 = rec(OLD + 1000, 'us-east-1', '192.0.2.1', 50000, '203.0.113.2', 443, 8, 1200, 'ACCEPT', 'egress', I0);
const O3 = rec(OLD, 'us-east-1', '172.16.5.5', 3306, '172.31.0.9', 45000, 6, 900, 'ACCEPT', 'egress', 'i-1111');
const O4 = rec(OLD, 'us-east-1', '172.16.5.5', 53000, '8.8.8.8', 53, 1, 70, 'ACCEPT', 'egress', 'i-1111', {
  proto: 17,
});
const O5 = rec(OLD + 2000, 'us-east-1', '192.0.2.1', 1234, '192.0.2.254', 8080, 4, 400, 'ACCEPT', 'egress', I0);
const O6 = rec(OLD + 3000, 'us-east-1', '192.0.2.254', 8080, '192.0.2.1', 1234, 4, 300, 'ACCEPT', 'ingress', I0);
const O7 = rec(OLD, 'us-east-2', '192.0.2.9', 40000, '10.0.0.1', 443, 2, 120, 'ACCEPT', 'ingress', 'i-b7', {
  account: B,
});
const RECORDS = [R1, R2, R3, R4, O1, O2, O3, O4, O5, O6, O7];

/** A record as a headerless version 5 line (the fields of tests/support/security-lake.ts's V5_FIELDS). */
function line(r: Rec): string {
  const start = r.at / 1000;
  return [
    5,
    r.account,
    r.eni,
    r.src,
    r.dst,
    r.sport,
    r.dport,
    r.proto,
    r.packets,
    r.bytes,
    start,
    start + 60,
    r.action,
    'OK',
    'vpc-0aa',
    'subnet-0bb',
    r.instance,
    r.direction === 'egress' ? 2 : 18,
    'IPv4',
    r.src,
    r.dst,
    r.region,
    'use1-az1',
    '-',
    '-',
    '-',
    '-',
    r.direction,
    r.direction === 'egress' ? 1 : '-',
  ].join(' ');
}

function nodata(at: number, eni: string): string {
  const start = at / 1000;
  return `5 ${A} ${eni} - - - - - - - ${start} ${start + 60} - NODATA - - - - - - - us-east-1 - - - - - - -`;
}

const dir = mkdtempSync(join(tmpdir(), 'flowscope-athena-lake-'));
let engine: Engine;
let samples: Engine;

async function importAll(into: Engine, paths: string[]): Promise<void> {
  const job = await into.jobWait({ jobId: into.startImport(paths, {}) });
  assert.equal(job.state, 'done', JSON.stringify(job));
}

before(async () => {
  const text = join(dir, 'flows.log');
  writeFileSync(text, [...RECORDS.map(line), nodata(RECENT, 'eni-r5'), nodata(OLD, 'eni-o8')].join('\n') + '\n');
  const parquet = join(dir, 'lake', 'aws', 'VPC_FLOW', '1.0', 'region=us-east-1', `accountId=${A}`, 'x.gz.parquet');
  await flowLogsAsOcsf(text, parquet);
  engine = await Engine.open({ workspace: join(dir, 'lake.duckdb'), create: true });
  await importAll(engine, [parquet]);

  samples = await Engine.open({ workspace: join(dir, 'samples.duckdb'), create: true });
  const paths = [RC2_OCSF, V150_OCSF].map((o) => join(dir, `${o.metadata.version}.gz.parquet`));
  await writeOcsfParquet(paths[0]!, [RC2_OCSF]);
  await writeOcsfParquet(paths[1]!, [V150_OCSF]);
  await importAll(samples, paths);
});
after(async () => {
  await engine.close();
  await samples.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(query: string, on = engine): Promise<Output<'query.run'>> {
  return (await call(on, 'query.run', { query, pageSize: 1000 })) as Output<'query.run'>;
}

function published(source: SecurityLakeQuery['source'], title: string): string {
  const found = SECURITY_LAKE_QUERIES.find((p) => p.source === source && p.title === title);
  assert.ok(found, `${source}: ${title}`);
  return found.query;
}

/** The named columns of every row of a published query. */
async function table(source: SecurityLakeQuery['source'], title: string, ...columns: string[]): Promise<CellValue[][]> {
  const r = await run(published(source, title));
  assert.equal(r.dialect, 'athena');
  return columnsOf(r, ...columns);
}

test('every published Security Lake VPC flow query runs as Athena SQL', async () => {
  assert.equal(SECURITY_LAKE_QUERIES.length, 38);
  for (const p of SECURITY_LAKE_QUERIES) {
    const r = await run(p.query).catch((err: unknown) => assert.fail(`${p.source}: ${p.title}: ${String(err)}`));
    assert.equal(r.dialect, 'athena', p.title);
  }
});

for (const [source, table_] of [
  ['security-lake-docs-v1', 'vpc_flow_1_0'],
  ['security-lake-docs-v2', 'vpc_flow_2_0'],
] as const) {
  const q = (title: string, ...columns: string[]) => table(source, title, ...columns);
  const v2 = source === 'security-lake-docs-v2';

  test(`User Guide, ${table_}: the last 7 days by region, by source, by /24, distinct destinations`, async () => {
    // R1, R2, R3 and the recent NODATA record; R4 is in eu-west-1.
    assert.deepEqual(sorted(await q('Traffic in specific AWS Regions in the last 7 days', 'region')), [
      ['us-east-1'],
      ['us-east-1'],
      ['us-east-1'],
      ['us-west-2'],
    ]);
    assert.deepEqual(
      await q('List of activity from source IP 192.0.2.1 and source port 22 in the last 7 days', 'src_endpoint'),
      [
        [
          {
            ip: '192.0.2.1',
            port: 22,
            svc_name: '-',
            intermediate_ips: null,
            // R1 is inbound: its interface is on the destination side.
            interface_uid: null,
            vpc_uid: null,
            subnet_uid: null,
            instance_uid: null,
          },
        ],
      ],
    );
    assert.deepEqual(
      (await q('Traffic originating from 198.51.100.0/24 in the last 7 days', 'traffic')).map((r) => r[0]),
      [{ packets: 5, bytes: 500 }],
    );
    // 192.0.2.2, 192.0.2.1, 10.0.0.5, 52.94.0.1 and the NODATA record's '-'.
    // Trino's names are lower case, a quoted alias's too.
    const count = v2 ? 'total' : '_col0';
    assert.deepEqual(await q('Count of distinct destination IP addresses in the last 7 days', count), [[5]]);
  });

  test(`User Guide, ${table_}: HTTPS traffic by packets, the two-way traffic of a pair, rejected traffic`, async () => {
    assert.deepEqual(await q('All HTTPS traffic in the last 7 days', 'dst', 'src', 'packets'), [
      ['52.94.0.1', '10.0.0.6', 7],
      ['10.0.0.5', '198.51.100.7', 5],
    ]);
    assert.deepEqual(
      await q('Order by packet count for connections destined to port 443 in the last 7 days', 'packets', 'ip'),
      [
        [7, '52.94.0.1'],
        [5, '10.0.0.5'],
      ],
    );
    // R1 (inbound: no interface on the source side) then R2 (outbound, from eni-r1), 30 s later.
    const start = v2 ? 'start_time_dt' : 'start_time';
    const pair = await q(
      'All traffic between IP 192.0.2.1 and 192.0.2.2 in the last 7 days',
      'interface_uid',
      'direction',
      'ip',
      'ip_1',
      'port',
      'port_1',
      'packets',
      'bytes',
      start,
    );
    const at = (ms: number) => (v2 ? new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z') : ms);
    assert.deepEqual(pair, [
      [null, 'Inbound', '192.0.2.1', '192.0.2.2', 22, 50000, 10, 1000, at(RECENT)],
      ['eni-r1', 'Outbound', '192.0.2.2', '192.0.2.1', 50000, 22, 8, 800, at(RECENT + 30_000)],
    ]);
    assert.deepEqual(
      (await q('All rejected traffic in the last 7 days', 'src_endpoint')).map((r) => (r[0] as { ip: string }).ip),
      ['198.51.100.7'],
    );
  });

  test(`User Guide, ${table_}: inbound and outbound traffic by connection_info.direction`, async () => {
    const inbound = await q('All inbound traffic in the last 7 days', 'connection_info');
    const outbound = await q('All outbound traffic in the last 7 days', 'connection_info');
    if (v2) {
      // R1 and R3 are inbound, R2 and R4 outbound.
      assert.equal(inbound.length, 2);
      assert.equal(outbound.length, 2);
      for (const [r] of inbound) assert.equal((r as { direction_id: number }).direction_id, 1);
      for (const [r] of outbound) assert.equal((r as { direction_id: number }).direction_id, 2);
    } else {
      // The version 1 page compares with the flow log's words, 'ingress' and 'egress'; OCSF's direction is
      // 'Inbound' or 'Outbound', so Security Lake finds nothing, and so does the workspace.
      assert.deepEqual([inbound, outbound], [[], []]);
    }
  });
}

const boot = (title: string, ...columns: string[]) => table('bootstrap-security-lake', title, ...columns);

test('Bootstrap: partition filters on accountid, region and eventday', async () => {
  // 13 records: R1-R4, O1-O7 and two NODATA records; only O7 is in account B (us-east-2).
  assert.equal((await boot('Preview first 10 rows', 'accountid')).length, 10);
  const one = await boot('Limited to a single account', 'accountid');
  assert.equal(one.length, 10);
  assert.ok(one.every(([a]) => a === A));
  assert.equal((await boot('Limited to multiple accounts', 'accountid')).length, 10);
  const east = await boot('Limited to a single region', 'region');
  assert.equal(east.length, 10); // R1, R2, O1-O6 and both NODATA records
  assert.ok(east.every(([r]) => r === 'us-east-1'));
  assert.equal((await boot('Limited to multiple regions', 'region')).length, 10);
  assert.deepEqual(
    sorted(await boot('Limited to a date range', 'eventday', 'accountid')),
    sorted([...Array(7).fill(['20230601', A]), ['20230601', B]]),
  );
  // The recent records: R1-R4 and the NODATA one.
  assert.equal((await boot('Limited to the past 30 days', 'eventday')).length, 5);
  assert.equal((await boot('Combination of partition constraints', 'eventday')).length, 7);
});

test('Bootstrap: pairs by record count, a pair by bytes, bytes from port 443 to one instance', async () => {
  const pairs = await boot('Source/destination pairs by number of records', 'src_ip', 'dst_ip', 'record_count');
  assert.deepEqual(
    sorted(pairs),
    sorted([
      ['203.0.113.2', '192.0.2.1', 1],
      ['192.0.2.1', '203.0.113.2', 1],
      ['172.16.5.5', '172.31.0.9', 1],
      ['172.16.5.5', '8.8.8.8', 1],
      ['192.0.2.1', '192.0.2.254', 1],
      ['192.0.2.254', '192.0.2.1', 1],
      ['-', '-', 1],
    ]),
  );
  assert.deepEqual(
    await boot('Records between a source/destination pair by bytes', 'region', 'src_ip', 'dst_ip', 'byte_count'),
    [
      ['us-east-1', '203.0.113.2', '192.0.2.1', 5000],
      ['us-east-1', '192.0.2.1', '203.0.113.2', 1200],
    ],
  );
  // O1: inbound to I0's interface from port 443.
  assert.deepEqual(
    await boot(
      'Bytes sent from port 443 by one instance',
      'dst_instance_id',
      'src_ip',
      'src_port',
      'dst_ip',
      'byte_count',
    ),
    [[I0, '203.0.113.2', 443, '192.0.2.1', 5000]],
  );
  assert.deepEqual(
    await boot('Bytes per quad to or from one IP', 'src_ip', 'dst_ip', 'src_port', 'dst_port', 'byte_count'),
    [
      ['203.0.113.2', '192.0.2.1', 443, 50000, 5000],
      ['192.0.2.1', '203.0.113.2', 50000, 443, 1200],
      ['192.0.2.1', '192.0.2.254', 1234, 8080, 400],
      ['192.0.2.254', '192.0.2.1', 8080, 1234, 300],
    ],
  );
});

test('Bootstrap: two-way records with from_unixtime(start_time/1000), first and last seen with array_agg', async () => {
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
  assert.deepEqual(
    await boot(
      'Flow records between two IPs with connection_info.direction',
      'start_time',
      'ip',
      'direction',
      'activity_name',
    ),
    [
      [iso(O5.at), '192.0.2.1', 'Outbound', 'Traffic'],
      [iso(O6.at), '192.0.2.254', 'Inbound', 'Traffic'],
    ],
  );
  // Destination ports under 32768: O2 (443) and O5 (8080) from 192.0.2.1, O4 (53), O6 (1234).
  const r = await run(published('bootstrap-security-lake', 'Source IPs first and last seen'));
  assert.deepEqual(
    r.columns.map((c) => c.name),
    ['ip', 'first_seen', 'last_seen', '_col3', '_col4', '_col5'],
  );
  // array_agg(DISTINCT …) has no order: each list sorted.
  const lists = (rows: CellValue[][]) =>
    sorted(rows.map((row) => row.map((v) => (Array.isArray(v) ? [...v].sort() : v)) as CellValue[]));
  assert.deepEqual(
    lists(r.rows),
    lists([
      // O4 is outbound: its destination has no instance.
      ['172.16.5.5', iso(O4.at), iso(O4.at + 60_000), ['8.8.8.8'], [null], [53]],
      ['192.0.2.1', iso(O2.at), iso(O5.at + 60_000), ['192.0.2.254', '203.0.113.2'], [null], [443, 8080]],
      ['192.0.2.254', iso(O6.at), iso(O6.at + 60_000), ['192.0.2.1'], [I0], [1234]],
    ]),
  );
});

test('Bootstrap: the top-N transfer report joins the table with itself', async () => {
  // top_n has 192.0.2.1 twice (O2 and O5 differ by destination) and 192.0.2.254 once, so the join counts
  // O2 and O5 twice: the published query's own arithmetic.
  assert.deepEqual(
    await boot(
      'Transfer report on the top 10 internal IPs',
      'eventday',
      'src_endpoint_ip',
      'dst_endpoint_ip',
      'byte_count',
    ),
    [
      ['20230601', '192.0.2.1', '192.0.2.254', 800],
      ['20230601', '192.0.2.1', '203.0.113.2', 2400],
      ['20230601', '192.0.2.254', '192.0.2.1', 300],
    ],
  );
});

test("Bootstrap: IPADDRESS contains() on OCSF addresses, '-' kept out by the published filter", async () => {
  const addresses = async (title: string) =>
    sorted(
      (await boot(title, 'src_endpoint', 'dst_endpoint')).map(([s, d]) => [
        (s as { ip: string }).ip,
        (d as { ip: string }).ip,
      ]),
    );
  assert.deepEqual(await addresses('Traffic between a private and a public address (IPADDRESS)'), [
    ['172.16.5.5', '8.8.8.8'],
  ]);
  assert.deepEqual(await addresses('Internal-to-internal records in 172.16.0.0/12'), [['172.16.5.5', '172.31.0.9']]);
  assert.deepEqual(
    await addresses('All but internal-to-internal records in 172.16.0.0/12'),
    sorted([
      ['203.0.113.2', '192.0.2.1'],
      ['192.0.2.1', '203.0.113.2'],
      ['172.16.5.5', '8.8.8.8'],
      ['192.0.2.1', '192.0.2.254'],
      ['192.0.2.254', '192.0.2.1'],
    ]),
  );
});

/** An object without its null members, arrays and nested objects alike (a Parquet row has no absent field). */
function present(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(present);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([, x]) => x !== null)
      .map(([k, x]) => [k, present(x)]),
  );
}

for (const [name, sample, tableName] of [
  ['1.0.0-rc.2 sample, through vpc_flow_1_0', RC2_OCSF, 'amazon_security_lake_table_us_east_1_vpc_flow_1_0'],
  ['1.5.0 sample, through vpc_flow_2_0', V150_OCSF, 'amazon_security_lake_table_us_east_2_vpc_flow_2_0'],
] as const) {
  test(`the documented OCSF ${name}, imported, reads back as the record Security Lake wrote`, async () => {
    const r = await run(`SELECT * FROM amazon_security_lake_glue_db.${tableName} WHERE time = ${sample.time}`, samples);
    assert.equal(r.rows.length, 1);
    const got = Object.fromEntries(r.columns.map((c, i) => [c.name, r.rows[0]![i]]));
    // `unmapped` is a map: its entries as an object.
    got.unmapped = Object.fromEntries((got.unmapped as { key: string; value: string }[]).map((e) => [e.key, e.value]));
    for (const key of ['time_dt', 'start_time_dt', 'end_time_dt'])
      if (key in got) got[key] = Date.parse(String(got[key]));
    for (const [key, value] of Object.entries(sample)) {
      const want =
        typeof value === 'string' && key.endsWith('_dt') ? Date.parse(value.replace(' ', 'T')) : present(value);
      assert.deepEqual(present(got[key]), want, key);
    }
  });
}

test('a constant column in GROUP BY groups by its value, as Trino does (DuckDB read the integer as a position)', async () => {
  const r = await run(
    'SELECT class_uid, category_uid, count(*) AS n FROM amazon_security_lake_table_us_east_1_vpc_flow_1_0 GROUP BY class_uid, category_uid',
  );
  const all = await run('SELECT count(*) AS n FROM amazon_security_lake_table_us_east_1_vpc_flow_1_0');
  // OCSF's Network Activity class (4001) of the Network Activity category (4): one group of every record.
  assert.deepEqual(r.rows, [[4001, 4, all.rows[0]![0]!]]);
  const positions = await run(
    "SELECT 'x' AS k, 7 AS n, count(*) AS c FROM amazon_security_lake_table_us_east_1_vpc_flow_1_0 GROUP BY 1, 2",
  );
  assert.deepEqual(positions.rows, [['x', 7, all.rows[0]![0]!]]);
});
