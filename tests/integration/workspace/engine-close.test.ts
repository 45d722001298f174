/**
 * Closing the engine leaves no DuckDB call running. The utility process (and the conformance suite's worker
 * thread) exits once the engine has closed; a DuckDB call still running then returns into an environment
 * that is going away, and DuckDB's Node client ends the whole process ("terminate called after throwing an
 * instance of 'Napi::Error'"): CI met it now and then when a dashboard's warm-up was making a connection
 * as the engine closed.
 */
import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import { join } from 'node:path';
import { test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Engine } from '../../../main/engine';
import { call } from '../../../main/engine/dispatch';
import { FlowscopeError } from '../../../main/engine/errors';
import { tempDir } from './helpers';

const dir = tempDir();

/**
 * DuckDB's Node client makes every call (connect, query, prepare, fetch) as N-API async work, an async
 * resource of type 'generic' whose callback runs when the call returns; these are the calls not returned.
 */
const duckdbCalls = new Set<number>();
createHook({
  init: (id, type) => void (type === 'generic' && duckdbCalls.add(id)),
  after: (id) => void duckdbCalls.delete(id),
  destroy: (id) => void duckdbCalls.delete(id),
}).enable();

const cancelled = (err: unknown) => err instanceof FlowscopeError && err.code === 'cancelled';

test('a query still making its connection when the engine closes is stopped, and close() waits for it', async () => {
  const engine = await Engine.open({ workspace: join(dir, 'making.duckdb'), create: true });
  // The first query loads the query service and leaves one pooled connection; of the next two, one needs a
  // connection of its own, which takes DuckDB calls (the connection, then its macros).
  await call(engine, 'query.run', { query: 'SELECT 1 AS one', dialect: 'sql' });
  const asked = Promise.allSettled(
    [42, 43].map((n) => call(engine, 'query.run', { query: `SELECT ${n} AS answer`, dialect: 'sql' })),
  );
  while (duckdbCalls.size === 0) await nextTurn();

  await engine.close();
  assert.equal(duckdbCalls.size, 0, 'DuckDB calls still running after the engine closed');
  for (const answer of await asked)
    if (answer.status === 'rejected') assert.ok(cancelled(answer.reason), String(answer.reason));
});

test('once the engine closes, a dashboard panel asked again starts no query on the workspace', async () => {
  const engine = await Engine.open({ workspace: join(dir, 'late.duckdb'), create: true });
  await call(engine, 'query.run', { query: 'SELECT 1 AS one', dialect: 'sql' });
  const closing = engine.close();
  const late = call(engine, 'dashboard.runPanel', {
    query: 'SELECT 3 AS three',
    dialect: 'sql',
    pageSize: 10,
  });
  await closing;
  await assert.rejects(late, (err: unknown) => err instanceof FlowscopeError && /clos/.test(err.message));
  assert.equal(duckdbCalls.size, 0, 'DuckDB calls still running after the engine closed');
});

test('compaction stops a long query and closes its connections before it swaps the file, then queries answer', async () => {
  const engine = await Engine.open({ workspace: join(dir, 'compact.duckdb'), create: true });
  await call(engine, 'query.run', { query: 'SELECT 1 AS one', dialect: 'sql' });
  const long = call(engine, 'query.run', { query: 'SELECT count(*) FROM range(100000000000) a', dialect: 'sql' }).then(
    () => 'answered',
    (err: unknown) => (cancelled(err) ? 'cancelled' : String(err)),
  );
  while (duckdbCalls.size === 0) await nextTurn();
  await call(engine, 'workspace.compact', {});
  assert.equal(await long, 'cancelled');
  const after = (await call(engine, 'query.run', { query: 'SELECT 41 + 1 AS n', dialect: 'sql' })) as {
    rows: unknown[][];
  };
  assert.equal(Number(after.rows[0]![0]), 42);
  await engine.close();
  assert.equal(duckdbCalls.size, 0, 'DuckDB calls still running after the engine closed');
});
