/**
 * "N records matched of M scanned" for every query, counted after the answer: the records a query's
 * first stats groups (or that it lists before a limit) and those of its time range and filters.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call } from '../../../main/engine/dispatch';
import type { Input, Output } from '../../../preload/contract';
import { openFixture, ROWS, T0 } from './fixture';
import { openedForFile } from '../../support/opened-for-file';

const fx = openedForFile(openFixture);

async function stats(input: Input<'query.run'>): Promise<Output<'query.stats'> & { rowCount: number }> {
  const run = (await call(fx().engine, 'query.run', input)) as Output<'query.run'>;
  const counts = (await call(fx().engine, 'query.stats', { resultId: run.resultId })) as Output<'query.stats'>;
  return { ...counts, rowCount: run.rowCount };
}

const rejects = ROWS.filter((r) => r[8] === 'REJECT').length;

test('an aggregate matched the records its stats grouped, of all the records scanned', async () => {
  assert.deepEqual(await stats({ query: 'filter action = "REJECT" | stats count(*) as n by dstPort' }), {
    matched: rejects,
    scanned: ROWS.length,
    rowCount: new Set(ROWS.filter((r) => r[8] === 'REJECT').map((r) => r[3])).size,
  });
  assert.equal(
    (await stats({ query: '_sourceCategory=vpc REJECT | count by srcaddr | sort by _count' })).matched,
    rejects,
    'Sumo too',
  );
});

test('a limited list of records says how many there were, and the time range is what was scanned', async () => {
  const inRange = ROWS.filter((r) => r[7] < 3600).length;
  const answer = await stats({
    query: 'fields srcAddr | filter ispresent(srcAddr) | limit 2',
    timeRange: { from: new Date(T0 * 1000).toISOString(), to: new Date((T0 + 3600) * 1000).toISOString() },
  });
  assert.deepEqual(answer, {
    matched: ROWS.filter((r) => r[7] < 3600 && r[0] !== null).length,
    scanned: inRange,
    rowCount: 2,
  });
});

test('SQL says what it scanned; what it matched is its own business', async () => {
  assert.deepEqual(await stats({ query: 'SELECT count(*) FROM flows WHERE bytes > 500', dialect: 'sql' }), {
    matched: null,
    scanned: ROWS.length,
    rowCount: 1,
  });
});

test('SQL that reads no records scanned none, and SQL of `main.flows` scanned every record whatever the range', async () => {
  for (const query of ['SELECT 1', 'SELECT * FROM range(1000) t(i)', "SELECT 'flows' AS word"])
    assert.equal((await stats({ query, dialect: 'sql' })).scanned, null, query);
  const firstHour = { from: new Date(T0 * 1000).toISOString(), to: new Date((T0 + 3600) * 1000).toISOString() };
  assert.equal(
    (await stats({ query: 'SELECT count(*) FROM main.flows', dialect: 'sql', timeRange: firstHour })).scanned,
    ROWS.length,
  );
  assert.equal(
    (await stats({ query: 'SELECT count(*) FROM flows', dialect: 'sql', timeRange: firstHour })).scanned,
    ROWS.filter((r) => r[7] < 3600).length,
  );
});
