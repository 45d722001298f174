/**
 * A page reloaded or closed while its query runs leaves nothing running: the queries a connection started
 * and had no answer to are cancelled when it closes (before, the query ran on at full CPU to its end).
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine } from '../../../main/engine';
import { call } from '../../../main/engine/dispatch';
import { serveEndpoint } from '../../../main/engine/host/endpoint';
import { memoryEndpoint } from '../../support/memory-endpoint';
import { openedForFile } from '../../support/opened-for-file';

const dir = mkdtempSync(join(tmpdir(), 'flowscope-page-closed-'));
const engine = openedForFile(() => Engine.open({ workspace: join(dir, 'ws.duckdb'), create: true }), dir);

test("closing a connection cancels the queries it started and had no answer to, and not another's", async () => {
  const page = memoryEndpoint();
  const other = memoryEndpoint();
  serveEndpoint(engine(), page.endpoint);
  serveEndpoint(engine(), other.endpoint);
  const slow = 'SELECT sum(hash(i)) FROM range(4000000000) t(i)';
  page.deliver({ id: 1, channel: 'query.run', input: { query: slow, dialect: 'sql', queryId: 'q-page' } });
  const otherRun = call(engine(), 'query.run', { query: 'SELECT 42 AS n', dialect: 'sql', queryId: 'q-other' });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const started = Date.now();
  page.close();
  // The cancelled query ends at once: a run after it on the same engine is not held up behind it.
  const after = await call(engine(), 'query.run', { query: 'SELECT 1 AS n', dialect: 'sql' });
  assert.deepEqual((after as { rows: unknown[][] }).rows, [[1]]);
  assert.ok(Date.now() - started < 10_000, `the closed page's query ran on for ${Date.now() - started} ms`);
  assert.deepEqual(((await otherRun) as { rows: unknown[][] }).rows, [[42]]);
  // Nothing is sent to a closed connection.
  assert.deepEqual(page.sent, []);
  const cancelAgain = await call(engine(), 'query.cancel', { queryId: 'q-page' });
  assert.deepEqual(cancelAgain, { cancelled: false });
});
