import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { Engine, type EngineEvent } from '../../../main/engine';
import { dispatch } from '../../../main/engine/dispatch';
import { tempDir } from './helpers';

const dir = tempDir();
let engine: Engine;

before(async () => {
  engine = await Engine.open({ workspace: join(dir, 'engine.duckdb'), create: true });
});
after(() => engine.close());

test('workspace channels answer through the dispatcher with contract-shaped values', async () => {
  const info = await dispatch(engine, { id: 1, channel: 'workspace.info', input: {} });
  assert.deepEqual(info, { id: 1, ok: true, value: { path: join(dir, 'engine.duckdb'), records: 0, rejected: 0, timeSpan: null, imports: 0, schemaVersion: 2 } });
  assert.deepEqual(await dispatch(engine, { id: 2, channel: 'workspace.imports', input: {} }), { id: 2, ok: true, value: { total: 0, imports: [] } });
  assert.deepEqual(await dispatch(engine, { id: 3, channel: 'workspace.rejected', input: { importId: 5 } }), { id: 3, ok: true, value: { total: 0, lines: [] } });
  const missing = await dispatch(engine, { id: 4, channel: 'workspace.removeImport', input: { importId: 99 } });
  assert.equal(!missing.ok && missing.error.code, 'not_found');
  const compact = await dispatch(engine, { id: 5, channel: 'workspace.compact', input: {} });
  assert.ok(compact.ok && (compact.value as { bytesAfter: number }).bytesAfter > 0);
});

test('job events reach listeners, and job.cancel / job.wait work through the dispatcher', async () => {
  const seen: EngineEvent[] = [];
  const off = engine.on((e) => seen.push(e));
  const jobId = engine.jobs.start('import', async ({ signal, progress }) => {
    while (!signal.aborted) {
      progress({ records: 1, bytesDone: 1, bytesTotal: 10 });
      await sleep(5);
    }
    return { records: 1, rejected: 0, files: [] };
  });
  await sleep(150);
  assert.deepEqual(await dispatch(engine, { id: 1, channel: 'job.cancel', input: { jobId } }), { id: 1, ok: true, value: { cancelled: true } });
  const waited = await dispatch(engine, { id: 2, channel: 'job.wait', input: { jobId } });
  assert.ok(waited.ok);
  assert.equal((waited.value as { state: string }).state, 'cancelled');
  off();
  const mine = seen.filter((e) => e.payload.jobId === jobId);
  assert.ok(mine.some((e) => e.event === 'job.progress'));
  assert.deepEqual(
    mine.filter((e) => e.event === 'job.state').map((e) => (e.payload as { state: string }).state),
    ['running', 'cancelled'],
  );
  const list = await dispatch(engine, { id: 3, channel: 'job.list', input: {} });
  assert.ok(list.ok && (list.value as { jobId: string }[]).some((j) => j.jobId === jobId));
  const unknown = await dispatch(engine, { id: 4, channel: 'job.wait', input: { jobId: 'job_none' } });
  assert.equal(!unknown.ok && unknown.error.code, 'not_found');
});

test('a listener that throws does not stop a job or other listeners', async () => {
  let others = 0;
  const offBad = engine.on(() => {
    throw new Error('broken listener');
  });
  const offGood = engine.on(() => others++);
  const jobId = engine.jobs.start('import', async () => ({ records: 0, rejected: 0, files: [] }));
  const done = await engine.jobWait({ jobId });
  offBad();
  offGood();
  assert.equal(done.state, 'done');
  assert.ok(others >= 2);
});
