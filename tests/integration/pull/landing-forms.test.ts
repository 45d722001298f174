/**
 * Pulls of the other ways flow logs land, each built with the real SDK against the test servers: Firehose
 * objects of CloudWatch subscription payloads in s3rver, an organisation's bucket (two accounts, two
 * regions, Transit Gateway beside VPC flow logs, other services' logs among them), Security Lake's OCSF
 * Parquet under its bucket layout, and a CloudWatch log group in a custom format whose format is remembered.
 * A subscription's Lambda events captured to S3 are pulled too. Every count is computed from the bytes the
 * test put, and every second pull adds nothing.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import type { JobInfo } from '../../../preload/contract';
import { Engine } from '../../../main/engine';
import { call } from '../../../main/engine/dispatch';
import { pullCloudWatch } from '../../../main/engine/ingest/cloudwatch';
import { writeFlowLogFile } from '../../../main/engine/ingest/generator';
import { DEFAULT_FORMAT } from '../../../queries/catalog/fields';
import { startCloudWatchLogsServer, type CloudWatchLogsTestServer } from '../../support/cloudwatch-logs-server';
import { cli, finished, pullEnv, type PullEnv } from '../../support/pull-env';
import { S3RVER_CREDENTIALS, startS3Server, type S3TestServer } from '../../support/s3-server';
import { flowLogsAsOcsf, V5_FIELDS } from '../../support/security-lake';
import {
  CONTROL_MESSAGE,
  dataMessage,
  firehoseObject,
  generatedMessages,
  lambdaEvent,
  totals,
} from '../../support/subscription-forms';

let env: PullEnv;
let archive: S3TestServer;
let lake: S3TestServer;
let cw: CloudWatchLogsTestServer;

before(async () => {
  env = pullEnv(S3RVER_CREDENTIALS);
  archive = await startS3Server('org-log-archive');
  lake = await startS3Server('aws-security-data-lake-us-east-1-k7x2m9q4');
  cw = await startCloudWatchLogsServer({ pageSize: 50 });
});

after(async () => {
  await archive.close();
  await lake.close();
  await cw.close();
  env.cleanup();
});

async function withEngine<T>(name: string, fn: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = await Engine.open({ workspace: join(env.dir, `${name}.duckdb`), create: true });
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}

async function pullS3(engine: Engine, s3: S3TestServer, input: Record<string, unknown>): Promise<JobInfo> {
  const { jobId } = (await call(engine, 'pull.s3', { endpointUrl: s3.endpoint, ...input })) as { jobId: string };
  return (await call(engine, 'job.wait', { jobId })) as JobInfo;
}

async function stored(engine: Engine, where = 'true'): Promise<{ records: number; bytes: number }> {
  const [row] = await engine.workspace.all<{ n: bigint; b: bigint | null }>(
    `SELECT count(*) AS n, sum(bytes) AS b FROM flows WHERE ${where}`,
  );
  return { records: Number(row!.n), bytes: Number(row!.b ?? 0) };
}

/** Object downloads (not listings) the server saw since `from`. */
const downloads = (s3: S3TestServer, from: number) =>
  s3.requests.slice(from).filter((r) => r.method === 'GET' && !r.path.includes('list-type='));

/** Records and bytes of gzip'd flow-log text with a header whose `bytes` field is where the header says. */
function textTotals(gz: Buffer): { records: number; bytes: number } {
  const [header, ...lines] = gunzipSync(gz).toString('utf8').split('\n').filter(Boolean);
  const at = header!.split(' ').indexOf('bytes');
  const bytes = (l: string) => l.split(' ')[at]!;
  return { records: lines.length, bytes: lines.reduce((n, l) => n + (bytes(l) === '-' ? 0 : Number(bytes(l))), 0) };
}

const add = (a: { records: number; bytes: number }, b: { records: number; bytes: number }) => ({
  records: a.records + b.records,
  bytes: a.bytes + b.bytes,
});

test('Firehose objects of subscription payloads under any prefix are pulled exactly, control messages counted', async () => {
  const streams = [
    { group: '/vpc/prod', stream: 'eni-0a1-all', messages: generatedMessages(41, 150) },
    { group: '/vpc/prod', stream: 'eni-0a2-all', messages: generatedMessages(42, 90) },
    { group: '/vpc/stage', stream: 'eni-0b1-all', messages: generatedMessages(43, 60) },
  ];
  const keys = [
    'archive/vpc/2026/03/02/10/vpc-archive-1-2026-03-02-10-05-00-7d1f0c2a-5b3e-4f61-9a8d-1c2b3a4d5e6f',
    'archive/vpc/2026/03/02/10/vpc-archive-1-2026-03-02-10-10-00-8e2a1d3b-6c4f-4a72-8b9e-2d3c4b5e6f70',
    'archive/vpc/2026/03/02/11/vpc-archive-1-2026-03-02-11-00-00-9f3b2e4c-7d5a-4b83-9caf-3e4d5c6f7081.gz',
  ];
  await archive.put(keys[0]!, firehoseObject([CONTROL_MESSAGE, dataMessage(streams[0]!)], 'each'));
  await archive.put(keys[1]!, firehoseObject([dataMessage(streams[1]!), CONTROL_MESSAGE], 'each'));
  await archive.put(keys[2]!, firehoseObject([dataMessage(streams[2]!)], 'whole'));
  const expected = streams.map((s) => totals(s.messages)).reduce(add);

  await withEngine('firehose', async (engine) => {
    const first = await pullS3(engine, archive, { url: `s3://${archive.bucket}/archive/vpc/` });
    assert.equal(first.state, 'done', first.error);
    assert.equal(first.summary?.pull?.objects, 3);
    assert.equal(first.summary?.pull?.controlMessages, 2);
    assert.deepEqual(first.summary?.pull?.failed, []);
    assert.equal(first.summary?.records, expected.records);
    assert.deepEqual(await stored(engine), expected);
    assert.deepEqual(await stored(engine, `extra['log-group'] = '/vpc/stage'`), totals(streams[2]!.messages));

    const seen = archive.requests.length;
    const again = await pullS3(engine, archive, { url: `s3://${archive.bucket}/archive/vpc/` });
    assert.equal(again.summary?.records, 0);
    assert.equal(again.summary?.pull?.skipped, 3);
    assert.deepEqual(downloads(archive, seen), []);
    assert.deepEqual(await stored(engine), expected);
  });
});

test('Lambda events of a subscription, captured to S3 one per line, are pulled exactly; a second pull adds nothing', async () => {
  const streams = [
    { group: '/vpc/prod', stream: 'eni-0c1-all', messages: generatedMessages(44, 120) },
    { group: '/vpc/stage', stream: 'eni-0c2-all', messages: generatedMessages(45, 70) },
  ];
  // As a collector's Lambda keeps its input: one `{"awslogs": {"data": …}}` event a line, and one alone.
  await archive.put('captures/2026/03/02/events-0001.json', streams.map((s) => lambdaEvent(dataMessage(s))).join('\n'));
  const single = { group: '/vpc/prod', stream: 'eni-0c3-all', messages: generatedMessages(46, 30) };
  await archive.put('captures/2026/03/02/events-0002.json', lambdaEvent(dataMessage(single)));
  const expected = [...streams, single].map((s) => totals(s.messages)).reduce(add);

  await withEngine('lambda-events', async (engine) => {
    const first = await pullS3(engine, archive, { url: `s3://${archive.bucket}/captures/` });
    assert.equal(first.state, 'done', first.error);
    assert.deepEqual(first.summary?.pull?.failed, []);
    assert.equal(first.summary?.pull?.objects, 2);
    assert.equal(first.summary?.records, expected.records);
    assert.deepEqual(await stored(engine), expected);
    assert.deepEqual(await stored(engine, `extra['log-stream'] = 'eni-0c3-all'`), totals(single.messages));

    const seen = archive.requests.length;
    const again = await pullS3(engine, archive, { url: `s3://${archive.bucket}/captures/` });
    assert.equal(again.summary?.records, 0);
    assert.deepEqual(downloads(archive, seen), []);
    assert.deepEqual(await stored(engine), expected);
  });
});

test('an organisation bucket: account and region filters, a per-account/region summary, Transit Gateway beside VPC', async () => {
  const bodies = new Map<string, Buffer>();
  const put = async (key: string, body: Buffer) => {
    bodies.set(key, body);
    await archive.put(key, body);
  };
  const flowObject = async (account: string, region: string, seed: number) => {
    const path = join(env.dir, 'org', `${account}-${region}-${seed}.log.gz`);
    await writeFlowLogFile(path, { seed, records: 60, gzip: true, accountId: account, region, span: 3600 });
    return readFileSync(path);
  };
  const layout = {
    '111111111111': 'AWSLogs/o-abcd1234/111111111111/vpcflowlogs',
    '222222222222': 'AWSLogs/222222222222/vpcflowlogs',
  };
  let seed = 50;
  for (const [account, base] of Object.entries(layout)) {
    for (const region of ['us-east-1', 'eu-west-1']) {
      for (const part of ['a', 'b']) {
        const name = `${account}_vpcflowlogs_${region}_fl-0a1b2c3d_20260302T1000Z_${part}.log.gz`;
        await put(`${base}/${region}/2026/03/02/${name}`, await flowObject(account, region, seed++));
      }
    }
  }
  const tgw = readFileSync(new URL('../../fixtures/ingest/transit-gateway.log', import.meta.url));
  const tgwKey = `${layout['111111111111']}/us-east-1/2026/03/02/111111111111_vpcflowlogs_us-east-1_tgw-flow-0aa_20260302T1000Z_c.log.gz`;
  await put(tgwKey, gzipSync(tgw));
  // Other services' logs share the bucket; they are never downloaded.
  await archive.put('AWSLogs/o-abcd1234/111111111111/CloudTrail/us-east-1/2026/03/02/trail.json.gz', gzipSync('{}'));
  await archive.put('AWSLogs/222222222222/aws-logs-write-test', 'Permission Check Successful');

  const expectedOf = (account: string | null, region: string | null) =>
    [...bodies.entries()]
      .filter(([k]) => (!account || k.includes(`/${account}/`)) && (!region || k.includes(`/${region}/`)))
      .map(([, b]) => textTotals(b))
      .reduce(add, { records: 0, bytes: 0 });

  await withEngine('organisation', async (engine) => {
    // From the command line, one account in one region.
    const seen = archive.requests.length;
    const child = cli(
      [
        'pull',
        's3',
        `s3://${archive.bucket}/`,
        '--workspace',
        engine.workspace.path.replace('organisation', 'organisation-cli'),
        '--endpoint-url',
        archive.endpoint,
        '--accounts',
        '222222222222',
        '--regions',
        'eu-west-1',
        '--json',
      ],
      env.env,
    );
    const run = await finished(child);
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as {
      records: number;
      objects: number;
      sources: Array<{ account: string; region: string; objects: number; records: number }>;
    };
    assert.equal(out.records, expectedOf('222222222222', 'eu-west-1').records);
    assert.deepEqual(
      out.sources.map((s) => [s.account, s.region, s.objects, s.records]),
      [['222222222222', 'eu-west-1', 2, out.records]],
    );
    assert.ok(
      downloads(archive, seen).every((r) => r.path.includes('/222222222222/vpcflowlogs/eu-west-1/')),
      'only the wanted account and region were downloaded',
    );

    // Everything, through the engine: one summary row per account and region.
    const all = await pullS3(engine, archive, { url: `s3://${archive.bucket}/AWSLogs/` });
    assert.equal(all.state, 'done', all.error);
    assert.deepEqual(all.summary?.pull?.failed, []);
    const sources = all.summary?.pull?.sources ?? [];
    assert.deepEqual(sources.map((s) => `${s.account} ${s.region}`).sort(), [
      '111111111111 eu-west-1',
      '111111111111 us-east-1',
      '222222222222 eu-west-1',
      '222222222222 us-east-1',
    ]);
    for (const s of sources) {
      const expected = expectedOf(s.account, s.region);
      assert.equal(s.records, expected.records, `${s.account} ${s.region}`);
      assert.deepEqual(
        await stored(
          engine,
          `import_id IN (SELECT id FROM imports WHERE path LIKE '%/${s.account}/vpcflowlogs/${s.region}/%')`,
        ),
        expected,
      );
    }
    assert.deepEqual(await stored(engine), expectedOf(null, null));
    assert.deepEqual(await stored(engine, `tgw_id IS NOT NULL`), { records: 3, bytes: 5400 + 8800 + 180 });
    assert.equal(
      archive.requests.filter(
        (r) => r.method === 'GET' && /CloudTrail|aws-logs-write-test/.test(r.path) && !r.path.includes('list-type='),
      ).length,
      0,
    );

    const again = await pullS3(engine, archive, { url: `s3://${archive.bucket}/AWSLogs/` });
    assert.equal(again.summary?.records, 0);
    assert.equal(again.summary?.pull?.objects, 0);
    assert.deepEqual(await stored(engine), expectedOf(null, null));
  });
});

test('Security Lake’s bucket: OCSF Parquet under aws/VPC_FLOW/1.0/region=…/accountId=…/eventDay=… is pulled exactly', async () => {
  const expected = new Map<string, { records: number; bytes: number }>();
  let seed = 70;
  for (const [region, account] of [
    ['us-east-1', '111111111111'],
    ['eu-west-1', '111111111111'],
    ['us-east-1', '222222222222'],
  ] as const) {
    const text = join(env.dir, 'lake', `${region}-${account}.log`);
    await writeFlowLogFile(text, {
      seed: seed++,
      records: 400,
      header: false,
      fields: V5_FIELDS,
      accountId: account,
      region,
      span: 3600,
    });
    const parquet = `${text}.parquet`;
    await flowLogsAsOcsf(text, parquet);
    const key = `aws/VPC_FLOW/1.0/region=${region}/accountId=${account}/eventDay=20260302/3b5e7f90-${seed}-4c1d-8e2f-a0b1c2d3e4f5.gz.parquet`;
    await lake.put(key, readFileSync(parquet));
    const lines = readFileSync(text, 'utf8').split('\n').filter(Boolean);
    expected.set(`${region} ${account}`, {
      records: lines.length,
      bytes: lines.reduce((n, l) => n + (l.split(' ')[9] === '-' ? 0 : Number(l.split(' ')[9])), 0),
    });
  }
  await lake.put(
    'aws/CLOUD_TRAIL_MGMT/2.0/region=us-east-1/accountId=111111111111/eventDay=20260302/trail.gz.parquet',
    'not read',
  );

  await withEngine('security-lake', async (engine) => {
    const one = await pullS3(engine, lake, { url: `s3://${lake.bucket}/aws/VPC_FLOW/1.0/`, regions: ['eu-west-1'] });
    assert.equal(one.state, 'done', one.error);
    assert.deepEqual(await stored(engine), expected.get('eu-west-1 111111111111'));

    const all = await pullS3(engine, lake, { url: `s3://${lake.bucket}/` });
    assert.deepEqual(all.summary?.pull?.failed, []);
    assert.equal(all.summary?.pull?.objects, 2);
    assert.equal(all.summary?.pull?.skipped, 1);
    const total = [...expected.values()].reduce(add);
    assert.deepEqual(await stored(engine), total);
    for (const [key, value] of expected) {
      const [region, account] = key.split(' ');
      assert.deepEqual(await stored(engine, `region = '${region}' AND account_id = '${account}'`), value, key);
    }
    const again = await pullS3(engine, lake, { url: `s3://${lake.bucket}/` });
    assert.equal(again.summary?.records, 0);
    assert.deepEqual(await stored(engine), total);
  });
});

test('a log group in a custom format: given once, remembered for later pulls and for its Firehose deliveries', async () => {
  const fields = [...DEFAULT_FORMAT.filter((f) => f !== 'account-id'), 'flow-direction'];
  const format = fields.map((f) => `\${${f}}`).join(' ');
  const path = join(env.dir, 'custom.log');
  await writeFlowLogFile(path, {
    seed: 90,
    records: 240,
    header: false,
    fields,
    start: Date.parse('2026-03-02T10:00:00Z') / 1000,
    span: 7200,
  });
  const messages = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  const startOf = (m: string) => Number(m.split(' ')[fields.indexOf('start')]);
  cw.addEvents(
    '/vpc/custom-format',
    'eni-0c1-all',
    messages.map((message) => ({ timestamp: startOf(message) * 1000, message })),
  );
  const bytesAt = fields.indexOf('bytes');
  const firstHour = messages.filter((m) => startOf(m) < Date.parse('2026-03-02T11:00:00Z') / 1000);

  await withEngine('custom-format', async (engine) => {
    const pull = (range: { from: string; to: string }, logFormat?: string, notices: string[] = []) =>
      pullCloudWatch(
        engine.workspace,
        { endpointUrl: cw.endpoint, logGroup: '/vpc/custom-format', ...range, ...(logFormat ? { logFormat } : {}) },
        { signal: new AbortController().signal, notice: (m) => notices.push(m) },
      );
    const first = await pull({ from: '2026-03-02T10:00:00', to: '2026-03-02T11:00:00' }, format);
    assert.equal(first.rejected, 0);
    assert.deepEqual(await stored(engine), totals(firstHour, bytesAt));

    const notices: string[] = [];
    const second = await pull({ from: '2026-03-02T10:00:00', to: '2026-03-02T12:00:00' }, undefined, notices);
    assert.equal(second.rejected, 0);
    assert.ok(
      notices.some((n) => n.includes('remembered') && n.includes(format)),
      notices.join('\n'),
    );
    assert.deepEqual(await stored(engine), totals(messages, bytesAt));
    const third = await pull({ from: '2026-03-02T10:00:00', to: '2026-03-02T12:00:00' });
    assert.equal(third.records, 0);
    assert.deepEqual(await stored(engine), totals(messages, bytesAt));
    assert.deepEqual(await stored(engine, `flow_direction IS NULL`), { records: 0, bytes: 0 });

    // The same group archived by Firehose: read with the remembered format, without giving it.
    const stream = { group: '/vpc/custom-format', stream: 'eni-0c2-all', messages: generatedMessages(91, 80, fields) };
    await archive.put(
      'custom/2026/03/02/10/custom-1-2026-03-02-10-00-00-0a1b',
      firehoseObject([dataMessage(stream)], 'each'),
    );
    const job = await pullS3(engine, archive, { url: `s3://${archive.bucket}/custom/` });
    assert.equal(job.summary?.rejected, 0, JSON.stringify(job.summary));
    assert.deepEqual(await stored(engine, `extra['log-stream'] = 'eni-0c2-all'`), totals(stream.messages, bytesAt));
  });
});
