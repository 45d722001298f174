/**
 * Running where the data lives, from the app: the analyst chooses Athena beside the language box and names
 * the table and the test servers' endpoints (the advanced fields), sees what will be sent and its estimate,
 * confirms above the threshold they set, and the answer lands whole (every Athena page), sorts, charts and
 * exports like a local result, saying where it came from. A slow query is cancelled with Esc and the server
 * receives StopQueryExecution; a FAILED query's reason and a refused query's position show as errors. Then
 * CloudWatch Logs Insights runs an Insights query on a log group.
 *
 * The servers are the protocol test servers the real SDK clients talk to (`tests/support/`), answering with
 * the local dialects on workspaces of the same records as the bucket and the log group hold, so every number
 * asserted comes from what they hold. Screenshots at 1440x900 and 1280x720, light and dark.
 *
 * Two more tests: a query the service throttles says each retry beside the running line until its answer comes,
 * and a CloudWatch query stopped at the service's time limit shows the rows it found, said to be partial.
 */
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Output } from '../../../preload/contract';
import { Engine } from '../../../main/engine';
import { call } from '../../../main/engine/dispatch';
import { pullCloudWatch } from '../../../main/engine/ingest/cloudwatch';
import { writeFlowLogFile } from '../../../main/engine/ingest/generator';
import { DEFAULT_FORMAT } from '../../../queries/catalog/fields';
import { formatBytes } from '../../../renderer/src/lib/cell-format';
import { formatCount } from '../../../renderer/src/lib/format';
import { dayProjectedTable, startAthenaServer, type AthenaTestServer } from '../../support/athena-server';
import {
  startCloudWatchLogsServer,
  type CloudWatchLogsTestServer,
  type InsightsExecutor,
} from '../../support/cloudwatch-logs-server';
import { pullEnv, type PullEnv } from '../../support/pull-env';
import { athenaExecutor, insightsExecutor } from '../../support/remote-answers';
import { S3RVER_CREDENTIALS, startS3Server, type S3TestServer } from '../../support/s3-server';
import { startOwnServer, type OwnServer } from '../support/own-server';
import { atEachSizeAndTheme, resultStatus, resultsGrid, setQuery, shot, watchCsp } from '../support/workbench-steps';

const ACCOUNT = '123456789012';
const LOCATION = `AWSLogs/${ACCOUNT}/vpcflowlogs/us-east-1`;
const DAYS = ['2026-03-02', '2026-03-03'];
const GROUP = '/vpc/flow-logs';
const CW_RANGE = { from: '2026-03-02T10:00:00Z', to: '2026-03-02T11:00:00Z' };

let dir: string;
let env: PullEnv;
let s3: S3TestServer;
let athena: AthenaTestServer;
let cw: CloudWatchLogsTestServer;
/** The bucket's records (what Athena reads) and the log group's (what CloudWatch reads), as workspaces. */
let bucketData: Engine;
let groupData: Engine;
let bucketBytes = 0;
/** The log group's answers: the local Insights dialect on the records pulled from it. */
let groupAnswers: InsightsExecutor;
let server: OwnServer;
/** The session the server's one-time link gave, which every test's page starts with. */
const SESSION = join(mkdtempSync(join(tmpdir(), 'flowscope-e2e-remote-session-')), 'session.json');
// None until the link is opened (the context that opens it is made with this file too).
writeFileSync(SESSION, JSON.stringify({ cookies: [], origins: [] }));
test.use({ storageState: SESSION });

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  env = pullEnv(S3RVER_CREDENTIALS);
  dir = mkdtempSync(join(tmpdir(), 'flowscope-e2e-remote-'));
  s3 = await startS3Server('flow-logs');
  // Two days of flow logs as VPC delivers them to S3, in the bucket and imported from the same keys.
  const paths: string[] = [];
  for (const [i, day] of DAYS.entries()) {
    const [y, m, d] = day.split('-');
    const key = `${LOCATION}/${y}/${m}/${d}/${ACCOUNT}_vpcflowlogs_us-east-1_fl-0abc_${y}${m}${d}T0000Z_${i}.log.gz`;
    const path = join(dir, 'bucket', key);
    mkdirSync(dirname(path), { recursive: true });
    await writeFlowLogFile(path, {
      seed: 11 + i,
      records: 350,
      gzip: true,
      accountId: ACCOUNT,
      start: Date.parse(`${day}T00:00:00Z`) / 1000,
      span: 86_400,
    });
    const body = readFileSync(path);
    bucketBytes += body.length;
    await s3.put(key, body);
    paths.push(path);
  }
  bucketData = await Engine.open({ workspace: join(dir, 'bucket.duckdb'), create: true });
  const job = await bucketData.jobWait({ jobId: bucketData.startImport(paths, {}) });
  if (job.state !== 'done') throw new Error(`the bucket's records did not import: ${JSON.stringify(job)}`);
  // Athena scans what the bucket holds (the test answers every query over both days).
  athena = await startAthenaServer(athenaExecutor(bucketData, () => bucketBytes));
  athena.pageSize = 100;
  athena.addTable(
    'flowlogs',
    'vpc_flow_logs',
    // AWS's default 14 columns (Athena's names): Athena answers only the fields its table defines (a field it lacks is NULL to
    // Insights, as on a workspace's records of that format).
    dayProjectedTable(
      DEFAULT_FORMAT.map((f) => f.replace(/-/g, '_')),
      `s3://flow-logs/${LOCATION}`,
    ),
  );

  // An hour of flow logs in a log group, and a workspace pulled from it.
  cw = await startCloudWatchLogsServer();
  const events = join(dir, 'events.log');
  await writeFlowLogFile(events, {
    seed: 7,
    start: Date.parse(CW_RANGE.from) / 1000,
    span: 3600,
    records: 300,
    header: false,
  });
  cw.addEvents(
    GROUP,
    'eni-aaaa-all',
    readFileSync(events, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((message) => ({ timestamp: Number(message.split(' ')[10]) * 1000, message })),
  );
  groupData = await Engine.open({ workspace: join(dir, 'group.duckdb'), create: true });
  await pullCloudWatch(
    groupData.workspace,
    { endpointUrl: cw.endpoint, logGroup: GROUP, from: CW_RANGE.from, to: CW_RANGE.to },
    { signal: new AbortController().signal, notice: () => undefined },
  );
  groupAnswers = insightsExecutor(groupData, 48_000);
  cw.insights = groupAnswers;
  // The app's server inherits the test credentials and empty AWS config files set above.
  server = await startOwnServer();
  const context = await browser.newContext();
  await (await context.newPage()).goto(server.url);
  await context.storageState({ path: SESSION });
  await context.close();
});

test.afterAll(async () => {
  await server?.close();
  await bucketData?.close();
  await groupData?.close();
  await athena?.close();
  await cw?.close();
  await s3?.close();
  env?.cleanup();
  rmSync(dir, { recursive: true, force: true });
  rmSync(dirname(SESSION), { recursive: true, force: true });
});

async function localAnswer(engine: Engine, query: string, timeRange?: { from: string; to: string }) {
  return (await call(engine, 'query.run', {
    query,
    ...(timeRange ? { timeRange } : {}),
    pageSize: 10_000,
  })) as Output<'query.run'>;
}

async function chooseEngine(page: Page, engine: 'local' | 'athena' | 'cloudwatch') {
  await page.getByRole('combobox', { name: 'Engine', exact: true }).selectOption(engine);
}

async function athenaSettings(page: Page, confirmAboveMb: number) {
  await page.getByRole('button', { name: 'Athena settings…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Athena settings' });
  await dialog.getByLabel('Region').fill('us-east-1');
  await dialog.getByLabel('Table (database.table)').fill('flowlogs.vpc_flow_logs');
  await dialog.getByLabel('Output location').fill('s3://athena-results/flowscope/');
  await dialog.getByLabel('Ask before running above').fill(String(confirmAboveMb));
  await dialog.getByLabel('Unit').selectOption('MB');
  await dialog.getByText('Advanced').click();
  await dialog.getByLabel('Athena endpoint URL').fill(athena.endpoint);
  await dialog.getByLabel('S3 endpoint URL for the estimate').fill(s3.endpoint);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
}

/** CloudWatch Logs Insights as the engine, on the test log group, over the hour it holds. */
async function onCloudWatch(page: Page) {
  await chooseEngine(page, 'cloudwatch');
  await page.getByRole('button', { name: 'CloudWatch Logs Insights settings…' }).click();
  const settings = page.getByRole('dialog', { name: 'CloudWatch Logs Insights settings' });
  await settings.getByLabel('Region').fill('us-east-1');
  await settings.getByLabel('Log groups').fill(GROUP);
  await settings.getByText('Advanced').click();
  await settings.getByLabel('CloudWatch Logs Insights endpoint URL').fill(cw.endpoint);
  await settings.getByRole('button', { name: 'Save' }).click();
  await page.getByLabel('Time range').selectOption('custom');
  await page.getByLabel('From (UTC)').fill(CW_RANGE.from.slice(0, 19));
  await page.getByLabel('To (UTC)').fill(CW_RANGE.to.slice(0, 19));
}

async function run(page: Page, query: string, language: string) {
  await page.getByLabel('Language').selectOption({ label: language });
  await setQuery(page, query);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
}

/** The provenance's "Data scanned" in the app's units. */
const scanned = (bytes: number) =>
  new RegExp(`Data scanned\\s*${formatBytes(bytes).replace(/[.$]/g, (c) => `\\${c}`)}`);

/** The last query execution the Athena server was asked about. */
const lastExecution = () =>
  String(athena.requests.filter((r) => r.operation === 'GetQueryExecution').at(-1)?.body.QueryExecutionId);

/**
 * The app's own theme switch, so the charts redraw in the theme as they do for the analyst; behind an open
 * dialog (which holds no chart) the page cannot be clicked, so the theme attribute is set as the switch does.
 */
async function screenshots(page: Page, testInfo: TestInfo, name: string) {
  await atEachSizeAndTheme(page, (size, theme) => shot(page, testInfo, `${name}-${size}-${theme}`));
}

test('queries run on Athena and CloudWatch from the app, confirmed, cancelled, failed and refused as the servers say', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  const cspViolations = await watchCsp(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(new URL(server.url).origin);
  await expect(page.getByRole('combobox', { name: 'Engine', exact: true })).toHaveValue('local');

  // Athena, asking above a threshold of 0.001 MB: the estimate (what the bucket holds) is above it.
  await chooseEngine(page, 'athena');
  await athenaSettings(page, 0.001);
  const insights = 'stats count(*) as flows, sum(bytes) as total by action';
  const sentBefore = athena.queries.length;
  await run(page, insights, 'Logs Insights');
  const plan = page.getByRole('region', { name: 'Remote query plan' });
  await expect(plan.getByRole('button', { name: 'Run on Athena' })).toBeVisible();
  await expect(plan).toContainText(`Estimated scan ${formatBytes(bucketBytes)}`);
  await expect(plan).toContainText(`2 objects under s3://flow-logs/${LOCATION}/`);
  await expect(plan.getByLabel('Sent to Athena')).toContainText('FROM "flowlogs"."vpc_flow_logs"');
  await expect(resultStatus(page)).toContainText('Waiting for you to confirm the run on Athena');
  expect(athena.queries.length, 'nothing is sent before the analyst confirms').toBe(sentBefore);
  await screenshots(page, testInfo, '01-athena-confirm');

  await plan.getByRole('button', { name: 'Run on Athena' }).click();
  const local = await localAnswer(bucketData, insights);
  await expect(resultStatus(page)).toContainText(`${local.rowCount} rows`);
  await expect(resultStatus(page)).toContainText('Athena');
  expect(athena.queries.length).toBe(sentBefore + 1);
  const grid = resultsGrid(page);
  const flows = local.columns.findIndex((c) => c.name === 'flows');
  for (const row of local.rows) await expect(grid).toContainText(formatCount(Number(row[flows])));
  await expect(page.locator('[data-chart-type]').first()).toBeVisible();
  const where = page.getByRole('group', { name: 'Where this result came from' });
  await expect(where).toContainText(lastExecution());
  await expect(where).toContainText(scanned(bucketBytes));
  await expect(where).toContainText('flowlogs.vpc_flow_logs');
  await screenshots(page, testInfo, '02-athena-insights-answer');

  // It pins: the dashboard panel is bound to Athena's table and runs there only when asked (checked below).
  await page.getByRole('button', { name: 'Pin to dashboard' }).click();
  const pin = page.getByRole('dialog', { name: 'Pin to dashboard' });
  await pin.getByLabel('Panel title').fill('Athena actions');
  await pin.getByLabel('Pin to', { exact: true }).selectOption('new');
  await pin.getByLabel('New dashboard name').fill('Athena watch');
  await expect(pin).toContainText('This result came from Athena (flowlogs.vpc_flow_logs)');
  await pin.getByRole('button', { name: 'Pin', exact: true }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // Athena SQL below the threshold runs at once; every Athena page lands, and the grid pages past 500 rows.
  await athenaSettings(page, 10_000);
  const sql = 'SELECT srcaddr, dstaddr, dstport, bytes FROM vpc_flow_logs ORDER BY bytes DESC, srcaddr, dstaddr';
  const pagesBefore = athena.requests.filter((r) => r.operation === 'GetQueryResults').length;
  await run(page, sql, 'Athena SQL');
  const all = await localAnswer(bucketData, sql);
  expect(all.rowCount).toBeGreaterThan(500);
  await expect(resultStatus(page)).toContainText(`${formatCount(all.rowCount)} rows`);
  const pages = athena.requests.filter((r) => r.operation === 'GetQueryResults').length - pagesBefore;
  expect(pages).toBeGreaterThanOrEqual(Math.ceil((all.rowCount + 1) / athena.pageSize));
  await grid.evaluate((element) => element.scrollTo(0, element.scrollHeight));
  await expect(grid.locator(`[aria-rowindex="${all.rowCount + 1}"]`)).toBeVisible();
  // It sorts like a local result (by the engine, over the whole answer).
  await grid.getByRole('columnheader', { name: 'bytes' }).getByRole('button').click();
  await expect(grid.getByRole('columnheader', { name: 'bytes' })).toHaveAttribute('aria-sort', 'ascending');
  // It exports whole.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export result as CSV' }).click();
  const csv = readFileSync((await (await download).path())!, 'utf8');
  expect(csv.trimEnd().split('\n')).toHaveLength(all.rowCount + 1);
  await screenshots(page, testInfo, '03-athena-sql-answer');

  // A slow query: Esc (the workbench's stop key) cancels it, and Athena is told to stop.
  athena.pollsBeforeDone = 10_000;
  try {
    await run(page, 'SELECT count(*) AS n FROM vpc_flow_logs', 'Athena SQL');
    await expect(resultStatus(page)).toContainText('Running on Athena');
    await expect.poll(() => athena.requests.at(-1)?.operation).toBe('GetQueryExecution');
    const slow = lastExecution();
    await screenshots(page, testInfo, '04-athena-running');
    await page.keyboard.press('Escape');
    await expect(resultStatus(page)).toContainText('Query cancelled; Athena was told to stop it.');
    expect(athena.requests.some((r) => r.operation === 'StopQueryExecution' && r.body.QueryExecutionId === slow)).toBe(
      true,
    );
  } finally {
    athena.pollsBeforeDone = 1;
  }

  // A query Athena fails: its reason, in the app. Its place (line 1:8) is in the SQL sent, where Flowscope's own
  // WITH stands, not a character copied from the analyst's text: said so, with that line and a caret.
  athena.failNext("COLUMN_NOT_FOUND: line 1:8: Column 'srcadr' cannot be resolved");
  await run(page, 'SELECT srcaddr FROM vpc_flow_logs LIMIT 5', 'Athena SQL');
  const error = page.getByRole('alert', { name: 'Query error' });
  await expect(error).toContainText("COLUMN_NOT_FOUND: Column 'srcadr' cannot be resolved");
  await expect(error).toContainText('at line 1, column 8 of the SQL sent to Athena');
  await expect(error).toContainText(lastExecution());

  // What Athena cannot run is refused before anything is sent, at its position.
  const sent = athena.queries.length;
  await run(page, 'SELECT protocol_name(protocol) AS p FROM vpc_flow_logs', 'Athena SQL');
  await expect(error).toContainText(/Line 1, column \d+/);
  await expect(error).toContainText('protocol_name');
  // Underlined in the editor as the compiler's errors are (the local compile accepts the text).
  await expect(page.locator('.cm-lintRange-error').first()).toBeVisible();
  expect(athena.queries.length).toBe(sent);
  await screenshots(page, testInfo, '05-athena-refused');

  // CloudWatch Logs Insights: an Insights query on the log group, over the hour it holds.
  await onCloudWatch(page);
  const settings = page.getByRole('dialog', { name: 'CloudWatch Logs Insights settings' });
  const cwQuery = 'stats count(*) as flows by action';
  await run(page, cwQuery, 'Logs Insights');
  const cwLocal = await localAnswer(groupData, cwQuery, CW_RANGE);
  await expect(resultStatus(page)).toContainText(`${cwLocal.rowCount} rows`);
  await expect(resultStatus(page)).toContainText('CloudWatch Logs Insights');
  const cwFlows = cwLocal.columns.findIndex((c) => c.name === 'flows');
  for (const row of cwLocal.rows) await expect(grid).toContainText(formatCount(Number(row[cwFlows])));
  const start = cw.requests.filter((r) => r.operation === 'StartQuery').at(-1)!;
  expect(String(start.body.queryString).split('\n')[0]).toBe(cwQuery);
  await expect(where).toContainText(GROUP);
  await expect(where).toContainText(scanned(48_000));
  await screenshots(page, testInfo, '06-cloudwatch-answer');

  // A log group holding more events than CloudWatch answers: the result says it stopped at 10,000 rows.
  const busy = Array.from({ length: 10_500 }, (_, i) => ({
    timestamp: Date.parse(CW_RANGE.from) + i * 300,
    message: `event ${i}`,
  }));
  cw.addEvents('/vpc/busy', 'eni-busy', busy);
  cw.insights = async (query, groups, fromMs, toMs) =>
    groups.includes('/vpc/busy')
      ? {
          rows: busy
            .filter((e) => e.timestamp >= fromMs && e.timestamp < toMs)
            .map((e) => [['@message', e.message] as [string, string]]),
          bytesScanned: busy.reduce((n, e) => n + e.message.length, 0),
        }
      : groupAnswers(query, groups, fromMs, toMs);
  try {
    await page.getByRole('button', { name: 'CloudWatch Logs Insights settings…' }).click();
    await settings.getByLabel('Log groups').fill('/vpc/busy');
    await settings.getByRole('button', { name: 'Save' }).click();
    await run(page, 'fields @message', 'Logs Insights');
    await expect(resultStatus(page)).toContainText('10,000 rows');
    await expect(where.getByRole('note')).toContainText('answers at most 10,000 rows: this answer stopped there');
    await screenshots(page, testInfo, '06-cloudwatch-capped');
  } finally {
    cw.insights = groupAnswers;
  }

  // From the Pull dialog: the Athena table that fits the bucket, reviewed, then created on explicit request.
  await page.getByRole('button', { name: 'Pull from AWS…' }).click();
  const pull = page.getByRole('dialog', { name: 'Pull from AWS' });
  await pull.getByLabel('Endpoint URL (optional)').fill(s3.endpoint);
  await pull.getByLabel('Bucket', { exact: true }).fill(s3.bucket);
  await pull.getByLabel('Prefix').fill('AWSLogs/');
  await pull.getByRole('button', { name: 'Create Athena table…' }).click();
  const create = page.getByRole('dialog', { name: 'Create Athena table' });
  await create.getByLabel('Table (database.table)').fill('flowlogs.vpc_flow_logs_new');
  await create.getByText('Advanced').click();
  await create.getByLabel('Athena endpoint URL').fill(athena.endpoint);
  const before = athena.queries.length;
  await create.getByRole('button', { name: 'Write the definition' }).click();
  const ddl = create.getByLabel('Table definition');
  await expect(ddl).toContainText('CREATE EXTERNAL TABLE');
  await expect(ddl).toContainText('vpc_flow_logs_new');
  await expect(create.getByRole('status')).toContainText(`read from ${DAYS.length} objects`);
  expect(athena.queries.length, 'the definition is only shown').toBe(before);
  await screenshots(page, testInfo, '07-athena-table-review');
  await create.getByRole('button', { name: 'Create on Athena' }).click();
  await expect(create.getByRole('status')).toContainText('Created flowlogs.vpc_flow_logs_new on Athena');
  expect(athena.queries.length).toBe(before + 1);
  expect(athena.queries.at(-1)).toBe(await ddl.textContent());
  await create.getByRole('button', { name: 'Use in Athena settings' }).click();
  await create.getByRole('button', { name: 'Close' }).click();
  await pull.getByRole('button', { name: 'Close' }).click();
  await chooseEngine(page, 'athena');
  await page.getByRole('button', { name: 'Athena settings…' }).click();
  const settingsDialog = page.getByRole('dialog', { name: 'Athena settings' });
  await expect(settingsDialog.getByLabel('Table (database.table)')).toHaveValue('flowlogs.vpc_flow_logs_new');
  await settingsDialog.getByRole('button', { name: 'Cancel' }).click();

  // The pinned panel: nothing runs when the dashboard opens; Refresh on Athena runs it on the panel's table.
  const sentBeforeDashboard = athena.queries.length;
  await page.getByRole('link', { name: 'Dashboards' }).click();
  await page.getByLabel('Dashboard', { exact: true }).selectOption({ label: 'Athena watch' });
  const panel = page.getByRole('article', { name: 'Athena actions' });
  await expect(panel).toContainText('Runs on Athena when you click Refresh on Athena');
  expect(athena.queries.length).toBe(sentBeforeDashboard);
  await panel.getByRole('button', { name: 'Refresh Athena actions on Athena' }).click();
  await expect(panel).toHaveAttribute('data-state', 'done');
  await expect(panel.locator('[data-chart-type]')).toBeVisible();
  await expect(panel).toContainText(lastExecution());
  expect(athena.queries.length).toBe(sentBeforeDashboard + 1);
  expect(athena.queries.at(-1)).toContain('FROM "flowlogs"."vpc_flow_logs"');
  await screenshots(page, testInfo, '08-athena-dashboard-panel');

  // Opened in the workbench, the panel's query waits on Athena, on the panel's table (not the settings' new one).
  const sentBeforeOpen = athena.queries.length;
  await panel.getByRole('button', { name: 'Open Athena actions in the workbench' }).click();
  await expect(page.getByRole('combobox', { name: 'Engine', exact: true })).toHaveValue('athena');
  expect(athena.queries.length).toBe(sentBeforeOpen);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  // Over the workbench's time range, still the custom hour chosen for CloudWatch.
  const inRange = await localAnswer(bucketData, insights, CW_RANGE);
  await expect(resultStatus(page)).toContainText(`${inRange.rowCount} rows`);
  for (const row of inRange.rows) await expect(grid).toContainText(formatCount(Number(row[flows])));
  expect(athena.queries.length).toBe(sentBeforeOpen + 1);
  expect(athena.queries.at(-1)).toContain('FROM "flowlogs"."vpc_flow_logs"');
  expect(athena.queries.at(-1)).not.toContain('vpc_flow_logs_new');
  expect(await cspViolations()).toEqual([]);
});

test('a remote query the service throttles says each retry beside the running query, and the answer replaces it', async ({
  page,
}, testInfo) => {
  await page.goto(new URL(server.url).origin);
  await chooseEngine(page, 'athena');
  await athenaSettings(page, 10_000);
  // Athena throttles the polls three times, then keeps the query running until the test lets it finish.
  athena.pollsBeforeDone = 10_000;
  athena.inject('GetQueryExecution', { kind: 'throttle' }, { kind: 'throttle' }, { kind: 'throttle' });
  const query = 'SELECT count(*) AS n FROM vpc_flow_logs';
  try {
    await run(page, query, 'Athena SQL');
    const status = resultStatus(page);
    await expect(status).toContainText('Running on Athena');
    // Each retry is said as it comes, beside the running line, with when it was said: the last of the three stays.
    const notice = status.getByTestId('remote-notice');
    await expect(notice).toHaveText(
      /^At \d+ s: Athena is throttling \(GetQueryExecution\); retry [123] of 7 in \d\.\d s$/,
    );
    await expect(notice).toHaveText(/^At \d+ s: Athena is throttling \(GetQueryExecution\); retry 3 of 7 in \d\.\d s$/);
    await expect(status).toContainText('Running on Athena');
    await screenshots(page, testInfo, '09-athena-throttled');
  } finally {
    athena.pollsBeforeDone = 1;
  }
  // The answer comes: the notice goes with the running line.
  const local = await localAnswer(bucketData, query);
  await expect(resultStatus(page)).toContainText('1 row');
  await expect(resultsGrid(page)).toContainText(formatCount(Number(local.rows[0]![0])));
  await expect(resultStatus(page)).not.toContainText('throttling');
  await screenshots(page, testInfo, '10-athena-after-throttling');
});

test('a CloudWatch query stopped at its time limit shows the rows it found, with a note under the result saying they are partial', async ({
  page,
}, testInfo) => {
  await page.goto(new URL(server.url).origin);
  await onCloudWatch(page);
  // The service ends the query Timeout at its first poll, answering the rows found so far (half, here).
  const query = 'fields @timestamp, srcAddr | sort @timestamp desc | limit 40';
  cw.insightsPolls = 1000;
  cw.inject('GetQueryResults', { kind: 'queryTimedOut' });
  try {
    await run(page, query, 'Logs Insights');
    const local = await localAnswer(groupData, query, CW_RANGE);
    expect(local.rowCount).toBe(40);
    await expect(resultStatus(page)).toContainText('20 rows · partial answer (see below)');
    await expect(resultStatus(page)).toContainText('CloudWatch Logs Insights');
    // The rows found are the newest 20 of the whole answer.
    const grid = resultsGrid(page);
    const src = local.columns.findIndex((c) => c.name === 'srcAddr');
    await expect(grid).toContainText(String(local.rows[0]![src]));
    const where = page.getByRole('group', { name: 'Where this result came from' });
    await expect(where.getByRole('note')).toHaveText(
      'Partial answer: CloudWatch Logs Insights stopped the query at its 60-minute limit, so these are only the rows it had found by then. Narrow the time range or the log groups to get the whole answer.',
    );
    await screenshots(page, testInfo, '11-cloudwatch-partial');
  } finally {
    cw.insightsPolls = 1;
  }
});
