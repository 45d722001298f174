import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { addressDataLoadSql, addressDataUsed } from '../../../../queries/catalog/address-data';
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

test('ranges are read from the staged CSVs once per address block they touch', () => {
  const statements = addressDataLoadSql('asn', { ipv4: '/s/a.csv', ipv6: "/s/o'b.csv" }, '/s/c.csv');
  // What the tables held is replaced (a refreshed AWS file is loaded again), then each is filled.
  assert.deepEqual(statements.slice(0, 3), [
    'DELETE FROM enrich.asn4',
    'DELETE FROM enrich.asn6',
    'DELETE FROM enrich.countries',
  ]);
  const [v4, v6, countries] = statements.slice(3);
  assert.match(
    v4!,
    /^INSERT INTO enrich\.asn4 SELECT unnest\(range\(lo \/\/ 65536, hi \/\/ 65536 \+ 1\)\)::UINTEGER, lo, hi, asn, org FROM read_csv\('\/s\/a\.csv'/,
  );
  assert.match(v6!, /'\/s\/o''b\.csv'.*'lo': 'UHUGEINT'/);
  assert.match(countries!, /enrich\.countries/);
});

test('a query needs the data sets whose functions or tables it names', () => {
  assert.deepEqual(addressDataUsed('SELECT geo_country(dstaddr) FROM flows'), ['geo']);
  assert.deepEqual(addressDataUsed('SELECT asn_number4_(src_ip4), aws_region(x) FROM flows'), ['asn', 'aws']);
  assert.deepEqual(addressDataUsed('SELECT * FROM enrich.countries'), ['geo']);
  assert.deepEqual(addressDataUsed('SELECT count(*) FROM flows'), []);
});
