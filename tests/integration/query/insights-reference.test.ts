/**
 * Functions and forms of CloudWatch Logs Insights' reference that the published corpora do not use, on the
 * hand-written fixture (`fixture.ts`); every expected answer is worked out here from the fixture's rows, a
 * NODATA or SKIPDATA record's fields being the text `-` as CloudWatch reads them.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { CellValue, Output } from '../../../preload/contract';
import { call } from '../../../main/engine/dispatch';
import { openFixture, ROWS, type Fixture, type Row } from './fixture';

let fx: Fixture;
before(async () => {
  fx = await openFixture();
});
after(async () => {
  await fx.close();
});

async function rows(query: string): Promise<Record<string, CellValue>[]> {
  const out = (await call(fx.engine, 'query.run', {
    query,
    dialect: 'insights',
    pageSize: 1000,
  })) as Output<'query.run'>;
  return out.rows.map((r) => Object.fromEntries(out.columns.map((c, i) => [c.name, r[i]!])));
}

/**
 * CloudWatch's sort page (CWL_QuerySyntax-Sort) for text: runs of digits and of other characters compared in
 * turn, other characters by their Unicode values, a run of digits by its length and then its value.
 */
function cloudWatchOrder(a: string, b: string): number {
  const runs = (s: string) => s.match(/[0-9]+|[^0-9]+/g) ?? [];
  const [x, y] = [runs(a), runs(b)];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const [p, q] = [x[i]!, y[i]!];
    const digits = /^[0-9]/.test(p) && /^[0-9]/.test(q);
    if (digits && p.length !== q.length) return p.length - q.length;
    if (p !== q) return p < q ? -1 : 1;
  }
  return x.length - y.length;
}

/** The fixture's source addresses as CloudWatch reads them, in the records' time order. */
const sources = [...ROWS].sort((a, b) => a[7] - b[7]).map((r) => r[0] ?? '-');
/** The sources in CloudWatch's order for text (`cloudWatchOrder`: `-` before digits). */
const byText = [...sources].sort((a, b) => cloudWatchOrder(a, b));

test('sortsFirst and sortsLast compare text, `-` among the values; numbers as numbers', async () => {
  assert.equal(byText[0], '-', 'the fixture has records without addresses');
  const bytes = ROWS.flatMap((r) => (r[6] === null ? [] : [r[6]]));
  assert.deepEqual(
    await rows(
      'stats sortsFirst(srcAddr) as f, sortsLast(srcAddr) as l, sortsFirst(bytes) as fb, sortsLast(bytes) as lb',
    ),
    [{ f: byText[0], l: byText.at(-1), fb: Math.min(...bytes), lb: Math.max(...bytes) }],
  );
  assert.deepEqual(await rows('filter action = "ACCEPT" | stats sortsFirst(srcAddr) as f'), [
    {
      f: ROWS.filter((r) => r[8] === 'ACCEPT')
        .map((r) => r[0]!)
        .sort(cloudWatchOrder)[0],
    },
  ]);
});

test('sortsFirst and sortsLast of text answer the value that sort puts first and last (9.9.9.9 before 10.0.0.5)', async () => {
  // `sortsLast(fieldName)`: "the value of fieldName that sorts last" (CWL_QuerySyntax, Stats non-aggregation
  // functions); the order is the sort page's. Over the records Flowscope sorts an IPv4 address by its number,
  // which for addresses written without leading zeros is the page's order; after a stats, by the runs.
  const rows: Row[] = [
    ['9.9.9.9', '10.0.0.5', 53, 40000, 17, 1, 100, 0, 'ACCEPT', 'OK', 'eni-012'],
    ['91.189.98.206', '10.0.0.5', 443, 40001, 6, 1, 100, 60, 'ACCEPT', 'OK', 'eni-0b2'],
    ['203.0.245.249', '10.0.0.5', 443, 40002, 6, 1, 100, 120, 'REJECT', 'OK', 'eni-0a1'],
    ['10.0.0.5', '9.9.9.9', 40000, 53, 17, 1, 100, 180, 'ACCEPT', 'OK', 'eni-0a1'],
    [null, null, null, null, null, null, null, 240, null, 'NODATA', 'eni-0b2'],
  ];
  const own = await openFixture({ rows });
  try {
    const answer = async (query: string) => {
      const out = (await call(own.engine, 'query.run', { query, dialect: 'insights' })) as Output<'query.run'>;
      return Object.fromEntries(out.columns.map((c, i) => [c.name, out.rows[0]![i]]));
    };
    const addresses = rows.flatMap((r) => (r[0] === null ? [] : [r[0]])).sort(cloudWatchOrder);
    const enis = [...new Set(rows.map((r) => r[10]))].sort(cloudWatchOrder);
    assert.deepEqual(addresses, ['9.9.9.9', '10.0.0.5', '91.189.98.206', '203.0.245.249']);
    assert.deepEqual(
      await answer('filter logStatus = "OK" | stats sortsFirst(srcAddr) as f, sortsLast(srcAddr) as l'),
      { f: addresses[0], l: addresses.at(-1) },
    );
    // A NODATA record's `-` sorts before digits.
    assert.deepEqual(await answer('stats sortsFirst(srcAddr) as f, sortsLast(dstAddr) as l'), {
      f: '-',
      l: '10.0.0.5',
    });
    // After a stats the rows are the groups: an ENI by its runs (the run `0` before the run `012`).
    assert.deepEqual(
      await answer('stats count(*) by interfaceId | stats sortsFirst(interfaceId) as f, sortsLast(interfaceId) as l'),
      { f: enis[0], l: enis.at(-1) },
    );
  } finally {
    await own.close();
  }
});

test('min and max of a text field answer its value that sorts first and last, and say so; of numbers, numbers', async () => {
  // CWL_QuerySyntax: `max(fieldName: LogField)` | LogFieldValue, where avg and sum take a NumericLogField.
  const out = (await call(fx.engine, 'query.run', {
    query:
      'stats max(srcAddr) as a, min(srcAddr) as b, max(action) as c, min(bytes) as d, max(dstPort) as e, max(srcPort) as f',
    dialect: 'insights',
  })) as Output<'query.run'>;
  const actions = ROWS.map((r) => r[8] ?? '-').sort(cloudWatchOrder);
  const numbers = (i: number) => ROWS.flatMap((r) => (r[i] === null ? [] : [r[i] as number]));
  assert.deepEqual(out.rows, [
    [
      byText.at(-1),
      byText[0],
      actions.at(-1),
      Math.min(...numbers(6)),
      Math.max(...numbers(3)),
      Math.max(...numbers(2)),
    ],
  ]);
  assert.deepEqual(
    out.columns.map((c) => c.type === 'VARCHAR'),
    [true, true, true, false, false, false],
  );
  assert.deepEqual(
    out.warnings?.map((w) => w.message.slice(0, 15)),
    ['max() of text: ', 'min() of text: '],
  );
  // A parsed field's digits still compare as numbers.
  const parsed = await rows(
    'parse @message "* * * * * * * *" as v, acct, eni, s, d, sp, dp, rest | stats max(dp) as m',
  );
  assert.deepEqual(parsed, [{ m: Math.max(...numbers(3)) }]);
});

test('earliest and latest answer the first and last record’s value, `-` included', async () => {
  const eniD = [...ROWS].filter((r) => r[10] === 'eni-d').sort((a, b) => a[7] - b[7]);
  assert.ok(eniD.length > 1 && eniD.every((r) => r[0] === null));
  assert.deepEqual(await rows('filter interfaceId = "eni-d" | stats earliest(srcAddr) as e, latest(logStatus) as l'), [
    { e: '-', l: eniD.at(-1)![9] },
  ]);
  assert.deepEqual(await rows('stats earliest(srcAddr) as e, latest(srcAddr) as l'), [
    { e: sources[0], l: sources.at(-1) },
  ]);
});

test('isIpv6InSubnet tests IPv6 addresses against an IPv6 range, and refuses an IPv4 range', async () => {
  const in32 = ROWS.filter((r) => /^2001:db8:/i.test(r[0] ?? '')).length;
  assert.deepEqual(await rows('filter isIpv6InSubnet(srcAddr, "2001:db8::/32") | stats count(*) as n'), [{ n: in32 }]);
  assert.deepEqual(await rows('filter isIpv6InSubnet(srcAddr, "2001:db8::/31") | stats count(*) as n'), [
    { n: ROWS.filter((r) => /^2001:db[89]:/i.test(r[0] ?? '')).length },
  ]);
  const out = (await call(fx.engine, 'query.compile', {
    query: 'filter isIpv6InSubnet(srcAddr, "10.0.0.0/8")',
    dialect: 'insights',
  })) as Output<'query.compile'>;
  assert.match(out.diagnostics[0]?.message ?? '', /takes an IPv6 range/);
});

test('SOURCE logGroups(…) names the workspace, and filterIndex filters as filter does', async () => {
  const rejects = ROWS.filter((r) => r[8] === 'REJECT').length;
  assert.deepEqual(
    await rows(
      "SOURCE logGroups(namePrefix: ['/vpc/flow-logs'], logGroupClass: 'STANDARD', accountIdentifiers: ['123456789012'])\n| filterIndex action = 'REJECT' | stats count(*) as n",
    ),
    [{ n: rejects }],
  );
});

test('jsonParse and jsonStringify are refused where they are written, saying why; unmask is a function of fields', async () => {
  const first = async (query: string) =>
    ((await call(fx.engine, 'query.compile', { query, dialect: 'insights' })) as Output<'query.compile'>)
      .diagnostics[0]!;
  const parse = await first('fields jsonParse(@message) as j');
  assert.match(parse.message, /^jsonParse\(\) is not supported: a flow-log record is a line of text, not JSON/);
  assert.deepEqual([parse.span.column, parse.span.length], [8, 9]);
  assert.match((await first('fields jsonStringify(@message) as j')).message, /^jsonStringify\(\) is not supported/);
  const unmask = await first('fields @message | unmask(@message)');
  assert.match(unmask.message, /^`unmask` is a function, not a command/);
  assert.deepEqual([unmask.span.column, unmask.span.length], [19, 6]);
  // As CloudWatch's data protection page writes it: nothing is masked in a workspace, so the field as held.
  assert.deepEqual(await rows('fields @message, unmask(@message) as u | filter u = @message | stats count(*) as n'), [
    { n: ROWS.length },
  ]);
  assert.deepEqual(await rows('fields unmask(srcAddr) as u | filter u = "192.0.2.10" | stats count(*) as n'), [
    { n: ROWS.filter((r) => r[0] === '192.0.2.10').length },
  ]);
});

test('countFrequent (and count_frequent) counts each combination in _approxcount, most frequent first', async () => {
  const counts = new Map<string, number>();
  for (const r of ROWS) {
    const key = JSON.stringify([r[8] ?? '-', r[3] === null ? '-' : String(r[3])]);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const expected = [...counts].map(([k, n]) => {
    const [action, dstPort] = JSON.parse(k) as [string, string];
    return { action, dstPort, _approxcount: n };
  });
  const byKey = (a: Record<string, CellValue>, b: Record<string, CellValue>) =>
    `${String(a.action)} ${String(a.dstPort)}`.localeCompare(`${String(b.action)} ${String(b.dstPort)}`);
  for (const query of ['countFrequent action, dstPort', 'fields action, dstPort | count_frequent action, dstPort']) {
    const got = await rows(query);
    assert.deepEqual(
      got.map((r) => Object.keys(r)),
      got.map(() => ['action', 'dstPort', '_approxcount']),
    );
    const n = got.map((r) => Number(r._approxcount));
    assert.deepEqual(
      n,
      [...n].sort((a, b) => b - a),
      'most frequent first',
    );
    assert.deepEqual([...got].sort(byKey), [...expected].sort(byKey));
  }
});

test("the functions of the current reference's tables answer as it documents them", async () => {
  // The fixture's record to port 443: 192.0.2.10 → 10.0.0.5, 1000 bytes, ACCEPT, at T0.
  const [r] = await rows(
    'filter dstPort = 443 | fields round(bytes / 3, 1) as a, toNumber("12.5") as b, toInt("12.7") as c, ' +
      'hexToDec("0xff") as d, decToHex(255) as e, decToHex(-255) as f, jsonArraySize("[1,2,3]") as g, ' +
      'jsonArrayContains(\'["a","b"]\', "b") as h, formatDate(@timestamp, "%Y-%m-%d %H") as i, ' +
      'parseDate("2026-03-02", "yyyy-MM-dd", "UTC") as j, case(bytes > 5000, "big", bytes > 500, "mid", "small") as k, ' +
      'if(action = "ACCEPT", 1, 0) as l, messageSize("héllo") as m, regexReplace(srcAddr, "\\\\.\\\\d+$", ".0") as n, ' +
      'strcontains(action, "acc", true) as o, startsWith(srcAddr, "192.") as p, endsWith(srcAddr, ".9") as q, ' +
      'ltrim("xxabcxx", "x") as s, trim("xxabcxx", "x") as t, md5("a") as u, sha256("a") as v, ' +
      'ipv4ToNumber(srcAddr) as w, base64encode("ab") as x, isNumeric("1.5") as y, toLong("7.9") as z',
  );
  assert.deepEqual(r, {
    a: 333.3,
    b: 12.5,
    c: 12,
    d: 255,
    e: '0xff',
    f: '-0xff',
    g: 3,
    h: true,
    i: '2026-03-02 00',
    j: Date.UTC(2026, 2, 2),
    k: 'mid',
    l: 1,
    m: 6,
    n: '192.0.2.0',
    o: 1,
    p: 1,
    q: 0,
    s: 'abcxx',
    t: 'abc',
    u: '0cc175b9c0f1b6a831c399e269772661',
    v: createHash('sha256').update('a').digest('hex'),
    w: 192 * 2 ** 24 + 2 * 256 + 10,
    x: 'YWI=',
    y: true,
    z: 7,
  });
  const [times] = await rows('stats count(*) as n | fields queryTimeRange() as range, now() as now');
  assert.equal(times!.range, (10900 + 60) * 1000);
  assert.ok(Math.abs(Number(times!.now) - Date.now() / 1000) < 600);
  assert.equal((await rows('filter action = "REJECT" | limit any 2')).length, 2);
  // CloudWatch takes a limit of up to 100,000.
  for (const n of ['0', '100001'])
    await assert.rejects(rows(`fields @timestamp | limit ${n}`), /`limit` is a whole number from 1 to 100000/);
});

test("strcontains, isempty and isblank answer 1 or 0 as the reference's table types them, and hold in a filter when 1", async () => {
  // CWL_QuerySyntax-operations-functions: `isempty` | Number | "Returns `1` if the field is missing or is an
  // empty string"; `isblank` likewise; `strcontains` | number | "Returns 1 if `str` contains `searchValue` and
  // 0 otherwise". The record to port 443: 192.0.2.10, ACCEPT.
  const [r] = await rows(
    'filter dstPort = 443 | fields strcontains(srcAddr, "192.") as a, strcontains(srcAddr, "x") as b, ' +
      'isempty("") as c, isempty(srcAddr) as d, isblank("  ") as e, isblank(action) as f',
  );
  assert.deepEqual(r, { a: 1, b: 0, c: 1, d: 0, e: 1, f: 0 });
  const count = async (query: string) => (await rows(`${query} | stats count(*) as n`))[0]!.n;
  const source = (row: (typeof ROWS)[number]) => row[0] ?? '-';
  const inRange = ROWS.filter((row) => source(row).includes('192.0.2.')).length;
  assert.ok(inRange > 0 && inRange < ROWS.length);
  assert.equal(await count('filter strcontains(srcAddr, "192.0.2.")'), inRange);
  assert.equal(await count('filter not strcontains(srcAddr, "192.0.2.")'), ROWS.length - inRange);
  assert.equal(await count('filter strcontains(srcAddr, "192.0.2.") = 1'), inRange);
  assert.equal(
    await count('filter strcontains(srcAddr, "192.0.2.") and strcontains(action, "REJ")'),
    ROWS.filter((row) => source(row).includes('192.0.2.') && row[8] === 'REJECT').length,
  );
  // A version 2 record has no vpcId: missing, so empty and blank.
  assert.equal(await count('filter isempty(vpcId) or isblank(srcAddr)'), ROWS.length);
  assert.equal(await count('filter not isblank(vpcId)'), 0);
  const [k] = await rows('stats sum(if(strcontains(srcAddr, "192.0.2."), 1, 0)) as k');
  assert.equal(k!.k, inRange);
});

test('a comparison counts as 1 or 0 in aggregates and arithmetic; an unnamed aggregate is found with blanks in its name', async () => {
  const rejects = ROWS.filter((r) => r[8] === 'REJECT').length;
  const [share] = await rows('stats avg(action = "REJECT") as r, sum(strcontains(srcAddr, "192.0.2.")) as s');
  assert.equal(share!.r, rejects / ROWS.length);
  assert.equal(share!.s, ROWS.filter((r) => r[0]?.startsWith('192.0.2.')).length);
  const scaled = await rows('fields (action = "REJECT") * 100 as y | stats sum(y) as t');
  assert.deepEqual(scaled, [{ t: rejects * 100 }]);
  // CloudWatch names the column by the call; written back with blanks, it is the same column.
  const counted = await rows('stats count( * ) by srcAddr | sort `count( * )` desc | limit 1');
  const most = Math.max(...[...new Set(ROWS.map((r) => r[0]))].map((a) => ROWS.filter((r) => r[0] === a).length));
  assert.equal(Object.values(counted[0]!)[1], most);
});
