import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CellValue, Output } from '../../../preload/contract';
import { call } from '../../../main/engine/dispatch';
import { openFixture, ROWS, T0 } from './fixture';
import { openedForFile } from '../../support/opened-for-file';

const fx = openedForFile(openFixture);

const iso = (offset: number) => new Date((T0 + offset) * 1000).toISOString();

async function rows(query: string, extra: Record<string, unknown> = {}): Promise<Record<string, CellValue>[]> {
  const out = (await call(fx().engine, 'query.run', { query, pageSize: 1000, ...extra })) as Output<'query.run'>;
  return out.rows.map((r) => Object.fromEntries(out.columns.map((c, i) => [c.name, r[i]!])));
}

test('the AWS top-talkers query sums packets per pair, largest first, with the alias as column name', async () => {
  const r = await rows(
    'stats sum(packets) as packetsTransferred by srcAddr, dstAddr | sort packetsTransferred desc | limit 15',
  );
  assert.deepEqual(r.slice(0, 4), [
    { srcAddr: '192.0.2.10', dstAddr: '10.0.0.5', packetsTransferred: 10 },
    { srcAddr: '10.0.0.5', dstAddr: '192.0.2.10', packetsTransferred: 8 },
    { srcAddr: '192.0.2.255', dstAddr: '10.0.0.7', packetsTransferred: 7 },
    { srcAddr: '192.0.2.10', dstAddr: '10.0.0.6', packetsTransferred: 5 },
  ]);
});

test('the AWS subnet query keeps only sources inside 192.0.2.0/24', async () => {
  const r = await rows(
    'filter isIpv4InSubnet(srcAddr, "192.0.2.0/24") | stats sum(bytes) as bytesTransferred by dstAddr | sort bytesTransferred desc | limit 15',
  );
  assert.deepEqual(r, [
    { dstAddr: '10.0.0.5', bytesTransferred: 1200 },
    { dstAddr: '10.0.0.7', bytesTransferred: 700 },
    { dstAddr: '10.0.0.6', bytesTransferred: 500 },
  ]);
});

test('the AWS UDP query names its unaliased aggregate count(*)', async () => {
  const r = await rows('filter protocol=17 | stats count(*) by srcAddr');
  assert.deepEqual(
    r.sort((a, b) => String(a.srcAddr).localeCompare(String(b.srcAddr))),
    [
      { srcAddr: '10.0.0.6', 'count(*)': 1 },
      { srcAddr: '192.0.2.20', 'count(*)': 1 },
    ],
  );
});

test('the AWS SKIPDATA query counts per hour in time order', async () => {
  const r = await rows('filter logStatus="SKIPDATA" | stats count(*) by bin(1h) as t | sort t');
  assert.deepEqual(
    r.map((x) => [Date.parse(String(x.t)), x['count(*)']]),
    [
      [Date.parse(iso(7200)), 1],
      [Date.parse(iso(10800)), 2],
    ],
  );
});

test('the time range applies without the query mentioning time', async () => {
  const r = await rows('stats count(*) as n', { timeRange: { from: iso(3600), to: iso(7200) } });
  assert.deepEqual(r, [{ n: 3 }]);
});

test('isIpInSubnet matches IPv6 ranges on the text form', async () => {
  assert.deepEqual(await rows('filter isIpInSubnet(srcAddr, "2001:db8::/32") | stats count(*) as n'), [{ n: 1 }]);
  assert.deepEqual(await rows('filter isIpInSubnet(dstAddr, "2001:db8::2/128") | stats count(*) as n'), [{ n: 2 }]);
  assert.deepEqual(
    await rows(
      'filter isIpInSubnet(pktSrcAddr, "10.0.0.0/8") or isIpInSubnet(srcAddr, "10.0.0.0/8") | stats count(*) as n',
    ),
    [{ n: 2 }],
  );
});

test('count_distinct, pct and several stats in a row', async () => {
  assert.deepEqual(await rows('filter action = "REJECT" | stats count_distinct(dstAddr) as peers'), [{ peers: 4 }]);
  assert.deepEqual(await rows('stats pct(bytes, 50) as median'), [{ median: 400 }]);
  // A NODATA record's srcAddr is the text `-`, present as in CloudWatch: `-` is one more group.
  assert.deepEqual(
    await rows(
      'filter ispresent(srcAddr) | stats sum(bytes) as b by srcAddr | stats count(*) as talkers, max(b) as top',
    ),
    [{ talkers: 9, top: 4000 }],
  );
  assert.deepEqual(
    await rows('filter srcAddr != "-" | stats sum(bytes) as b by srcAddr | stats count(*) as talkers, max(b) as top'),
    [{ talkers: 8, top: 4000 }],
  );
});

test('parse with a glob reads the parts of @message', async () => {
  const q =
    'parse @message "* * * * * * * * * * * * * *" as v, acct, eni, src, dst, sp, dp, proto, pk, byteCount, st, en, act, status | filter act = "REJECT" | stats sum(byteCount) as b';
  assert.deepEqual(await rows(q), [{ b: 1480 }]);
});

test('a fields after a parse of the record shows what it names, as after any other parse', async () => {
  const r = await rows(
    'parse @message "* * * * *" as version, account_id, interface_id, srcAddr, dstAddr | fields srcAddr | filter srcAddr = "10.0.0.5"',
  );
  assert.deepEqual(
    r,
    ROWS.filter((x) => x[0] === '10.0.0.5').map(() => ({ srcAddr: '10.0.0.5' })),
  );
});

test('parse with a regex binds its named groups', async () => {
  const r = await rows(
    'parse @message /(?<a>\\d+)\\.(\\d+)\\.(\\d+)\\.(?<d>\\d+) 10\\.0\\.0\\.5 / | filter ispresent(a) | display a, d | sort d',
  );
  // Parsed text that is only digits sorts as numbers, as CloudWatch's natural order does: 7, 10, 20.
  assert.deepEqual(r, [
    { a: '198', d: '7' },
    { a: '192', d: '10' },
    { a: '192', d: '20' },
  ]);
});

test('regex, in, like and not', async () => {
  assert.deepEqual(await rows('filter dstAddr =~ /^10\\.0\\.0\\.[67]$/ | stats count(*) as c'), [{ c: 2 }]);
  assert.deepEqual(
    await rows('filter dstPort in [22, 3389] and action = "REJECT" | stats count(*) as n by dstPort | sort n desc'),
    [
      { dstPort: '22', n: 2 },
      { dstPort: '3389', n: 1 },
    ],
  );
  assert.deepEqual(await rows('filter @message like "SKIPDATA" | stats count(*) as n'), [{ n: 3 }]);
  // The four NODATA/SKIPDATA records' action is `-`: not ACCEPT, and present.
  assert.deepEqual(await rows('filter not (action = "ACCEPT") and ispresent(action) | stats count(*) as n'), [
    { n: 8 },
  ]);
  assert.deepEqual(await rows('filter not (action = "ACCEPT") and action != "-" | stats count(*) as n'), [{ n: 4 }]);
});

test('dedup keeps the first record of each value in the current order', async () => {
  const r = await rows('filter action="ACCEPT" | sort bytes desc | dedup interfaceId | display interfaceId, bytes');
  assert.deepEqual(r, [
    { interfaceId: 'eni-a', bytes: '4000' },
    { interfaceId: 'eni-c', bytes: '400' },
    { interfaceId: 'eni-b', bytes: '200' },
  ]);
});

test('computed fields, arithmetic, earliest and latest', async () => {
  assert.deepEqual(
    await rows('filter ispresent(bytes) | fields bytes / packets as bpp, srcAddr | sort bpp desc | limit 1'),
    [{ bpp: 500, srcAddr: '10.0.0.5' }],
  );
  assert.deepEqual(
    await rows(
      'filter interfaceId = "eni-a" | stats earliest(srcAddr) as first, latest(srcAddr) as last by interfaceId',
    ),
    [{ interfaceId: 'eni-a', first: '192.0.2.10', last: '10.0.0.6' }],
  );
});

test('a query without fields shows the time and the default-format fields', async () => {
  const out = (await call(fx().engine, 'query.run', {
    query: 'filter srcPort = 443 | limit 5',
    pageSize: 10,
  })) as Output<'query.run'>;
  assert.deepEqual(out.columns.map((c) => c.name).slice(0, 5), [
    '@timestamp',
    'version',
    'accountId',
    'interfaceId',
    'srcAddr',
  ]);
  assert.equal(out.rowCount, 1);
  assert.equal(out.dialect, 'insights');
});

test('@message is the record as a line of the default format', async () => {
  assert.deepEqual(await rows('filter srcPort = 443 | fields @message'), [
    { '@message': `2 123456789012 eni-a 10.0.0.5 192.0.2.10 443 51000 6 8 4000 ${T0 + 3660} ${T0 + 3720} ACCEPT OK` },
  ]);
});

test('the text, number and time functions give Insights answers', async () => {
  const [r] = await rows(
    'filter srcPort = 443 | fields strlen(srcAddr) as l, toupper(logStatus) as u, tolower("AbC") as lo, concat(srcAddr, ":", srcPort) as c, ' +
      'substr(interfaceId, 4) as s, substr(interfaceId, 0, 3) as s3, replace(action, "ACC", "X") as r, abs(-3) as a, ceil(1.2) as ce, floor(1.8) as fl, ' +
      'datefloor(@timestamp, 1h) as df, dateceil(@timestamp, 1h) as dc, toMillis(@timestamp) as ms, fromMillis(0) as epoch, ' +
      'isIpv4(srcAddr) as v4, isempty(vpcId) as e, ispresent(vpcId) as p, bin(1h) as b',
  );
  assert.deepEqual(
    {
      ...r,
      df: Date.parse(String(r!.df)),
      dc: Date.parse(String(r!.dc)),
      epoch: Date.parse(String(r!.epoch)),
      b: Date.parse(String(r!.b)),
    },
    {
      l: 8,
      u: 'OK',
      lo: 'abc',
      c: '10.0.0.5:443',
      s: 'a',
      s3: 'eni',
      r: 'XEPT',
      a: 3,
      ce: 2,
      fl: 1,
      df: Date.parse(iso(3600)),
      dc: Date.parse(iso(7200)),
      ms: (T0 + 3660) * 1000,
      epoch: 0,
      v4: true,
      e: 1,
      p: false,
      b: Date.parse(iso(3600)),
    },
  );
});

test('not is true where the test is false for want of a value (IPv6 or empty records)', async () => {
  assert.deepEqual(await rows('filter not isIpv4InSubnet(srcAddr, "192.0.0.0/8") | stats count(*) as n'), [{ n: 9 }]);
});

test('a subnet test is false, not null, for an address of the other family or none: two groups, as CloudWatch', async () => {
  const inside = ROWS.filter((r) => r[0]?.startsWith('192.')).length;
  assert.deepEqual(
    await rows('fields isIpv4InSubnet(srcAddr, "192.0.0.0/8") as a | stats count(*) as n by a | sort a asc'),
    [
      { a: false, n: ROWS.length - inside },
      { a: true, n: inside },
    ],
  );
  const v6 = await rows('fields isIpInSubnet(srcAddr, "2001:db8::/32") as a | stats count(*) as n by a');
  assert.ok(
    v6.every((r) => typeof r.a === 'boolean'),
    JSON.stringify(v6),
  );
});

test('@message like finds text in the record line, within a field or across fields', async () => {
  assert.deepEqual(await rows('filter @message like "REJECT" | stats count(*) as n'), [{ n: 4 }]);
  assert.deepEqual(await rows('filter @message like "51000" | stats count(*) as n'), [{ n: 2 }]);
  assert.deepEqual(await rows('filter @message like "0.0.5" | stats count(*) as n'), [{ n: 4 }]);
  assert.deepEqual(await rows('filter @message like "ACCEPT OK" | stats count(*) as n'), [{ n: 5 }]);
  assert.deepEqual(await rows('filter @message not like "eni-" | stats count(*) as n'), [{ n: 0 }]);
});
