import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import type { JobInfo, JobProgress, Output } from '../../../preload/contract';
import { Engine } from '../../../main/engine';
import { call } from '../../../main/engine/dispatch';
import { importFile, importPaths } from '../../../main/engine/ingest';
import { writeParquetWithRejects } from '../../support/impossible-parquet';
import { S3RVER_CREDENTIALS, startS3Server, type S3TestServer } from '../../support/s3-server';
import { cli, finished, flowLogObject, pullEnv, pullSummary, recordsIn, type PullEnv } from '../../support/pull-env';

const PREFIX = 'AWSLogs/123456789012/vpcflowlogs/us-east-1';
const fixtures = new URL('../../fixtures', import.meta.url).pathname;
const PARQUET_KEY =
  'aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2026/month=03/day=02/123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20260302T0000Z_1a2b3c4d.log.parquet';
const at = (iso: string) => new Date(`${iso}Z`);
const sec = (iso: string) => at(iso).getTime() / 1000;

let s3: S3TestServer;
let env: PullEnv;
/** What the bucket holds, by key, with the bytes, as the tests put them. */
const objects = new Map<string, Buffer>();

async function put(key: string, seed: number, start: string, span: number, records: number): Promise<void> {
  const body = await flowLogObject(join(env.dir, 'objects', key), { seed, start: at(start), span, records });
  await s3.put(key, body);
  objects.set(key, body);
}

before(async () => {
  s3 = await startS3Server();
  env = pullEnv(S3RVER_CREDENTIALS);
  await put(`${PREFIX}/2026/03/01/a.log.gz`, 1, '2026-03-01T12:00:00', 300, 40);
  await put(`${PREFIX}/2026/03/03/b.log.gz`, 2, '2026-03-03T10:00:00', 300, 40);
  await put(`${PREFIX}/2026/03/03/c.log.gz`, 3, '2026-03-03T23:50:00', 300, 40);
  // Delivered after midnight, into the next day's folder, with records from both days.
  await put(`${PREFIX}/2026/03/04/d.log.gz`, 4, '2026-03-03T23:55:00', 600, 40);
  await put(`${PREFIX}/2026/03/06/e.log.gz`, 5, '2026-03-06T08:00:00', 300, 40);
});

after(async () => {
  await s3.close();
  env.cleanup();
});

async function pull(
  engine: Engine,
  input: Record<string, unknown>,
  onProgress?: (p: JobProgress, jobId: string) => void,
): Promise<JobInfo> {
  let jobId = '';
  const off = engine.on(({ event, payload }) => {
    if (event === 'job.progress' && payload.jobId === jobId) onProgress?.(payload, jobId);
  });
  try {
    ({ jobId } = (await call(engine, 'pull.s3', { endpointUrl: s3.endpoint, ...input })) as { jobId: string });
    return (await call(engine, 'job.wait', { jobId })) as JobInfo;
  } finally {
    off();
  }
}

/** A pull's object counts, without its per-account breakdown. */
function counts(job: JobInfo): { objects?: number; skipped?: number; failed?: unknown[] } {
  const { objects, skipped, failed } = job.summary?.pull ?? {};
  return { objects, skipped, failed };
}

async function count(engine: Engine): Promise<number> {
  const [row] = await engine.workspace.all<{ n: bigint }>('SELECT count(*) AS n FROM flows');
  return Number(row!.n);
}

const RANGE = { from: '2026-03-03T00:00:00', to: '2026-03-04T00:00:00' };
const inRange = () => [...objects.values()].reduce((n, b) => n + recordsIn(b, sec(RANGE.from), sec(RANGE.to)), 0);

test('a time-bounded pull lists the neighbouring day, keeps records by their own time, and a second pull downloads nothing', async () => {
  const engine = await Engine.open({ workspace: join(env.dir, 'bounded.duckdb'), create: true });
  try {
    const progress: JobProgress[] = [];
    const listedBefore = s3.requests.length;
    const first = await pull(engine, { url: `s3://${s3.bucket}/AWSLogs/`, ...RANGE }, (p) => progress.push(p));
    const lists = s3.requests.slice(listedBefore).filter((r) => r.path.includes('list-type='));
    // From a (too early) to the day before the range, then from e (too late) past the account's dates.
    assert.deepEqual(
      lists.map((r) => decodeURIComponent(new URL(r.path, 'http://x').searchParams.get('start-after') ?? '')),
      ['', `${PREFIX}/2026/03/02`, `${PREFIX}/\uffff`],
    );
    assert.equal(first.state, 'done', first.error);
    // b and c from the day itself, d from the next day's folder; a (two days before) and e are never listed.
    assert.deepEqual(counts(first), { objects: 3, skipped: 0, failed: [] });
    const expected = inRange();
    assert.ok(expected > 80 && expected < 120, `the fixture straddles midnight (${expected})`);
    assert.equal(first.summary?.records, expected);
    assert.equal(await count(engine), expected);
    assert.ok(progress.at(-1)!.bytesDone > 0);

    const again: JobProgress[] = [];
    const requestsBefore = s3.requests.length;
    const second = await pull(engine, { url: `s3://${s3.bucket}/AWSLogs/`, ...RANGE }, (p) => again.push(p));
    assert.deepEqual(
      s3.requests.slice(requestsBefore).filter((r) => !r.path.includes('list-type=')),
      [],
      'the second pull only listed',
    );
    assert.deepEqual(counts(second), { objects: 0, skipped: 3, failed: [] });
    assert.equal(second.summary?.records, 0);
    assert.equal(again.at(-1)?.bytesDone ?? 0, 0, 'no byte was downloaded');
    assert.equal(await count(engine), expected);
  } finally {
    await engine.close();
  }
});

test('several accounts, regions, an organisation prefix, Hive partitions and Parquet under one prefix are all pulled by time', async () => {
  const parquetPath = join(fixtures, 'ingest/parquet', PARQUET_KEY);
  const put2 = async (key: string, seed: number, start: string) => {
    const body = await flowLogObject(join(env.dir, 'multi', key), { seed, start: at(start), span: 300, records: 20 });
    await s3.put(`multi/${key}`, body);
    return recordsIn(body);
  };
  await put2('AWSLogs/111111111111/vpcflowlogs/us-east-1/2026/02/27/too-early.log.gz', 21, '2026-02-27T05:00:00');
  let expected = await put2(
    'AWSLogs/111111111111/vpcflowlogs/us-east-1/2026/03/03/in.log.gz',
    22,
    '2026-03-03T05:00:00',
  );
  expected += await put2('AWSLogs/222222222222/vpcflowlogs/eu-west-1/2026/03/03/in.log.gz', 23, '2026-03-03T06:00:00');
  await put2('AWSLogs/222222222222/vpcflowlogs/eu-west-1/2026/03/09/too-late.log.gz', 24, '2026-03-09T06:00:00');
  expected += await put2(
    'o-abcd1234/AWSLogs/333333333333/vpcflowlogs/us-west-2/2026/03/03/org.log.gz',
    25,
    '2026-03-03T07:00:00',
  );
  expected += await put2(
    'AWSLogs/aws-account-id=444444444444/aws-service=vpcflowlogs/aws-region=us-east-1/year=2026/month=03/day=03/hour=08/hive.log.gz',
    26,
    '2026-03-03T08:00:00',
  );
  await s3.put(`multi/AWSLogs/${PARQUET_KEY}`, readFileSync(parquetPath));

  const reference = await Engine.open({ workspace: join(env.dir, 'parquet-reference.duckdb'), create: true });
  let parquetRecords: number;
  try {
    const outcome = await importFile(reference.workspace, parquetPath, {});
    assert.equal(outcome.status, 'imported', outcome.error);
    const [row] = await reference.workspace.all<{ n: bigint }>(
      `SELECT count(*) AS n FROM flows WHERE start >= ${sec('2026-03-02T00:00:00')} AND start < ${sec('2026-03-04T00:00:00')}`,
    );
    parquetRecords = Number(row!.n);
  } finally {
    await reference.close();
  }
  const engine = await Engine.open({ workspace: join(env.dir, 'multi.duckdb'), create: true });
  try {
    const job = await pull(engine, {
      url: `s3://${s3.bucket}/multi/`,
      from: '2026-03-02T00:00:00',
      to: '2026-03-04T00:00:00',
    });
    assert.equal(job.state, 'done', job.error);
    assert.deepEqual(counts(job), { objects: 5, skipped: 0, failed: [] });
    assert.ok(parquetRecords > 0);
    assert.equal(await count(engine), expected + parquetRecords);
    const accounts = await engine.workspace.all<{ path: string }>(`SELECT path FROM imports ORDER BY path`);
    assert.equal(accounts.filter((a) => a.path.endsWith('.parquet')).length, 1);
    // Athena's account partition is each object's account folder (the records' own account-id is the generator's
    // 123456789012 in every object), as the pull's summary counts them.
    const partitions = (await call(engine, 'query.run', {
      query: `SELECT DISTINCT "$path", "aws-account-id" FROM vpc_flow_logs ORDER BY 2`,
      dialect: 'athena',
      pageSize: 100,
    })) as Output<'query.run'>;
    assert.deepEqual(
      partitions.rows.map(([path, account]) => [
        /\/AWSLogs\/(?:aws-account-id=)?(\d{12})\//.exec(String(path))?.[1],
        account,
      ]),
      [
        ['111111111111', '111111111111'],
        ['123456789012', '123456789012'],
        ['222222222222', '222222222222'],
        ['333333333333', '333333333333'],
        ['444444444444', '444444444444'],
      ],
    );
  } finally {
    await engine.close();
  }
});

test("an S3 pull counts a Parquet object's rejects as rows and a text object's as lines", async () => {
  const folder = 'AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/03/02';
  const parquet = join(env.dir, 'rejects.parquet');
  await writeParquetWithRejects(parquet);
  await s3.put(`units/${folder}/rows.log.parquet`, readFileSync(parquet));
  const text = await flowLogObject(join(env.dir, 'units', 'lines.log.gz'), {
    seed: 41,
    start: at('2026-03-02T00:00:00'),
    span: 300,
    records: 4,
  });
  const withBadLine = gzipSync(Buffer.concat([gunzipSync(text), Buffer.from('2 123456789012 not a record\n')]));
  await s3.put(`units/${folder}/lines.log.gz`, withBadLine);
  const engine = await Engine.open({ workspace: join(env.dir, 'units.duckdb'), create: true });
  try {
    const job = await pull(engine, {
      url: `s3://${s3.bucket}/units/`,
      from: '2026-03-02T00:00:00',
      to: '2026-03-03T00:00:00',
    });
    assert.equal(job.state, 'done', job.error);
    assert.deepEqual(
      [job.summary?.rejected, job.summary?.rejectedRows, job.summary?.rejectedEvents],
      [3, 2, undefined],
      'one line and two rows',
    );
  } finally {
    await engine.close();
  }
});

test('an object whose ETag changed replaces its old records; a wider range fetches the rest of an object', async () => {
  const engine = await Engine.open({ workspace: join(env.dir, 'etag.duckdb'), create: true });
  try {
    await pull(engine, { url: `s3://${s3.bucket}/${PREFIX}/2026/03/0`, ...RANGE });
    const before = await count(engine);
    const key = `${PREFIX}/2026/03/03/b.log.gz`;
    const oldRecords = recordsIn(objects.get(key)!);
    await put(key, 99, '2026-03-03T10:30:00', 300, 25);
    const changed = await pull(engine, { url: `s3://${s3.bucket}/${PREFIX}/2026/03/0`, ...RANGE });
    assert.deepEqual(counts(changed), { objects: 1, skipped: 2, failed: [] });
    assert.equal(changed.summary?.records, 25 - oldRecords);
    assert.equal(await count(engine), before - oldRecords + 25);
    const imports = await engine.workspace.all<{ n: bigint }>(`SELECT count(*) AS n FROM imports WHERE path = $1`, [
      `s3://${s3.bucket}/${key}`,
    ]);
    assert.equal(Number(imports[0]!.n), 1, 'one import per object');

    // d's records after midnight were left out; an open range takes them, and a and e too, each once.
    const open = await pull(engine, { url: `s3://${s3.bucket}/${PREFIX}/` });
    assert.equal(open.state, 'done', open.error);
    const all = [...objects.values()].reduce((n, b) => n + recordsIn(b), 0);
    assert.equal(await count(engine), all);
  } finally {
    await engine.close();
  }
});

test('objects already imported from an aws s3 sync folder are recognised and not counted twice', async () => {
  const engine = await Engine.open({ workspace: join(env.dir, 'sync.duckdb'), create: true });
  try {
    const synced = await importPaths(engine.workspace, [join(env.dir, 'objects')], {}, new AbortController().signal);
    assert.ok(synced.files.length >= 5);
    const before = await count(engine);
    const pulled = await pull(engine, { url: `s3://${s3.bucket}/${PREFIX}/` });
    assert.equal(pulled.state, 'done', pulled.error);
    assert.equal(pulled.summary?.records, 0);
    assert.equal(pulled.summary?.pull?.objects, 0);
    assert.equal(pulled.summary?.pull?.skipped, objects.size);
    assert.equal(await count(engine), before);
    const again = await pull(engine, { url: `s3://${s3.bucket}/${PREFIX}/` });
    assert.equal(again.summary?.pull?.skipped, objects.size, 'the recognised objects are not downloaded again');
  } finally {
    await engine.close();
  }
});

test('an object pulled for a time range and then imported whole (or pulled wider) ends up with every record, once', async () => {
  const engine = await Engine.open({ workspace: join(env.dir, 'part-then-whole.duckdb'), create: true });
  try {
    const key = 'part/AWSLogs/888888888888/vpcflowlogs/us-east-1/2026/03/02/late.log.gz';
    const file = join(env.dir, 'part', 'late.log.gz');
    // 23:55 to 00:15: a one-day pull keeps the records before midnight only.
    const body = await flowLogObject(file, { seed: 41, start: at('2026-03-02T23:55:00'), span: 1200, records: 20 });
    await s3.put(key, body);
    const day = await pull(engine, { url: `s3://${s3.bucket}/part/`, from: '2026-03-02', to: '2026-03-03' });
    const kept = recordsIn(body, sec('2026-03-02T00:00:00'), sec('2026-03-03T00:00:00'));
    assert.ok(kept > 0 && kept < 20);
    assert.equal(day.summary?.records, kept);
    const synced = await importFile(engine.workspace, file, {});
    assert.equal(synced.status, 'imported', 'the file was never imported whole');
    assert.equal(await count(engine), 20);
    assert.deepEqual(synced.replaced, { records: kept, rejected: 0 });
    const imports = await engine.workspace.all<{ n: bigint }>('SELECT count(*) AS n FROM imports');
    assert.equal(Number(imports[0]!.n), 1, 'the whole import took the place of the part');
    const again = await pull(engine, { url: `s3://${s3.bucket}/part/` });
    assert.deepEqual(counts(again), { objects: 0, skipped: 1, failed: [] });
    assert.equal(await count(engine), 20);
    assert.equal((await importFile(engine.workspace, file, {})).status, 'already-imported');
  } finally {
    await engine.close();
  }
});

test('byte-identical objects share an import that a new version of one of them does not take away', async () => {
  const engine = await Engine.open({ workspace: join(env.dir, 'twins.duckdb'), create: true });
  try {
    const body = await flowLogObject(join(env.dir, 'twins', 'a.log.gz'), {
      seed: 42,
      start: at('2026-03-02T10:00:00'),
      span: 300,
      records: 6,
    });
    await s3.put('twins/dupA.log.gz', body);
    await s3.put('twins/dupB.log.gz', body);
    const first = await pull(engine, { url: `s3://${s3.bucket}/twins/` });
    assert.deepEqual(counts(first), { objects: 1, skipped: 1, failed: [] });
    assert.equal(await count(engine), 6, 'the same bytes are not counted twice');
    const v2 = await flowLogObject(join(env.dir, 'twins', 'a2.log.gz'), {
      seed: 43,
      start: at('2026-03-02T11:00:00'),
      span: 300,
      records: 3,
    });
    await s3.put('twins/dupA.log.gz', v2);
    const second = await pull(engine, { url: `s3://${s3.bucket}/twins/` });
    assert.equal(second.summary?.records, 3);
    assert.equal(await count(engine), 9, "dupB's records stay");
    const third = await pull(engine, { url: `s3://${s3.bucket}/twins/` });
    assert.deepEqual(counts(third), { objects: 0, skipped: 2, failed: [] });
    // Removing the import that dupB (and first dupA) stood for takes dupB's checkpoint too: the next pull brings
    // it back.
    const shared = await engine.workspace.all<{ id: number }>(
      `SELECT id FROM imports WHERE starts_with(path, 's3://${s3.bucket}/twins/') AND records = 6`,
    );
    await call(engine, 'workspace.removeImport', { importId: shared[0]!.id });
    assert.equal(await count(engine), 3);
    const back = await pull(engine, { url: `s3://${s3.bucket}/twins/` });
    assert.deepEqual(counts(back), { objects: 1, skipped: 1, failed: [] });
    assert.equal(await count(engine), 9);
  } finally {
    await engine.close();
  }
});

test('stray objects are passed over by name or size, and one refused is not downloaded again until it changes', async () => {
  const engine = await Engine.open({ workspace: join(env.dir, 'stray.duckdb'), create: true });
  try {
    const good = await flowLogObject(join(env.dir, 'stray', 'a.log.gz'), {
      seed: 44,
      start: at('2026-03-02T10:00:00'),
      span: 300,
      records: 5,
    });
    await s3.put('stray/a.log.gz', good);
    await s3.put('stray/empty.log.gz', '');
    await s3.put('stray/notes.txt', 'pulled on Monday\n');
    await s3.put('stray/2026/03/02/10/_SUCCESS', '');
    await s3.put('stray/prose.log', 'Dear team, the logs are attached.\n');
    const first = await pull(engine, { url: `s3://${s3.bucket}/stray/` });
    assert.equal(first.summary?.pull?.objects, 1);
    assert.equal(first.summary?.pull?.passedOver, 3);
    assert.deepEqual(
      first.summary?.pull?.failed.map((f) => f.key),
      [`s3://${s3.bucket}/stray/prose.log`],
    );
    const second = await pull(engine, { url: `s3://${s3.bucket}/stray/` });
    assert.deepEqual(counts(second), { objects: 0, skipped: 1, failed: [] });
    assert.equal(second.summary?.pull?.passedOver, 4, 'the refused object is known, not fetched again');
    const other = await flowLogObject(join(env.dir, 'stray', 'b.log.gz'), {
      seed: 46,
      start: at('2026-03-02T10:00:00'),
      span: 300,
      records: 5,
    });
    await s3.put('stray/prose.log', gunzipSync(other).toString('utf8'));
    const changed = await pull(engine, { url: `s3://${s3.bucket}/stray/` });
    assert.deepEqual(counts(changed), { objects: 1, skipped: 1, failed: [] });
    assert.equal(await count(engine), 10);
  } finally {
    await engine.close();
  }
});

test('a folder import passes over what other AWS services deliver beside flow logs', async () => {
  const engine = await Engine.open({ workspace: join(env.dir, 'org-sync.duckdb'), create: true });
  try {
    const root = join(env.dir, 'org-sync', 'AWSLogs', '111111111111');
    await flowLogObject(join(root, 'vpcflowlogs', 'us-east-1', '2026', '03', '02', 'a.log.gz'), {
      seed: 45,
      start: at('2026-03-02T10:00:00'),
      span: 300,
      records: 5,
    });
    mkdirSync(join(root, 'CloudTrail', 'us-east-1', '2026', '03', '02'), { recursive: true });
    writeFileSync(
      join(root, 'CloudTrail', 'us-east-1', '2026', '03', '02', 'trail.json.gz'),
      gzipSync('{"Records":[]}'),
    );
    writeFileSync(join(root, 'vpcflowlogs', 'us-east-1', '2026', '03', '02', 'manifest.json'), '{}');
    const result = await importPaths(engine.workspace, [join(env.dir, 'org-sync')], {}, new AbortController().signal);
    assert.deepEqual(
      result.files.map((f) => f.status),
      ['imported'],
    );
    assert.equal(result.passedOver, 2);
  } finally {
    await engine.close();
  }
});

test('an unreadable object is reported by key and reason while the others are pulled', async () => {
  const engine = await Engine.open({ workspace: join(env.dir, 'corrupt.duckdb'), create: true });
  const key = `corrupt/${PREFIX}/2026/03/03/broken.log.gz`;
  try {
    const good = objects.get(`${PREFIX}/2026/03/03/c.log.gz`)!;
    await s3.put(`corrupt/${PREFIX}/2026/03/03/good.log.gz`, good);
    // A gzip header followed by bytes that do not inflate.
    await s3.put(key, Buffer.concat([good.subarray(0, 10), Buffer.alloc(200, 0xa5)]));
    const job = await pull(engine, { url: `s3://${s3.bucket}/corrupt/` });
    assert.equal(job.state, 'done', job.error);
    assert.equal(job.summary?.pull?.objects, 1, JSON.stringify(job.summary));
    assert.equal(job.summary?.pull?.failed.length, 1);
    assert.equal(job.summary?.pull?.failed[0]!.key, `s3://${s3.bucket}/${key}`);
    assert.match(job.summary?.pull?.failed[0]!.error ?? '', /gzip|truncat|corrupt|read/i);
    assert.equal(await count(engine), recordsIn(good));
  } finally {
    await engine.close();
  }
});

test('a body cut off mid-download, a 500 and a SlowDown are retried, and each object is imported whole, once', async () => {
  const engine = await Engine.open({ workspace: join(env.dir, 'faults.duckdb'), create: true });
  try {
    const notices: string[] = [];
    const off = engine.on(({ event, payload }) => {
      if (event === 'pull.notice') notices.push(payload.message);
    });
    s3.inject('cut', 'error500', 'slowDown', 'cut');
    const job = await pull(engine, { url: `s3://${s3.bucket}/${PREFIX}/`, concurrency: 2 });
    off();
    assert.equal(job.state, 'done', job.error);
    assert.deepEqual(job.summary?.pull?.failed, []);
    assert.equal(job.summary?.pull?.objects, objects.size);
    assert.equal(
      await count(engine),
      [...objects.values()].reduce((n, b) => n + recordsIn(b), 0),
    );
    // Each retry said in the remote queries' words: the service and call, why, which retry of how many, how soon.
    const said = (pattern: RegExp) =>
      assert.ok(
        notices.some((n) => pattern.test(n)),
        `${pattern} in:\n${notices.join('\n')}`,
      );
    said(/^S3: GetObject failed \(.*(body length|ECONNRESET|aborted|premature).*\); retry \d of 7 in \d\.\d s$/i);
    said(/^S3 is throttling \(GetObject\); retry \d of 7 in \d\.\d s$/);
    said(/^S3: GetObject failed \(InternalError: .*\); retry \d of 7 in \d\.\d s$/);
  } finally {
    await engine.close();
  }
});

test('a pull that is not of an S3 URL is refused by the contract before anything runs', async () => {
  const engine = await Engine.open({ workspace: join(env.dir, 'bad-url.duckdb'), create: true });
  try {
    await assert.rejects(
      call(engine, 'pull.s3', { url: 'https://example.com/logs' }),
      (err: { code?: string; message: string }) => err.code === 'bad_request' && /url/.test(err.message),
    );
    assert.deepEqual(await call(engine, 'job.list', {}), []);
  } finally {
    await engine.close();
  }
});

test('the pull command refuses bad input with exit code 2 and creates no workspace', async () => {
  const workspace = join(env.dir, 'never.duckdb');
  const r = await finished(
    cli(['pull', 's3', 's3://my-logs/', '--workspace', workspace, '--from', 'yesterday'], env.env),
  );
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--from yesterday: not an ISO 8601 time/);
  assert.equal(existsSync(workspace), false);
});

test('a bucket that does not exist stops the pull with a message naming it', async () => {
  const engine = await Engine.open({ workspace: join(env.dir, 'missing.duckdb'), create: true });
  try {
    const job = await pull(engine, { url: 's3://no-such-bucket/AWSLogs/' });
    assert.equal(job.state, 'failed');
    assert.match(job.error ?? '', /No such bucket: s3:\/\/no-such-bucket\/AWSLogs\//);
  } finally {
    await engine.close();
  }
});

test('an endpoint where nothing listens fails the pull within two tries, naming the endpoint, where it retried 8 times for some 20 s', async () => {
  // A port nothing listens on: one the system gave and took back.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise((resolve) => closed.close(resolve));
  const engine = await Engine.open({ workspace: join(env.dir, 'refused.duckdb'), create: true });
  const notices: string[] = [];
  const off = engine.on(({ event, payload }) => {
    if (event === 'pull.notice') notices.push(payload.message);
  });
  try {
    const started = performance.now();
    const job = await pull(engine, { url: `s3://${s3.bucket}/AWSLogs/`, endpointUrl: endpoint });
    assert.equal(job.state, 'failed');
    // The one retry it makes says it is the only one (of the two tries), not one of 7.
    assert.ok(
      notices.some((n) => /^S3: ListObjectsV2 failed \(Nothing answers at .*\); retry 1 of 1 in \d\.\d s$/.test(n)),
      notices.join('\n'),
    );
    assert.match(
      job.error ?? '',
      new RegExp(`^Nothing answers at the endpoint URL ${endpoint} \\(.*ECONNREFUSED.*\\): check its host and port\\.`),
    );
    assert.ok(performance.now() - started < 3000, `failed after ${Math.round(performance.now() - started)} ms`);
  } finally {
    off();
    await engine.close();
  }
});

/** Many objects, so that a pull can be stopped in the middle. */
async function putMany(prefix: string, n: number): Promise<number> {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const t = new Date(Date.UTC(2026, 2, 10, 0, i * 5));
    const day = t.toISOString().slice(0, 10).replace(/-/g, '/');
    const body = await flowLogObject(join(env.dir, 'many', prefix, `${i}.log.gz`), {
      seed: 1000 + i,
      start: t,
      span: 300,
      records: 2000,
    });
    await s3.put(`${prefix}/${PREFIX}/${day}/${String(i).padStart(3, '0')}.log.gz`, body);
    total += recordsIn(body);
  }
  return total;
}

test('downloads run several at once but never more than the concurrency asked for', async () => {
  const total = await putMany('concurrent', 10);
  const engine = await Engine.open({ workspace: join(env.dir, 'concurrent.duckdb'), create: true });
  try {
    s3.downloads.peak = 0;
    const job = await pull(engine, { url: `s3://${s3.bucket}/concurrent/`, concurrency: 3 });
    assert.equal(job.state, 'done', job.error);
    assert.equal(await count(engine), total);
    assert.ok(s3.downloads.peak >= 2 && s3.downloads.peak <= 3, `peak ${s3.downloads.peak} downloads at once`);
  } finally {
    await engine.close();
  }
});

test('a cancelled pull stops, and the next one completes it without duplicates', async () => {
  const total = await putMany('cancel', 12);
  const engine = await Engine.open({ workspace: join(env.dir, 'cancel.duckdb'), create: true });
  try {
    // Downloads slower than imports (as over a network): objects go in as they come, and the cancel lands
    // among them. Downloads faster than that go in together, and could all be in before a cancel.
    s3.downloads.delayMs = 100;
    const stopped = await pull(engine, { url: `s3://${s3.bucket}/cancel/`, concurrency: 1 }, (p, jobId) => {
      if (p.itemsDone >= 2) void call(engine, 'job.cancel', { jobId });
    });
    assert.equal(stopped.state, 'cancelled');
    s3.downloads.delayMs = 0;
    const partial = await count(engine);
    assert.ok(partial > 0 && partial < total, `cancelled midway (${partial} of ${total})`);
    const resumed = await pull(engine, { url: `s3://${s3.bucket}/cancel/` });
    assert.equal(resumed.state, 'done', resumed.error);
    assert.equal(resumed.summary?.records, total - partial);
    assert.equal(await count(engine), total);
  } finally {
    s3.downloads.delayMs = 0;
    await engine.close();
  }
});

test('a pull process killed with SIGKILL resumes to the same counts as an uninterrupted pull', async () => {
  const total = await putMany('kill', 30);
  const workspace = join(env.dir, 'killed.duckdb');
  const args = [
    'pull',
    's3',
    `s3://${s3.bucket}/kill/`,
    '--workspace',
    workspace,
    '--endpoint-url',
    s3.endpoint,
    '--concurrency',
    '2',
    '--json',
  ];
  // Held back 200 ms each, 30 downloads two at a time take at least 3 s, and objects go in as they come
  // (downloads slower than imports), so when the 12th download starts most of the first ten are stored and 18
  // are not: the kill lands in the middle however loaded the machine is (a fixed wait did not, under load).
  s3.downloads.delayMs = 200;
  const seen = s3.requests.length;
  const objectGets = () =>
    s3.requests.slice(seen).filter((r) => r.method === 'GET' && /^\/[^/?]+\/kill\//.test(r.path));
  const child = cli(args, env.env);
  const done = finished(child);
  let exited = false;
  void done.then(() => (exited = true));
  while (objectGets().length < 12 && !exited) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(!exited, 'the pull was still running when its 12th download started');
  child.kill('SIGKILL');
  const killed = await done;
  s3.downloads.delayMs = 0;
  assert.equal(killed.signal, 'SIGKILL');

  const resumed = await finished(cli(args, env.env));
  assert.equal(resumed.code, 0, resumed.stderr);
  const summary = pullSummary(resumed.stdout);
  assert.ok(summary.skipped > 0 && summary.objects > 0, `the kill landed in the middle: ${JSON.stringify(summary)}`);
  assert.equal(summary.objects + summary.skipped, 30);
  assert.deepEqual(summary.failed, []);

  const engine = await Engine.open({ workspace });
  try {
    assert.equal(await count(engine), total);
    const [dupes] = await engine.workspace.all<{ n: bigint }>(
      `SELECT count(*) - count(DISTINCT path) AS n FROM imports`,
    );
    assert.equal(Number(dupes!.n), 0);
  } finally {
    await engine.close();
  }
});

test('small objects downloaded while an import runs go in together: fewer commits than objects, each its own import and checkpoint', async () => {
  const total = await putMany('together', 40);
  const engine = await Engine.open({ workspace: join(env.dir, 'together.duckdb'), create: true });
  try {
    const job = await pull(engine, { url: `s3://${s3.bucket}/together/`, concurrency: 8 });
    assert.equal(job.state, 'done', job.error);
    assert.deepEqual(counts(job), { objects: 40, skipped: 0, failed: [] });
    assert.equal(await count(engine), total);
    const [ledger] = await engine.workspace.all<{ imports: bigint; keys: bigint; etags: bigint; commits: bigint }>(
      `SELECT count(*) AS imports, count(DISTINCT path) AS keys, count(etag) AS etags, count(DISTINCT finished_at) AS commits FROM imports`,
    );
    assert.deepEqual(
      [ledger!.imports, ledger!.keys, ledger!.etags],
      [40n, 40n, 40n],
      'one import per object, with its ETag',
    );
    assert.ok(ledger!.commits < 40n, `objects shared commits (${ledger!.commits} for 40)`);
    const [held] = await engine.workspace.all<{ n: bigint }>(
      `SELECT count(*) AS n FROM pull_checkpoints c JOIN imports i ON i.id = json_extract(c.value, '$.importId')::INTEGER AND i.path = c.key WHERE c.source = 's3' AND starts_with(c.key, 's3://${s3.bucket}/together/')`,
    );
    assert.equal(held!.n, 40n, 'each object’s checkpoint names its own import');
    const again = await pull(engine, { url: `s3://${s3.bucket}/together/` });
    assert.deepEqual(counts(again), { objects: 0, skipped: 40, failed: [] });
  } finally {
    await engine.close();
  }
});

test('a CloudWatch export object pulled for a time range and then imported whole holds every event, once', async () => {
  const engine = await Engine.open({ workspace: join(env.dir, 'export-part-then-whole.duckdb'), create: true });
  try {
    const eni = 'eni-0b0b0b0b0b0b0b0b0';
    const start = sec('2026-03-02T23:50:00');
    // `aws logs create-export-task` to S3: each line the event's time and its message, minutes 23:50 to 00:09.
    const lines = Array.from({ length: 20 }, (_, i) => {
      const t = start + i * 60;
      return `${new Date((t + 75) * 1000).toISOString()} 2 123456789012 ${eni} 10.0.5.${i + 1} 52.94.1.1 ${40000 + i} 443 6 1 ${(i + 1) * 100} ${t} ${t + 60} ACCEPT OK`;
    });
    const file = join(env.dir, 'export-part', 'task-9', `${eni}-all`, '000000.gz');
    mkdirSync(join(file, '..'), { recursive: true });
    const body = gzipSync(`${lines.join('\n')}\n`);
    writeFileSync(file, body);
    await s3.put(`exported/task-9/${eni}-all/000000.gz`, body);
    const day = await pull(engine, { url: `s3://${s3.bucket}/exported/`, from: '2026-03-02', to: '2026-03-03' });
    assert.equal(day.summary?.records, 10, 'minutes 23:50 to 23:59');
    const whole = await importFile(engine.workspace, file, {});
    assert.deepEqual([whole.status, whole.records, whole.replaced], ['imported', 20, { records: 10, rejected: 0 }]);
    const [row] = await engine.workspace.all<{ n: bigint; bytes: bigint }>(
      `SELECT count(*) AS n, sum(bytes)::BIGINT AS bytes FROM flows`,
    );
    assert.deepEqual([Number(row!.n), Number(row!.bytes)], [20, 100 * 210]);
  } finally {
    await engine.close();
  }
});

test('a prefix that lists nothing (a mistyped account) says so and what to check, not "Fetching 0 of 0"', async () => {
  const engine = await Engine.open({ workspace: join(env.dir, 'nothing.duckdb'), create: true });
  try {
    const notices: string[] = [];
    const off = engine.on(({ event, payload }) => {
      if (event === 'pull.notice') notices.push(payload.message);
    });
    const job = await pull(engine, { url: `s3://${s3.bucket}/AWSLogs/999999999999/` });
    off();
    assert.equal(job.state, 'done', job.error);
    assert.equal(job.summary?.pull?.objects, 0);
    assert.ok(
      notices.some((n) => n.startsWith(`No objects under s3://${s3.bucket}/AWSLogs/999999999999/: check the bucket`)),
      notices.join('\n'),
    );
    assert.ok(!notices.some((n) => n.startsWith('Fetching')), notices.join('\n'));
  } finally {
    await engine.close();
  }
});
