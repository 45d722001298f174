/**
 * CloudWatch Logs Insights' time-series functions (the reference's "Time-series functions" page):
 * `count_over_time`, `sum_over_time` and `stats … by bin() offset <d>`, on the hand-written fixture; the
 * expected answers are computed here from the fixture's rows. `rate` and `histogram`, which the reference
 * leaves undefined in what they answer, are refused saying so.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CellValue, Output } from '../../../preload/contract';
import { call } from '../../../main/engine/dispatch';
import { openFixture, ROWS, T0, type Fixture } from './fixture';

let fx: Fixture;
before(async () => {
  fx = await openFixture();
});
after(async () => {
  await fx.close();
});

const iso = (offset: number) => new Date((T0 + offset) * 1000).toISOString();

async function rows(query: string, extra: Record<string, unknown> = {}): Promise<Record<string, CellValue>[]> {
  const out = (await call(fx.engine, 'query.run', {
    query,
    pageSize: 1000,
    dialect: 'insights',
    ...extra,
  })) as Output<'query.run'>;
  return out.rows.map((r) => Object.fromEntries(out.columns.map((c, i) => [c.name, r[i]!])));
}

/**
 * [bin start in ms, records, sum of bytes] per bin of `binS` seconds of the fixture's rows whose offset is in
 * [from, to); a bin of records without bytes (NODATA, SKIPDATA) sums to nothing, null, as `sum` does.
 */
function expectedBins(binS: number, from: number, to: number, shiftS = 0): [number, number, number | null][] {
  const bins = new Map<number, [number, number | null]>();
  for (const r of ROWS) {
    const at = r[7];
    if (at < from || at >= to) continue;
    const start = Math.floor(at / binS) * binS + shiftS;
    const [n, b] = bins.get(start) ?? [0, null];
    const bytes = r[6];
    bins.set(start, [n + 1, bytes === null ? b : (b ?? 0) + bytes]);
  }
  return [...bins].sort(([a], [b]) => a - b).map(([start, [n, b]]) => [(T0 + start) * 1000, n, b]);
}

test('count_over_time and sum_over_time (countOverTime and sumOverTime, as the current reference spells them) count and sum per time bin', async () => {
  for (const [count, sum] of [
    ['count_over_time', 'sum_over_time'],
    ['countOverTime', 'sumOverTime'],
  ]) {
    const r = await rows(`stats ${count}(bytes) as n, ${sum}(bytes) as b by bin(1h) as t`);
    assert.deepEqual(
      r.map((x) => [Date.parse(String(x.t)), x.n, x.b]),
      expectedBins(3600, 0, Infinity),
    );
  }
});

test('an unaliased count_over_time is named as written, as CloudWatch names aggregates', async () => {
  const r = await rows('filter action = "REJECT" | stats count_over_time(srcAddr)');
  assert.deepEqual(r, [{ 'count_over_time(srcAddr)': ROWS.filter((x) => x[8] === 'REJECT').length }]);
});

test('offset 1h: each bin of the time range holds the records of the bin an hour earlier', async () => {
  const range = { timeRange: { from: iso(3600), to: iso(7200) } };
  const shifted = await rows('stats count(*) as n, sum(bytes) as b by bin(1m) as t offset 1h', range);
  const expected = expectedBins(60, 0, 3600, 3600);
  assert.ok(expected.length >= 3, 'the hour before the range has records in several minutes');
  assert.deepEqual(
    shifted.map((x) => [Date.parse(String(x.t)), x.n, x.b]),
    expected,
  );
  // The same bins without offset hold this hour's own records: the two series line up for a comparison.
  const own = await rows('stats count(*) as n, sum(bytes) as b by bin(1m) as t', range);
  assert.deepEqual(
    own.map((x) => [Date.parse(String(x.t)), x.n, x.b]),
    expectedBins(60, 3600, 7200),
  );
});

test('offset needs a bin to shift, on the first stats, and a fixed span', async () => {
  const message = async (query: string) => {
    const out = (await call(fx.engine, 'query.compile', { query, dialect: 'insights' })) as Output<'query.compile'>;
    return out.diagnostics[0]?.message ?? '';
  };
  assert.match(await message('stats count(*) by srcAddr offset 1h'), /shifts the time bins of `stats … by bin\(\)`/);
  assert.match(
    await message('stats count(*) as n by bin(1h) | stats sum(n) by bin(1d) offset 1d'),
    /belongs on the first `stats`/,
  );
  assert.match(await message('stats count(*) by bin(1h) offset 1mo'), /time span of fixed length/);
});

test('rate and histogram are refused, naming what the reference leaves undefined', async () => {
  const compile = async (query: string) =>
    (await call(fx.engine, 'query.compile', { query, dialect: 'insights' })) as Output<'query.compile'>;
  const rate = (await compile('stats rate(bytes, 1s) by bin(5m)')).diagnostics[0]!;
  assert.match(rate.message, /^rate\(\) is not supported: .*"the per-interval rate of change"/);
  assert.deepEqual([rate.span.column, rate.span.length], [7, 4]);
  assert.match(rate.hint ?? '', /sum_over_time\(bytes\) \/ 300/);
  const histogram = (await compile('stats histogram(bytes, 10)')).diagnostics[0]!;
  assert.match(histogram.message, /^histogram\(\) is not supported: .*does not document/);
});
