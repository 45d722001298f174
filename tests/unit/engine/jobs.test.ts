import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { JobInfo, JobProgress, type EventName } from '../../../preload/contract';
import { JobRunner } from '../../../main/engine/jobs';

function recorder() {
  const events: { event: EventName; payload: unknown; at: number }[] = [];
  const runner = new JobRunner((event, payload) => events.push({ event, payload, at: Date.now() }), 50);
  const of = <T>(event: EventName, jobId: string) =>
    events
      .filter((e) => e.event === event && (e.payload as { jobId: string }).jobId === jobId)
      .map((e) => e.payload as T);
  return { runner, events, of };
}

test('a job ends done with its summary, after a running state and a last progress update', async () => {
  const { runner, of, events } = recorder();
  const jobId = runner.start('import', async ({ progress }) => {
    progress({ bytesTotal: 1000, itemsTotal: 1 });
    await sleep(20);
    progress({ bytesDone: 1000, itemsDone: 1, records: 7 });
    return { records: 7, rejected: 0, files: [] };
  });
  const final = await runner.wait(jobId)!;
  assert.deepEqual(final, { jobId, kind: 'import', state: 'done', summary: { records: 7, rejected: 0, files: [] } });
  const states = of<JobInfo>('job.state', jobId);
  assert.deepEqual(
    states.map((s) => s.state),
    ['running', 'done'],
  );
  const progress = of<JobProgress>('job.progress', jobId);
  for (const p of progress) assert.ok(JobProgress.safeParse(p).success);
  assert.equal(progress.at(-1)!.records, 7);
  assert.equal(progress.at(-1)!.bytesDone, 1000);
  assert.equal(progress.at(-1)!.etaMs, 0);
  const last = events.map((e) => e.event);
  assert.equal(last.at(-1), 'job.state', 'the final progress comes before the final state');
});

test('progress is throttled: many updates give at most one event per interval', async () => {
  const { runner, events } = recorder();
  let updates = 0;
  const jobId = runner.start('import', async ({ progress }) => {
    const until = Date.now() + 300;
    while (Date.now() < until) {
      progress({ bytesDone: ++updates, bytesTotal: 1e9 });
      await sleep(1);
    }
    return { records: 0, rejected: 0, files: [] };
  });
  await runner.wait(jobId);
  const sent = events.filter((e) => e.event === 'job.progress' && (e.payload as JobProgress).jobId === jobId);
  // Counted by the times they were sent, not by how many fit in 300 ms: on a loaded machine (CI) the loop's
  // timers ran late and fewer updates were made, which a count of events read as a throttle sending too few.
  assert.ok(sent.length >= 2 && sent.length < updates, `${sent.length} progress events for ${updates} updates`);
  // The last is sent as the job ends, whenever that is; every other one an interval after the one before.
  const gaps = sent.slice(1, -1).map((e, i) => e.at - sent[i]!.at);
  assert.ok(
    gaps.every((ms) => ms >= 49),
    `gaps between progress events: ${gaps.join(', ')} ms (interval 50 ms)`,
  );
  assert.ok(sent.every((e) => (e.payload as JobProgress).rate > 0 && (e.payload as JobProgress).etaMs! > 0));
});

test('cancel aborts the signal and the job ends cancelled with what it returned', async () => {
  const { runner } = recorder();
  const jobId = runner.start('import', async ({ signal }) => {
    let records = 0;
    while (!signal.aborted) {
      records++;
      await sleep(5);
    }
    return { records, rejected: 0, files: [] };
  });
  await sleep(30);
  assert.equal(runner.cancel(jobId), true);
  const final = await runner.wait(jobId)!;
  assert.equal(final.state, 'cancelled');
  assert.ok(final.summary!.records > 0);
  assert.equal(runner.cancel(jobId), false, 'a finished job cannot be cancelled again');
});

test('a body that throws fails the job with its message, and list shows it', async () => {
  const { runner } = recorder();
  const jobId = runner.start('pull.s3', async () => {
    throw new Error('bucket is gone');
  });
  const final = await runner.wait(jobId)!;
  assert.equal(final.state, 'failed');
  assert.equal(final.error, 'bucket is gone');
  assert.deepEqual(
    runner.list().find((j) => j.jobId === jobId),
    final,
  );
  assert.equal(runner.wait('job_nope'), undefined);
});

test('stopAll cancels every running job and waits for them', async () => {
  const { runner } = recorder();
  const body = async ({ signal }: { signal: AbortSignal }) => {
    await new Promise((r) => signal.addEventListener('abort', r));
    return { records: 0, rejected: 0, files: [] };
  };
  const ids = [runner.start('a', body), runner.start('b', body)];
  await sleep(10);
  await runner.stopAll();
  assert.deepEqual(
    runner
      .list()
      .filter((j) => ids.includes(j.jobId))
      .map((j) => j.state),
    ['cancelled', 'cancelled'],
  );
});

test('a job cancelled before its body started never runs it', async () => {
  const { runner } = recorder();
  let ran = false;
  const jobId = runner.start('import', async () => ((ran = true), { records: 0, rejected: 0, files: [] }));
  runner.cancel(jobId);
  assert.equal((await runner.wait(jobId)!).state, 'cancelled');
  assert.equal(ran, false);
});
