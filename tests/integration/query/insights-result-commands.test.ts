/**
 * The commands CloudWatch Logs Insights' current reference added (`where`, `expand`, `accum`, `autoregress`,
 * `filldown`, `addtotals`, `sessionize`, `outlier`, `logcompare`, subqueries, `appendcols`) on the hand-written
 * fixture, each answer worked out here from the fixture's rows; and the ones that cannot run offline (`join`, a
 * subquery or `appendcols` over `SOURCE`, `relevantfields`), refused naming the command at its place.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CellValue, Output } from '../../../preload/contract';
import { call } from '../../../main/engine/dispatch';
import { FlowscopeError } from '../../../main/engine/errors';
import { openFixture, ROWS, T0, type Fixture } from './fixture';

let fx: Fixture;
before(async () => {
  fx = await openFixture();
});
after(async () => {
  await fx.close();
});

type Rows = Record<string, CellValue>[];

async function rows(query: string, timeRange?: { from: string; to: string }): Promise<Rows> {
  const out = (await call(fx.engine, 'query.run', {
    query,
    dialect: 'insights',
    pageSize: 1000,
    ...(timeRange ? { timeRange } : {}),
  })) as Output<'query.run'>;
  return out.rows.map((r) => Object.fromEntries(out.columns.map((c, i) => [c.name, r[i]!])));
}

const iso = (s: number) => new Date((T0 + s) * 1000).toISOString();
/** The fixture's bytes per half hour, in time order (null where no record of the half hour has bytes). */
const halfHours = (() => {
  const sums = new Map<number, number | null>();
  for (const r of ROWS) {
    const bin = Math.floor(r[7] / 1800);
    const before = sums.get(bin) ?? null;
    sums.set(bin, r[6] === null ? before : (before ?? 0) + r[6]);
  }
  return [...sums].sort((a, b) => a[0] - b[0]).map(([bin, b]) => ({ t: bin, b }));
})();

test('where is filter', async () => {
  const rejects = ROWS.filter((r) => r[8] === 'REJECT').length;
  assert.deepEqual(await rows('where action = "REJECT" | stats count(*) as n'), [{ n: rejects }]);
});

test('expand makes one record per item; a flow-log value is a list of one', async () => {
  assert.deepEqual(await rows('expand dstPort | stats count(*) as n'), [{ n: ROWS.length }]);
});

test('accum is the running sum in the order of the results; without AS it replaces the field', async () => {
  let run = 0;
  const expected = halfHours.map((h) => (run += h.b ?? 0));
  const answer = await rows('stats sum(bytes) as b by bin(30m) as t | sort t | accum b as total');
  assert.deepEqual(
    answer.map((r) => r.total),
    expected,
  );
  const replaced = await rows('stats sum(bytes) as b by bin(30m) as t | sort t | accum b');
  assert.deepEqual(
    replaced.map((r) => r.b),
    expected,
  );
});

test('autoregress p=1-2 adds the values one and two rows before in b_p1 and b_p2; AS names a single lag', async () => {
  const answer = await rows('stats sum(bytes) as b by bin(30m) as t | sort t | autoregress b p=1-2');
  const b = halfHours.map((h) => h.b);
  assert.deepEqual(
    answer.map((r) => [r.b_p1, r.b_p2]),
    b.map((_, i) => [b[i - 1] ?? null, b[i - 2] ?? null]),
  );
  const named = await rows('stats sum(bytes) as b by bin(30m) as t | sort t | autoregress b as before p=2');
  assert.deepEqual(
    named.map((r) => r.before),
    b.map((_, i) => b[i - 2] ?? null),
  );
});

test('filldown carries the last value that is not null down over the empty ones', async () => {
  const answer = await rows('stats sum(bytes) as b by bin(30m) as t | sort t | filldown b');
  let last: number | null = null;
  const expected = halfHours.map((h) => (last = h.b ?? last));
  assert.ok(
    halfHours.some((h) => h.b === null),
    'the fixture has a half hour of records without bytes',
  );
  assert.deepEqual(
    answer.map((r) => r.b),
    expected,
  );
});

test('addtotals adds Total per row; col=true a last row of the column sums; fieldname= and a field list', async () => {
  const groups = new Map<string, { n: number; b: number }>();
  for (const r of ROWS) {
    const g = groups.get(r[8] ?? '-') ?? { n: 0, b: 0 };
    groups.set(r[8] ?? '-', { n: g.n + 1, b: g.b + (r[6] ?? 0) });
  }
  const answer = await rows('stats count(*) as n, sum(bytes) as b by action | sort action | addtotals col=true');
  const body = answer.slice(0, -1);
  assert.deepEqual(
    new Map(body.map((r) => [r.action, [r.n, r.Total]])),
    new Map([...groups].map(([a, g]) => [a, [g.n, g.n + g.b]])),
  );
  const n = ROWS.length;
  const b = ROWS.reduce((s, r) => s + (r[6] ?? 0), 0);
  assert.deepEqual(answer.at(-1), { action: null, n, b, Total: n + b });
  const named = await rows('stats count(*) as n, sum(bytes) as b by action | addtotals fieldname=RowSum n');
  assert.deepEqual(
    named.map((r) => r.RowSum),
    named.map((r) => r.n),
  );
});

test('sessionize numbers the sessions of each interface: a gap over maxspan starts a new one', async () => {
  const byEni = new Map<string, number[]>();
  for (const r of ROWS)
    byEni.set(
      r[10],
      [...(byEni.get(r[10]) ?? []), r[7]].sort((a, b) => a - b),
    );
  const expected: { session_id: number; interfaceId: string; n: number }[] = [];
  for (const [eni, times] of [...byEni].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    times.forEach((t, i) => {
      if (i === 0 || t - times[i - 1]! > 1800)
        expected.push({ session_id: expected.length + 1, interfaceId: eni, n: 0 });
      expected.at(-1)!.n++;
    });
  }
  assert.deepEqual(
    await rows('sessionize interfaceId maxspan 30m | stats count(*) as n by session_id, interfaceId | sort session_id'),
    expected,
  );
});

test('outlier clamps (transform) or drops (remove) values beyond the interquartile bounds, and marks them', async () => {
  const values = ROWS.flatMap((r) => (r[6] === null ? [] : [r[6]])).sort((a, b) => a - b);
  const q = (p: number) => {
    const at = p * (values.length - 1);
    const lo = Math.floor(at);
    return values[lo]! + (at - lo) * ((values[lo + 1] ?? values[lo]!) - values[lo]!);
  };
  const upper = q(0.75) + 1.5 * (q(0.75) - q(0.25));
  const lower = q(0.25) - 1.5 * (q(0.75) - q(0.25));
  assert.ok(
    values.some((v) => v > upper),
    'the fixture has a value above the upper bound',
  );
  const clamped = await rows('filter bytes > 0 | fields bytes | outlier param=1.5 mark=true bytes | sort bytes');
  assert.deepEqual(
    clamped.map((r) => [r.bytes, r.bytes_outlier]),
    values.map((v) => [Math.min(v, upper), v > upper]),
  );
  const removed = await rows('filter bytes > 0 | fields bytes | outlier action=remove param=1.5 uselower=true bytes');
  assert.deepEqual(
    removed.map((r) => Number(r.bytes)).sort((a, b) => a - b),
    values.filter((v) => v <= upper && v >= lower),
  );
});

test('logcompare timeshift counts the patterns of the range and of the range shifted back, as diff does', async () => {
  const now = { from: iso(3600), to: iso(7200) };
  const then = { from: iso(0), to: iso(3600) };
  const answer = await rows('logcompare timeshift 1h', now);
  const count = async (range: { from: string; to: string }) =>
    new Map((await rows('pattern @message', range)).map((r) => [r['@pattern'], r['@sampleCount']]));
  const [current, previous] = [await count(now), await count(then)];
  assert.ok(answer.length > 0);
  for (const r of answer) {
    assert.equal(r['@sampleCount'], current.get(r['@pattern']) ?? 0, String(r['@pattern']));
    assert.equal(r['@previousSampleCount'], previous.get(r['@pattern']) ?? 0, String(r['@pattern']));
  }
  assert.deepEqual(new Set(answer.map((r) => r['@pattern'])), new Set([...current.keys(), ...previous.keys()]));
});

test('a subquery (field in ( query )) runs over the same records: the sources that were ever rejected', async () => {
  const rejected = new Set(ROWS.filter((r) => r[8] === 'REJECT').map((r) => r[0]));
  const [inside] = await rows('filter srcAddr in (filter action = "REJECT" | fields srcAddr) | stats count(*) as n');
  assert.equal(inside!.n, ROWS.filter((r) => rejected.has(r[0])).length);
  const [outside] = await rows(
    'filter srcAddr not in (filter action = "REJECT" | stats count(*) by srcAddr | fields srcAddr) | stats count(*) as n',
  );
  assert.equal(outside!.n, ROWS.filter((r) => !rejected.has(r[0])).length);
});

test('appendcols puts the columns of a query over the same records beside the result, row by row', async () => {
  const byAction = new Map<string, { n: number; b: number | null }>();
  for (const r of ROWS) {
    const g = byAction.get(r[8] ?? '-') ?? { n: 0, b: null };
    byAction.set(r[8] ?? '-', { n: g.n + 1, b: r[6] === null ? g.b : (g.b ?? 0) + r[6] });
  }
  const answer = await rows(
    'stats count(*) as n by action | sort n desc, action | appendcols ( stats count(*) as c, sum(bytes) as b by action | sort c desc, action | display b )',
  );
  assert.deepEqual(
    answer.map((r) => [r.action, r.n, r.b]),
    [...byAction] // Insights sorts a logged `-` (stored NULL) as the text it is: before letters.
      .sort((x, y) => y[1].n - x[1].n || Number(y[0] === '-') - Number(x[0] === '-') || (x[0] < y[0] ? -1 : 1))
      .map(([a, g]) => [a, g.n, g.b]),
  );
  // max=1 keeps one row of the query; override=true lets its `n` replace the result's.
  const total = await rows(
    'stats count(*) as n by action | sort action | appendcols override=true max=1 ( stats count(*) as n )',
  );
  assert.deepEqual(
    total.map((r) => r.n),
    [ROWS.length, ...Array.from({ length: byAction.size - 1 }, () => null)],
  );
});

test('join, a subquery over SOURCE, appendcols over SOURCE and relevantfields are refused, naming the command where it stands', async () => {
  const cases: [string, string, number][] = [
    ['fields srcAddr | join type=inner left=a right=b where a.x=b.x (SOURCE "lg")', '`join`', 18],
    ['filter srcAddr in (SOURCE "lg" | fields srcAddr)', 'A subquery over `SOURCE …`', 20],
    ['stats count(*) by srcAddr | appendcols ( SOURCE lg | stats count(*) )', 'A subquery over `SOURCE …`', 42],
    ['relevantfields where bytes > 400', '`relevantfields`', 1],
  ];
  for (const [query, command, column] of cases) {
    await assert.rejects(rows(query), (err: unknown) => {
      assert.ok(err instanceof FlowscopeError);
      assert.equal(err.code, 'query_error');
      assert.ok(err.message.startsWith(`line 1, column ${column}: ${command} is not supported: `), err.message);
      return true;
    });
  }
});
