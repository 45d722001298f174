import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { JobInfo, JobProgress } from '../../../preload/contract';
import { Engine, type EngineEvent } from '../../../main/engine';
import { dispatch } from '../../../main/engine/dispatch';
import { writeFlowLogFile, writeS3Layout } from '../../../main/engine/ingest/generator';
import { openedForFile } from '../../support/opened-for-file';

const dir = mkdtempSync(join(tmpdir(), 'flowscope-ingest-job-'));
const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'ingest');
const engine = openedForFile(() => Engine.open({ workspace: join(dir, 'ws.duckdb'), create: true }), dir);

async function run(files: string[], logFormat?: string): Promise<{ job: JobInfo; events: EngineEvent[] }> {
  const events: EngineEvent[] = [];
  const off = engine().on((e) => events.push(e));
  const started = await dispatch(engine(), {
    id: 1,
    channel: 'ingest.files',
    input: { files: files.map((f) => engine().files.register(f)), ...(logFormat ? { logFormat } : {}) },
  });
  assert.ok(started.ok, JSON.stringify(started));
  const { jobId } = started.value as { jobId: string };
  const waited = await dispatch(engine(), { id: 2, channel: 'job.wait', input: { jobId } });
  off();
  assert.ok(waited.ok);
  return {
    job: waited.value as JobInfo,
    events: events.filter((e) => 'jobId' in e.payload && e.payload.jobId === jobId),
  };
}

test('ingest.files imports a folder as a job: progress with bytes, files and records, then a summary per file', async () => {
  const folder = join(dir, 's3');
  const paths = await writeS3Layout(folder, { files: 6, recordsPerFile: 40, seed: 3 });
  const { job, events } = await run([folder, join(fixtures, 'not-a-flow-log.txt')]);
  assert.equal(job.state, 'done');
  assert.equal(job.summary!.records, 240);
  assert.deepEqual(
    job.summary!.files.map((f) => [f.path, f.status, f.records]),
    [...paths.map((p) => [p, 'imported', 40]), [join(fixtures, 'not-a-flow-log.txt'), 'failed', 0]],
  );
  assert.match(job.summary!.files.at(-1)!.error!, /not a flow log/);
  const progress = events.filter((e) => e.event === 'job.progress').map((e) => e.payload as JobProgress);
  const last = progress.at(-1)!;
  assert.equal(last.itemsTotal, 7);
  assert.equal(last.itemsDone, 7);
  assert.equal(last.records, 240);
  assert.equal(last.bytesDone, last.bytesTotal);
  assert.ok(last.rate > 0);
  assert.deepEqual(events.at(-1)!.event, 'job.state');
});

test('an import job reports progress inside a big file, and cancelling stops it there, keeping the workspace as before', async () => {
  const big = join(dir, 'big.log.gz');
  await writeFlowLogFile(big, { records: 400_000, gzip: true, seed: 8 });
  const before = await engine().workspaceInfo();
  const events: EngineEvent[] = [];
  const off = engine().on((e) => events.push(e));
  const { jobId } = await engine().ingestFiles({ files: [engine().files.register(big)] });
  // Progress within the file: bytes of it done before it ends.
  const inside = () =>
    events.some(
      (e) =>
        e.event === 'job.progress' &&
        (e.payload as JobProgress).current === big &&
        (e.payload as JobProgress).bytesDone > 0,
    );
  for (let waited = 0; !inside() && waited < 30_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
  assert.ok(inside(), 'progress is reported within a file');
  assert.deepEqual(await engine().jobCancel({ jobId }), { cancelled: true });
  const job = await engine().jobWait({ jobId });
  off();
  assert.equal(job.state, 'cancelled');
  const afterInfo = await engine().workspaceInfo();
  assert.equal(afterInfo.records, before.records);
  assert.equal(afterInfo.imports, before.imports);
});

test("an import job's summary counts its rejects by what they are: lines of text, and a CloudWatch export's events", async () => {
  const exported = join(dir, 'export.json');
  const good = '2 123456789012 eni-0a 10.0.1.1 10.0.1.2 443 51000 6 3 300 1772409600 1772409660 ACCEPT OK';
  const events = [good, 'not a flow log record', good.replace('443', '444')];
  writeFileSync(
    exported,
    JSON.stringify({
      events: events.map((message, i) => ({ logStreamName: 'eni-0a-all', timestamp: 1772409600000 + i, message })),
    }),
  );
  const lines = join(fixtures, 'malformed-lines.log');
  const { job } = await run([lines, exported]);
  const [text, json] = job.summary!.files;
  assert.deepEqual([json!.records, json!.rejected], [2, 1]);
  assert.ok(text!.rejected > 0);
  assert.deepEqual(
    [job.summary!.rejected, job.summary!.rejectedEvents, job.summary!.rejectedRows],
    [text!.rejected + 1, 1, undefined],
  );
});
