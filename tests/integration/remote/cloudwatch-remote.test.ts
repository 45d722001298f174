/**
 * Insights queries run on "CloudWatch Logs Insights": the real `@aws-sdk/client-cloudwatch-logs` against
 * the CloudWatch Logs test server, whose Insights queries run with the local Insights dialect on a workspace
 * pulled from the same log group. So the answer that lands in the analyst's (empty) workspace can be
 * compared with the local answer; what is checked here is the protocol: the query and range sent, polling
 * past partial answers, text typed back into columns, the 10,000-row cap, faults, cancel.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { CellValue, Column, Output } from '../../../preload/contract';
import { Engine } from '../../../main/engine';
import { call } from '../../../main/engine/dispatch';
import { FlowscopeError } from '../../../main/engine/errors';
import { writeFlowLogFile } from '../../../main/engine/ingest/generator';
import { pullCloudWatch } from '../../../main/engine/ingest/cloudwatch';
import {
  startCloudWatchLogsServer,
  type CloudWatchLogsTestServer,
  type InsightsExecutor,
} from '../../support/cloudwatch-logs-server';
import { flowscopeInProcess } from '../../support/flowscope-cli';
import { insightsExecutor } from '../../support/remote-answers';
import { pullEnv, type PullEnv } from '../../support/pull-env';

const GROUP = '/vpc/flow-logs';
const RANGE = { from: '2026-03-02T10:00:00Z', to: '2026-03-02T11:00:00Z' };
let cw: CloudWatchLogsTestServer;
let env: PullEnv;
let data: Engine;
let analyst: Engine;

async function localRun(query: string, timeRange = RANGE): Promise<{ columns: Column[]; rows: CellValue[][] }> {
  const first = (await call(data, 'query.run', {
    query,
    dialect: 'insights',
    timeRange,
    pageSize: 10_000,
  })) as Output<'query.run'>;
  assert.equal(first.rows.length, first.rowCount, 'the fixture answers fit one page');
  return first;
}

const execute: InsightsExecutor = (...args) => insightsExecutor(data, 52_000)(...args);

before(async () => {
  env = pullEnv({ AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' });
  cw = await startCloudWatchLogsServer();
  const path = join(env.dir, 'events.log');
  await writeFlowLogFile(path, {
    seed: 7,
    start: Date.parse(RANGE.from) / 1000,
    span: 3600,
    records: 400,
    header: false,
  });
  cw.addEvents(
    GROUP,
    'eni-aaaa-all',
    readFileSync(path, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((message) => ({ timestamp: Number(message.split(' ')[10]) * 1000, message })),
  );
  data = await Engine.open({ workspace: join(env.dir, 'data.duckdb'), create: true });
  await pullCloudWatch(
    data.workspace,
    { endpointUrl: cw.endpoint, logGroup: GROUP, from: RANGE.from, to: RANGE.to },
    { signal: new AbortController().signal, notice: () => undefined },
  );
  cw.insights = execute;
  analyst = await Engine.open({ workspace: join(env.dir, 'analyst.duckdb'), create: true });
});

after(async () => {
  await analyst.close();
  await data.close();
  await cw.close();
  env.cleanup();
});

/** A text as a regular expression that matches it alone. */
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const target = (extra: Record<string, unknown> = {}) => ({
  engine: 'cloudwatch' as const,
  logGroups: [GROUP],
  region: 'us-east-1',
  endpointUrl: cw.endpoint,
  ...extra,
});

/** `flowscope query <query> --engine cloudwatch` over RANGE at the test server, answering JSON. */
function cloudwatchCli(workspace: string, query: string, ...extra: string[]) {
  // prettier-ignore
  return flowscopeInProcess([
    'query', query, '--workspace', workspace, '--engine', 'cloudwatch', '--log-group', GROUP,
    '--from', RANGE.from, '--to', RANGE.to, '--region', 'us-east-1', '--endpoint-url', cw.endpoint,
    '--format', 'json', ...extra,
  ]);
}

async function remote(query: string, extra: Record<string, unknown> = {}): Promise<Output<'remote.run'>> {
  return (await call(analyst, 'remote.run', {
    query,
    timeRange: RANGE,
    target: target(),
    pageSize: 10_000,
    ...extra,
  })) as Output<'remote.run'>;
}

test('an Insights query runs on CloudWatch: polled past partial answers, kept with its provenance, as the local answer', async () => {
  cw.insightsPolls = 2;
  const query = 'stats sum(bytes) as bytes, count(*) as records by srcAddr, action | sort bytes desc';
  const before = cw.requests.length;
  const answer = await remote(query);
  const local = await localRun(query);
  assert.ok(local.rows.length > 5);
  assert.deepEqual(
    answer.columns.map((c) => [c.name, c.type, c.kind]),
    local.columns.map((c) => [c.name, c.type === 'HUGEINT' ? 'BIGINT' : c.type, c.kind]),
  );
  assert.deepEqual(
    answer.columns.map((c) => c.kind),
    ['ip', 'action', 'bytes', 'number'],
  );
  // Rows of equal bytes may come in either order.
  const sorted = (rows: CellValue[][]) => rows.map((r) => JSON.stringify(r)).sort();
  assert.deepEqual(sorted(answer.rows), sorted(local.rows));
  assert.equal(answer.provenance.engine, 'cloudwatch');
  assert.equal(answer.provenance.target, GROUP);
  assert.equal(answer.provenance.scannedBytes, 52_000);
  assert.equal(answer.provenance.capped, false);
  const start = cw.requests.slice(before).find((r) => r.operation === 'StartQuery')!;
  assert.deepEqual(start.body, {
    logGroupNames: [GROUP],
    startTime: Date.parse(RANGE.from) / 1000,
    // The service's end is inclusive; `to` is not.
    endTime: Date.parse(RANGE.to) / 1000 - 1,
    // The query as typed, then a comment line that makes this run's text its own (see the lost-answer test).
    queryString: start.body.queryString,
    limit: 10_000,
  });
  assert.match(String(start.body.queryString), new RegExp(`^${escape(query)}\\n# flowscope run [0-9a-f-]{36}$`));
  assert.equal(answer.provenance.remoteQueryId, cw.requests.at(-1)!.body.queryId);
  // Two polls while Running (half the rows), then Complete.
  assert.equal(cw.requests.slice(before).filter((r) => r.operation === 'GetQueryResults').length, 3);
  cw.insightsPolls = 1;
});

test('log events come back under their fields, typed as in the workspace, without the @ptr pointer, and sort over the whole answer', async () => {
  const answer = await remote('fields @timestamp, srcAddr, dstPort, bytes | sort @timestamp desc | limit 25', {
    pageSize: 5,
  });
  assert.equal(answer.rowCount, 25);
  assert.deepEqual(
    answer.columns.map((c) => [c.name, c.type]),
    [
      ['@timestamp', 'TIMESTAMP'],
      ['srcAddr', 'VARCHAR'],
      // Shown as logged: text, sorted as numbers (by what the column holds) as the workspace's answer is.
      ['dstPort', 'VARCHAR'],
      ['bytes', 'VARCHAR'],
    ],
  );
  const local = await localRun('fields @timestamp, srcAddr, dstPort, bytes | sort @timestamp desc | limit 25');
  const page = (await call(analyst, 'query.page', {
    resultId: answer.resultId,
    offset: 0,
    limit: 25,
    sort: [{ column: 'bytes', descending: true }],
  })) as Output<'query.page'>;
  const bytes = local.rows.map((r) => Number(r[3])).sort((a, b) => b - a);
  assert.deepEqual(
    page.rows.map((r) => Number(r[3])),
    bytes,
  );
});

test('@ptr, the pointer CloudWatch gives each log event, is a column where the query asks for it, with its values, and never an empty one', async () => {
  const asked = await remote('fields @timestamp, @ptr, srcAddr | sort @timestamp desc | limit 5');
  assert.deepEqual(
    asked.columns.map((c) => [c.name, c.type]),
    [
      ['@timestamp', 'TIMESTAMP'],
      ['@ptr', 'VARCHAR'],
      ['srcAddr', 'VARCHAR'],
    ],
  );
  // What the service answered for each row: the handle `aws logs get-log-record` opens.
  assert.deepEqual(
    asked.rows.map((r) => r[1]),
    [0, 1, 2, 3, 4].map((i) => `ptr-${asked.provenance.remoteQueryId}-${i}`),
  );
  // Not asked for, it is left out, as the console leaves it out.
  const events = await remote('fields @timestamp, srcAddr | limit 5');
  assert.deepEqual(
    events.columns.map((c) => c.name),
    ['@timestamp', 'srcAddr'],
  );
});

test('a column is a number only where every value is one as written: account ids keep their zeros, no value turns NULL', async () => {
  const columns: Record<string, string[]> = {
    accountId: ['012345678901', '000000000042'],
    hex: ['0x1A', '1'],
    prefixed: ['0b11', '0o7'],
    spelled: [' 7', '1e5'],
    count: ['42', '-7'],
    ratio: ['0.5', '12'],
    day: ['2026-03-02 10:00:00.000', '2026-13-45 10:00:00.000'],
  };
  cw.insights = async () => ({
    rows: [0, 1].map((i) => Object.entries(columns).map(([name, values]) => [name, values[i]!] as [string, string])),
    bytesScanned: 1,
  });
  try {
    const answer = await remote(`fields ${Object.keys(columns).join(', ')}`);
    assert.deepEqual(
      answer.columns.map((c) => [c.name, c.type]),
      [
        ['accountId', 'VARCHAR'],
        ['hex', 'VARCHAR'],
        ['prefixed', 'VARCHAR'],
        ['spelled', 'VARCHAR'],
        ['count', 'BIGINT'],
        ['ratio', 'DOUBLE'],
        // A time the type cannot read keeps the column as text, as it came.
        ['day', 'VARCHAR'],
      ],
    );
    assert.deepEqual(answer.rows, [
      ['012345678901', '0x1A', '0b11', ' 7', 42, 0.5, '2026-03-02 10:00:00.000'],
      ['000000000042', '1', '0o7', '1e5', -7, 12, '2026-13-45 10:00:00.000'],
    ]);
  } finally {
    cw.insights = execute;
  }
});

test('the --to second is not counted, nor one before a --from within a second, as locally and on Athena: adjacent ranges count a record once', async () => {
  const stamps = ['2026-03-02T10:00:00Z', '2026-03-02T10:30:00Z', '2026-03-02T11:00:00Z', '2026-03-02T11:30:00Z'];
  cw.insights = async (_query, _groups, fromMs, toMs) => ({
    rows: [[['n', String(stamps.filter((t) => Date.parse(t) >= fromMs && Date.parse(t) < toMs).length)]]],
    bytesScanned: 1,
  });
  try {
    const count = async (from: string, to: string) =>
      (await remote('stats count(*) as n', { timeRange: { from, to } })).rows[0]![0];
    assert.equal(await count('2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z'), 2);
    assert.equal(await count('2026-03-02T11:00:00Z', '2026-03-02T12:00:00Z'), 2);
    // A `to` within a second still counts the records that start in that second before it.
    assert.equal(await count('2026-03-02T10:00:00Z', '2026-03-02T11:00:00.500Z'), 3);
    // A `from` within a second leaves out that second's records, as the workspace does (a brushed range).
    assert.equal(await count('2026-03-02T10:00:00.500Z', '2026-03-02T11:00:00Z'), 1);
  } finally {
    cw.insights = execute;
  }
});

test("an answer cut at 10,000 rows is CloudWatch's cap, and says so; a whole answer of 10,000 rows does not", async () => {
  const answerOf = (length: number) => async () => ({
    rows: Array.from({ length }, (_, i) => [['n', String(i)] as [string, string]]),
    bytesScanned: 1,
  });
  try {
    cw.insights = answerOf(12_000);
    const cut = await remote('fields bytes as n', { pageSize: 1 });
    assert.equal(cut.rowCount, 10_000);
    assert.equal(cut.provenance.capped, true);
    cw.insights = answerOf(10_000);
    const whole = await remote('fields bytes as n', { pageSize: 1 });
    assert.equal(whole.rowCount, 10_000);
    assert.equal(whole.provenance.capped, false);
  } finally {
    cw.insights = execute;
  }
});

test('throttling, a 500 and empty answers while running are retried', async () => {
  cw.inject('StartQuery', { kind: 'throttle' }, { kind: 'error500' });
  cw.inject('GetQueryResults', { kind: 'emptyPage' }, { kind: 'throttle' });
  const before = cw.requests.length;
  const answer = await remote('stats count(*) as records by action');
  assert.deepEqual(answer.rows, (await localRun('stats count(*) as records by action')).rows);
  assert.deepEqual(
    cw.requests
      .slice(before)
      .filter((r) => r.operation === 'StartQuery')
      .map((r) => r.status),
    [400, 500, 200],
  );
});

test('a number field shown as logged is text, as in the workspace and as CloudWatch answers it; what is computed stays a number', async () => {
  for (const query of [
    'fields @timestamp, srcAddr, dstPort, bytes | sort @timestamp desc | limit 5',
    'filter action = "REJECT" | stats count(*) as n by dstPort | sort n desc, dstPort | limit 5',
  ]) {
    const answer = await remote(query);
    const local = await localRun(query);
    assert.deepEqual(
      answer.columns.map((c) => [c.name, c.type]),
      local.columns.map((c) => [c.name, c.type]),
      query,
    );
    assert.deepEqual(answer.rows, local.rows, query);
  }
});

test('a StartQuery whose answer was lost is not started twice: the retry finds the query by its tag and takes it', async () => {
  cw.inject('StartQuery', { kind: 'lostAnswer' });
  const before = cw.requests.length;
  const started = cw.insightsQueries.length;
  const answer = await remote('stats count(*) as records by action');
  assert.deepEqual(answer.rows, (await localRun('stats count(*) as records by action')).rows);
  assert.equal(cw.insightsQueries.length, started + 1, 'one query ran on CloudWatch');
  const calls = cw.requests.slice(before).map((r) => r.operation);
  assert.deepEqual(
    calls.filter((o) => o !== 'GetQueryResults'),
    ['StartQuery', 'DescribeQueries'],
  );
  assert.equal(answer.provenance.remoteQueryId, `q-${started + 1}`);
});

test('the look-up after a lost answer pages through DescribeQueries: a query listed past the first 1,000 is found', async () => {
  const forget = cw.addQueryHistory(GROUP, 1_500);
  cw.inject('StartQuery', { kind: 'lostAnswer' });
  const before = cw.requests.length;
  const started = cw.insightsQueries.length;
  const answer = await remote('stats count(*) as records by action').finally(forget);
  assert.deepEqual(answer.rows, (await localRun('stats count(*) as records by action')).rows);
  assert.equal(cw.insightsQueries.length, started + 1, 'one query ran on CloudWatch');
  const listings = cw.requests.slice(before).filter((r) => r.operation === 'DescribeQueries');
  assert.deepEqual(
    listings.map((r) => [typeof r.body.nextToken, r.status]),
    [
      ['undefined', 200],
      ['string', 200],
    ],
  );
  assert.equal(answer.provenance.remoteQueryId, `q-${started + 1}`);
});

test('a look-up that does not find the tag in the 10,000 queries it reads starts no second query and says what to stop', async () => {
  const forget = cw.addQueryHistory(GROUP, 10_000);
  cw.inject('StartQuery', { kind: 'lostAnswer' });
  const before = cw.requests.length;
  const started = cw.insightsQueries.length;
  await assert.rejects(remote('stats count(*) as records by action').finally(forget), (err: unknown) => {
    assert.ok(err instanceof FlowscopeError);
    assert.equal(err.code, 'aws_error');
    assert.match(
      err.message,
      /may have started the query, and it is not among the 10,000 queries of \/vpc\/flow-logs looked through, so no other was started: stop the one ending '# flowscope run [0-9a-f-]{36}' if it runs/,
    );
    return true;
  });
  assert.equal(cw.insightsQueries.length, started + 1, 'no second query');
  assert.equal(cw.requests.slice(before).filter((r) => r.operation === 'DescribeQueries').length, 10);
});

test('a look-up after a lost answer that is throttled or fails is retried, and the query still runs once', async () => {
  cw.inject('StartQuery', { kind: 'lostAnswer' });
  cw.inject('DescribeQueries', { kind: 'throttle' }, { kind: 'error500' });
  const before = cw.requests.length;
  const started = cw.insightsQueries.length;
  const answer = await remote('stats count(*) as records by action');
  assert.deepEqual(answer.rows, (await localRun('stats count(*) as records by action')).rows);
  assert.equal(cw.insightsQueries.length, started + 1, 'one query ran on CloudWatch');
  assert.deepEqual(
    cw.requests
      .slice(before)
      .filter((r) => r.operation !== 'GetQueryResults')
      .map((r) => `${r.operation} ${r.status}`),
    ['StartQuery 0', 'DescribeQueries 400', 'DescribeQueries 500', 'DescribeQueries 200'],
  );
  assert.equal(answer.provenance.remoteQueryId, `q-${started + 1}`);
});

test('a cancel while a start is retried after its answer was lost stops the query that start began, and names it', async () => {
  cw.inject('StartQuery', { kind: 'lostAnswer' });
  // The retry's look-up is slow, so the cancel comes before the retry can take the query.
  cw.inject('DescribeQueries', { kind: 'slow', delayMs: 1000 });
  const started = cw.insightsQueries.length;
  const running = remote('stats count(*) as n', { queryId: 'cw-cancel-start' });
  while (cw.insightsQueries.length === started) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(await call(analyst, 'query.cancel', { queryId: 'cw-cancel-start' }), { cancelled: true });
  const id = `q-${started + 1}`;
  await assert.rejects(running, (err: unknown) => {
    assert.ok(err instanceof FlowscopeError);
    assert.equal(err.code, 'cancelled');
    assert.match(err.message, new RegExp(`The query ${id} it had started was stopped on CloudWatch Logs Insights\\.`));
    return true;
  });
  const stop = cw.requests.filter((r) => r.operation === 'StopQuery').at(-1);
  assert.deepEqual([stop?.body.queryId, stop?.status], [id, 200]);
  assert.equal(cw.insightsQueries.length, started + 1);
});

test('a profile without credentials (none in the config files) is named, and says nothing of a query started: nothing was sent', async () => {
  const before = cw.requests.length;
  await assert.rejects(remote('stats count(*) as n', { target: target({ profile: 'nosuch' }) }), (err: unknown) => {
    assert.ok(err instanceof FlowscopeError);
    // A profile the config files do not have is said so before any request (see credentials.test.ts).
    assert.match(err.message, /^There is no AWS profile "nosuch" in .*, where profiles are read from/);
    assert.doesNotMatch(err.message, /may have started|stop the one/);
    return true;
  });
  assert.equal(cw.requests.length, before);
});

test('no region is said as the pulls say it, and says nothing of a query started: nothing was sent', async () => {
  const saved = process.env.AWS_REGION;
  delete process.env.AWS_REGION;
  const before = cw.requests.length;
  try {
    await assert.rejects(remote('stats count(*) as n', { target: target({ region: undefined }) }), (err: unknown) => {
      assert.ok(err instanceof FlowscopeError);
      assert.equal(err.message, 'No AWS region: no region is configured. Choose a Region (or set AWS_REGION).');
      assert.deepEqual(err.detail, { option: 'region' });
      return true;
    });
  } finally {
    process.env.AWS_REGION = saved;
  }
  assert.equal(cw.requests.length, before);
});

test('a retry after a refused StartQuery starts the query: a listing that finds nothing or is not allowed changes nothing', async () => {
  cw.inject('StartQuery', { kind: 'error500' });
  cw.inject('DescribeQueries', { kind: 'accessDenied' });
  const started = cw.insightsQueries.length;
  const answer = await remote('stats count(*) as records by action');
  assert.deepEqual(answer.rows, (await localRun('stats count(*) as records by action')).rows);
  assert.equal(cw.insightsQueries.length, started + 1);
});

test('a malformed query, a failed query, a missing log group and missing permissions say what happened', async () => {
  cw.inject('StartQuery', { kind: 'malformed', message: 'unexpected symbol found at line 1 and position 9' });
  await assert.rejects(remote('stats count(*) as n'), /unexpected symbol found at line 1 and position 9/);
  // With the place the service names, the error points at it as a local compile error does.
  cw.inject('StartQuery', {
    kind: 'malformed',
    message: 'unexpected symbol',
    location: { startCharOffset: 20, endCharOffset: 23 },
  });
  await assert.rejects(remote('fields @timestamp\n| sortt @timestamp'), (err: unknown) => {
    assert.ok(err instanceof FlowscopeError);
    assert.equal(err.code, 'query_error');
    assert.match(err.message, /cannot run the query: line 2, column 3: unexpected symbol/);
    assert.deepEqual((err.detail as { diagnostics: unknown[] }).diagnostics, [
      { message: 'unexpected symbol', span: { offset: 20, line: 2, column: 3, length: 3 } },
    ]);
    return true;
  });
  cw.inject('GetQueryResults', { kind: 'queryFailed' });
  await assert.rejects(remote('stats count(*) as n'), (err: unknown) => {
    assert.ok(err instanceof FlowscopeError);
    assert.equal(err.code, 'query_error');
    assert.match(err.message, /CloudWatch Logs Insights could not run the query \(q-\d+\)/);
    return true;
  });
  await assert.rejects(
    remote('stats count(*) as n', { target: target({ logGroups: ['/vpc/missing'] }) }),
    /does not exist/,
  );
  cw.inject('StartQuery', { kind: 'accessDenied' });
  await assert.rejects(remote('stats count(*) as n'), /not authorized to perform: logs:StartQuery/);
});

test('cancel stops the query on CloudWatch (StopQuery)', async () => {
  cw.insightsPolls = 1000;
  try {
    const running = remote('stats count(*) as n', { queryId: 'cw-cancel' });
    const polls = () => cw.requests.filter((r) => r.operation === 'GetQueryResults').length;
    const seen = polls();
    while (polls() === seen) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(await call(analyst, 'query.cancel', { queryId: 'cw-cancel' }), { cancelled: true });
    await assert.rejects(running, (err: unknown) => err instanceof FlowscopeError && err.code === 'cancelled');
    const stop = cw.requests.filter((r) => r.operation === 'StopQuery').at(-1);
    assert.equal(stop?.status, 200);
  } finally {
    cw.insightsPolls = 1;
  }
});

test('a query polling gives up on is stopped on CloudWatch and named; one Unknown for good is given up, a timeout stops it', async () => {
  const stops = () => cw.requests.filter((r) => r.operation === 'StopQuery').length;
  cw.insightsPolls = 1000;
  try {
    let before = stops();
    cw.inject('GetQueryResults', { kind: 'accessDenied' });
    await assert.rejects(remote('stats count(*) as n'), (err: unknown) => {
      assert.ok(err instanceof FlowscopeError);
      assert.match(err.message, /not authorized.*The query q-\d+ was stopped on CloudWatch Logs Insights\./);
      return true;
    });
    assert.equal(stops(), before + 1);

    before = stops();
    cw.inject('GetQueryResults', ...Array.from({ length: 8 }, () => ({ kind: 'status' as const, status: 'Unknown' })));
    await assert.rejects(
      remote('stats count(*) as n'),
      /status Unknown for the query 8 times in a row\. The query q-\d+ was stopped/,
    );
    assert.equal(stops(), before + 1);

    before = stops();
    await assert.rejects(remote('stats count(*) as n', { timeoutMs: 1000 }), (err: unknown) => {
      assert.ok(err instanceof FlowscopeError);
      assert.equal(err.code, 'query_timeout');
      assert.match(err.message, /ran longer than its timeout of 1 s and was stopped\. The query q-\d+ was stopped on/);
      return true;
    });
    assert.equal(stops(), before + 1);
  } finally {
    cw.insightsPolls = 1;
  }
});

test("a query stopped by a time limit after finding rows keeps them, said to be partial and why: CloudWatch's 60 minutes, and --timeout", async () => {
  const query = 'fields @timestamp, srcAddr | sort @timestamp desc | limit 40';
  cw.insightsPolls = 1000;
  try {
    // The service ends it Timeout with the rows it found (half of them here), as its console shows them.
    cw.inject('GetQueryResults', { kind: 'queryTimedOut' });
    const ended = await remote(query);
    assert.equal(ended.rowCount, 20);
    assert.match(
      ended.provenance.partial ?? '',
      /^Partial answer: CloudWatch Logs Insights stopped the query at its 60-minute limit, so these are only the rows it had found/,
    );

    // Flowscope's own limit: the query is stopped on the service, and the rows found so far are the answer.
    const stops = () => cw.requests.filter((r) => r.operation === 'StopQuery').length;
    const before = stops();
    const workspace = join(env.dir, 'cli-partial.duckdb');
    await Engine.open({ workspace, create: true }).then((e) => e.close());
    const { code, out, err } = await cloudwatchCli(workspace, query, '--timeout', '1');
    assert.equal(code, 0, err);
    assert.equal((JSON.parse(out) as unknown[]).length, 20);
    assert.match(
      err,
      /Partial answer: the query ran longer than its timeout of 1 s and was stopped, so these are only the rows it had found by then\./,
    );
    assert.equal(stops(), before + 1);
  } finally {
    cw.insightsPolls = 1;
  }
});

test("other dialects and Flowscope's own functions are refused before anything is sent", async () => {
  const sent = cw.insightsQueries.length;
  await assert.rejects(remote('SELECT count(*) FROM flows'), /runs Insights queries only.*DuckDB SQL/);
  await assert.rejects(remote('_sourceCategory=vpc | count by action'), /runs Insights queries only.*Sumo/);
  await assert.rejects(
    remote('stats count(*) by protocolName(protocol)'),
    /protocolName\(\) is Flowscope's enrichment.*CloudWatch/,
  );
  await assert.rejects(
    remote('fields bytes / 2, protocolName(protocol) / 3'),
    /protocolName\(\) is Flowscope's enrichment/,
  );
  assert.equal(cw.insightsQueries.length, sent);
  // The name inside a regular expression, a comment or a string is text, not a call.
  for (const query of [
    'filter @message like /protocolName(/ | fields @timestamp',
    'parse @message /(?<p>protocolName\\()/ | fields p',
    '# protocolName(protocol) is ours\nfields @timestamp',
    'filter @message like "protocolName("',
  ]) {
    const plan = (await call(analyst, 'remote.plan', { query, target: target() })) as Output<'remote.plan'>;
    assert.equal(plan.sent, query);
  }
});

test('flowscope query --engine cloudwatch prints the rows and what was scanned', async () => {
  const workspace = join(env.dir, 'cli.duckdb');
  await Engine.open({ workspace, create: true }).then((e) => e.close());
  const query = 'stats count(*) as records by action | sort records desc';
  const { code, out, err } = await cloudwatchCli(workspace, query);
  assert.equal(code, 0, err);
  const local = await localRun(query);
  assert.deepEqual(
    JSON.parse(out),
    local.rows.map((r) => ({ action: r[0], records: Number(r[1]) })),
  );
  assert.match(err, /CloudWatch Logs Insights query q-\d+ on \/vpc\/flow-logs: 52 KB scanned\./);
});

test('a mistyped --endpoint-url is said at once, naming the URL and the option, not after a minute of retries', async () => {
  const workspace = join(env.dir, 'cli-endpoint.duckdb');
  await Engine.open({ workspace, create: true }).then((e) => e.close());
  // A port nothing listens on: one the system gave and took back.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const run = (endpoint: string) =>
    flowscopeInProcess([
      'query',
      'stats count(*) as n',
      '--workspace',
      workspace,
      '--engine',
      'cloudwatch',
      '--log-group',
      GROUP,
      '--region',
      'us-east-1',
      '--endpoint-url',
      endpoint,
    ]);
  const started = Date.now();
  const refused = await run(`http://127.0.0.1:${port}`);
  assert.equal(refused.code, 1);
  assert.match(
    refused.err,
    new RegExp(
      `Nothing answers at the endpoint URL http://127\\.0\\.0\\.1:${port} \\(.*ECONNREFUSED.*\\): check its host and port\\. \\(--endpoint-url\\)`,
    ),
  );
  const unknownHost = await run('http://no-such-host.invalid:4566');
  assert.equal(unknownHost.code, 1);
  assert.match(
    unknownHost.err,
    /The host no-such-host\.invalid of the endpoint URL http:\/\/no-such-host\.invalid:4566 does not resolve: check its spelling\. \(--endpoint-url\)/,
  );
  assert.doesNotMatch(refused.err + unknownHost.err, /may have started/);
  assert.ok(Date.now() - started < 10_000, `answered in ${Date.now() - started} ms`);
});
