import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { Engine, type EngineEvent } from '../../../main/engine';
import { dispatch } from '../../../main/engine/dispatch';
import { SCHEMA_VERSION } from '../../../main/engine/workspace';
import { STORAGE_VERSION } from '../../../main/engine/workspace/config';
import { tempDir } from './helpers';

const dir = tempDir();
let engine: Engine;

before(async () => {
  engine = await Engine.open({ workspace: join(dir, 'engine.duckdb'), create: true });
});
after(() => engine.close());

test('workspace channels answer through the dispatcher with contract-shaped values', async () => {
  const info = await dispatch(engine, { id: 1, channel: 'workspace.info', input: {} });
  assert.deepEqual(info, {
    id: 1,
    ok: true,
    value: {
      path: join(dir, 'engine.duckdb'),
      records: 0,
      rejected: 0,
      timeSpan: null,
      imports: 0,
      schemaVersion: SCHEMA_VERSION,
      storage: { version: `${STORAGE_VERSION}+`, current: true },
    },
  });
  assert.deepEqual(await dispatch(engine, { id: 2, channel: 'workspace.imports', input: {} }), {
    id: 2,
    ok: true,
    value: { total: 0, imports: [] },
  });
  assert.deepEqual(await dispatch(engine, { id: 3, channel: 'workspace.rejected', input: { importId: 5 } }), {
    id: 3,
    ok: true,
    value: { total: 0, lines: [] },
  });
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
  assert.deepEqual(await dispatch(engine, { id: 1, channel: 'job.cancel', input: { jobId } }), {
    id: 1,
    ok: true,
    value: { cancelled: true },
  });
  const waited = await dispatch(engine, { id: 2, channel: 'job.wait', input: { jobId } });
  assert.ok(waited.ok);
  assert.equal((waited.value as { state: string }).state, 'cancelled');
  off();
  const mine = seen.filter((e) => 'jobId' in e.payload && e.payload.jobId === jobId);
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

test('after compaction queries read the new file, also when they started while compaction waited its turn', async () => {
  const count = async () => {
    const r = await engine.queryRun({ query: 'SELECT count(*) AS n FROM flows', dialect: 'sql', pageSize: 1 });
    return r.rows[0]![0];
  };
  const addRecords = (tag: string, n: number) =>
    engine.workspace.transaction(async (tx) => {
      const id = await tx.beginImport({
        source: 'file',
        path: `/logs/${tag}`,
        size: n,
        sha256: `hash-${tag}`,
        format: 'text',
      });
      await tx.run(`INSERT INTO flow_records (version, import_id) SELECT 2, $1 FROM range($2)`, [id, n]);
      await tx.finishImport(id, { records: n, rejected: 0 });
    });
  const base = Number(await count());
  let release!: () => void;
  const holding = engine.workspace.transaction(async (tx) => {
    await new Promise<void>((r) => (release = r));
    const id = await tx.beginImport({
      source: 'file',
      path: '/logs/during',
      size: 1,
      sha256: 'hash-during',
      format: 'text',
    });
    await tx.run(`INSERT INTO flow_records (version, import_id) SELECT 2, $1 FROM range(500)`, [id]);
    await tx.finishImport(id, { records: 500, rejected: 0 });
  });
  await sleep(20);
  const compacting = engine.workspaceCompact();
  assert.equal(await count(), base, 'a query while compaction waits for the running import');
  release();
  await holding;
  await compacting;
  await addRecords('after', 100);
  assert.equal(await count(), base + 600);
  assert.equal((await engine.workspaceInfo()).records, base + 600);
});
