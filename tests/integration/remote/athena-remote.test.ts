/**
 * Queries run on "Athena": the real `@aws-sdk/client-athena` against the protocol test server, which runs
 * what it receives with the Athena dialect on the Athena fixture's records. So the answer that lands in the
 * analyst's (empty) workspace can be compared with the local answer of the same query, and the Trino SQL
 * sent is checked by a maintained Trino grammar (dt-sql-parser).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { TrinoSQL } from 'dt-sql-parser';
import type { CellValue, Output } from '../../../preload/contract';
import { Engine } from '../../../main/engine';
import { call } from '../../../main/engine/dispatch';
import { FlowscopeError } from '../../../main/engine/errors';
import { DEFAULT_FORMAT } from '../../../queries/catalog/fields';
import { flowscopeInProcess } from '../../support/flowscope-cli';
import { athenaExecutor } from '../../support/remote-answers';
import { dayProjectedTable, startAthenaServer, type AthenaTestServer } from '../../support/athena-server';
import { pullEnv, type PullEnv } from '../../support/pull-env';
import { startS3Server, S3RVER_CREDENTIALS, type S3TestServer } from '../../support/s3-server';
import { openAthenaFixture, type AthenaFixture } from '../query/athena-fixture';
import { PUBLISHED_QUERIES } from '../../fixtures/athena/published-queries';

let data: AthenaFixture;
let athena: AthenaTestServer;
let s3: S3TestServer;
let env: PullEnv;
let analyst: Engine;
let dir: string;

before(async () => {
  env = pullEnv({ ...S3RVER_CREDENTIALS });
  data = await openAthenaFixture();
  athena = await startAthenaServer(athenaExecutor(data.engine, () => 1234567));
  athena.addTable(
    'flowlogs',
    'vpc_flow_logs',
    // Every field of versions 2 to 5, as a custom format of all of them logs them.
    dayProjectedTable(
      (
        'version account_id interface_id srcaddr dstaddr srcport dstport protocol packets bytes start end action ' +
        'log_status vpc_id subnet_id instance_id tcp_flags type pkt_srcaddr pkt_dstaddr region az_id sublocation_type ' +
        'sublocation_id pkt_src_aws_service pkt_dst_aws_service flow_direction traffic_path'
      ).split(' '),
      's3://flow-logs/AWSLogs/111122223333/vpcflowlogs/us-east-1',
    ),
  );
  s3 = await startS3Server();
  dir = mkdtempSync(join(tmpdir(), 'flowscope-remote-'));
  analyst = await Engine.open({ workspace: join(dir, 'analyst.duckdb'), create: true });
});

after(async () => {
  await analyst.close();
  await athena.close();
  await s3.close();
  await data.close();
  rmSync(dir, { recursive: true, force: true });
  env.cleanup();
});

const target = (extra: Record<string, unknown> = {}) => ({
  engine: 'athena' as const,
  table: 'flowlogs.vpc_flow_logs',
  output: 's3://athena-results/flowscope/',
  region: 'us-east-1',
  endpointUrl: athena.endpoint,
  s3EndpointUrl: s3.endpoint,
  ...extra,
});

async function remote(query: string, extra: Record<string, unknown> = {}): Promise<Output<'remote.run'>> {
  const { target: t, ...rest } = extra as { target?: Record<string, unknown> };
  return (await call(analyst, 'remote.run', {
    query,
    target: target(t),
    pageSize: 2,
    ...rest,
  })) as Output<'remote.run'>;
}

async function allRows(
  engine: Engine,
  first: { resultId: string; rows: CellValue[][]; rowCount: number },
): Promise<CellValue[][]> {
  const rows = [...first.rows];
  while (rows.length < first.rowCount) {
    const page = (await call(engine, 'query.page', {
      resultId: first.resultId,
      offset: rows.length,
      limit: 2,
    })) as Output<'query.page'>;
    rows.push(...page.rows);
  }
  return rows;
}

test('an Athena query runs on Athena: every page lands in the workspace, with its provenance, as the local answer', async () => {
  athena.pageSize = 3;
  const query = PUBLISHED_QUERIES.find((p) => p.title === 'Source/destination pairs by number of records')!.query;
  const range = { from: '2020-07-01T00:00:00Z', to: '2020-08-01T00:00:00Z' };
  const answer = await remote(query, { timeRange: range });
  assert.equal(answer.rowCount, 7);
  assert.equal(answer.provenance.engine, 'athena');
  assert.match(answer.provenance.remoteQueryId, /^00000000-0000-4000-8000-/);
  assert.equal(answer.provenance.scannedBytes, 1234567);
  assert.equal(answer.provenance.target, 'flowlogs.vpc_flow_logs');
  const local = (await call(data.engine, 'query.run', {
    query,
    timeRange: range,
    pageSize: 100,
  })) as Output<'query.run'>;
  const sorted = (rows: CellValue[][]) => rows.map((r) => JSON.stringify(r)).sort();
  assert.deepEqual(sorted(await allRows(analyst, answer)), sorted(local.rows));
  assert.deepEqual(
    answer.columns.map((c) => c.name),
    local.columns.map((c) => c.name),
  );
  assert.equal(answer.columns.find((c) => c.name === 'record_count')?.type, 'BIGINT');
  // Kept like a local result: sorted pages over the whole answer.
  const page = (await call(analyst, 'query.page', {
    resultId: answer.resultId,
    offset: 0,
    limit: 1,
    sort: [{ column: 'sourceaddress', descending: false }],
  })) as Output<'query.page'>;
  assert.equal(page.rows[0]![2], '-');
});

test('an Insights, a Sumo and a DuckDB SQL query run on Athena: the local answer under the names written, and it charts', async () => {
  const range = { from: '2021-01-01T00:00:00Z', to: '2021-05-01T00:00:00Z' };
  const queries = [
    { dialect: 'insights', query: 'stats sum(bytes) as totalBytes by srcAddr | sort totalBytes desc' },
    { dialect: 'sumo', query: '_sourceCategory=vpc | sum(bytes) as totalBytes by src_ip | sort by totalBytes' },
    { dialect: 'sql', query: 'SELECT srcaddr, sum(bytes) AS "totalBytes" FROM flows GROUP BY ALL ORDER BY 2 DESC' },
    // An average does not add up, on Athena as locally: a chart never sums two of them into one bucket.
    { dialect: 'insights', query: 'stats avg(bytes) as avgBytes by srcAddr | sort avgBytes desc' },
  ] as const;
  for (const q of queries) {
    const answer = await remote(q.query, { dialect: q.dialect, timeRange: range });
    assert.equal(answer.dialect, q.dialect);
    const local = (await call(data.engine, 'query.run', {
      query: q.query,
      dialect: q.dialect,
      timeRange: range,
      pageSize: 100,
    })) as Output<'query.run'>;
    assert.ok(local.rowCount > 2, q.query);
    // Named, and meaning (bytes, an address, adding up or not), as the local answer's columns: formatted and
    // charted alike.
    assert.deepEqual(
      answer.columns.map((c) => [c.name, c.kind, c.addsUp]),
      local.columns.map((c) => [c.name, c.kind, c.addsUp]),
    );
    if (q.query.includes('avg(')) assert.equal(answer.columns.at(-1)?.addsUp, false);
    assert.deepEqual(await allRows(analyst, answer), local.rows, q.query);
    const [key, value] = answer.columns.map((c) => c.name) as [string, string];
    const chart = (await call(analyst, 'query.chart', {
      resultId: answer.resultId,
      spec: { type: 'bar', x: key, y: value },
      width: 600,
    })) as Output<'query.chart'>;
    assert.equal(chart.rows.length, local.rowCount);
  }
});

test("Athena's text is kept as its type says: a zoned timestamp at its instant, a decimal with every digit", async () => {
  athena.answerNext({
    columns: [
      { name: 'at', type: 'timestamp(3) with time zone' },
      { name: 'amount', type: 'decimal(38,0)' },
      { name: 'price', type: 'decimal(10,2)' },
    ],
    rows: [
      ['2026-03-02 10:00:00.000 UTC', '12345678901234567890123456789', '1.50'],
      ['2026-03-02 10:00:00.000 America/New_York', '-1', '0.05'],
      ['2026-03-02 10:00:00.000 +05:00', '0', '12345678.99'],
      ['2026-03-02 10:00:00.000 Etc/GMT+5', null, null],
    ],
    scannedBytes: 1,
  });
  const answer = await remote('SELECT count(*) FROM vpc_flow_logs', { pageSize: 10 });
  assert.deepEqual(
    answer.columns.map((c) => c.type),
    ['TIMESTAMP WITH TIME ZONE', 'DECIMAL(38,0)', 'DECIMAL(10,2)'],
  );
  assert.deepEqual(
    answer.rows.map((r) => [new Date(String(r[0])).toISOString(), r[1], r[2]]),
    [
      ['2026-03-02T10:00:00.000Z', '12345678901234567890123456789', '1.50'],
      ['2026-03-02T15:00:00.000Z', '-1', '0.05'],
      ['2026-03-02T05:00:00.000Z', '0', '12345678.99'],
      ['2026-03-02T15:00:00.000Z', null, null],
    ],
  );
});

test("Athena's real, arrays and maps are shown as its console shows them: 0.3, [a, b], {k=1}", async () => {
  athena.answerNext({
    columns: [
      { name: 'ratio', type: 'real' },
      { name: 'ports', type: 'array(varchar)' },
      { name: 'counts', type: 'map(varchar,bigint)' },
      { name: 'share', type: 'double' },
    ],
    rows: [
      ['0.3', '[a, b]', '{k=1}', '0.1'],
      ['3.4028235E38', '[]', '{}', '1.0E7'],
    ],
    scannedBytes: 1,
  });
  const answer = await remote('SELECT count(*) FROM vpc_flow_logs', { pageSize: 10 });
  assert.deepEqual(answer.rows, [
    [0.3, '[a, b]', '{k=1}', 0.1],
    [3.4028235e38, '[]', '{}', 1e7],
  ]);
});

test('the SQL sent is Trino a maintained grammar accepts, with the time range as partition predicates', async () => {
  const answer = await remote('SELECT srcaddr, sum(bytes) AS b FROM vpc_flow_logs GROUP BY srcaddr', {
    timeRange: { from: '2021-03-15T00:00:00Z', to: '2021-03-16T00:00:00Z' },
  });
  assert.match(
    answer.sent,
    /FROM "flowlogs"\."vpc_flow_logs" WHERE "start" >= 1615766400 AND "start" < 1615852800 AND "day" >= '2021\/03\/15' AND "day" <= '2021\/03\/16'/,
  );
  assert.deepEqual(new TrinoSQL().validate(answer.sent), []);
  assert.deepEqual(athena.queries.at(-1), answer.sent);
  assert.deepEqual((await allRows(analyst, answer)).sort(), [
    ['10.0.1.99', 30000],
    ['10.117.3.3', 9000],
  ]);
  // A range brushed on the histogram is not whole seconds: the records start on whole seconds, so from
  // 00:00:00.5 the first is 00:00:01, as on the workspace (start_time >= from).
  const brushed = (await call(analyst, 'remote.plan', {
    query: 'SELECT count(*) FROM vpc_flow_logs',
    timeRange: { from: '2021-03-15T00:00:00.500Z', to: '2021-03-16T00:00:00Z' },
    target: target(),
  })) as Output<'remote.plan'>;
  assert.match(brushed.sent ?? '', /WHERE "start" >= 1615766401 AND "start" < 1615852800 /);
});

test("a query's partition column is the table's own partition where it files records alike, so Athena prunes by it", async () => {
  const plan = (await call(analyst, 'remote.plan', {
    query: "SELECT day, count(*) AS n FROM vpc_flow_logs WHERE day = '2021/03/16' GROUP BY day",
    target: target(),
  })) as Output<'remote.plan'>;
  // The folder a record was delivered to, not the day it started: one that starts before midnight is filed
  // under the next day, here and on Athena.
  assert.match(plan.sent ?? '', /SELECT "day" AS "day" FROM "flowlogs"\."vpc_flow_logs"/);
  assert.doesNotMatch(plan.sent ?? '', /from_unixtime/);
  assert.deepEqual(new TrinoSQL().validate(plan.sent ?? ''), []);
  // Hive's `day` is two digits: a query naming the projection's `yyyy/MM/dd` day keeps reading it from the start.
  const hive = (await call(analyst, 'remote.plan', {
    query: "SELECT year, month, day, count(*) AS n FROM vpc_flow_logs WHERE year = '2021' GROUP BY 1, 2, 3",
    target: target(),
  })) as Output<'remote.plan'>;
  assert.match(hive.sent ?? '', /date_format\(from_unixtime\("start"\), '%d'\) AS "day"/);
});

test("the account partition sent is the table's own (the account folder), never the records' account_id", async () => {
  const columns = ['version', 'account_id', 'start', 'bytes'].map((name) => ({ name, type: 'string' }));
  // The AWS documentation's projection (`accid`) and the Hive layout's (`aws-account-id`).
  for (const [name, key] of [
    ['projected', 'accid'],
    ['hive_accounts', 'aws-account-id'],
  ] as const)
    athena.addTable('flowlogs', name, {
      columns,
      partitionKeys: [key, 'day'].map((k) => ({ name: k, type: 'string' })),
      parameters: { location: 's3://flow-logs/AWSLogs/' },
    });
  const query = `SELECT "aws-account-id", accid, account_partition, count(*) AS n FROM vpc_flow_logs WHERE accid = '111122223333' GROUP BY 1, 2, 3`;
  for (const [table, key] of [
    ['projected', 'accid'],
    ['hive_accounts', 'aws-account-id'],
  ]) {
    const plan = (await call(analyst, 'remote.plan', {
      query,
      target: target({ table: `flowlogs.${table}` }),
    })) as Output<'remote.plan'>;
    for (const name of ['aws-account-id', 'accid', 'account_partition'])
      assert.ok(plan.sent?.includes(`"${key}" AS "${name}"`), plan.sent ?? undefined);
    assert.doesNotMatch(plan.sent ?? '', /account_id/);
    assert.deepEqual(new TrinoSQL().validate(plan.sent ?? ''), []);
  }
});

test('throttling, a 500 and empty pages are retried as the pulls retry them', async () => {
  athena.inject('StartQueryExecution', { kind: 'throttle' }, { kind: 'error500' });
  athena.inject('GetQueryResults', { kind: 'throttle' }, { kind: 'emptyPage' });
  athena.pageSize = 4;
  const before = athena.requests.length;
  const answer = await remote("SELECT srcaddr FROM vpc_flow_logs WHERE log_status = 'OK'");
  assert.equal(answer.rowCount, 14);
  const starts = athena.requests.slice(before).filter((r) => r.operation === 'StartQueryExecution');
  assert.deepEqual(
    starts.map((r) => r.status),
    [400, 500, 200],
  );
});

test('throttling is said while it lasts, each retry with its wait, and a query still throttled when the retries run out says so', async () => {
  // The same engine with retries a test can wait for: three attempts, milliseconds apart.
  const quick = await Engine.open({
    workspace: join(dir, 'quick-retries.duckdb'),
    create: true,
    remoteRetry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
  });
  const notices: { queryId?: string; message: string }[] = [];
  const off = quick.on(({ event, payload }) => {
    if (event === 'remote.notice') notices.push(payload);
  });
  try {
    const run = (queryId: string) =>
      call(quick, 'remote.run', {
        query: "SELECT srcaddr FROM vpc_flow_logs WHERE log_status = 'OK'",
        target: target(),
        queryId,
        pageSize: 2,
      });
    athena.inject('GetQueryResults', { kind: 'throttle' }, { kind: 'throttle' });
    await run('throttled-twice');
    assert.deepEqual(
      notices.map((n) => [n.queryId, n.message.replace(/in \d\.\d s$/, 'in N s')]),
      [
        ['throttled-twice', 'Athena is throttling (GetQueryResults); retry 1 of 2 in N s'],
        ['throttled-twice', 'Athena is throttling (GetQueryResults); retry 2 of 2 in N s'],
      ],
    );
    athena.inject('StartQueryExecution', { kind: 'throttle' }, { kind: 'throttle' }, { kind: 'throttle' });
    await assert.rejects(
      run('throttled-for-good'),
      /Athena: gave up after 3 attempts: the service was still throttling the requests \(TooManyRequestsException: Rate exceeded\), as it does when .* request rate; try again in a minute$/,
    );
  } finally {
    off();
    await quick.close();
  }
});

test('a start retried after its answer was lost runs the query once: every attempt carries the same ClientRequestToken', async () => {
  athena.inject('StartQueryExecution', { kind: 'doneThen500' }, { kind: 'throttle' });
  const before = athena.requests.length;
  const queriesBefore = athena.queries.length;
  const answer = await remote("SELECT srcaddr FROM vpc_flow_logs WHERE log_status = 'OK'");
  const starts = athena.requests.slice(before).filter((r) => r.operation === 'StartQueryExecution');
  assert.deepEqual(
    starts.map((r) => r.status),
    [500, 400, 200],
  );
  const tokens = new Set(starts.map((r) => r.body.ClientRequestToken));
  assert.equal(tokens.size, 1);
  assert.match(String([...tokens][0]), /^[0-9a-f-]{36}$/);
  assert.equal(athena.queries.length, queriesBefore + 1, 'Athena ran the query once');
  assert.equal(answer.rowCount, 14);
});

test('a cancel while a start is retried after its answer was lost stops the query that start began, and names it', async () => {
  // The first attempt reaches Athena and its answer is lost; the retry is slow, so the cancel comes during it.
  athena.inject('StartQueryExecution', { kind: 'doneThen500' }, { kind: 'slow', delayMs: 1500 });
  athena.pollsBeforeDone = 1000;
  const before = athena.requests.length;
  const queriesBefore = athena.queries.length;
  try {
    const running = remote('SELECT count(*) FROM vpc_flow_logs', { queryId: 'q-cancel-start' });
    while (!athena.requests.slice(before).some((r) => r.operation === 'StartQueryExecution' && r.status === 500))
      await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(await call(analyst, 'query.cancel', { queryId: 'q-cancel-start' }), { cancelled: true });
    let id = '';
    await assert.rejects(running, (err: unknown) => {
      assert.ok(err instanceof FlowscopeError);
      assert.equal(err.code, 'cancelled');
      id = String((err.detail as { remoteQueryId?: string }).remoteQueryId);
      assert.match(err.message, new RegExp(`The query ${id} it had started was stopped on Athena\\.`));
      return true;
    });
    assert.equal(athena.queries.length, queriesBefore + 1, 'Athena ran the query once');
    const calls = athena.requests.slice(before);
    const tokens = new Set(
      calls.filter((r) => r.operation === 'StartQueryExecution').map((r) => r.body.ClientRequestToken),
    );
    assert.equal(tokens.size, 1);
    const stop = calls.filter((r) => r.operation === 'StopQueryExecution').at(-1);
    assert.deepEqual([stop?.body.QueryExecutionId, stop?.status], [id, 200]);
  } finally {
    athena.pollsBeforeDone = 1;
  }
});

/** The addresses of the test server's OK records, through `runAthenaQuery`, keeping at most `maxRows`. */
async function okAddresses(maxRows: number) {
  const { athenaClient, runAthenaQuery } = await import('../../../main/engine/aws');
  return runAthenaQuery(
    athenaClient({ region: 'us-east-1', endpointUrl: athena.endpoint }),
    "SELECT srcaddr FROM flowlogs.vpc_flow_logs WHERE log_status = 'OK'",
    {
      region: 'us-east-1',
      endpointUrl: athena.endpoint,
      database: 'flowlogs',
      output: 's3://athena-results/flowscope/',
      signal: new AbortController().signal,
      maxRows,
      poll: { first: 1, max: 1 },
    },
  );
}

test('an answer longer than the rows kept says it was cut; one of exactly that many does not', async () => {
  athena.pageSize = 4;
  const whole = await okAddresses(14);
  assert.equal(whole.rows.length, 14);
  assert.equal(whole.capped, false);
  const cut = await okAddresses(13);
  assert.equal(cut.rows.length, 13);
  assert.equal(cut.capped, true);
});

test('a NextToken answered again and again is given up on, naming the query and where its answer is, not followed for ever', async () => {
  // Each empty page carries back the token it was sent: the answer does not move on.
  athena.inject('GetQueryResults', ...Array.from({ length: 11 }, () => ({ kind: 'emptyPage' as const })));
  const before = athena.requests.length;
  await assert.rejects(okAddresses(1000), (err: unknown) => {
    assert.ok(err instanceof FlowscopeError);
    assert.equal(err.code, 'aws_error');
    assert.match(
      err.message,
      /^Athena answered a page token it had given before 10 times in a row \(GetQueryResults\): its answer does not move on\. The query \S+ ran: its whole answer is in its output location\.$/,
    );
    return true;
  });
  const pages = athena.requests.slice(before).filter((r) => r.operation === 'GetQueryResults');
  assert.equal(pages.length, 11);
});

test('a query Athena fails reports its reason; missing permissions say so', async () => {
  athena.failNext("COLUMN_NOT_FOUND: line 1:8: Column 'srcadr' cannot be resolved");
  await assert.rejects(remote('SELECT srcaddr FROM vpc_flow_logs'), (err: unknown) => {
    assert.ok(err instanceof FlowscopeError);
    assert.equal(err.code, 'query_error');
    assert.match(err.message, /Athena could not run the query \(.+\): COLUMN_NOT_FOUND/);
    return true;
  });
  // Athena's own words for a column it cannot find: still the query's error, placed, not the IAM's.
  athena.failNext(
    "COLUMN_NOT_FOUND: line 1:8: Column 'srcaddr' cannot be resolved or requester is not authorized to access requested resources",
  );
  await assert.rejects(remote('SELECT srcaddr FROM vpc_flow_logs'), (err: unknown) => {
    assert.ok(err instanceof FlowscopeError);
    assert.equal(err.code, 'query_error');
    assert.match(err.message, /COLUMN_NOT_FOUND: Column 'srcaddr' cannot be resolved or requester is not authorized/);
    assert.doesNotMatch(err.message, /IAM/);
    return true;
  });
  athena.inject('StartQueryExecution', { kind: 'accessDenied' });
  await assert.rejects(
    remote('SELECT srcaddr FROM vpc_flow_logs'),
    /Access denied to Athena: .*not authorized to perform: athena:StartQueryExecution/,
  );
});

test("a place Athena reports in the SQL sent is shown in the analyst's text where it was copied from there; else said to be in the SQL sent, which is shown", async () => {
  const sentOf = async (query: string, dialect?: string) =>
    ((await call(analyst, 'remote.plan', { query, dialect, target: target() })) as Output<'remote.plan'>).sent!;
  /** Trino's `line L:C` of `offset` in `sql`. */
  const trinoPlace = (sql: string, offset: number) => {
    const before = sql.slice(0, offset).split('\n');
    return `line ${before.length}:${before.at(-1)!.length + 1}`;
  };
  const failure = async (query: string, place: (sent: string) => number, dialect?: string) => {
    const sent = await sentOf(query, dialect);
    athena.failNext(`COLUMN_NOT_FOUND: ${trinoPlace(sent, place(sent))}: Column 'dstport' cannot be resolved`);
    try {
      await remote(query, dialect ? { dialect } : {});
    } catch (err) {
      assert.ok(err instanceof FlowscopeError);
      assert.equal(err.code, 'query_error');
      return { message: err.message, diagnostics: (err.detail as { diagnostics?: unknown[] }).diagnostics };
    }
    assert.fail('the query did not fail');
  };
  // After the table's name on the same line, which the SQL sent replaces with a longer one.
  const athenaSql = 'SELECT srcaddr,\n  count(*) AS n FROM vpc_flow_logs WHERE dstport = 443 GROUP BY srcaddr';
  const mapped = await failure(athenaSql, (sent) => sent.lastIndexOf('dstport'));
  assert.match(mapped.message, /\): line 2, column 42: COLUMN_NOT_FOUND: Column 'dstport' cannot be resolved$/);
  assert.deepEqual(mapped.diagnostics, [
    {
      message: "COLUMN_NOT_FOUND: Column 'dstport' cannot be resolved",
      span: { offset: athenaSql.indexOf('dstport'), line: 2, column: 42, length: 7 },
    },
  ]);
  // The analyst's own WITH: the SQL sent puts its WITH query after the word.
  const withSql = 'WITH t AS (SELECT dstport FROM vpc_flow_logs)\nSELECT count(*) FROM t WHERE dstport = 443';
  const inWith = await failure(withSql, (sent) => sent.lastIndexOf('dstport'));
  assert.match(inWith.message, /\): line 2, column 30: COLUMN_NOT_FOUND/);
  // In the WITH query Flowscope wrote: no place in the analyst's text.
  const inView = await failure(athenaSql, (sent) => sent.indexOf('"dstport"'));
  assert.match(
    inView.message,
    /COLUMN_NOT_FOUND: Column 'dstport' cannot be resolved \(at line 1, column \d+ of the SQL sent to Athena, which Flowscope wrote from the query; not a place in the query as written\):\n {2}…?.*"dstport" AS "dstport".*\n {2} *\^$/,
  );
  assert.equal(inView.diagnostics, undefined);
  const caret = inView.message.split('\n');
  assert.equal(caret[2]!.indexOf('^'), caret[1]!.indexOf('"dstport"'));
  // A translation from Insights: every place is in the SQL sent.
  const insights = await failure(
    'filter dstPort = 443\n| stats count(*) as n by srcAddr',
    (sent) => sent.lastIndexOf('"dstport"'),
    'insights',
  );
  assert.match(insights.message, /of the SQL sent to Athena, which Flowscope wrote from the query/);
  assert.equal(insights.diagnostics, undefined);
});

test('a profile without credentials (none in the config files) is named, and says nothing of a query started: nothing was sent', async () => {
  const { athenaClient, runAthenaQuery } = await import('../../../main/engine/aws');
  const before = athena.requests.length;
  const target = { profile: 'nosuch', region: 'us-east-1', endpointUrl: athena.endpoint };
  await assert.rejects(
    async () =>
      runAthenaQuery(athenaClient(target), 'SELECT count(*) FROM flowlogs.vpc_flow_logs', {
        ...target,
        database: 'flowlogs',
        output: 's3://athena-results/flowscope/',
        signal: new AbortController().signal,
        maxRows: 10,
      }),
    (err: unknown) => {
      assert.ok(err instanceof FlowscopeError);
      // A profile the config files do not have is said so before any request (see credentials.test.ts).
      assert.match(err.message, /^There is no AWS profile "nosuch" in .*, where profiles are read from/);
      assert.doesNotMatch(err.message, /may have started|look for it/);
      return true;
    },
  );
  assert.equal(athena.requests.length, before);
});

test('cancel stops the query on Athena (StopQueryExecution)', async () => {
  athena.pollsBeforeDone = 1000;
  try {
    const running = remote('SELECT count(*) FROM vpc_flow_logs', { queryId: 'q-cancel' });
    while (
      !athena.requests.some(
        (r) => r.operation === 'GetQueryExecution' && athena.requests.at(-1)!.operation === 'GetQueryExecution',
      )
    )
      await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(await call(analyst, 'query.cancel', { queryId: 'q-cancel' }), { cancelled: true });
    await assert.rejects(running, (err: unknown) => err instanceof FlowscopeError && err.code === 'cancelled');
    assert.ok(athena.requests.some((r) => r.operation === 'StopQueryExecution'));
  } finally {
    athena.pollsBeforeDone = 1;
  }
});

test('a query polling gives up on, or that passes its timeout, is stopped on Athena, and the error names it', async () => {
  const stops = () => athena.requests.filter((r) => r.operation === 'StopQueryExecution').length;
  athena.pollsBeforeDone = 1000;
  try {
    let before = stops();
    athena.inject('GetQueryExecution', { kind: 'accessDenied' });
    await assert.rejects(remote('SELECT count(*) FROM vpc_flow_logs'), (err: unknown) => {
      assert.ok(err instanceof FlowscopeError);
      assert.match(
        err.message,
        /athena:GetQueryExecution.*The query 00000000-0000-4000-8000-\d+ was stopped on Athena\./,
      );
      return true;
    });
    assert.equal(stops(), before + 1);

    before = stops();
    await assert.rejects(remote('SELECT count(*) FROM vpc_flow_logs', { timeoutMs: 1000 }), (err: unknown) => {
      assert.ok(err instanceof FlowscopeError);
      assert.equal(err.code, 'query_timeout');
      assert.match(
        err.message,
        /ran longer than its timeout of 1 s and was stopped\. The query \S+ was stopped on Athena/,
      );
      return true;
    });
    assert.equal(stops(), before + 1);
  } finally {
    athena.pollsBeforeDone = 1;
  }
});

test('the scan estimate counts the objects of the time range, priced per TB with the 10 MB minimum; --max-scan refuses above it', async () => {
  await s3.put('AWSLogs/111122223333/vpcflowlogs/us-east-1/2021/03/15/a.log.gz', Buffer.alloc(3000, 1));
  await s3.put('AWSLogs/111122223333/vpcflowlogs/us-east-1/2021/03/16/b.log.gz', Buffer.alloc(2000, 1));
  await s3.put('AWSLogs/111122223333/vpcflowlogs/us-east-1/2021/05/01/c.log.gz', Buffer.alloc(9000, 1));
  const plan = (await call(analyst, 'remote.plan', {
    query: 'SELECT count(*) FROM vpc_flow_logs',
    timeRange: { from: '2021-03-15T00:00:00Z', to: '2021-03-16T00:00:00Z' },
    target: target(),
  })) as Output<'remote.plan'>;
  // The day asked for and the next (late delivery); not May.
  assert.equal(plan.estimate?.bytes, 5000);
  assert.equal(plan.estimate?.costUsd, (10 * 1024 * 1024 * 5) / 1e12);
  // The run that follows its plan checks its limit against the plan's listing: the table's objects are listed once.
  const listings = s3.requests.length;
  await assert.rejects(
    remote('SELECT count(*) FROM vpc_flow_logs', {
      timeRange: { from: '2021-03-15T00:00:00Z', to: '2021-03-16T00:00:00Z' },
      target: { maxScanBytes: 4000 },
    }),
    /Athena would scan about 5.0 KB .*more than the 4.0 KB allowed/,
  );
  assert.equal(s3.requests.length, listings);
});

test("the estimate is what the SQL's partition predicates select, which Athena reads whole: no neighbour day, an hourly table's whole days, an unpartitioned table's every object", async () => {
  const base = 'estimate/AWSLogs';
  const text = `${base}/111122223333/vpcflowlogs/us-east-1`;
  const hive = `${base}/aws-account-id=111122223333/aws-service=vpcflowlogs/aws-region=us-east-1`;
  for (const d of ['14', '15', '16', '17']) {
    await s3.put(`${text}/2021/03/${d}/x.log.gz`, Buffer.alloc(1000, 1));
    for (let h = 0; h < 24; h++)
      await s3.put(
        `${hive}/year=2021/month=03/day=${d}/hour=${String(h).padStart(2, '0')}/x.parquet`,
        Buffer.alloc(100, 1),
      );
  }
  const columns = ['version', 'start'].map((name) => ({ name, type: 'string' }));
  athena.addTable('flowlogs', 'daily', dayProjectedTable(['version', 'start'], `s3://flow-logs/${text}`));
  athena.addTable('flowlogs', 'hourly', {
    columns,
    partitionKeys: ['year', 'month', 'day', 'hour'].map((name) => ({ name, type: 'string' })),
    parameters: {
      'projection.enabled': 'true',
      'storage.location.template': `s3://flow-logs/${hive}/year=\${year}/month=\${month}/day=\${day}/hour=\${hour}`,
    },
  });
  athena.addTable('flowlogs', 'flat', {
    columns,
    partitionKeys: [],
    parameters: { location: `s3://flow-logs/${text}/` },
  });
  const estimate = async (table: string, from: string, to: string) => {
    const plan = (await call(analyst, 'remote.plan', {
      query: `SELECT count(*) FROM ${table}`,
      timeRange: { from, to },
      target: target({ table: `flowlogs.${table}` }),
    })) as Output<'remote.plan'>;
    return plan.estimate?.bytes;
  };
  // "day" >= '2021/03/15' AND "day" <= '2021/03/16': not the 14th, nor the 17th.
  assert.equal(await estimate('daily', '2021-03-15T00:00:00Z', '2021-03-16T00:00:00Z'), 2000);
  // "day" IN ('15', '16'), every hour of both: one hour asked for scans 48.
  assert.equal(await estimate('hourly', '2021-03-15T10:00:00Z', '2021-03-15T11:00:00Z'), 4800);
  // Only "start" bounds the records: every object is read.
  assert.equal(await estimate('flat', '2021-03-15T10:00:00Z', '2021-03-15T11:00:00Z'), 4000);
  await assert.rejects(
    remote('SELECT count(*) FROM hourly', {
      timeRange: { from: '2021-03-15T10:00:00Z', to: '2021-03-15T11:00:00Z' },
      target: { table: 'flowlogs.hourly', maxScanBytes: 1000 },
    }),
    /Athena would scan about 4.8 KB \(48 objects .*more than the 1.0 KB allowed/,
  );
});

test("a table of the default format's 14 columns: SELECT * reads those, a field it lacks is refused at its place in Athena SQL and NULL in the other dialects", async () => {
  const columns = DEFAULT_FORMAT.map((f) => f.replace(/-/g, '_'));
  athena.addTable('flowlogs', 'default_format', dayProjectedTable(columns, 's3://flow-logs/default/AWSLogs'));
  const star = await remote('SELECT * FROM vpc_flow_logs LIMIT 3', { target: { table: 'flowlogs.default_format' } });
  // Athena answers COLUMN_NOT_FOUND for a column the table lacks (vpc_id, …): the view reads only the 14.
  assert.doesNotMatch(star.sent, /vpc_id|"region"/);
  assert.deepEqual(
    star.columns.map((c) => c.name),
    columns,
  );
  const sent = athena.queries.length;
  await assert.rejects(
    remote('SELECT action,\n  vpc_id, count(*) FROM vpc_flow_logs GROUP BY 1, 2', {
      target: { table: 'flowlogs.default_format' },
    }),
    (err: unknown) => {
      assert.ok(err instanceof FlowscopeError);
      assert.match(
        err.message,
        /^line 2, column 3: Column 'vpc_id' cannot be read on Athena: flowlogs.default_format has no column vpc_id/,
      );
      return true;
    },
  );
  assert.equal(athena.queries.length, sent, 'nothing was sent');
  // Insights, Sumo and DuckDB SQL read a field the table lacks as NULL, as the workspace's records of that format.
  for (const query of ['stats count(*) as n by vpcId', 'SELECT * FROM flows LIMIT 3']) {
    const plan = (await call(analyst, 'remote.plan', {
      query,
      target: target({ table: 'flowlogs.default_format' }),
    })) as Output<'remote.plan'>;
    assert.match(plan.sent ?? '', /CAST\(NULL AS varchar\) AS "vpc_id"/);
    assert.doesNotMatch(plan.sent ?? '', /"vpc_id" AS "vpc_id"|"region" AS "region"/);
    assert.deepEqual(new TrinoSQL().validate(plan.sent ?? ''), []);
  }
});

test('what cannot run on Athena is refused before anything is sent', async () => {
  const sent = athena.queries.length;
  await assert.rejects(
    remote('SELECT protocol_name(protocol) FROM vpc_flow_logs'),
    /protocol_name\(\) is Flowscope's enrichment/,
  );
  await assert.rejects(remote('SELECT srcadr FROM vpc_flow_logs'), /Column 'srcadr' cannot be resolved/);
  // Another table is not read as the flow-log table under its name.
  for (const other of ['flowlogs.cloudtrail_logs', 'otherdb.vpc_flow_logs'])
    await assert.rejects(
      remote(`SELECT count(*) FROM ${other}`),
      new RegExp(
        `line 1, column 22: ${other.replace('.', '\\.')} is another table: a query sent to Athena reads only flowlogs\\.vpc_flow_logs`,
      ),
    );
  await assert.rejects(
    remote('SELECT f.srcaddr, k.name FROM vpc_flow_logs f JOIN flowlogs.known_ips k ON f.srcaddr = k.ip'),
    /flowlogs\.known_ips is another table/,
  );
  assert.equal(athena.queries.length, sent);
  for (const same of ['vpc_flow_logs', 'FlowLogs.VPC_Flow_Logs', 'awsdatacatalog.flowlogs.vpc_flow_logs']) {
    const plan = (await call(analyst, 'remote.plan', {
      query: `SELECT count(*) FROM ${same}`,
      target: target(),
    })) as Output<'remote.plan'>;
    assert.deepEqual(plan.diagnostics, [], same);
    assert.match(plan.sent ?? '', /FROM "flowlogs"\."vpc_flow_logs"/);
  }
});

/** `flowscope query`'s options that send it to the test table on the Athena test server, on `workspace`. */
const onAthena = (workspace: string) => [
  '--workspace',
  workspace,
  '--engine',
  'athena',
  '--table',
  'flowlogs.vpc_flow_logs',
  '--region',
  'us-east-1',
  '--endpoint-url',
  athena.endpoint,
];

test('--max-scan reads decimal and binary units as written: a scan of exactly the limit runs, one above is refused in the units given', async () => {
  // 15,000,000 bytes in the day asked for: 15 MB, or 14.3 MiB.
  await s3.put('AWSLogs/111122223333/vpcflowlogs/us-east-1/2021/07/01/big.log.gz', Buffer.alloc(15_000_000, 1));
  const workspace = join(dir, 'max-scan.duckdb');
  await Engine.open({ workspace, create: true }).then((e) => e.close());
  const run = (maxScan: string) =>
    flowscopeInProcess([
      'query',
      "SELECT count(*) AS n FROM vpc_flow_logs WHERE log_status = 'OK'",
      ...onAthena(workspace),
      '--s3-endpoint-url',
      s3.endpoint,
      '--from',
      '2021-07-01',
      '--to',
      '2021-07-02',
      '--output',
      's3://athena-results/cli/',
      '--max-scan',
      maxScan,
      '--format',
      'json',
    ]);
  for (const allowed of ['15MB', '15000000', '15MiB', '0.015 GB']) {
    const r = await run(allowed);
    assert.equal(r.code, 0, `${allowed}: ${r.err}`);
  }
  const decimal = await run('14.9MB');
  assert.equal(decimal.code, 1);
  assert.match(
    decimal.err,
    /Athena would scan about 15 MB \(15,000,000 bytes\) \(1 object under .*\), more than the 15 MB \(14,900,000 bytes\) allowed/,
  );
  const binary = await run('14MiB');
  assert.equal(binary.code, 1);
  assert.match(binary.err, /^Athena \(flowlogs\.vpc_flow_logs\) will scan about 14 MiB /m);
  assert.match(
    binary.err,
    /Athena would scan about 14 MiB \(15,000,000 bytes\) \(1 object under .*\), more than the 14 MiB \(14,680,064 bytes\) allowed/,
  );
  const small = await run('10 mib');
  assert.match(small.err, /more than the 10 MiB allowed/);
  assert.match((await run('15 MB/s')).err, /--max-scan "15 MB\/s" is not a size such as 100GB or 64GiB/);
});

test('flowscope query --engine athena prints the estimate and what was scanned, and the rows', async () => {
  const workspace = join(dir, 'cli.duckdb');
  await Engine.open({ workspace, create: true }).then((e) => e.close());
  const args = [
    'query',
    "SELECT action, count(*) AS n FROM vpc_flow_logs WHERE log_status = 'OK' GROUP BY action ORDER BY n DESC",
    ...onAthena(workspace),
    '--output',
    's3://athena-results/cli/',
    '--format',
    'json',
  ];
  // The location cannot be listed here, so --max-scan (100 GB by default) cannot be checked: refused, unless told.
  const sent = athena.queries.length;
  const unchecked = await flowscopeInProcess(args);
  assert.equal(unchecked.code, 1);
  assert.match(
    unchecked.err,
    /No estimate of what Athena would scan could be made .* so the limit of 100 GB cannot be checked: .*--run-without-estimate/,
  );
  assert.equal(athena.queries.length, sent);
  athena.inject('GetQueryResults', { kind: 'throttle' });
  const { code, out, err } = await flowscopeInProcess([...args, '--run-without-estimate']);
  assert.equal(code, 0, err);
  assert.deepEqual(JSON.parse(out), [
    { action: 'ACCEPT', n: 12 },
    { action: 'REJECT', n: 2 },
  ]);
  // A retry is said as it happens, on stderr.
  assert.match(err, /^Athena is throttling \(GetQueryResults\); retry 1 of 7 in \d\.\d s$/m);
  assert.match(err, /Athena \(flowlogs\.vpc_flow_logs\): no estimate/);
  assert.match(
    err,
    /Athena query 00000000-0000-4000-8000-\d+ on flowlogs\.vpc_flow_logs: 1\.2 MB scanned, \$0\.000052\./,
  );
  // The table's objects listed where S3 is (not at Athena's --endpoint-url): an estimate, and no need to insist.
  const estimated = await flowscopeInProcess([...args, '--s3-endpoint-url', s3.endpoint]);
  assert.equal(estimated.code, 0, estimated.err);
  assert.doesNotMatch(estimated.err, /no estimate/i);
  // Athena's output location and a file here for the answer, both --output (the workgroup has no location).
  const file = join(dir, 'athena-answer.json');
  const saved = await flowscopeInProcess([...args, '--run-without-estimate', '--output', file]);
  assert.equal(saved.code, 0, saved.err);
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), JSON.parse(out));
  const explain = await flowscopeInProcess([
    'query',
    'SELECT count(*) FROM vpcflow',
    ...onAthena(workspace),
    '--explain',
  ]);
  assert.equal(explain.code, 0, explain.err);
  assert.match(
    explain.out,
    /^WITH "flowscope_records" AS \(SELECT "start" AS "start" FROM "flowlogs"\."vpc_flow_logs"\)\nSELECT count\(\*\) FROM "flowscope_records" AS "vpcflow"\n$/,
  );
});

test('Ctrl-C during flowscope query --engine athena stops the query on Athena (StopQueryExecution)', async () => {
  const workspace = join(dir, 'cli-interrupt.duckdb');
  await Engine.open({ workspace, create: true }).then((e) => e.close());
  athena.pollsBeforeDone = 1000;
  const before = athena.requests.length;
  try {
    const running = flowscopeInProcess([
      'query',
      'SELECT count(*) AS n FROM vpc_flow_logs',
      ...onAthena(workspace),
      '--output',
      's3://athena-results/cli/',
      '--run-without-estimate',
    ]);
    while (!athena.requests.slice(before).some((r) => r.operation === 'GetQueryExecution'))
      await new Promise((r) => setTimeout(r, 50));
    // What the terminal sends on Ctrl-C; the command's own handler is the only listener.
    process.emit('SIGINT');
    const { code, err } = await running;
    assert.notEqual(code, 0);
    assert.match(err, /Stopping the query on Athena/);
    assert.match(err, /cancelled/);
    const started = athena.requests.slice(before).find((r) => r.operation === 'StartQueryExecution');
    assert.ok(started, 'the query was sent');
    assert.ok(
      athena.requests.slice(before).some((r) => r.operation === 'StopQueryExecution'),
      'StopQueryExecution was sent',
    );
  } finally {
    athena.pollsBeforeDone = 1;
  }
});

test('SIGTERM, and --timeout, during flowscope query --engine athena stop the query on Athena as Ctrl-C does', async () => {
  const workspace = join(dir, 'cli-term.duckdb');
  await Engine.open({ workspace, create: true }).then((e) => e.close());
  athena.pollsBeforeDone = 1000;
  const stops = () => athena.requests.filter((r) => r.operation === 'StopQueryExecution').length;
  try {
    const args = [
      'query',
      'SELECT count(*) AS n FROM vpc_flow_logs',
      ...onAthena(workspace),
      '--output',
      's3://athena-results/cli/',
      '--run-without-estimate',
    ];
    let before = stops();
    const polls = () => athena.requests.filter((r) => r.operation === 'GetQueryExecution').length;
    const seen = polls();
    const running = flowscopeInProcess(args);
    while (polls() === seen) await new Promise((r) => setTimeout(r, 50));
    // What `timeout(1)` or a CI job's end sends.
    process.emit('SIGTERM');
    const term = await running;
    assert.notEqual(term.code, 0);
    assert.match(term.err, /Stopping the query on Athena/);
    assert.equal(stops(), before + 1);

    before = stops();
    const timedOut = await flowscopeInProcess([...args, '--timeout', '1']);
    assert.notEqual(timedOut.code, 0);
    assert.match(
      timedOut.err,
      /ran longer than its timeout of 1 s and was stopped\. The query \S+ was stopped on Athena/,
    );
    assert.equal(stops(), before + 1);
  } finally {
    athena.pollsBeforeDone = 1;
  }
});
