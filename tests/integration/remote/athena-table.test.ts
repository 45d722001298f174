/**
 * `flowscope athena table`: the bucket's layout read from s3rver through the real S3 client, the DDL
 * checked against AWS's documented DDLs for the layout (the column list as AWS writes it, the row format
 * or Parquet SerDe, projection that matches the keys) and by a maintained Hive DDL grammar
 * (dt-sql-parser), and `--create` run on the Athena test server, after which a remote query on the new
 * table prunes by its partitions.
 */
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { HiveSQL } from 'dt-sql-parser';
import { createTableDdl } from '../../../queries/language/trino/ddl';
import type { Output } from '../../../preload/contract';
import { Engine } from '../../../main/engine';
import { call } from '../../../main/engine/dispatch';
import { flowscopeInProcess } from '../../support/flowscope-cli';
import { startAthenaServer, type AthenaTestServer } from '../../support/athena-server';
import { pullEnv, type PullEnv } from '../../support/pull-env';
import { startS3Server, S3RVER_CREDENTIALS, type S3TestServer } from '../../support/s3-server';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The columns of AWS's documented DDLs (partition projection, text and Parquet), as AWS writes them. */
const DOCUMENTED_COLUMNS =
  'version int, account_id string, interface_id string, srcaddr string, dstaddr string, srcport int, dstport int, ' +
  'protocol bigint, packets bigint, bytes bigint, start bigint, `end` bigint, action string, log_status string, ' +
  'vpc_id string, subnet_id string, instance_id string, tcp_flags int, type string, pkt_srcaddr string, ' +
  'pkt_dstaddr string, az_id string, sublocation_type string, sublocation_id string, pkt_src_aws_service string, ' +
  'pkt_dst_aws_service string, flow_direction string, traffic_path int';
const HEADER =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action ' +
  'log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr az-id sublocation-type ' +
  'sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path';
const RECORD =
  '5 111122223333 eni-0a1 10.0.1.5 10.0.1.6 443 50000 6 10 5000 1615766400 1615766460 ACCEPT OK vpc-1 subnet-1 ' +
  'i-1 2 IPv4 10.0.1.5 10.0.1.6 use1-az1 - - - - ingress -';

let env: PullEnv;
let s3: S3TestServer;
let athena: AthenaTestServer;
let dir: string;

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return flowscopeInProcess(['athena', 'table', ...args, '--region', 'us-east-1', '--s3-endpoint-url', s3.endpoint]);
}

/** The column list without its quoting and layout: what AWS's published text compares on. */
const columnsOf = (ddl: string) =>
  /\(\n([\s\S]*?)\n\)\nPARTITIONED/
    .exec(ddl)![1]!
    .split(',\n')
    .map((c) => c.trim().replace(/`/g, ''))
    .join(', ');
const properties = (ddl: string) =>
  Object.fromEntries([...ddl.matchAll(/"([^"]+)" = "([^"]*)"/g)].map((m) => [m[1], m[2]]));

before(async () => {
  env = pullEnv({ ...S3RVER_CREDENTIALS });
  dir = env.dir;
  s3 = await startS3Server();
  athena = await startAthenaServer(async () => ({
    columns: [{ name: 'n', type: 'bigint' }],
    rows: [['0']],
    scannedBytes: 0,
  }));
  const text = gzipSync(`${HEADER}\n${RECORD}\n`);
  for (const key of [
    'text/AWSLogs/111122223333/vpcflowlogs/us-east-1/2021/03/15/111122223333_vpcflowlogs_us-east-1_fl-1_20210315T0005Z_a.log.gz',
    'text/AWSLogs/111122223333/vpcflowlogs/us-east-1/2021/03/16/111122223333_vpcflowlogs_us-east-1_fl-1_20210316T0005Z_b.log.gz',
    'text/AWSLogs/444455556666/vpcflowlogs/eu-west-1/2021/04/01/444455556666_vpcflowlogs_eu-west-1_fl-2_20210401T0005Z_c.log.gz',
  ])
    await s3.put(key, text);
  await s3.put(
    'hive/AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/aws-region=us-east-1/year=2021/month=03/day=15/hour=00/111122223333_vpcflowlogs_us-east-1_fl-3_20210315T0005Z_d.log.parquet',
    Buffer.from('PAR1'),
  );
});

after(async () => {
  await athena.close();
  await s3.close();
  env.cleanup();
});

test('AWS keys, daily, text: the documented columns, row format and projection that matches the keys', async () => {
  const r = await cli('s3://flow-logs/text/', '--database', 'flowlogs', '--table', 'vpc_flow_logs');
  assert.equal(r.code, 0, r.err);
  const ddl = r.out;
  assert.deepEqual(new HiveSQL().validate(ddl), []);
  assert.equal(columnsOf(ddl), DOCUMENTED_COLUMNS.replace(/`/g, ''));
  assert.match(ddl, /^CREATE EXTERNAL TABLE IF NOT EXISTS `flowlogs`\.`vpc_flow_logs` \(/);
  assert.match(
    ddl,
    /\nPARTITIONED BY \(accid string, region string, day string\)\nROW FORMAT DELIMITED FIELDS TERMINATED BY ' '\nLOCATION 's3:\/\/flow-logs\/text\/AWSLogs\/'\n/,
  );
  assert.deepEqual(properties(ddl), {
    'skip.header.line.count': '1',
    'projection.enabled': 'true',
    'projection.accid.type': 'enum',
    'projection.accid.values': '111122223333,444455556666',
    'projection.region.type': 'enum',
    'projection.region.values': 'eu-west-1,us-east-1',
    'projection.day.type': 'date',
    'projection.day.range': '2021/03/15,NOW',
    'projection.day.format': 'yyyy/MM/dd',
    'projection.day.interval': '1',
    'projection.day.interval.unit': 'DAYS',
    'storage.location.template': 's3://flow-logs/text/AWSLogs/${accid}/vpcflowlogs/${region}/${day}',
  });
  // The template, filled with a key's own folders, is that key's folder.
  const template = properties(ddl)['storage.location.template']!;
  const filled = template
    .replace('${accid}', '111122223333')
    .replace('${region}', 'us-east-1')
    .replace('${day}', '2021/03/15');
  assert.equal(filled, 's3://flow-logs/text/AWSLogs/111122223333/vpcflowlogs/us-east-1/2021/03/15');
  assert.match(r.err, /text, AWS keys, daily folders from 2021\/03\/15, 2 account\(s\), 2 region\(s\), 28 fields/);
});

test('Hive-compatible keys, hourly, Parquet: the documented Parquet SerDe and Hive partitions', async () => {
  const r = await cli('s3://flow-logs/hive/', '--database', 'flowlogs', '--table', 'vpc_parquet');
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(new HiveSQL().validate(r.out), []);
  assert.equal(columnsOf(r.out), DOCUMENTED_COLUMNS.replace(/`/g, ''));
  assert.match(
    r.out,
    /PARTITIONED BY \(`aws-account-id` string, `aws-service` string, `aws-region` string, `year` string, `month` string, `day` string, `hour` string\)\nROW FORMAT SERDE 'org\.apache\.hadoop\.hive\.ql\.io\.parquet\.serde\.ParquetHiveSerDe'\nSTORED AS INPUTFORMAT 'org\.apache\.hadoop\.hive\.ql\.io\.parquet\.MapredParquetInputFormat'\nOUTPUTFORMAT 'org\.apache\.hadoop\.hive\.ql\.io\.parquet\.MapredParquetOutputFormat'\n/,
  );
  assert.equal(
    properties(r.out)['storage.location.template'],
    's3://flow-logs/hive/AWSLogs/aws-account-id=${aws-account-id}/aws-service=${aws-service}/aws-region=${aws-region}/year=${year}/month=${month}/day=${day}/hour=${hour}',
  );
});

test('--create runs it on Athena, and a query on the new table prunes by its day partition', async () => {
  const r = await cli(
    's3://flow-logs/text/',
    '--database',
    'flowlogs',
    '--table',
    'made',
    '--create',
    '--endpoint-url',
    athena.endpoint,
    '--output',
    's3://athena-results/',
  );
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /Created flowlogs\.made on Athena \(query .+\)\./);
  assert.equal(athena.queries.at(-1), r.out.replace(/;\n$/, ''));
  const engine = await Engine.open({ workspace: join(dir, 'w.duckdb'), create: true });
  try {
    const plan = (await call(engine, 'remote.plan', {
      query: 'SELECT count(*) FROM vpc_flow_logs',
      timeRange: { from: '2021-03-15T00:00:00Z', to: '2021-03-16T00:00:00Z' },
      target: {
        engine: 'athena',
        table: 'flowlogs.made',
        region: 'us-east-1',
        endpointUrl: athena.endpoint,
        s3EndpointUrl: s3.endpoint,
      },
    })) as Output<'remote.plan'>;
    assert.match(plan.sent!, /"day" >= '2021\/03\/15' AND "day" <= '2021\/03\/16'/);
    // The three text objects sit under the table's location; the estimate counts every one of them.
    assert.ok(plan.estimate && plan.estimate.bytes > 0, JSON.stringify(plan.estimate));
  } finally {
    await engine.close();
  }
});

test('a prefix holding quotes or a backslash is one string in the DDL: it neither breaks the statement nor adds to it', () => {
  const awsLogs = `s3://flow-logs/a'b"c\\d' TBLPROPERTIES ('x'='y/AWSLogs/`;
  const ddl = createTableDdl('flowlogs.t', {
    awsLogs,
    hive: false,
    hourly: false,
    format: 'text',
    fields: ['version', 'account-id', 'srcaddr'],
    accounts: ['111122223333'],
    regions: ['us-east-1'],
    firstDay: '2021/03/15',
  });
  assert.deepEqual(new HiveSQL().validate(ddl), []);
  const unescape = (literal: string) => literal.slice(1, -1).replace(/\\(.)/g, '$1');
  const location = /^LOCATION ('(?:[^'\\]|\\.)*')$/m.exec(ddl)?.[1];
  assert.equal(unescape(location ?? ''), awsLogs);
  const template = /^ {2}"storage\.location\.template" = ("(?:[^"\\]|\\.)*")$/m.exec(ddl)?.[1];
  assert.ok(unescape(template ?? '').startsWith(awsLogs));
});

test('a prefix without flow logs is refused with what was expected', async () => {
  const r = await cli('s3://flow-logs/nothing-here/');
  assert.equal(r.code === 0, false);
  assert.match(r.err, /No VPC flow-log objects under s3:\/\/flow-logs\/nothing-here\//);
});

test('a listing whose continuation token comes back page after page is given up on, naming the prefix', async () => {
  // An S3-compatible server that answers the same truncated, empty page 20 times, then an end: without the
  // bound the listing follows it all and finds no flow logs; with it, it stops after ten pages that do not move on.
  let pages = 0;
  const loop = createServer((req, res) => {
    req.resume();
    const truncated = ++pages <= 20;
    res.writeHead(200, { 'content-type': 'application/xml' });
    res.end(
      '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
        `<Name>flow-logs</Name><Prefix>AWSLogs/</Prefix><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>${truncated}</IsTruncated>` +
        (truncated ? '<NextContinuationToken>t1</NextContinuationToken>' : '') +
        '</ListBucketResult>',
    );
  });
  await new Promise<void>((resolve) => loop.listen(0, '127.0.0.1', resolve));
  try {
    const endpoint = `http://127.0.0.1:${(loop.address() as AddressInfo).port}`;
    // prettier-ignore
    const r = await flowscopeInProcess(['athena', 'table', 's3://flow-logs/AWSLogs/', '--region', 'us-east-1', '--s3-endpoint-url', endpoint]);
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      /s3:\/\/flow-logs\/AWSLogs\/: S3 answered a continuation token it had given before 10 times in a row \(ListObjectsV2\); its listing does not move on/,
    );
    assert.equal(pages, 11);
  } finally {
    loop.close();
  }
});
