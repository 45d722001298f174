import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Engine } from '../../../main/engine';
import { call } from '../../../main/engine/dispatch';
import { importPaths } from '../../../main/engine/ingest';
import { writeFlowLogFile } from '../../../main/engine/ingest/generator';
import { pullCloudWatch, type CloudWatchPullRequest } from '../../../main/engine/ingest/cloudwatch';
import type { PullSummary } from '../../../main/engine/ingest/aws/pull-report';
import type { Output } from '../../../preload/contract';
import {
  startCloudWatchLogsServer,
  type CloudWatchLogsTestServer,
  type SeedEvent,
} from '../../support/cloudwatch-logs-server';
import { cli, finished, killWhen, pullEnv, pullSummary, type PullEnv } from '../../support/pull-env';

const GROUP = '/vpc/flow-logs';
let cw: CloudWatchLogsTestServer;
let env: PullEnv;
const credentials = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' };

/** Flow-log records as CloudWatch messages (no header), each event at its record's start time. */
async function messages(
  seed: number,
  startIso: string,
  span: number,
  records: number,
  fields?: string[],
): Promise<SeedEvent[]> {
  const path = join(env.dir, `events-${seed}.log`);
  await writeFlowLogFile(path, {
    seed,
    start: Date.parse(`${startIso}Z`) / 1000,
    span,
    records,
    header: false,
    ...(fields ? { fields } : {}),
  });
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((message) => ({
      timestamp: Number(message.split(' ')[fields ? fields.indexOf('start') : 10]) * 1000,
      message,
    }));
}

before(async () => {
  env = pullEnv(credentials);
  cw = await startCloudWatchLogsServer({ pageSize: 40 });
  cw.addEvents(GROUP, 'eni-aaaa-all', await messages(1, '2026-03-02T10:00:00', 7200, 150));
  cw.addEvents(GROUP, 'eni-bbbb-all', await messages(2, '2026-03-02T10:30:00', 3600, 90));
  cw.addEvents(GROUP, 'other-stream', await messages(3, '2026-03-02T10:00:00', 3600, 30));
});

after(async () => {
  await cw.close();
  env.cleanup();
});

const RANGE = { from: '2026-03-02T10:00:00', to: '2026-03-02T12:00:00' };
const FAST = { retry: { baseDelayMs: 20, maxDelayMs: 200, attemptTimeoutMs: 800 } };

async function withWorkspace<T>(name: string, fn: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = await Engine.open({ workspace: join(env.dir, `${name}.duckdb`), create: true });
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}

function run(
  engine: Engine,
  request: Omit<CloudWatchPullRequest, 'endpointUrl'>,
  notices: string[] = [],
): Promise<PullSummary> {
  return pullCloudWatch(
    engine.workspace,
    { endpointUrl: cw.endpoint, ...request },
    { signal: new AbortController().signal, notice: (m) => notices.push(m) },
    FAST,
  );
}

async function count(engine: Engine): Promise<number> {
  const [row] = await engine.workspace.all<{ n: bigint }>('SELECT count(*) AS n FROM flows');
  return Number(row!.n);
}

/**
 * The most FilterLogEvents requests the server saw within any 800 ms: at 5 a second, spaced 200 ms apart when
 * sent, six requests span a second. The server sees them when its event loop (this process's, shared with the
 * pull) gets to them, so one seen late beside the next on time shortened that span on a loaded CI machine (six
 * within a second); 200 ms of such lateness still leaves six over 800 ms apart, and a pull without the limit
 * still sends many more.
 */
function peakRate(): number {
  const times = cw.requests.filter((r) => r.operation === 'FilterLogEvents').map((r) => r.at);
  return Math.max(0, ...times.map((t) => times.filter((u) => u >= t && u < t + 800).length));
}

test('pages are followed to the end through empty pages, throttling, 500s, a reset mid-body and a slow answer, within 5 requests/s', async () => {
  await withWorkspace('faults', async (engine) => {
    cw.requests.length = 0;
    cw.inject(
      'FilterLogEvents',
      { kind: 'emptyPage' },
      { kind: 'emptyPage' },
      { kind: 'throttle' },
      { kind: 'error500' },
      { kind: 'reset' },
      { kind: 'slow', delayMs: 1500 },
      { kind: 'emptyPage' },
    );
    const notices: string[] = [];
    const summary = await run(engine, { logGroup: GROUP, ...RANGE }, notices);
    assert.equal(summary.records, 270);
    assert.equal(await count(engine), 270);
    assert.deepEqual(summary.failed, []);
    // eni-aaaa (10:00-12:00) and eni-bbbb (10:30-11:30) span both hours, other-stream only the first.
    assert.equal(summary.objects, 5);
    // Each retry said in the remote queries' words: the service and call, why, which retry of how many, how soon.
    const said = (pattern: string) =>
      assert.ok(
        notices.some((n) => new RegExp(`^${pattern}; retry \\d of 7 in \\d+(\\.\\d)? s$`).test(n)),
        `${pattern} in:\n${notices.join('\n')}`,
      );
    said('CloudWatch Logs is throttling \\(FilterLogEvents\\)');
    said('CloudWatch Logs: FilterLogEvents failed \\(ServiceUnavailableException: The service is unavailable\\)');
    said('CloudWatch Logs: FilterLogEvents failed \\(.*(ECONNRESET|aborted|premature|socket).*\\)');
    said('CloudWatch Logs: FilterLogEvents failed \\(no answer within 800 ms\\)');
    const statuses = cw.requests.filter((r) => r.operation === 'FilterLogEvents').map((r) => r.status);
    assert.ok(statuses.includes(500) && statuses.includes(400));
    assert.ok(peakRate() <= 5, `peak ${peakRate()} FilterLogEvents within 800 ms`);

    const checkpoints = await engine.workspace.all<{ key: string }>(
      `SELECT key FROM pull_checkpoints WHERE source = 'cloudwatch' ORDER BY key`,
    );
    const hour = (h: number) => Date.UTC(2026, 2, 2, h);
    assert.deepEqual(
      checkpoints.map((c) => c.key),
      [10, 11].flatMap((h) =>
        ['eni-aaaa-all', 'eni-bbbb-all', 'other-stream'].map((st) => `${GROUP}:${hour(h)}:${st}`),
      ),
      'one checkpoint per stream and hour window',
    );

    const again = await run(engine, { logGroup: GROUP, ...RANGE });
    assert.equal(again.records, 0);
    assert.equal(await count(engine), 270, 'checkpointed windows are not pulled twice');
  });
});

test('@logStream of pulled records is the stream CloudWatch logged them to, as Insights would answer', async () => {
  await withWorkspace('log-stream', async (engine) => {
    await run(engine, { logGroup: GROUP, ...RANGE });
    const rows = async (query: string) => {
      const out = (await call(engine, 'query.run', { query, pageSize: 10 })) as Output<'query.run'>;
      return out.rows.map((r) => Object.fromEntries(out.columns.map((c, i) => [c.name, r[i]])));
    };
    // Each stream's events in the range, two hour windows each: every one of them (150, 90, 30 seeded).
    assert.deepEqual(await rows('stats count(*) as n by @logStream | sort n desc'), [
      { '@logStream': 'eni-aaaa-all', n: 150 },
      { '@logStream': 'eni-bbbb-all', n: 90 },
      { '@logStream': 'other-stream', n: 30 },
    ]);
    assert.deepEqual(await rows('filter @logStream = "eni-bbbb-all" | stats count(*) as n'), [{ n: 90 }]);
  });
});

test('two pulls side by side share the account and region’s request rate', async () => {
  await withWorkspace('side-a', (a) =>
    withWorkspace('side-b', async (b) => {
      cw.requests.length = 0;
      const [ra, rb] = await Promise.all([
        run(a, { logGroup: GROUP, ...RANGE }),
        run(b, { logGroup: GROUP, ...RANGE }),
      ]);
      assert.equal(ra.records, 270);
      assert.equal(rb.records, 270);
      assert.ok(cw.requests.filter((r) => r.operation === 'FilterLogEvents').length >= 12);
      assert.ok(peakRate() <= 5, `peak ${peakRate()} FilterLogEvents within 800 ms`);
    }),
  );
});

test('a stream prefix and a custom log format are honoured', async () => {
  const fields = ['srcaddr', 'dstaddr', 'srcport', 'dstport', 'start', 'end', 'action', 'interface-id'];
  cw.addEvents('/vpc/custom', 'eni-cccc-all', await messages(7, '2026-03-02T10:00:00', 1800, 60, fields));
  cw.addEvents('/vpc/custom', 'skip-me', await messages(8, '2026-03-02T10:00:00', 1800, 10, fields));
  await withWorkspace('custom', async (engine) => {
    const summary = await run(engine, {
      logGroup: '/vpc/custom',
      ...RANGE,
      streamPrefix: 'eni-',
      logFormat: fields.map((f) => `\${${f}}`).join(' '),
    });
    assert.equal(summary.records, 60);
    assert.equal(summary.rejected, 0);
    const [row] = await engine.workspace.all<{ n: bigint; src: bigint }>(
      `SELECT count(*) AS n, count(srcaddr) AS src FROM flows WHERE action IN ('ACCEPT', 'REJECT')`,
    );
    assert.equal(Number(row!.n), 60);
    assert.equal(Number(row!.src), 60);
  });
});

test('a log format given or remembered is not dropped for an event that reads as a header naming other fields', async () => {
  const fields = ['srcaddr', 'dstaddr', 'srcport', 'dstport', 'start', 'end', 'action', 'interface-id'];
  const logFormat = fields.map((f) => `\${${f}}`).join(' ');
  const events = await messages(9, '2026-03-02T10:00:00', 1800, 20, fields);
  // A stream fed from S3 deliveries, their header lines logged as events: the first event of the window.
  const header = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end';
  cw.addEvents('/vpc/header-event', 'eni-dddd-all', [
    { timestamp: Math.min(...events.map((e) => e.timestamp)), message: header },
    ...events,
  ]);
  await withWorkspace('header-event', async (engine) => {
    const given = await run(engine, { logGroup: '/vpc/header-event', ...RANGE, logFormat });
    // Before: the header's fields were read, the format given dropped without a word.
    assert.equal(given.records, 0);
    assert.equal(given.failed.length, 1, JSON.stringify(given));
    assert.match(
      given.failed[0]!.error,
      new RegExp(
        `^/vpc/header-event/eni-dddd-all@[^ ]+ cannot be imported: its header line names the fields "${header}" ` +
          `but the log format given names "${fields.join(' ')}" \\(field 1 is version in the header, srcaddr in the format\\)`,
      ),
    );
    // Remembered for the group from the first pull, the format is not dropped either.
    const remembered = await run(engine, { logGroup: '/vpc/header-event', ...RANGE });
    assert.equal(remembered.records, 0);
    assert.match(remembered.failed[0]?.error ?? '', /its header line names the fields/);
    assert.equal(await count(engine), 0);
  });
});

test('a stream prefix no stream has says so, naming the prefix, where it said "Pulling 0 streams"', async () => {
  await withWorkspace('no-streams', async (engine) => {
    const notices: string[] = [];
    const summary = await run(engine, { logGroup: '/vpc/custom', ...RANGE, streamPrefix: 'zzz' }, notices);
    assert.equal(summary.records, 0);
    assert.ok(
      notices.includes(
        '/vpc/custom has no log stream whose name starts with "zzz" (a flow log names each stream after its interface: eni-…-all): nothing to pull.',
      ),
      notices.join('\n'),
    );
  });
});

test('events delivered late into a recent window arrive on the next pull, without duplicates', async () => {
  const now = Date.now();
  const windowStart = Math.floor(now / 3_600_000) * 3_600_000;
  // Early in the current hour, so the late events belong to the same window.
  const base = Math.max(windowStart, now - 60_000);
  const group = '/vpc/recent';
  const early = Array.from({ length: 20 }, (_, i) => ({ timestamp: base + i, message: recordAt(base + i, i) }));
  cw.addEvents(group, 'eni-dddd-all', early);
  await withWorkspace('late', async (engine) => {
    const first = await run(engine, {
      logGroup: group,
      from: new Date(base - 1000).toISOString(),
      to: new Date(now + 1000).toISOString(),
    });
    assert.equal(first.records, 20);
    const late = Array.from({ length: 7 }, (_, i) => ({
      timestamp: base + 100 + i,
      message: recordAt(base + 100 + i, 100 + i),
      ingestionTime: Date.now(),
    }));
    cw.addEvents(group, 'eni-dddd-all', late);
    const second = await run(engine, {
      logGroup: group,
      from: new Date(base - 1000).toISOString(),
      to: new Date(Date.now()).toISOString(),
    });
    assert.equal(second.records, 7);
    assert.equal(await count(engine), 27);
  });
});

function recordAt(ms: number, i: number): string {
  const s = Math.floor(ms / 1000);
  return `2 123456789012 eni-0dddd 10.0.1.${i % 250} 52.94.1.1 443 ${40000 + i} 6 10 840 ${s} ${s + 60} ACCEPT OK`;
}

test('streams with the same messages keep their own records, and a log group copied into another is pulled whole', async () => {
  // A custom format without interface-id: the two streams' messages are byte for byte the same.
  const fields = ['srcaddr', 'dstaddr', 'srcport', 'dstport', 'start', 'end', 'action', 'log-status'];
  const same = await messages(11, '2026-03-02T10:00:00', 1800, 12, fields);
  cw.addEvents('/vpc/twins', 'eni-x1', same);
  cw.addEvents('/vpc/twins', 'eni-x2', same);
  cw.addEvents('/vpc/twins-copy', 'eni-x1', same);
  const logFormat = fields.map((f) => `\${${f}}`).join(' ');
  await withWorkspace('twin-streams', async (engine) => {
    const summary = await run(engine, { logGroup: '/vpc/twins', ...RANGE, logFormat });
    assert.equal(summary.records, 24);
    assert.equal((await run(engine, { logGroup: '/vpc/twins-copy', ...RANGE, logFormat })).records, 12);
    assert.equal(await count(engine), 36);
    const again = await run(engine, { logGroup: '/vpc/twins', ...RANGE });
    assert.equal(again.records, 0);
    assert.equal(await count(engine), 36);
  });
});

test("a pull without an end stops at the streams' newest event, not at now", async () => {
  cw.addEvents('/vpc/quiet', 'eni-qqqq-all', await messages(12, '2026-03-02T09:30:00', 6000, 30));
  await withWorkspace('quiet', async (engine) => {
    cw.requests.length = 0;
    const notices: string[] = [];
    const summary = await run(engine, { logGroup: '/vpc/quiet' }, notices);
    assert.equal(summary.records, 30);
    // 09:30 to 11:10: three hour windows, one request each.
    assert.ok(
      notices.some((n) => / over 3 hour windows/.test(n)),
      notices.join('\n'),
    );
    assert.equal(cw.requests.filter((r) => r.operation === 'FilterLogEvents').length, 3);
  });
});

test('access denied and a missing log group stop the pull with a clear message and keep what was committed', async () => {
  await withWorkspace('denied', async (engine) => {
    await run(engine, { logGroup: GROUP, from: RANGE.from, to: '2026-03-02T10:59:59' });
    const kept = await count(engine);
    assert.ok(kept > 0);
    cw.inject('FilterLogEvents', { kind: 'accessDenied' });
    await assert.rejects(
      run(engine, { logGroup: GROUP, ...RANGE }),
      /Access denied to log group \/vpc\/flow-logs.*logs:FilterLogEvents/,
    );
    assert.equal(await count(engine), kept);
    await assert.rejects(
      run(engine, { logGroup: '/vpc/nope', ...RANGE }),
      (err: { code?: string; message: string }) => err.code === 'not_found' && /\/vpc\/nope/.test(err.message),
    );
  });
});

test('the aws listings name the log groups and streams', async () => {
  const groups = await finished(cli(['aws', 'log-groups', '--endpoint-url', cw.endpoint, '--json'], env.env));
  assert.equal(groups.code, 0, groups.stderr);
  assert.ok((JSON.parse(groups.stdout) as Array<{ name: string }>).some((g) => g.name === GROUP));
  const streams = await finished(cli(['aws', 'streams', GROUP, '--endpoint-url', cw.endpoint], env.env));
  assert.equal(streams.code, 0, streams.stderr);
  assert.deepEqual(
    streams.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ')[0]),
    ['eni-aaaa-all', 'eni-bbbb-all', 'other-stream'],
  );
  // The same listings through the contract, as the app's pickers ask for them.
  await withWorkspace('pickers', async (engine) => {
    const viaContract = (await call(engine, 'aws.streams', {
      logGroup: GROUP,
      prefix: 'eni-',
      endpointUrl: cw.endpoint,
    })) as { streams: Array<{ name: string; firstEvent: string | null }> };
    assert.deepEqual(
      viaContract.streams.map((st) => st.name),
      ['eni-aaaa-all', 'eni-bbbb-all'],
    );
    assert.equal(viaContract.streams[0]!.firstEvent, '2026-03-02T10:00:00.000Z');
    const listed = (await call(engine, 'aws.logGroups', { prefix: '/vpc/flow', endpointUrl: cw.endpoint })) as {
      groups: Array<{ name: string }>;
    };
    assert.deepEqual(
      listed.groups.map((g) => g.name),
      [GROUP],
    );
  });
});

test('pull cloudwatch --last 1h pulls what was logged in the last hour of the wall clock', async () => {
  const group = '/vpc/live';
  const isoAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString().slice(0, 19);
  const recent = await messages(21, isoAgo(30), 1500, 20);
  cw.addEvents(group, 'eni-1111-all', recent);
  cw.addEvents(group, 'eni-1111-all', await messages(22, isoAgo(180), 1500, 20));
  const workspace = join(env.dir, 'cw-last.duckdb');
  const args = ['pull', 'cloudwatch', group, '--workspace', workspace, '--endpoint-url', cw.endpoint, '--json'];
  const pulled = await finished(cli([...args, '--last', '1h'], env.env));
  assert.equal(pulled.code, 0, pulled.stderr);
  assert.equal(pullSummary(pulled.stdout).records, recent.length, 'the records of three hours ago stay out');
  const both = await finished(cli([...args, '--last', '1h', '--from', isoAgo(60)], env.env));
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--last is a time range of its own/);
});

test("a pull's rejects are counted as the log events they are, not lines, by the command line and in its JSON", async () => {
  const group = '/vpc/with-bad-events';
  const good = await messages(31, '2026-03-02T10:00:00', 600, 5);
  const at = good[0]!.timestamp;
  cw.addEvents(group, 'eni-2222-all', [
    ...good,
    { timestamp: at + 1000, message: '2 123456789012 eni-2222 not a flow record' },
    { timestamp: at + 2000, message: 'neither is this' },
  ]);
  const args = (name: string) => [
    ...['pull', 'cloudwatch', group, '--workspace', join(env.dir, `${name}.duckdb`)],
    ...['--endpoint-url', cw.endpoint, '--from', RANGE.from, '--to', RANGE.to],
  ];
  const pulled = await finished(cli(args('cw-bad-events'), env.env));
  assert.equal(pulled.code, 0, pulled.stderr);
  // Before: "5 records added, 2 lines rejected", of log events that are no lines of any file.
  assert.match(pulled.stdout, /^5 records added, 2 events rejected; /m);
  const json = await finished(cli([...args('cw-bad-events-json'), '--json'], env.env));
  assert.equal(json.code, 0, json.stderr);
  const summary = pullSummary(json.stdout);
  assert.deepEqual([summary.records, summary.rejected, summary.rejectedEvents], [5, 2, 2]);
});

test('a cloudwatch pull killed with SIGKILL resumes to the same counts as an uninterrupted pull', async () => {
  const group = '/vpc/long';
  // One event every 10 minutes for a day and a half: 36 hour windows, each a request at ≤ 5/s.
  const events = await messages(11, '2026-03-05T00:00:00', 36 * 3600, 216);
  cw.addEvents(group, 'eni-eeee-all', events);
  const workspace = join(env.dir, 'cw-killed.duckdb');
  const args = [
    'pull',
    'cloudwatch',
    group,
    '--workspace',
    workspace,
    '--endpoint-url',
    cw.endpoint,
    '--from',
    '2026-03-05T00:00:00',
    '--to',
    '2026-03-06T12:00:00',
    '--json',
  ];
  assert.equal((await killWhen(cli(args, env.env), /Pulling 1 streams/, 2500)).signal, 'SIGKILL');
  const resumed = await finished(cli(args, env.env));
  assert.equal(resumed.code, 0, resumed.stderr);
  const summary = pullSummary(resumed.stdout);
  assert.ok(summary.skipped > 0 && summary.objects > 0, `the kill landed in the middle: ${JSON.stringify(summary)}`);
  const engine = await Engine.open({ workspace });
  try {
    assert.equal(await count(engine), events.length);
  } finally {
    await engine.close();
  }
});

test('the streams of a window go in together: one commit a window, each stream its own import and checkpoint', async () => {
  await withWorkspace('together', async (engine) => {
    const summary = await run(engine, { logGroup: GROUP, ...RANGE });
    // 10:00–11:00 holds events of the three streams, 11:00–12:00 of two.
    assert.equal(summary.objects, 5);
    const [ledger] = await engine.workspace.all<{ imports: bigint; windows: bigint; commits: bigint; records: bigint }>(
      `SELECT count(*) AS imports, count(DISTINCT split_part(path, '@', 2)) AS windows, count(DISTINCT finished_at) AS commits, sum(records) AS records FROM imports`,
    );
    assert.deepEqual(
      [ledger!.imports, ledger!.windows, ledger!.commits],
      [5n, 2n, 2n],
      'five imports, committed window by window',
    );
    assert.equal(Number(ledger!.records), summary.records);
    assert.equal(await count(engine), summary.records);
    const checkpoints = await engine.workspace.all<{ key: string; importId: number | null }>(
      `SELECT key, json_extract(value, '$.importId')::INTEGER AS "importId" FROM pull_checkpoints WHERE source = 'cloudwatch' ORDER BY key`,
    );
    assert.equal(checkpoints.length, 6, 'every stream of both windows, with events or not');
    assert.equal(checkpoints.filter((c) => c.importId === null).length, 1, 'other-stream has no events after 11:00');
    const again = await run(engine, { logGroup: GROUP, ...RANGE });
    assert.equal(again.records, 0);
    assert.equal(await count(engine), summary.records);
  });
});

test('a pull of hours exported before stores only the events the export does not hold, and says how many it held', async () => {
  const eni = 'eni-0e0e0e0e0e0e0e0e0';
  const base = Date.parse('2026-03-04T10:00:00Z') / 1000;
  /** The i-th event of the stream: minute i, bytes 100·(i+1). */
  const event = (i: number): SeedEvent => ({
    timestamp: (base + i * 60) * 1000,
    message: `2 123456789012 ${eni} 10.0.3.${i + 1} 52.94.1.1 ${40000 + i} 443 6 1 ${(i + 1) * 100} ${base + i * 60} ${base + i * 60 + 60} ACCEPT OK`,
  });
  const group = '/vpc/exported-then-pulled';
  cw.addEvents(
    group,
    `${eni}-all`,
    Array.from({ length: 90 }, (_, i) => event(i)),
  );
  // `aws logs filter-log-events` of minutes 0–59, run before the pull of minutes 0–89.
  const exportPath = join(env.dir, 'exported-first.json');
  writeFileSync(
    exportPath,
    JSON.stringify({ events: Array.from({ length: 60 }, (_, i) => ({ logStreamName: `${eni}-all`, ...event(i) })) }),
  );
  await withWorkspace('exported-then-pulled', async (engine) => {
    const imported = await importPaths(engine.workspace, [exportPath], {});
    assert.deepEqual(
      imported.files.map((f) => [f.status, f.records]),
      [['imported', 60]],
    );
    const summary = await run(engine, { logGroup: group, from: '2026-03-04T10:00:00', to: '2026-03-04T12:00:00' });
    assert.deepEqual([summary.records, summary.heldBefore], [30, 60]);
    const [row] = await engine.workspace.all<{ n: bigint; bytes: bigint }>(
      `SELECT count(*) AS n, sum(bytes) AS bytes FROM flows WHERE interface_id = '${eni}'`,
    );
    // Minutes 0–89 once: 100·(1+…+90).
    assert.deepEqual([Number(row!.n), Number(row!.bytes)], [90, 409500]);
    // Pulled again: nothing more, and the windows still hold what the export does not.
    assert.equal(
      (await run(engine, { logGroup: group, from: '2026-03-04T10:00:00', to: '2026-03-04T12:00:00' })).records,
      0,
    );
    assert.equal(await count(engine), 90);
  });
});

test('removing the export a pull was thinned against leaves the pull holding every event it fetched, one logged twice twice', async () => {
  const eni = 'eni-0a0a0a0a0a0a0a0a0';
  const base = Date.parse('2026-03-05T10:00:00Z') / 1000;
  const event = (i: number): SeedEvent => ({
    timestamp: (base + i * 60) * 1000,
    message: `2 123456789012 ${eni} 10.0.4.${i + 1} 52.94.1.1 ${40000 + i} 443 6 1 ${(i + 1) * 100} ${base + i * 60} ${base + i * 60 + 60} ACCEPT OK`,
  });
  const group = '/vpc/exported-pulled-removed';
  // Minutes 0–89, minute 20's event logged twice.
  const logged = [...Array.from({ length: 90 }, (_, i) => event(i)), event(20)];
  cw.addEvents(group, `${eni}-all`, logged);
  const exportPath = join(env.dir, 'exported-then-removed.json');
  writeFileSync(
    exportPath,
    JSON.stringify({
      events: logged
        .filter((e) => e.timestamp < (base + 60 * 60) * 1000)
        .map((e) => ({ logStreamName: `${eni}-all`, ...e })),
    }),
  );
  await withWorkspace('exported-pulled-removed', async (engine) => {
    const [exported] = (await importPaths(engine.workspace, [exportPath], {})).files;
    assert.deepEqual([exported!.status, exported!.records], ['imported', 61]);
    const window = { logGroup: group, from: '2026-03-05T10:00:00', to: '2026-03-05T12:00:00' };
    const summary = await run(engine, window);
    assert.deepEqual([summary.records, summary.heldBefore], [30, 61]);
    const removed = await call(engine, 'workspace.removeImport', { importId: exported!.importId! });
    // Only the export's own events went: every one it held for the pull is the pull's now.
    assert.deepEqual(removed, { removedRecords: 0 });
    const [row] = await engine.workspace.all<{ n: bigint; bytes: bigint; twenty: bigint }>(
      `SELECT count(*) AS n, sum(bytes)::BIGINT AS bytes, count(*) FILTER (WHERE srcport = 40020) AS twenty FROM flows WHERE interface_id = '${eni}'`,
    );
    // Minutes 0–89, minute 20 twice: 100·(1+…+90) + 2,100.
    assert.deepEqual([Number(row!.n), Number(row!.bytes), Number(row!.twenty)], [91, 409500 + 2100, 2]);
    const listed = await engine.workspace.imports();
    assert.deepEqual(
      listed.imports.filter((i) => i.path.startsWith(group)).reduce((n, i) => n + i.records, 0),
      91,
    );
    const [minutes] = await engine.workspace.all<{ n: bigint }>(
      `SELECT sum(records)::BIGINT AS n FROM flow_minutes WHERE import_id IN (SELECT id FROM imports WHERE starts_with(path, '${group}'))`,
    );
    assert.equal(Number(minutes!.n), 91);
    // Pulled again: the windows are held, nothing more comes.
    assert.equal((await run(engine, window)).records, 0);
    assert.equal(await count(engine), 91);
  });
});
