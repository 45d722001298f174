/**
 * Sumo Logic's math, address and hash functions and the `backshift`, `sort by +field` and `parse regex …
 * multi` forms, run on the hand-written fixture (`fixture.ts`), each answer from Sumo's reference or worked
 * out by hand.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { CellValue, Output } from '../../../preload/contract';
import { call } from '../../../main/engine/dispatch';
import { openFixture, queryError, ROWS, sumoRows, T0 } from './fixture';
import { openedForFile } from '../../support/opened-for-file';

const fx = openedForFile(openFixture);

const run = (query: string) => sumoRows(fx().engine, query);

/** The one row of a query over the record from 192.0.2.10 to port 443. */
async function one(expressions: string): Promise<Record<string, CellValue>> {
  const rows = await run(`where dest_port = 443 | ${expressions}`);
  assert.equal(rows.length, 1);
  return rows[0]!;
}

const close = (actual: CellValue | undefined, expected: number) =>
  assert.ok(Math.abs(Number(actual) - expected) < 1e-9, `${String(actual)} ≈ ${expected}`);

test("the math functions of Sumo's reference give Java Math's values", async () => {
  const r = await one(
    'acos(1) as a | asin(1) as b | atan(1) as c | atan2(1, 1) as d | cos(0) as e | sin(0) as f | tan(0) as g | ' +
      'cosh(0) as h | sinh(0) as i | tanh(0) as j | expm1(0) as k | log1p(0) as l | toDegrees(3.141592653589793) as m | ' +
      'toRadians(180) as n | pow(2, 10) as o | isNaN(0) as p | isInfinity(1) as q | fields a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q',
  );
  close(r.a, 0);
  close(r.b, Math.PI / 2);
  close(r.c, Math.PI / 4);
  close(r.d, Math.PI / 4);
  close(r.e, 1);
  close(r.f, 0);
  close(r.g, 0);
  close(r.h, 1);
  close(r.i, 0);
  close(r.j, 0);
  close(r.k, 0);
  close(r.l, 0);
  close(r.m, 180);
  close(r.n, Math.PI);
  close(r.o, 1024);
  assert.equal(r.p, false);
  assert.equal(r.q, false);
  const big = await one('sinh(1) as s | cosh(1) as c | tanh(1) as t | fields s, c, t');
  close(big.s, Math.sinh(1));
  close(big.c, Math.cosh(1));
  close(big.t, Math.tanh(1));
});

test("round takes the decimal places as its reference's second argument", async () => {
  // Refused before as taking one argument: `sum(mb) as mb by src | round(mb, 2) as mb` is a common ending.
  const r = await one('round(1.549, 2) as a | round(1.549) as b | round(1234.5678, 1) as c | fields a, b, c');
  close(r.a, 1.55);
  close(r.b, 2);
  close(r.c, 1234.6);
  // Places no whole number DuckDB takes are refused at the argument, not as DuckDB's cast error.
  for (const places of ['99999999999', '1.5'])
    await assert.rejects(
      run(`where dest_port = 443 | round(1.549, ${places}) as a`),
      /round`'s decimal places are a whole number/,
    );
});

test('getCIDRPrefix and maskFromCIDR, as in the CIDR reference', async () => {
  const r = await one(
    'getCIDRPrefix("10.10.1.35", "24") as a | getCIDRPrefix("10.10.1.35", "27") as b | getCIDRPrefix("10.10.1.35", 29) as c | ' +
      'getCIDRPrefix(src_ip, 16) as d | maskFromCIDR("32") as e | maskFromCIDR(29) as f | maskFromCIDR(0) as g | fields a, b, c, d, e, f, g',
  );
  assert.deepEqual(r, {
    a: '10.10.1.0',
    b: '10.10.1.32',
    c: '10.10.1.32',
    d: '192.0.0.0',
    e: '255.255.255.255',
    f: '255.255.255.248',
    g: '0.0.0.0',
  });
  // The sources per /24: 192.0.2.10, .20 and .255 are one network.
  const nets = await run(
    'where isValidIPv4(src_ip) | getCIDRPrefix(src_ip, 24) as net | count by net | sort by net asc',
  );
  assert.deepEqual(
    nets.map((n) => [n.net, n._count]),
    [
      ['10.0.0.0', 2],
      ['192.0.2.0', 4],
      ['198.51.100.0', 1],
    ],
  );
});

test('hash gives the digests of the text; haversine the reference example; hexToAscii the text', async () => {
  const r = await one(
    'hash(src_ip) as a | hash(src_ip, "sha1") as b | hash(src_ip, "sha2_256") as c | ' +
      'haversine(39.04380, -77.48790, 45.73723, -119.81143) as d | hexToAscii("4163636570") as e | fields a, b, c, d, e',
  );
  const digest = (algorithm: string) => createHash(algorithm).update('192.0.2.10').digest('hex');
  assert.equal(r.a, digest('md5'));
  assert.equal(r.b, digest('sha1'));
  assert.equal(r.c, digest('sha256'));
  // Sumo's reference: 3,512.71 km.
  assert.equal(Number(r.d).toFixed(2), '3512.71');
  assert.equal(r.e, 'Accep');
});

test('backshift gives the value rows before, after a sort by +field (ascending)', async () => {
  const r = await run(
    'timeslice 1h | count by _timeslice | sort by +_timeslice | backshift _count | backshift _count, 2 as two',
  );
  // 5, 3, 3, 2 records per hour from T0.
  assert.deepEqual(
    r.map((x) => [x._count, x._backshift, x.two]),
    [
      [5, null, null],
      [3, 5, null],
      [3, 3, 5],
      [2, 3, 3],
    ],
  );
});

test('parse regex … multi makes a record for each match', async () => {
  // Every digit run of the source address 192.0.2.10: 192, 0, 2, 10.
  const r = await run('where dest_port = 443 | parse regex field=src_ip "(?<part>\\d+)" multi | fields part');
  assert.deepEqual(
    r.map((x) => x.part),
    ['192', '0', '2', '10'],
  );
  // With nodrop a text without a match stays, its field empty.
  const kept = await run('where dest_port = 443 | parse regex field=src_ip "(?<x>[a-z]+)" multi nodrop | fields x');
  assert.deepEqual(kept, [{ x: null }]);
});

test('min(a, b) and max(a, b) are numbers beside the aggregates min(field) and max(field)', async () => {
  // In an operator's place too: `| min(bytes, 700) as a` is the math function, not the aggregate.
  const r = await one(
    'min(bytes, 700) as a | max(packets, 12) as b | min(src_port, dest_port) * 2 as c | if(max(bytes, packets) > 999, "big", "small") as d | fields a, b, c, d',
  );
  assert.deepEqual(r, { a: 700, b: 12, c: 886, d: 'big' });
  const aggregates = await run(
    'min(bytes) as lo, max(bytes) as hi by action | where action != "-" | sort by action asc',
  );
  assert.deepEqual(
    aggregates.map((x) => [x.action, x.lo, x.hi]),
    [
      ['ACCEPT', 80, 4000],
      ['REJECT', 100, 700],
    ],
  );
});

test("isReservedIP holds for RFC 5735's special-use IPv4 blocks; other texts are not tested, so where drops them", async () => {
  const r = await one(
    'isReservedIP("127.0.0.0") as a | isReservedIP("169.254.0.0") as b | isReservedIP("192.0.0.0") as c | isReservedIP("8.8.8.8") as d | ' +
      'isReservedIP(src_ip) as e | isReservedIP("2001:db8::1") as f | isReservedIP("-") as g | isReservedIP("198.19.255.255") as h | fields a, b, c, d, e, f, g, h',
  );
  assert.deepEqual(r, { a: true, b: true, c: true, d: false, e: true, f: null, g: null, h: true });
  // Every IPv4 source of the fixture is private or documentation space; the IPv6 and NODATA records drop out.
  const [count] = await run('where isReservedIP(src_ip) | count');
  assert.equal(count!._count, 7);
});

test('isPrivateIP and isPublicIP test IPv4 as their reference says, and drop a record without one, negated too', async () => {
  const r = await one(
    'isPrivateIP("10.255.255.255") as a | isPrivateIP("192.168.0.1") as b | isPrivateIP("127.0.0.1") as c | ' +
      'isPrivateIP("100.64.0.1") as d | isPrivateIP("fd00::1") as e | isPublicIP("10.255.255.255") as f | ' +
      'isPublicIP("8.8.8.8") as g | isPublicIP("2001:db8::1") as h | isValidIP("127.0.500.1") as i | isValidIPv4("999.1.1.1") as j | ' +
      'isValidIPv4("10.0.0.255") as k | fields a, b, c, d, e, f, g, h, i, j, k',
  );
  assert.deepEqual(r, {
    a: true,
    b: true,
    c: false,
    d: false,
    e: null,
    f: false,
    g: true,
    h: null,
    i: false,
    j: false,
    k: true,
  });
  // "Invalid IPv4 addresses are dropped from the results": the NODATA records' `-` and the IPv6 source, under `!` too.
  const ipv4 = ROWS.map((row) => row[0]).filter((a): a is string => a !== null && /^\d+\.\d+\.\d+\.\d+$/.test(a));
  const rfc1918 = (a: string) => /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(a);
  const [notPrivate] = await run('where !isPrivateIP(src_ip) | count');
  assert.equal(notPrivate!._count, ipv4.filter((a) => !rfc1918(a)).length);
  const [privateOnes] = await run('where isPrivateIP(src_ip) | count');
  assert.equal(privateOnes!._count, ipv4.filter(rfc1918).length);
});

test("luhn checks the digits of a text with Luhn's algorithm, as Sumo's reference", async () => {
  const r = await one(
    'luhn("4111-1111-1111-1111") as a | luhn("4111 1111 1111 1112") as b | luhn("79927398713") as c | luhn(src_ip) as d | luhn("-") as e | luhn("6666-7777-6666-8888") as f | fields a, b, c, d, e, f',
  );
  // 192.0.2.10: digits 1920210, from the right 0 + 2·1 + 2 + 2·0 + 2 + 9·2−9 + 1 = 16, not a multiple of 10.
  assert.deepEqual(r, { a: true, b: false, c: true, d: false, e: false, f: true });
});

test('topk keeps the n rows with the largest values of each group, numbered in _rank', async () => {
  const top = await run('sum(bytes) by src_ip | topk(3, _sum)');
  assert.deepEqual(
    top.map((x) => [x.src_ip, x._sum, x._rank]),
    [
      ['10.0.0.5', 4000, 1],
      ['192.0.2.10', 1500, 2],
      ['192.0.2.255', 700, 3],
    ],
  );
  // Per hour, the busiest action (hours 0-3: 3 ACCEPT, 2 REJECT, then the NODATA/SKIPDATA records' `-`).
  const perHour = await run('timeslice 1h | count by _timeslice, action | topk(1, _count) by _timeslice');
  assert.deepEqual(
    perHour.map((x) => [x.action, x._count, x._rank]),
    [
      ['ACCEPT', 3, 1],
      ['REJECT', 2, 1],
      ['-', 2, 1],
      ['-', 2, 1],
    ],
  );
});

test('most_recent and least_recent (first and last) answer the newest and oldest record’s value, `-` included', async () => {
  const byTime = [...ROWS].sort((a, b) => a[7] - b[7]);
  const shown = (r: (typeof ROWS)[number]) => r[0] ?? '-';
  assert.deepEqual(
    await run('most_recent(src_ip) as m, least_recent(src_ip) as l, first(src_ip) as f, last(src_ip) as z'),
    [{ m: shown(byTime.at(-1)!), l: shown(byTime[0]!), f: shown(byTime.at(-1)!), z: shown(byTime[0]!) }],
  );
  const accepted = byTime.filter((r) => r[8] === 'ACCEPT');
  assert.deepEqual(await run('where action = "ACCEPT" | most_recent(src_ip) as m, least_recent(src_ip) as l'), [
    { m: accepted.at(-1)![0], l: accepted[0]![0] },
  ]);
});

test('parseHex reads up to 16 hexadecimal digits, with or without 0x, as its reference says', async () => {
  const r = await one(
    'parseHex("12D230") as a | parseHex("0xABCD") as b | parseHex("FFFFFFFFFFFFFFFF") as c | parseHex("12G") as d | fields a, b, c, d',
  );
  assert.deepEqual(r, { a: 1233456, b: 43981, c: '18446744073709551615', d: null });
});

test("hexToDec reads 16 hexadecimal digits in two's complement, as its reference says", async () => {
  const r = await one(
    'hexToDec("0000000000001337") as a | hexToDec("7AF") as b | hexToDec("FFFFFFFFFFFFFFFF") as c | ' +
      'hexToDec("8000000000000000") as d | hexToDec("12G") as e | hexToDec("10000000000000000") as f | fields a, b, c, d, e, f',
  );
  assert.deepEqual(r, { a: 4919, b: 1967, c: -1, d: '-9223372036854775808', e: null, f: null });
});

test('queryStartTime, queryEndTime and _messageTime are the time range’s ends and the record’s time', async () => {
  const from = new Date((T0 + 3600) * 1000);
  const to = new Date((T0 + 7200) * 1000);
  const out = (await call(fx().engine, 'query.run', {
    query:
      '_sourceCategory=vpc | queryStartTime() as s | queryEndTime() as e | toMillis(_messageTime) as t | fields s, e, t | sort by t asc',
    dialect: 'sumo',
    pageSize: 1000,
    timeRange: { from: from.toISOString(), to: to.toISOString() },
  })) as Output<'query.run'>;
  const rows = out.rows.map((r) => Object.fromEntries(out.columns.map((c, i) => [c.name, r[i]!])));
  const inRange = ROWS.map((r) => r[7]).filter((at) => at >= 3600 && at < 7200);
  assert.deepEqual(
    rows.map((r) => [Date.parse(String(r.s)), Date.parse(String(r.e)), Number(r.t)]),
    inRange.sort((a, b) => a - b).map((at) => [from.getTime(), to.getTime(), (T0 + at) * 1000]),
  );
});

test("time suffixes are numbers of milliseconds, as Sumo's field expressions read them", async () => {
  const from = new Date(T0 * 1000);
  const to = new Date((T0 + 3700) * 1000);
  const count = async (where: string) => {
    const out = (await call(fx().engine, 'query.run', {
      query: `_sourceCategory=vpc | where ${where} | count`,
      dialect: 'sumo',
      pageSize: 10,
      timeRange: { from: from.toISOString(), to: to.toISOString() },
    })) as Output<'query.run'>;
    return Number(out.rows[0]![0]);
  };
  // The last two minutes of the range, and records older than a day (all: the fixture is of 2026-03-02).
  const inRange = ROWS.filter((r) => r[7] < 3700);
  const lastTwoMinutes = inRange.filter((r) => r[7] >= 3700 - 120).length;
  assert.ok(lastTwoMinutes > 0 && lastTwoMinutes < inRange.length);
  assert.equal(await count('_messageTime >= queryEndTime() - 2m'), lastTwoMinutes);
  assert.equal(await count('_messageTime >= queryEndTime() - 120000'), lastTwoMinutes);
  assert.equal(await count('(now() - _messageTime) > 1d'), inRange.length);
  // As values of their own: grouped by, not read as the place of a column.
  assert.deepEqual(await run('1.5s as d | 1m / 1000 as secs | count by d, secs | fields d, secs'), [
    { d: 1500, secs: 60 },
  ]);
});

test('size suffixes are numbers, case as written: 1k, 1.5M, 1Gi (a minute is 1m)', async () => {
  assert.deepEqual(
    await run('1k as k | 1.5M as m | 1Gi as gi | 1m as minute | count by k, m, gi, minute | fields k, m, gi, minute'),
    [{ k: 1000, m: 1500000, gi: 1073741824, minute: 60000 }],
  );
  const over = ROWS.filter((r) => (r[6] ?? 0) > 1000).length;
  assert.deepEqual(await run('where bytes > 1k | count'), [{ _count: over }]);
});

test("parseDate reads text in a Java date pattern: Sumo's month recipe of its timeslice page, a zone, and text that is no date", async () => {
  const months = await run(
    'timeslice 1d | formatDate(_timeslice,"MM-01-yyyy") as month | parseDate(month,"MM-dd-yyyy") as _timeslice | count by _timeslice',
  );
  const first = new Date(T0 * 1000);
  assert.deepEqual(months, [
    {
      _timeslice: new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), 1)).toISOString().replace('Z', '000Z'),
      _count: ROWS.length,
    },
  ]);
  assert.deepEqual(
    await run(
      'parseDate("3-2-2026 10:30", "M-d-yyyy HH:mm", "Asia/Kolkata") as t | parseDate("junk", "MM-dd-yyyy") as j | count by t, j | fields t, j',
    ),
    [{ t: '2026-03-02T05:00:00.000000Z', j: null }],
  );
});

test('count_frequent counts each combination in _approxcount, most frequent first, `-` a value', async () => {
  const rows = await run('count_frequent dest_port, action');
  const counts = new Map<string, number>();
  for (const r of ROWS) {
    const key = `${r[3] ?? '-'} ${r[8] ?? '-'}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  assert.deepEqual(
    rows.map((r) => Object.keys(r)),
    rows.map(() => ['dest_port', 'action', '_approxcount']),
  );
  assert.deepEqual(new Map(rows.map((r) => [`${String(r.dest_port)} ${String(r.action)}`, r._approxcount])), counts);
  const shown = rows.map((r) => Number(r._approxcount));
  assert.deepEqual(
    shown,
    [...shown].sort((a, b) => b - a),
  );
  assert.equal(shown[0], 4); // the four NODATA/SKIPDATA records: `-` and `-`
});

test("replace: a quoted search is the text itself, a /regex/ a regular expression whose groups the replacement names (Sumo's replace reference)", async () => {
  const r = await one(
    String.raw`replace(dest_ip, ".", "-") as dash | replace(dest_ip, /[0-9]+$/, "x") as tail | ` +
      'replace(dest_ip, /(\\d+)\\.(?<second>\\d+)/, "${second}:$1") as groups | ' +
      String.raw`replace(action, /^a/i, "\\$") as dollar | ` +
      String.raw`"http://somewebsite.com/flight/12345678/certification" as url | replace(url, /(flight)\/([0-9]{5,})/, "new-$2-url") as url | ` +
      'fields dash, tail, groups, dollar, url',
  );
  assert.deepEqual(r, {
    dash: '10-0-0-5',
    tail: '10.0.0.x',
    groups: '0:10.5:0',
    dollar: '$CCEPT',
    url: 'http://somewebsite.com/new-12345678-url/certification',
  });
  // A NODATA record's address is the `-` it logged.
  assert.deepEqual(await run('where status = "NODATA" | replace(src_ip, "-", "none") as s | fields s'), [
    { s: 'none' },
  ]);
});

test("matches takes a /regex/, which the whole text must match, and a field that holds a wildcard pattern (Sumo's matches reference)", async () => {
  assert.deepEqual(
    await run(String.raw`where dest_ip matches /10\.0\.0\.[5-6]/ | count by dest_ip | sort by dest_ip asc`),
    [
      { dest_ip: '10.0.0.5', _count: 3 },
      { dest_ip: '10.0.0.6', _count: 1 },
    ],
  );
  const r = await one(
    String.raw`if(src_ip matches /192\.0\.2\.[0-9]+/, 1, 0) as whole | if(src_ip matches /0\.2/, 1, 0) as part | ` +
      'if(action matches /accept/i, 1, 0) as ci | fields whole, part, ci',
  );
  assert.deepEqual(r, { whole: 1, part: 0, ci: 1 });
  // Not matching holds for a NODATA record's `-`: 13 records, 5 to 10.0.0.x.
  assert.deepEqual(await run('where !(dest_ip matches /10\\..*/) | count'), [{ _count: 8 }]);
  assert.deepEqual(await run('"10.0.0.*" as pattern | where dest_ip matches pattern | count'), [{ _count: 5 }]);
});

test('num(f), number(f) and toLong(f) without `as` replace the field with its number, so a sort orders numbers, not texts', async () => {
  const numbers = ROWS.map((r) => r[6])
    .filter((b) => b !== null)
    .sort((a, b) => a - b);
  for (const cast of ['num', 'number', 'toLong']) {
    const rows = await run(`toLowerCase(bytes) as t | ${cast}(t) | sort by t asc | fields t`);
    // A NODATA record's `-` is no number.
    assert.deepEqual(
      rows.map((r) => r.t),
      [...numbers, null, null, null, null],
      cast,
    );
  }
});

test("`condition ? a : b` is if(condition, a, b), nested on the right (Sumo's if reference)", async () => {
  const rows = await run(
    'where status = "OK" | bytes > 500 ? "big" : bytes > 150 ? "medium" : "small" as size | count by size | sort by size asc',
  );
  // Bytes of the OK records: 1000, 4000, 700 big; 500, 200, 180, 400 medium; 80, 100 small.
  assert.deepEqual(rows, [
    { size: 'big', _count: 3 },
    { size: 'medium', _count: 4 },
    { size: 'small', _count: 2 },
  ]);
  const r = await one(
    'dest_port < src_port ? dest_port : src_port as low | !(bytes > 100) ? 1 : 0 as few | fields low, few',
  );
  // A port chosen as is shows as logged, as if() shows it.
  assert.deepEqual(r, { low: '443', few: 0 });
});

test("formatDate writes the zone as Java's SimpleDateFormat: Z +0000, X/XX/XXX the ISO offset (Z in UTC), z UTC", async () => {
  // The record's time is 2026-03-02T00:00:00Z.
  const r = await one(
    'formatDate(_messageTime, "yyyy-MM-dd HH:mm Z|X|XX|XXX|z") as utc | ' +
      'formatDate(_messageTime, "HH:mm Z|X|XX|XXX", "Asia/Kolkata") as india | ' +
      'formatDate(_messageTime, "dd HH:mm Z X", "America/New_York") as ny | fields utc, india, ny',
  );
  assert.deepEqual(r, {
    utc: '2026-03-02 00:00 +0000|Z|Z|Z|UTC',
    india: '05:30 +0530|+05|+0530|+05:30',
    ny: '01 19:00 -0500 -05',
  });
});

test("formatDate's Y is the week year of Sumo's US locale: weeks from Sunday, week 1 holding January 1", async () => {
  // 2026-12-31 is a Thursday of the week Sunday 2026-12-27 to Saturday 2027-01-02, which holds 2027-01-01.
  const r = await one(
    'parseDate("2026-12-31", "yyyy-MM-dd") as a | parseDate("2026-12-26", "yyyy-MM-dd") as b | ' +
      'parseDate("2026-12-27 02:00", "yyyy-MM-dd HH:mm") as c | ' +
      'formatDate(a, "YYYY-MM-dd") as thursday | formatDate(b, "YYYY-MM-dd YY") as saturday | ' +
      'formatDate(c, "YYYY") as sunday | formatDate(c, "YYYY-MM-dd", "America/New_York") as saturdayInNewYork | ' +
      'formatDate(_messageTime, "YY/YYYY") as record | fields thursday, saturday, sunday, saturdayInNewYork, record',
  );
  assert.deepEqual(r, {
    thursday: '2027-12-31',
    saturday: '2026-12-26 26',
    sunday: '2027',
    saturdayInNewYork: '2026-12-26',
    record: '26/2026',
  });
});

test("the CIDR operators trim blanks around an address, as Sumo's release note of 2024-12-04 says", async () => {
  const r = await one(
    'getCIDRPrefix(" 10.10.1.35 ", "24") as a | compareCIDRPrefix(" 10.10.1.35", "10.10.1.200 ", "24") as b | ' +
      'concat(" ", src_ip, " ") as padded | compareCIDRPrefix(padded, "192.0.2.0", 24) as c | ' +
      'compareCIDRPrefix(" 192.0.3.1 ", padded, toInt(16)) as d | getCIDRPrefix(padded, 16) as e | fields a, b, c, d, e',
  );
  assert.deepEqual(r, { a: '10.10.1.0', b: true, c: true, d: true, e: '192.0.0.0' });
});

test("substring's offsets as its page says: the valid examples, and the invalid ones refused or empty", async () => {
  const r = await one(
    'substring("Hello world!", 6) as a | substring("Sumo Logic", 0, 4) as b | substring("Sumo Logic", 0, 100) as c | ' +
      '3 as s | 2 as e | substring("Hello world", s, e) as d | substring("Hello world", s - 4) as f | fields a, b, c, d, f',
  );
  // A start or end computed per record that breaks the rules gives that record no value.
  assert.deepEqual(r, { a: 'world!', b: 'Sumo', c: 'Sumo Logic', d: null, f: null });
  const endBefore = await queryError(fx().engine, 'sumo', '_sourceCategory=vpc | substring("Hello world", 3, 2) as a');
  assert.match(endBefore.message, /end offset \(2\) is before its start \(3\)/);
  const negative = await queryError(fx().engine, 'sumo', '_sourceCategory=vpc | substring("Hello world", -1) as a');
  assert.match(negative.message, /start offset is never negative/);
});

test('timeslice N buckets, a bare timeslice, an alias such as 2hrs and __timeslice_end, over the time range (timeslice reference)', async () => {
  const from = new Date(T0 * 1000);
  const to = new Date((T0 + 3 * 3600) * 1000);
  const slices = async (query: string) => {
    const out = (await call(fx().engine, 'query.run', {
      query: `_sourceCategory=vpc | ${query}`,
      dialect: 'sumo',
      pageSize: 1000,
      timeRange: { from: from.toISOString(), to: to.toISOString() },
    })) as Output<'query.run'>;
    // Times as seconds after T0.
    return out.rows.map((r) => r.map((v) => (typeof v === 'number' ? v : Date.parse(String(v)) / 1000 - T0)));
  };
  // The records of the range are at 0, 60, 120, 200, 210; 3600, 3660, 3700; 7200, 7300, 7400 s.
  // 3 buckets of the 3 hours are hours; 10 are the next clock-aligned length of 18 minutes or more: 30 minutes.
  assert.deepEqual(
    await slices('timeslice 3 buckets | count by _timeslice, __timeslice_end | sort by _timeslice asc'),
    [
      [0, 3600, 5],
      [3600, 7200, 3],
      [7200, 10800, 3],
    ],
  );
  assert.deepEqual(
    await slices('timeslice 10 buckets | count by _timeslice, __timeslice_end | sort by _timeslice asc'),
    [
      [0, 1800, 5],
      [3600, 5400, 3],
      [7200, 9000, 3],
    ],
  );
  // Without a period or buckets, one slice: the time range.
  assert.deepEqual(await slices('timeslice | count by _timeslice, __timeslice_end'), [[0, 10800, 11]]);
  assert.deepEqual(await slices('timeslice 2h as 2hrs | count by %"2hrs" | sort by %"2hrs" asc'), [
    [0, 8],
    [7200, 3],
  ]);
  // As the reference writes it: a name the query defined is that field, not the time span 2h (7,200,000 ms)
  // it would otherwise read as, in `by`, `fields` and `sort` alike.
  assert.deepEqual(await slices('timeslice 2h as 2hrs | count by 2hrs | sort by 2hrs asc'), [
    [0, 8],
    [7200, 3],
  ]);
  assert.deepEqual(await slices('timeslice 2h as 2hrs | fields 2hrs | count by 2hrs | sort by 2hrs'), [
    [7200, 3],
    [0, 8],
  ]);
});

test('extract is parse regex by its other name (parse regex reference)', async () => {
  const query = (op: string) =>
    run(String.raw`${op} field=src_ip "^(?<first>\d+)\." | count by first | sort by first asc`);
  // IPv6 sources and NODATA's `-` do not match, so they are dropped.
  const expected = [
    { first: '10', _count: 2 },
    { first: '192', _count: 4 },
    { first: '198', _count: 1 },
  ];
  assert.deepEqual(await query('extract'), expected);
  assert.deepEqual(await query('parse regex'), expected);
});
