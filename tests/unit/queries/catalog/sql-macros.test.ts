/** The enrichment macros on a real (in-memory) DuckDB connection agree with the TypeScript catalog. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { direction, isPrivateIp, isPublicIp } from '../../../../queries/catalog/address-class';
import { enrichmentSql } from '../../../../queries/catalog/sql-macros';
import { compileQuery } from '../../../../queries/language/index';

let conn: DuckDBConnection;

async function one(sql: string): Promise<unknown> {
  const reader = await conn.runAndReadAll(`SELECT ${sql}`);
  return reader.getRowsJS()[0]![0];
}

describe('enrichment SQL macros', () => {
  before(async () => {
    const db = await DuckDBInstance.create(':memory:');
    conn = await db.connect();
    await conn.run(enrichmentSql().join(';\n'));
  });
  after(() => conn.closeSync());

  test('name protocols, services, TCP flags and traffic paths', async () => {
    assert.equal(await one('protocol_name(6)'), 'TCP');
    assert.equal(await one('protocol_name(999)'), null);
    assert.equal(await one('service_name(22, 6)'), 'ssh');
    assert.equal(await one('service_name(53, 17)'), 'domain');
    assert.equal(await one('service_name(22, 1)'), null);
    assert.equal(await one('tcp_flag_names(18)'), 'SYN,ACK');
    assert.match(String(await one('traffic_path_name(3)')), /virtual private gateway/);
  });

  test('protocol names IANA assigned after the package snapshot, in SQL, Insights and Sumo alike', async () => {
    const expected = { 143: 'Ethernet', 144: 'AGGFRAG', 145: 'NSH' };
    for (const [n, name] of Object.entries(expected)) assert.equal(await one(`protocol_name(${n})`), name);
    // A list of records is ordered newest first: the stand-in for `flows` has the time it orders by.
    await conn.run(
      `CREATE TEMP TABLE flows AS SELECT *, TIMESTAMP '2026-03-02' AS start_time FROM (VALUES (143), (144), (145)) t(protocol)`,
    );
    const byProtocol = async (query: string, dialect: 'insights' | 'sumo') => {
      const sql = compileQuery(query, { dialect }).sql!.replace('main.flows', 'flows');
      const rows = (await conn.runAndReadAll(sql)).getRowsJS();
      return Object.fromEntries(rows.map(([p, name]) => [Number(p), name]));
    };
    assert.deepEqual(await byProtocol('fields protocol, protocolName(protocol) as name', 'insights'), expected);
    assert.deepEqual(
      await byProtocol(
        '_sourceCategory=v | lookup name from protocols on protocol=protocol | fields protocol, name',
        'sumo',
      ),
      expected,
    );
    await conn.run('DROP TABLE flows');
  });

  test('service_name takes a caller column named protocol', async () => {
    const reader = await conn.runAndReadAll(
      `SELECT service_name(port, protocol) FROM (VALUES (22, 6), (443, 6), (53, 17)) t(port, protocol)`,
    );
    assert.deepEqual(
      reader.getRowsJS().map((r) => r[0]),
      ['ssh', 'https', 'domain'],
    );
  });

  test('tcp-flags bitmasks name their flags in bit order; traffic-path codes 1 to 8 have their AWS meanings', async () => {
    assert.equal(await one('tcp_flag_names(2)'), 'SYN');
    assert.equal(await one('tcp_flag_names(19)'), 'FIN,SYN,ACK');
    assert.equal(await one('tcp_flag_names(4)'), 'RST');
    assert.equal(await one('tcp_flag_names(0)'), '');
    assert.match(String(await one('traffic_path_name(2)')), /internet gateway/);
    assert.match(String(await one('traffic_path_name(4)')), /intra-region VPC peering/);
    assert.equal(await one('traffic_path_name(9)'), null);
  });

  test('CIDR membership works for IPv4 and IPv6', async () => {
    assert.equal(await one(`ip_in_cidr('10.1.2.3', '10.0.0.0/8')`), true);
    assert.equal(await one(`ip_in_cidr('11.1.2.3', '10.0.0.0/8')`), false);
    assert.equal(await one(`ip_in_cidr('2001:db8::5', '2001:db8::/32')`), true);
    assert.equal(await one(`ip_in_cidr('2001:db9::5', '2001:db8::/32')`), false);
    assert.equal(await one(`ip_in_cidr('fd12:3456::1', 'fc00::/7')`), true);
    assert.equal(await one(`compare_cidr_prefix('10.1.1.1', '10.1.200.2', 16)`), true);
    assert.equal(await one(`compare_cidr_prefix('10.1.1.1', '10.2.1.1', 16)`), false);
  });

  test('an IPv4-mapped address is its IPv4 address; an IPv6 range tests its 128 bits, a dotted tail as two groups', async () => {
    // Java's InetAddress, so Trino, reads ::ffff:10.0.0.9 as 10.0.0.9; it was in neither range (NULL, false).
    for (const a of ['::ffff:10.0.0.9', '::FFFF:a00:9', '0:0:0:0:0:ffff:10.0.0.9']) {
      assert.equal(await one(`ip4_to_int('${a}')`), 167772169, a);
      assert.equal(await one(`ip_in_cidr('${a}', '10.0.0.0/24')`), true, a);
      assert.equal(await one(`ip_in_cidr('${a}', '::ffff:0:0/96')`), true, a);
      assert.equal(await one(`compare_cidr_prefix('${a}', '10.0.0.1', 24)`), true, a);
    }
    assert.equal(await one(`ip_in_cidr('::ffff:10.0.0.9', '::ffff:10.0.0.0/104')`), true);
    assert.equal(await one(`ip4_to_int('64:ff9b::10.0.0.9')`), null);
    assert.equal(await one(`ip_in_cidr('64:ff9b::10.0.0.9', '10.0.0.0/8')`), null);
    assert.equal(await one(`ip6_hex('64:ff9b::8.8.8.8')`), '0064ff9b000000000000000008080808');
    assert.equal(await one(`ip6_hex('1:2:3:4:5:6:1.2.3.4')`), '00010002000300040005000601020304');
    assert.equal(await one(`ip_in_cidr('64:ff9b::8.8.8.8', '64:ff9b::/96')`), true);
    assert.equal(await one(`is_private_ip('::ffff:10.0.0.1')`), true);
    assert.equal(await one(`is_public_ip('::ffff:10.0.0.1')`), false);
    assert.equal(await one(`is_public_ip('::ffff:8.8.8.8')`), true);
  });

  test('private, public and direction agree with the TypeScript catalog', async () => {
    const addresses = [
      '10.0.0.1',
      '172.20.0.10',
      '100.64.1.1',
      '8.8.8.8',
      '203.0.113.9',
      '224.0.0.1',
      'fd00::1',
      'fe80::1',
      '2600:1f18::1',
      '::1',
      '::ffff:10.0.0.1',
      '::ffff:8.8.8.8',
      '64:ff9b::8.8.8.8',
    ];
    for (const a of addresses) {
      assert.equal(await one(`is_private_ip('${a}')`), isPrivateIp(a), `is_private_ip ${a}`);
      assert.equal(await one(`is_public_ip('${a}')`), isPublicIp(a), `is_public_ip ${a}`);
    }
    for (const [s, d] of [
      ['10.0.0.1', '8.8.8.8'],
      ['8.8.8.8', '10.0.0.1'],
      ['10.0.0.1', '10.0.0.2'],
      ['1.1.1.1', '8.8.8.8'],
    ] as const) {
      assert.equal(await one(`direction('${s}', '${d}')`), direction(s, d));
    }
    assert.equal(await one(`is_private_ip(NULL)`), null);
    assert.equal(await one(`is_private_ip('-')`), null);
  });

  test('the VPC ranges given at install decide direction in SQL and in compiled queries alike', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const own = await db.connect();
    await own.run(enrichmentSql({ vpcCidrs: ['10.1.0.0/16', '2600:1f18::/32'] }).join(';\n'));
    await own.run(
      `CREATE TABLE flows AS SELECT *, TIMESTAMP '2026-03-02' AS start_time FROM (VALUES ('10.1.0.5', '10.2.0.9', 167837701, 167903241), ('2600:1f18::1', '2600:1f19::1', NULL, NULL)) t(srcaddr, dstaddr, src_ip4, dst_ip4)`,
    );
    const sql = await own.runAndReadAll(`SELECT direction(srcaddr, dstaddr) FROM flows`);
    assert.deepEqual(
      sql.getRowsJS().map((r) => r[0]),
      ['outbound', 'outbound'],
    );
    const compiled = compileQuery('fields direction(srcAddr, dstAddr) as d', { dialect: 'insights' }).sql!.replace(
      'main.flows',
      'flows',
    );
    const viaPlan = await own.runAndReadAll(compiled);
    assert.deepEqual(
      viaPlan.getRowsJS().map((r) => r.at(-1)),
      ['outbound', 'outbound'],
    );
    own.closeSync();
  });
});
