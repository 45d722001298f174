/**
 * Follow-ups on a result (pages, chart data, counts, the histogram, the fields) are stopped by the id their
 * caller gave them, like a query: when the analyst runs again or changes the range, the workbench cancels
 * what it asked for the answer it no longer shows, so the engine does not work on for nobody.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call } from '../../../main/engine/dispatch';
import { FlowscopeError } from '../../../main/engine/errors';
import type { Output } from '../../../preload/contract';
import { openFixture, type Fixture } from './fixture';

let fx: Fixture;
before(async () => {
  fx = await openFixture();
});
after(async () => {
  await fx.close();
});

const SLOW = 'SELECT count(*) FROM range(100000000000) a WHERE a.range % 7 = 3';
const cancelled = (err: unknown) => err instanceof FlowscopeError && err.code === 'cancelled';
const cancel = (queryId: string) => call(fx.engine, 'query.cancel', { queryId }) as Promise<Output<'query.cancel'>>;

async function listOfRecords(): Promise<Output<'query.run'>> {
  return (await call(fx.engine, 'query.run', {
    query: 'fields @timestamp, srcAddr, dstPort, action | sort @timestamp desc',
  })) as Output<'query.run'>;
}

test('each follow-up of a result is stopped by its id before it starts, and answers "cancelled"', async () => {
  const result = await listOfRecords();
  const { resultId } = result;
  const asked = {
    page: call(fx.engine, 'query.page', { resultId, offset: 0, limit: 10, queryId: 'f-page' }),
    chart: call(fx.engine, 'query.chart', {
      resultId,
      spec: { type: 'bar', x: 'srcAddr', y: 'dstPort' },
      width: 600,
      queryId: 'f-chart',
    }),
    stats: call(fx.engine, 'query.stats', { resultId, queryId: 'f-stats' }),
    histogram: call(fx.engine, 'query.histogram', { resultId, width: 600, queryId: 'f-histogram' }),
    fields: call(fx.engine, 'query.fields', { resultId, queryId: 'f-fields' }),
  };
  // Asked in the same turn as the requests, as a page that moves on at once does: each is registered already.
  const names = Object.keys(asked);
  const stopped = await Promise.all(names.map((name) => cancel(`f-${name}`)));
  for (const [i, name] of names.entries()) assert.deepEqual(stopped[i], { cancelled: true }, name);
  for (const [name, answer] of Object.entries(asked)) await assert.rejects(answer, cancelled, name);
  for (const name of names) assert.deepEqual(await cancel(`f-${name}`), { cancelled: false }, name);

  // The result itself is untouched: the same follow-ups without a cancel answer.
  const page = (await call(fx.engine, 'query.page', { resultId, offset: 0, limit: 10 })) as Output<'query.page'>;
  assert.deepEqual(page.rows, result.rows.slice(0, 10));
  const stats = (await call(fx.engine, 'query.stats', { resultId, queryId: 'f-stats' })) as Output<'query.stats'>;
  assert.equal(stats.matched, result.rowCount);
});

test("a follow-up waiting behind another query on its result's connection is cancelled without interrupting that query", async () => {
  const { resultId } = await listOfRecords();
  // The slow query takes the one free connection, the one that holds the result: the page waits in its lane.
  const slow = call(fx.engine, 'query.run', { query: SLOW, dialect: 'sql', queryId: 'f-slow' });
  slow.catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const page = call(fx.engine, 'query.page', { resultId, offset: 0, limit: 5, queryId: 'f-waiting' });
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(await cancel('f-waiting'), { cancelled: true });
  await assert.rejects(page, cancelled);
  assert.deepEqual(await cancel('f-slow'), { cancelled: true }, 'the query it waited behind was still running');
  await assert.rejects(slow, cancelled);
});

test('a follow-up is interrupted while DuckDB works on it (a sorted page deep into a large result)', async () => {
  const { resultId } = (await call(fx.engine, 'query.run', {
    query: 'SELECT (range * 2654435761 % 4294967296)::VARCHAR AS h FROM range(8000000)',
    dialect: 'sql',
    pageSize: 1,
  })) as Output<'query.run'>;
  // A full sort of eight million strings: far longer than the wait before the cancel, even on an idle machine.
  const page = call(fx.engine, 'query.page', {
    resultId,
    offset: 7_999_990,
    limit: 10,
    sort: [{ column: 'h', descending: true }],
    queryId: 'f-sort',
  });
  let answered = false;
  page.then(
    () => (answered = true),
    () => (answered = true),
  );
  await new Promise((resolve) => setTimeout(resolve, 150));
  assert.equal(answered, false, 'the sort ended before the cancel: the test needs a larger result');
  assert.deepEqual(await cancel('f-sort'), { cancelled: true });
  await assert.rejects(page, cancelled);
  // The connection is free for the next request on that result.
  const next = (await call(fx.engine, 'query.page', { resultId, offset: 0, limit: 1 })) as Output<'query.page'>;
  assert.equal(next.rowCount, 8_000_000);
});
