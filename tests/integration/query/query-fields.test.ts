/**
 * The field sidebar's data: for each field of a kept result that names something, its top values with
 * their counts and its number of distinct values, counted by DuckDB over the whole result.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call } from '../../../main/engine/dispatch';
import type { Output } from '../../../preload/contract';
import { TOP_VALUES } from '../../../queries/chart/field-summary';
import { openFixture, ROWS } from './fixture';
import { openedForFile } from '../../support/opened-for-file';

const fx = openedForFile(openFixture);

async function fields(query: string, dialect?: 'sql'): Promise<Output<'query.fields'>['fields']> {
  const run = (await call(fx().engine, 'query.run', { query, ...(dialect ? { dialect } : {}) })) as Output<'query.run'>;
  return ((await call(fx().engine, 'query.fields', { resultId: run.resultId })) as Output<'query.fields'>).fields;
}

/**
 * The top values of one row field, counted here from the fixture, largest first, ties by value: each value
 * as logged, which Insights shows (`-` for a NODATA record's, a port as its digits).
 */
function expected(index: number): { value: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const row of ROWS) {
    const logged = String(row[index] ?? '-');
    counts.set(logged, (counts.get(logged) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1))
    .slice(0, TOP_VALUES);
}

test('each field that names something has its top values, counts and distinct values; times and measures none', async () => {
  const summary = await fields('fields @timestamp, srcAddr, dstPort, action, bytes, interfaceId');
  assert.deepEqual(
    summary.map((f) => f.name),
    ['srcAddr', 'dstPort', 'action', 'interfaceId'],
  );
  const byName = new Map(summary.map((f) => [f.name, f]));
  assert.deepEqual(byName.get('action')!.values, expected(8));
  assert.equal(byName.get('action')!.distinct, 3, 'ACCEPT, REJECT and the `-` of NODATA/SKIPDATA records');
  assert.deepEqual(byName.get('dstPort')!.values, expected(3), 'ports as logged: a click filters on "22", port 22');
  assert.equal(byName.get('srcAddr')!.distinct, new Set(ROWS.map((r) => r[0] ?? '-')).size);
  assert.equal(
    byName.get('interfaceId')!.values.reduce((sum, v) => sum + v.count, 0),
    ROWS.length,
    'four ENIs, all listed',
  );
});

test('an aggregate result and a SQL result are summarised by their own columns', async () => {
  const summary = await fields('stats count(*) as flows by action, dstPort');
  assert.deepEqual(
    summary.map((f) => f.name),
    ['action', 'dstPort'],
  );
  // A missing value is listed as a value, and counted as one: 3 listed, 3 said (NULL, ACCEPT, REJECT).
  const nulls = await fields(
    "SELECT CASE WHEN action <> '-' THEN action END AS act, count(*) AS n FROM flows GROUP BY 1",
    'sql',
  );
  assert.deepEqual([nulls[0]!.values.length, nulls[0]!.distinct], [3, 3]);
  assert.ok(nulls[0]!.values.some((v) => v.value === null));
  const sql = await fields('SELECT srcaddr, count(*) AS n FROM flows GROUP BY 1', 'sql');
  assert.deepEqual(
    sql.map((f) => f.name),
    ['srcaddr'],
  );
  assert.equal(
    sql[0]!.values.every((v) => v.count === 1),
    true,
    'one row per address',
  );
});

test('a result that is gone says so, in the same words for each follow-up', async () => {
  for (const [channel, extra] of [
    ['query.fields', {}],
    ['query.stats', {}],
    ['query.histogram', { width: 800 }],
  ] as const)
    await assert.rejects(call(fx().engine, channel, { resultId: 'r-none', ...extra }), (err: Error) => {
      assert.match(err.message, /^This result is no longer kept .*; run the query again\.$/, channel);
      assert.doesNotMatch(err.message, /r-none/, 'the internal id is not shown');
      return true;
    });
});
