/**
 * The histogram above a list of records: every record the query matched (not the rows a limit kept),
 * per round time bucket over the query's range, ACCEPT, REJECT and the rest apart, checked against the
 * fixture's records counted here by hand.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call } from '../../../main/engine/dispatch';
import type { Input, Output } from '../../../preload/contract';
import { openFixture, ROWS, T0, type Row } from './fixture';
import { openedForFile } from '../../support/opened-for-file';

const fx = openedForFile(openFixture);

type Histogram = NonNullable<Output<'query.histogram'>>;

async function histogram(input: Input<'query.run'>, width = 800): Promise<Output<'query.histogram'>> {
  const run = (await call(fx().engine, 'query.run', input)) as Output<'query.run'>;
  return (await call(fx().engine, 'query.histogram', { resultId: run.resultId, width })) as Output<'query.histogram'>;
}

/** The fixture's rows counted into buckets of `bucketMs`, as the histogram should have them. */
function byHand(rows: readonly Row[], bucketMs: number): Histogram['buckets'] {
  const buckets = new Map<number, { accept: number; reject: number; other: number }>();
  for (const r of rows) {
    const at = Math.floor(((T0 + r[7]) * 1000) / bucketMs) * bucketMs;
    const b = buckets.get(at) ?? { accept: 0, reject: 0, other: 0 };
    if (r[8] === 'ACCEPT') b.accept++;
    else if (r[8] === 'REJECT') b.reject++;
    else b.other++;
    buckets.set(at, b);
  }
  return [...buckets.entries()].sort(([a], [b]) => a - b).map(([at, b]) => ({ at: new Date(at).toISOString(), ...b }));
}

const total = (h: Histogram) => h.buckets.reduce((n, b) => n + b.accept + b.reject + b.other, 0) + h.undated;

test('a list of records: every matched record in its bucket, past the limit, in time order', async () => {
  const h = await histogram({ query: 'fields @timestamp, srcAddr, action | sort @timestamp desc | limit 3' });
  assert.ok(h);
  // The whole workspace is about three hours: 800 pixels hold 100 bars, so the round bucket is 2 minutes.
  assert.equal(h.bucketMs, 120_000);
  assert.deepEqual(h.buckets, byHand(ROWS, h.bucketMs));
  assert.equal(total(h), ROWS.length, 'the limit kept 3 rows; the histogram counts all that matched');
  assert.equal(h.from, new Date(T0 * 1000).toISOString());
});

test('the bars add up to "records matched", filters and the time range included, in Sumo too', async () => {
  const timeRange = { from: new Date(T0 * 1000).toISOString(), to: new Date((T0 + 3700) * 1000).toISOString() };
  const input = { query: '_sourceCategory=vpc REJECT', timeRange };
  const h = await histogram(input, 240);
  assert.ok(h);
  const run = (await call(fx().engine, 'query.run', input)) as Output<'query.run'>;
  const stats = (await call(fx().engine, 'query.stats', { resultId: run.resultId })) as Output<'query.stats'>;
  assert.equal(total(h), stats.matched);
  const expected = ROWS.filter((r) => r[8] === 'REJECT' && r[7] < 3700);
  assert.deepEqual(h.buckets, byHand(expected, h.bucketMs));
  // 3,700 seconds in 30 bars: the smallest round width of at least 124 s is 5 minutes.
  assert.equal(h.bucketMs, 300_000);
  assert.equal(h.to, timeRange.to);
});

test('records without an action count as other, so NODATA windows show', async () => {
  const h = await histogram({ query: 'filter logStatus != "OK"' });
  assert.ok(h);
  assert.equal(
    h.buckets.reduce((n, b) => n + b.other, 0),
    ROWS.filter((r) => r[9] !== 'OK').length,
  );
  assert.equal(
    h.buckets.reduce((n, b) => n + b.accept + b.reject, 0),
    0,
  );
});

test('aggregates and SQL have no histogram', async () => {
  assert.equal(await histogram({ query: 'stats count(*) by action' }), null);
  assert.equal(await histogram({ query: '_sourceCategory=vpc | count by action' }), null);
  assert.equal(await histogram({ query: 'SELECT * FROM flows', dialect: 'sql' }), null);
  await assert.rejects(
    call(fx().engine, 'query.histogram', { resultId: 'r-none', width: 400 }),
    /no longer kept .*; run the query again/,
  );
});
