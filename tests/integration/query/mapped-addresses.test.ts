/**
 * IPv4-mapped IPv6 addresses (`::ffff:10.0.0.9`) and other IPv6 text with a dotted IPv4 tail, imported from a
 * flow-log file, in every dialect: a mapped address is its IPv4 address (as Java's InetAddress, so Trino,
 * reads it), and none of them makes a country or ASN lookup fail (one such record failed every lookup of the
 * workspace: "Could not convert string '0x00000000ffff10.0' to UINT64").
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CellValue, Dialect, Output } from '../../../preload/contract';
import { Engine } from '../../../main/engine';
import { call } from '../../../main/engine/dispatch';
import { importPaths } from '../../../main/engine/ingest';
import { openedForFile } from '../../support/opened-for-file';

const dir = mkdtempSync(join(tmpdir(), 'flowscope-mapped-'));
const SOURCES = ['10.0.0.1', '::ffff:10.0.0.9', '2001:DB8::AB', '10.0.0.3', '::ffff:8.8.8.8', '64:ff9b::8.8.8.8'];

const engine = openedForFile(async () => {
  const e = await Engine.open({ workspace: join(dir, 'w.duckdb'), create: true });
  const file = join(dir, 'mapped.log');
  const lines = SOURCES.map(
    (src, i) => `2 123456789012 eni-1 ${src} 10.0.0.2 ${1000 + i} 443 6 1 40 1790811600 1790811660 ACCEPT OK`,
  );
  writeFileSync(file, `${lines.join('\n')}\n`);
  const result = await importPaths(e.workspace, [file], {});
  assert.deepEqual([result.files[0]!.records, result.files[0]!.rejected], [SOURCES.length, 0]);
  return e;
}, dir);

async function rows(dialect: Dialect, query: string): Promise<CellValue[][]> {
  const out = (await call(engine(), 'query.run', { query, dialect, pageSize: 100 })) as Output<'query.run'>;
  return out.rows;
}

test('the import stores a mapped address with its IPv4 integer, and no other IPv6 one', async () => {
  assert.deepEqual(await rows('sql', 'SELECT srcaddr, src_ip4 FROM flows ORDER BY srcport'), [
    ['10.0.0.1', 167772161],
    ['::ffff:10.0.0.9', 167772169],
    ['2001:DB8::AB', null],
    ['10.0.0.3', 167772163],
    ['::ffff:8.8.8.8', 134744072],
    ['64:ff9b::8.8.8.8', null],
  ]);
});

test('Athena: contains() of an IPv4 network holds a mapped address as a filter as in a value', async () => {
  // Trino: 10.0.0.1, ::ffff:10.0.0.9 (10.0.0.9) and 10.0.0.3; the filter left the mapped one out (3 against 2).
  assert.deepEqual(
    await rows(
      'athena',
      "SELECT count_if(contains('10.0.0.0/24', CAST(srcaddr AS IPADDRESS))), (SELECT count(*) FROM vpc_flow_logs WHERE contains('10.0.0.0/24', CAST(srcaddr AS IPADDRESS))) FROM vpc_flow_logs",
    ),
    [[3, 3]],
  );
});

test('country and ASN lookups answer for every address form, a mapped one as its IPv4 address', async () => {
  const expected = [
    ['10.0.0.1', null],
    ['::ffff:10.0.0.9', null],
    ['2001:DB8::AB', null],
    ['10.0.0.3', null],
    ['::ffff:8.8.8.8', 'US'],
    ['64:ff9b::8.8.8.8', null],
  ];
  assert.deepEqual(await rows('sql', 'SELECT srcaddr, geo_country(srcaddr) FROM flows ORDER BY srcport'), expected);
  assert.deepEqual(
    await rows(
      'sql',
      "SELECT geo_country('::ffff:8.8.8.8'), asn_number('::ffff:8.8.8.8'), asn_number('64:ff9b::8.8.8.8')",
    ),
    [['US', 15169, null]],
  );
  const byCountry = await rows(
    'insights',
    'stats count(*) as c by geoCountry(srcAddr) as cc, asnOrg(srcAddr) as o | sort c desc',
  );
  assert.deepEqual(byCountry, [
    [null, null, 5],
    ['US', 'Google LLC', 1],
  ]);
  const sumo = await rows('sumo', '_sourceCategory=vpc | geoip srcaddr | count by country_code | sort by _count');
  assert.deepEqual(sumo, [
    [null, 5],
    ['US', 1],
  ]);
});

test('every dialect tests a mapped address as its IPv4 address: CIDRs, private and public', async () => {
  assert.deepEqual(
    await rows(
      'insights',
      `stats sum(isIpv4InSubnet(srcAddr, "10.0.0.0/24")) as v4, sum(isIpInSubnet(srcAddr, "::ffff:10.0.0.0/104")) as mixed,
             sum(isIpInSubnet(srcAddr, "::ffff:0:0/96")) as mapped, sum(isPrivateIp(srcAddr)) as private, sum(isPublicIp(srcAddr)) as public`,
    ),
    // Private: 10.0.0.1, 10.0.0.9, 10.0.0.3; public: 2001:db8::ab (a documentation address counts as public), 8.8.8.8, 64:ff9b::808:808.
    [[3, 1, 2, 3, 3]],
  );
  assert.deepEqual(
    await rows('sumo', '_sourceCategory=vpc | where compareCIDRPrefix(srcaddr, "10.0.0.0", 24) | count'),
    [[3]],
  );
  assert.deepEqual(
    await rows(
      'sql',
      "SELECT count(*) FILTER (WHERE ip_in_cidr(srcaddr, '10.0.0.0/24')), count(*) FILTER (WHERE is_private_ip(srcaddr)) FROM flows",
    ),
    [[3, 3]],
  );
});
