/**
 * kill -9 at random moments of an import (a big gzip file and a batch of small ones), of a commit (small
 * files, killed just after their transaction began), of checkpoint and compaction, of an S3 pull and of a
 * CloudWatch pull, each in its own process (kill-child.ts). After every kill the workspace must open, hold
 * only whole imports (every ledger row's count is its records, no record without its import), and running
 * the same work again must give the totals of an uninterrupted run, nothing counted twice.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JobInfo } from '../../preload/contract';
import { Engine } from '../../main/engine';
import { call } from '../../main/engine/dispatch';
import { writeFlowLogFile, writeS3Layout } from '../../main/engine/ingest/generator';
import { tempDir } from '../integration/workspace/helpers';
import { startCloudWatchLogsServer, type CloudWatchLogsTestServer } from '../support/cloudwatch-logs-server';
import { pullEnv, type PullEnv } from '../support/pull-env';
import { S3RVER_CREDENTIALS, startS3Server, type S3TestServer } from '../support/s3-server';
import { howMany, recordFigures } from './figures';
import { summaryMismatches } from '../support/summarize-records';

type Kind = 'import' | 'commit' | 'checkpoint' | 's3' | 'cloudwatch';
const KINDS: readonly Kind[] = ['import', 'commit', 'checkpoint', 's3', 'cloudwatch'];
const KILLS = howMany(5, 200);

const dir = tempDir('flowscope-kill9-');
const child = join(import.meta.dirname, 'kill-child.ts');
let env: PullEnv;
let s3: S3TestServer;
let cw: CloudWatchLogsTestServer;
const GROUP = '/vpc/kill';
const CW_FROM = '2026-03-02T00:00:00Z';
const CW_TO = '2026-03-02T06:00:00Z';

interface Reference {
  records: number;
  bytes: bigint;
  /** How long the work takes uninterrupted, in ms: kills land within it. */
  ms: number;
}
const reference = new Map<Kind, Reference>();
const inputs = { bigFolder: '', smallFolder: '', empty: '', imported: '' };
const tally = { kills: 0, landedMidway: 0, finishedFirst: [] as Kind[], byKind: new Map<Kind, number>() };

/** Runs `work` on a fresh engine over `workspace`. */
async function withEngine<T>(workspace: string, work: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = await Engine.open({ workspace, create: true });
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}

async function runJob(engine: Engine, channel: 'ingest.files' | 'pull.s3' | 'pull.cloudwatch', input: unknown) {
  const { jobId } = (await call(engine, channel, input)) as { jobId: string };
  const info = (await call(engine, 'job.wait', { jobId })) as JobInfo;
  assert.equal(info.state, 'done', info.error);
}

/** The work of each kind, done to the end in this process. */
function complete(kind: Kind, engine: Engine): Promise<void> {
  switch (kind) {
    case 'import':
      return runJob(engine, 'ingest.files', { files: [engine.files.register(inputs.bigFolder)] });
    case 'commit':
      return runJob(engine, 'ingest.files', { files: [engine.files.register(inputs.smallFolder)] });
    case 'checkpoint':
      return Promise.resolve();
    case 's3':
      return runJob(engine, 'pull.s3', { url: `s3://${s3.bucket}/AWSLogs/`, endpointUrl: s3.endpoint });
    case 'cloudwatch':
      return runJob(engine, 'pull.cloudwatch', { logGroup: GROUP, endpointUrl: cw.endpoint, from: CW_FROM, to: CW_TO });
  }
}

function childArgs(kind: Kind, workspace: string): string[] {
  switch (kind) {
    case 'import':
      return ['import', workspace, inputs.bigFolder];
    case 'commit':
      return ['import', workspace, inputs.smallFolder];
    case 'checkpoint':
      return ['checkpoint', workspace];
    case 's3':
      return ['s3', workspace, s3.endpoint, `s3://${s3.bucket}/AWSLogs/`];
    case 'cloudwatch':
      return ['cloudwatch', workspace, cw.endpoint, GROUP, CW_FROM, CW_TO];
  }
}

async function totals(engine: Engine): Promise<{ records: number; bytes: bigint }> {
  const [row] = await engine.workspace.all<{ n: bigint; b: bigint | null }>(
    'SELECT count(*) AS n, sum(bytes)::BIGINT AS b FROM flows',
  );
  return { records: Number(row!.n), bytes: row!.b ?? 0n };
}

/**
 * Only whole imports: each ledger row counts its records, no record or rejected line without its import, the
 * minute summary counting the records there are.
 */
async function assertWhole(engine: Engine, what: string): Promise<void> {
  const ws = engine.workspace;
  const q = async (sql: string) => (await ws.all<{ n: bigint }>(sql))[0]!.n;
  assert.equal(
    await q(`SELECT count(*) AS n FROM imports WHERE status <> 'imported'`),
    0n,
    `${what}: unfinished imports`,
  );
  assert.equal(
    await q(`SELECT count(*) AS n FROM imports i LEFT JOIN (SELECT import_id, count(*) AS c FROM flows GROUP BY 1) f
             ON f.import_id = i.id WHERE coalesce(f.c, 0) <> i.records`),
    0n,
    `${what}: an import whose records are not all there`,
  );
  assert.equal(
    await q('SELECT count(*) AS n FROM flows WHERE import_id NOT IN (SELECT id FROM imports)'),
    0n,
    `${what}: records without their import`,
  );
  assert.equal(
    await q('SELECT count(*) AS n FROM rejected_lines WHERE import_id NOT IN (SELECT id FROM imports)'),
    0n,
    `${what}: rejected lines without their import`,
  );
  assert.equal(
    await q(
      `SELECT count(*) AS n FROM (SELECT sha256 FROM imports WHERE source = 'file' GROUP BY sha256 HAVING count(*) > 1)`,
    ),
    0n,
    `${what}: a file imported twice`,
  );
  assert.equal(
    await q(
      `SELECT count(*) AS n FROM (SELECT path FROM imports WHERE source <> 'file' GROUP BY path HAVING count(*) > 1)`,
    ),
    0n,
    `${what}: an object or window imported twice`,
  );
  assert.deepEqual(await summaryMismatches(ws), [], `${what}: the minute summary out of step with the records`);
  assert.deepEqual(readdirSync(ws.stagingDir), [], `${what}: staged files left behind`);
}

before(async () => {
  env = pullEnv(S3RVER_CREDENTIALS);
  s3 = await startS3Server();
  cw = await startCloudWatchLogsServer();

  inputs.bigFolder = join(dir, 'big');
  mkdirSync(inputs.bigFolder);
  await writeFlowLogFile(join(inputs.bigFolder, 'big.log.gz'), {
    records: howMany(40_000, 150_000),
    gzip: true,
    seed: 21,
  });
  await writeS3Layout(join(inputs.bigFolder, 'small'), { files: 30, recordsPerFile: 200, seed: 22 });
  inputs.smallFolder = join(dir, 'small');
  await writeS3Layout(inputs.smallFolder, { files: 12, recordsPerFile: 300, seed: 23 });

  // S3: the objects of a small S3 layout, uploaded under their keys.
  const objects = join(dir, 's3-objects');
  await writeS3Layout(objects, { files: 24, recordsPerFile: 500, seed: 24 });
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)],
    );
  for (const file of walk(objects)) await s3.put(file.slice(objects.length + 1), readFileSync(file));

  // CloudWatch: six hour windows of one stream.
  const events = join(dir, 'events.log');
  await writeFlowLogFile(events, {
    records: 3000,
    seed: 25,
    start: Date.parse(CW_FROM) / 1000,
    span: 6 * 3600,
    header: false,
  });
  cw.addEvents(
    GROUP,
    'eni-0kill-all',
    readFileSync(events, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((message) => ({ timestamp: Number(message.split(' ')[10]) * 1000, message })),
  );

  inputs.empty = join(dir, 'empty.duckdb');
  await withEngine(inputs.empty, async () => undefined);
  inputs.imported = join(dir, 'imported.duckdb');
  copyFileSync(inputs.empty, inputs.imported);
  await withEngine(inputs.imported, (engine) => complete('commit', engine));

  for (const kind of KINDS) {
    const workspace = join(dir, `reference-${kind}.duckdb`);
    copyFileSync(kind === 'checkpoint' ? inputs.imported : inputs.empty, workspace);
    // Timed from an open workspace, as the child's "started" is said after its open.
    const measured = await withEngine(workspace, async (engine) => {
      const started = performance.now();
      await complete(kind, engine);
      if (kind === 'checkpoint') {
        await engine.workspace.run('CHECKPOINT');
        await engine.workspace.compact();
      }
      const ms = performance.now() - started;
      return { ...(await totals(engine)), ms };
    });
    reference.set(kind, measured);
  }
});

after(async () => {
  await s3?.close();
  await cw?.close();
  env?.cleanup();
  const per = KINDS.map((k) => `${k} ${tally.byKind.get(k) ?? 0}`).join(', ');
  recordFigures('2-kill-9', {
    'kill -9 at random moments': `${tally.kills} (${per}), ${tally.landedMidway} while the work was under way (${tally.finishedFirst.length} more runs finished before their kill): every workspace reopened, whole imports only, the same totals after re-running, no duplicates`,
  });
});

/** One kill: the child starts the work, dies at a random moment, and the workspace is checked and completed. */
async function killOnce(kind: Kind, i: number, random: () => number): Promise<void> {
  const workspace = join(dir, `kill-${i}.duckdb`);
  copyFileSync(kind === 'checkpoint' ? inputs.imported : inputs.empty, workspace);
  const proc = spawn(process.execPath, ['--import', 'tsx', child, ...childArgs(kind, workspace)], {
    env: { ...process.env, ...env.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  while (!out.includes('started')) {
    assert.equal(proc.exitCode, null, `the child ended before it started: ${err}`);
    await sleep(10);
  }
  // A commit is short: those kills land within the first moments of each small file's transaction.
  const window = kind === 'commit' ? Math.min(reference.get(kind)!.ms, 1500) : reference.get(kind)!.ms;
  // A kill drawn late may find the work finished: that run counts as a kill that landed after the end.
  const ended = await Promise.race([exited, sleep(random() * window).then(() => null)]);
  if (ended === null) proc.kill('SIGKILL');
  const { code, signal } = await exited;
  assert.ok(signal === 'SIGKILL' || code === 0, `${kind}: the child failed (${code}): ${out} ${err}`);
  if (signal === 'SIGKILL') {
    tally.kills++;
    tally.byKind.set(kind, (tally.byKind.get(kind) ?? 0) + 1);
    if (!out.includes('done')) tally.landedMidway++;
  } else tally.finishedFirst.push(kind);

  await withEngine(workspace, async (engine) => {
    await assertWhole(engine, `${kind} #${i} after the kill`);
    await complete(kind, engine);
    await assertWhole(engine, `${kind} #${i} after completing`);
    const ref = reference.get(kind)!;
    assert.deepEqual(await totals(engine), { records: ref.records, bytes: ref.bytes }, `${kind} #${i}: totals`);
  });
}

test(`kill -9 at ${KILLS} random moments of import, commit, checkpoint, S3 pull and CloudWatch pull`, async () => {
  let seed = 20261204;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  // Runs whose work ended before its kill was due are checked too, but do not count: kill until KILLS landed.
  for (let i = 0; tally.kills < KILLS; i++) {
    assert.ok(
      i < 2 * KILLS,
      `most kills found the work under way (${tally.kills} of ${i}; finished first: ${tally.finishedFirst.join(', ')})`,
    );
    await killOnce(KINDS[i % KINDS.length]!, i, random);
  }
  assert.ok(
    tally.landedMidway >= Math.ceil(KILLS / 2),
    `most kills landed while the work was under way (${tally.landedMidway})`,
  );
});
