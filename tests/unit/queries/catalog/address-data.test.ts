import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { addressDataLoadSql, addressDataUsed } from '../../../../queries/catalog/address-data';
import { enrichmentSql } from '../../../../queries/catalog/sql-macros';
import { awsIpRangesCsv, parseAwsIpRanges } from '../../../../queries/catalog/aws-ip-ranges';
import { parseIpv4 } from '../../../../queries/catalog/ip';

const fixture = readFileSync(new URL('../../../fixtures/aws/ip-ranges.json', import.meta.url), 'utf8');

function owner(ranges: ReturnType<typeof parseAwsIpRanges>, addr: string): string | undefined {
  const n = parseIpv4(addr)!;
  const r = ranges.ipv4.find((x) => x.lo <= n && n <= x.hi);
  return r && `${r.service} ${r.region}`;
}

test('AWS ranges become disjoint ranges, each address with its most specific prefix', () => {
  const r = parseAwsIpRanges(fixture);
  assert.equal(r.syncToken, '1772409600');
  assert.equal(owner(r, '52.94.116.5'), 'DYNAMODB us-east-1');
  assert.equal(owner(r, '52.94.1.1'), 'AMAZON us-east-1');
  assert.equal(owner(r, '52.94.117.0'), 'AMAZON us-east-1');
  assert.equal(owner(r, '13.33.255.255'), 'CLOUDFRONT GLOBAL');
  assert.equal(owner(r, '8.8.8.8'), undefined);
  for (let i = 1; i < r.ipv4.length; i++) assert.ok(r.ipv4[i - 1]!.hi < r.ipv4[i]!.lo, 'ranges overlap');
});

test('for the same prefix a named service wins over AMAZON, whichever the file lists first', () => {
  const r = parseAwsIpRanges(fixture);
  assert.equal(owner(r, '54.239.5.5'), 'EC2 eu-west-1');
  assert.equal(owner(r, '3.5.0.1'), 'S3 us-east-1');
});

test('IPv6 prefixes nest the same way, as 32 hex digits', () => {
  const r = parseAwsIpRanges(fixture);
  assert.deepEqual(
    r.ipv6.map((x) => [x.lo.slice(0, 8), x.service]),
    [
      ['26001f00', 'AMAZON'],
      ['26001f18', 'EC2'],
      ['26001f18', 'AMAZON'],
    ],
  );
  assert.equal(r.ipv6[1]!.hi, '26001f187fffffffffffffffffffffff');
  assert.equal(
    awsIpRangesCsv(r).ipv6.split('\n')[1]!.split(',')[0],
    BigInt('0x26001f18000000000000000000000000').toString(),
  );
});

test('a file that is not AWS ip-ranges.json is refused, naming what is wrong', () => {
  assert.throws(() => parseAwsIpRanges('<html>'), /not JSON/);
  assert.throws(() => parseAwsIpRanges('{"prefixes": []}'), /ipv6_prefixes/);
  assert.throws(
    () =>
      parseAwsIpRanges(
        '{"prefixes": [{"ip_prefix": "1.2.3.0/33", "region": "x", "service": "y"}], "ipv6_prefixes": []}',
      ),
    /entry 1 of "prefixes"/,
  );
});

/** The ASN tables filled from these `lo,hi,asn,org` lines on an in-memory DuckDB, and a lookup of keys there. */
async function loadedAsn(
  ipv4: string[],
  ipv6 = ['42540766411282592856903984951653826560,42540766411282592856903984951653826815,64496,doc'],
) {
  const dir = mkdtempSync(join(tmpdir(), 'address-data-'));
  const files = { ipv4: join(dir, 'v4.csv'), ipv6: join(dir, 'v6.csv') };
  writeFileSync(files.ipv4, ipv4.join('\n') + '\n');
  writeFileSync(files.ipv6, ipv6.join('\n') + '\n');
  const db = await DuckDBInstance.create(':memory:', { asof_loop_join_threshold: '0' });
  const conn = await db.connect();
  for (const s of [...enrichmentSql(), ...addressDataLoadSql('asn', files)]) await conn.run(s);
  rmSync(dir, { recursive: true });
  return {
    table: async (family: 4 | 6) =>
      (
        await conn.runAndReadAll(`SELECT lo::VARCHAR, hi::VARCHAR, asn FROM enrich.asn${family} ORDER BY lo`)
      ).getRowsJS(),
    lookup: async (keys: (number | bigint)[]) =>
      (
        await conn.runAndReadAll(
          `SELECT asn_number_k(k::UHUGEINT) FROM unnest([${keys.map((k) => `'${k}'`).join(', ')}]) AS t(k) ORDER BY k::UHUGEINT`,
        )
      )
        .getRowsJS()
        .map((r) => r[0]),
    close: () => conn.closeSync(),
  };
}

test('overlapping ranges are cut into disjoint pieces, each with the narrowest range holding it', async () => {
  const data = await loadedAsn([
    '100,199,1,outer', // holds 120-129 (2) and 150-159 (3); 170-209 (4) starts inside it and ends beyond
    '120,129,2,inner',
    '150,159,3,inner',
    '170,209,4,across',
    '300,309,5,twice', // the same range twice: one of them
    '300,309,5,twice',
    '310,319,6,adjacent', // touching, not overlapping: kept as it is
    '4294967290,4294967295,7,last', // the last IPv4 address: no piece past it
    '4294967293,4294967295,8,last-inner',
  ]);
  try {
    assert.deepEqual(await data.table(4), [
      ['100', '119', 1],
      ['120', '129', 2],
      ['130', '149', 1],
      ['150', '159', 3],
      ['160', '169', 1],
      ['170', '199', 4], // narrower than the outer range (30 against 100 addresses)
      ['200', '209', 4],
      ['300', '309', 5],
      ['310', '319', 6],
      ['4294967290', '4294967292', 7],
      ['4294967293', '4294967295', 8],
    ]);
    assert.deepEqual(
      await data.lookup([99, 100, 125, 130, 155, 169, 170, 205, 210, 305, 319, 320, 4294967292, 4294967295]),
      [null, 1, 2, 1, 3, 1, 4, 4, null, 5, 6, null, 7, 8],
    );
  } finally {
    data.close();
  }
});

test('IPv6 ranges are cut the same way up to the last address, and IPv4 and IPv6 keys read their own tables', async () => {
  const max = (1n << 128n) - 1n;
  const base = 0x20010db8n << 96n;
  const data = await loadedAsn(
    ['0,4294967295,1,all-of-ipv4'],
    [`${base},${base + 99n},64500,doc`, `${base + 10n},${base + 19n},64501,doc-inner`, `${max - 9n},${max},64502,top`],
  );
  try {
    assert.deepEqual(
      (await data.table(6)).map(([lo, hi, asn]) => [BigInt(lo as string) - base, BigInt(hi as string) - base, asn]),
      [
        [0n, 9n, 64500],
        [10n, 19n, 64501],
        [20n, 99n, 64500],
        [max - 9n - base, max - base, 64502],
      ],
    );
    assert.deepEqual(await data.lookup([7, base - 1n, base + 15n, base + 50n, base + 100n, max]), [
      1,
      null,
      64501,
      64500,
      null,
      64502,
    ]);
  } finally {
    data.close();
  }
});

test('a query needs the data sets whose functions or tables it names', () => {
  assert.deepEqual(addressDataUsed('SELECT geo_country(dstaddr) FROM flows'), ['geo']);
  assert.deepEqual(addressDataUsed('SELECT asn_number4_(src_ip4), aws_region(x) FROM flows'), ['asn', 'aws']);
  assert.deepEqual(addressDataUsed('SELECT * FROM enrich.countries'), ['geo']);
  assert.deepEqual(addressDataUsed('SELECT count(*) FROM flows'), []);
});
