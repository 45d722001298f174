import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  folderMayHold,
  isFlowLogObject,
  isOtherAwsDelivery,
  jumpAfter,
  parseKey,
  parseS3Url,
  unwantedFolder,
} from '../../../../../main/engine/ingest/aws/s3-layout';

const day = (d: string) => Date.parse(`${d}Z`);

test('an S3 URL splits into bucket and prefix; anything else is refused', () => {
  assert.deepEqual(parseS3Url('s3://my-logs/AWSLogs/'), { bucket: 'my-logs', prefix: 'AWSLogs/' });
  assert.deepEqual(parseS3Url('s3://my-logs'), { bucket: 'my-logs', prefix: '' });
  assert.throws(() => parseS3Url('https://my-logs/x'), /not an S3 URL/);
});

test('the classic layout yields account, region and date down to the day', () => {
  const info = parseKey(
    'AWSLogs/123456789012/vpcflowlogs/eu-west-1/2026/03/09/123456789012_vpcflowlogs_eu-west-1_fl-1_20260309T1005Z_ab12.log.gz',
  );
  assert.deepEqual(
    { ...info },
    {
      depth: 'day',
      format: 'text',
      account: '123456789012',
      region: 'eu-west-1',
      year: 2026,
      month: 3,
      day: 9,
      dateBase: 'AWSLogs/123456789012/vpcflowlogs/eu-west-1/',
      dateStyle: 'path',
      service: 'vpcflowlogs',
      accountBase: 'AWSLogs/123456789012/',
      serviceBase: 'AWSLogs/123456789012/vpcflowlogs/',
      regionBase: 'AWSLogs/123456789012/vpcflowlogs/eu-west-1/',
    },
  );
});

test('hourly folders, organisation prefixes and a leading custom prefix are understood', () => {
  const hourly = parseKey('logs/o-abcd1234/AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/03/09/17/x.log.gz');
  assert.equal(hourly.organization, 'o-abcd1234');
  assert.equal(hourly.depth, 'hour');
  assert.equal(hourly.hour, 17);
  const orgInside = parseKey('AWSLogs/o-abcd1234/210987654321/vpcflowlogs/us-east-2/2026/');
  assert.equal(orgInside.account, '210987654321');
  assert.equal(orgInside.region, 'us-east-2');
  assert.equal(orgInside.depth, 'year');
});

test('Hive-style partitions are read by name, Parquet objects recognised', () => {
  const info = parseKey(
    'AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2026/month=03/day=09/hour=05/x.parquet',
  );
  assert.equal(info.account, '123456789012');
  assert.equal(info.region, 'us-east-1');
  assert.equal(info.format, 'parquet');
  assert.deepEqual([info.year, info.month, info.day, info.hour, info.depth], [2026, 3, 9, 5, 'hour']);
});

test('a time-bounded pull keeps the folders of the range and the next day (late delivery), not earlier or later ones', () => {
  const range = { from: day('2026-03-09T10:00:00'), to: day('2026-03-09T11:00:00') };
  const folder = (d: string) => parseKey(`AWSLogs/123456789012/vpcflowlogs/us-east-1/${d}/`);
  assert.equal(folderMayHold(folder('2026/03/09'), range), true);
  assert.equal(folderMayHold(folder('2026/03/10'), range), true, 'next day: late delivery');
  assert.equal(folderMayHold(folder('2026/03/08'), range), false, 'delivered before the range began');
  assert.equal(folderMayHold(folder('2026/03/08'), { from: day('2026-03-09T00:10:00'), to: null }), true, 'clock skew');
  assert.equal(folderMayHold(folder('2026/03/11'), range), false);
  assert.equal(folderMayHold(folder('2026/03/07'), range), false);
  assert.equal(folderMayHold(folder('2026/03'), range), true);
  assert.equal(folderMayHold(folder('2026/04'), range), false);
  assert.equal(folderMayHold(folder('2025'), range), false);
});

test('hour folders are kept from just before the range to an hour after it', () => {
  const range = { from: day('2026-03-09T10:00:00'), to: day('2026-03-09T10:30:00') };
  const hour = (h: string) => parseKey(`AWSLogs/year=2026/month=03/day=09/hour=${h}/`);
  assert.equal(folderMayHold(hour('10'), range), true);
  assert.equal(folderMayHold(hour('11'), range), true);
  assert.equal(folderMayHold(hour('12'), range), false);
  assert.equal(folderMayHold(hour('08'), range), false);
  assert.equal(folderMayHold(hour('09'), range), true, 'clock skew at its end');
  assert.equal(folderMayHold(parseKey('some/other/prefix/'), range), true, 'unknown layouts are listed');
});

test('only flow-log objects are pulled, not folder markers, the delivery test object or JSON among AWS deliveries', () => {
  assert.equal(isFlowLogObject('AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/03/09/a.log.gz'), true);
  assert.equal(isFlowLogObject('AWSLogs/x/y.parquet'), true);
  assert.equal(isFlowLogObject('AWSLogs/x/'), false);
  assert.equal(isFlowLogObject('AWSLogs/123456789012/aws-logs-write-test'), false);
  assert.equal(isFlowLogObject('AWSLogs/readme.json'), false);
  // Outside AWS's own delivery, JSON may be a subscription Lambda's captured events or a CloudWatch export.
  assert.equal(isFlowLogObject('captures/2026/03/02/events-0001.json'), true);
  assert.equal(isFlowLogObject('captures/readme.md'), false);
  // Stray objects beside deliveries: notes, markers written by other tools.
  assert.equal(isFlowLogObject('AWSLogs/123456789012/vpcflowlogs/notes.txt'), false);
  assert.equal(isFlowLogObject('archive/vpc/2026/03/02/10/_SUCCESS'), false);
  assert.equal(isFlowLogObject('archive/vpc/LICENSE'), false);
  assert.equal(
    isFlowLogObject('archive/vpc/2026/03/02/10/vpc.archive-1-2026-03-02-10-05-00-7d1f0c2a-5b3e-4f61-9a8d-1c2b3a4d5e6f'),
    true,
    'a Firehose object: no extension, a dot in its stream name',
  );
  assert.equal(isOtherAwsDelivery('sync/AWSLogs/123456789012/CloudTrail/us-east-1/2026/03/02/x.json.gz'), true);
  assert.equal(isOtherAwsDelivery('sync/AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/03/02/x.json'), true);
  assert.equal(isOtherAwsDelivery('sync/AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/03/02/x.log.gz'), false);
});

test('a listing jumps from a folder before the range to the day the range starts, and past the date folders after it', () => {
  const range = { from: day('2026-03-09T10:00:00'), to: day('2026-03-09T11:00:00') };
  const early = 'AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/02/20/x.log.gz';
  assert.equal(jumpAfter(early, parseKey(early), range), 'AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/03/09');
  const late = 'AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/04/01/x.log.gz';
  assert.equal(jumpAfter(late, parseKey(late), range), 'AWSLogs/123456789012/vpcflowlogs/us-east-1/\uffff');
  const hive =
    'AWSLogs/aws-account-id=1/aws-service=vpcflowlogs/aws-region=eu-west-1/year=2025/month=12/day=31/x.parquet';
  assert.equal(
    jumpAfter(hive, parseKey(hive), range),
    'AWSLogs/aws-account-id=1/aws-service=vpcflowlogs/aws-region=eu-west-1/year=2026/month=03/day=09',
  );
  const near = 'AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/03/09/07/x.log.gz';
  assert.equal(
    jumpAfter(near, parseKey(near), range),
    null,
    'an hour folder of the same day is skipped, not jumped from',
  );
  assert.equal(jumpAfter('other/x.log.gz', parseKey('other/x.log.gz'), range), null);
});

test('Security Lake keys yield region, account and event day; its other sources are not flow logs', () => {
  const key =
    'aws/VPC_FLOW/1.0/region=eu-west-1/accountId=123456789012/eventDay=20260309/5f3a1c9e-2b7d-4e0f-9a61-0c8d7e6b5a43.gz.parquet';
  const info = parseKey(key);
  assert.deepEqual(
    [info.lakeSource, info.region, info.account, info.year, info.month, info.day, info.depth, info.format],
    ['VPC_FLOW', 'eu-west-1', '123456789012', 2026, 3, 9, 'day', 'parquet'],
  );
  assert.equal(isFlowLogObject(key), true);
  assert.equal(
    isFlowLogObject('aws/CLOUD_TRAIL_MGMT/2.0/region=eu-west-1/accountId=123456789012/eventDay=20260309/x.gz.parquet'),
    false,
  );
  const range = { from: day('2026-03-09T10:00:00'), to: day('2026-03-09T11:00:00') };
  const early = 'aws/VPC_FLOW/1.0/region=eu-west-1/accountId=123456789012/eventDay=20260220/x.gz.parquet';
  assert.equal(
    jumpAfter(early, parseKey(early), range),
    'aws/VPC_FLOW/1.0/region=eu-west-1/accountId=123456789012/eventDay=20260309',
  );
});

test('Firehose objects have no extension and sit in hour folders under any prefix', () => {
  const key = 'vpc-archive/2026/03/09/17/flow-archive.v2-1-2026-03-09-17-05-31-6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
  assert.equal(isFlowLogObject(key), true);
  const info = parseKey(key);
  assert.deepEqual([info.year, info.month, info.day, info.hour, info.depth], [2026, 3, 9, 17, 'hour']);
  assert.equal(info.dateBase, 'vpc-archive/');
  const atRoot = parseKey('2026/03/09/17/s-1-2026-03-09-17-05-31-abc');
  assert.equal(atRoot.dateBase, '');
  const range = { from: day('2026-03-09T10:00:00'), to: day('2026-03-09T11:00:00') };
  assert.equal(folderMayHold(info, range), false, 'delivered hours after the range');
  const early = 'vpc-archive/2026/02/01/00/s-1-2026-02-01-00-00-00-abc';
  assert.equal(jumpAfter(early, parseKey(early), range), 'vpc-archive/2026/03/09');
  assert.equal(isFlowLogObject('vpc-archive/notes.md'), false);
});

test('an organisation bucket: other services are passed over, and unwanted accounts and regions jumped past', () => {
  const skip = (key: string, filter: { accounts?: string[]; regions?: string[] } = {}) =>
    unwantedFolder(key, parseKey(key), filter);
  const trail = 'o-abcd1234/AWSLogs/111111111111/CloudTrail/us-east-1/2026/03/09/x.json.gz';
  assert.equal(isFlowLogObject(trail), false);
  assert.deepEqual(skip(trail), { jumpTo: 'o-abcd1234/AWSLogs/111111111111/CloudTrail/\uffff' });
  const flow = 'AWSLogs/o-abcd1234/111111111111/vpcflowlogs/eu-west-1/2026/03/09/x.log.gz';
  assert.equal(skip(flow), null);
  assert.equal(skip(flow, { accounts: ['111111111111'], regions: ['eu-west-1'] }), null);
  assert.deepEqual(skip(flow, { accounts: ['222222222222'] }), { jumpTo: 'AWSLogs/o-abcd1234/111111111111/\uffff' });
  assert.deepEqual(skip(flow, { regions: ['us-east-1'] }), {
    jumpTo: 'AWSLogs/o-abcd1234/111111111111/vpcflowlogs/eu-west-1/\uffff',
  });
  assert.deepEqual(skip(flow, { accounts: ['2'], regions: ['x'] }), {
    jumpTo: 'AWSLogs/o-abcd1234/111111111111/\uffff',
  });
  const hive = 'AWSLogs/aws-account-id=111111111111/aws-service=vpcflowlogs/aws-region=eu-west-1/year=2026/x.parquet';
  assert.deepEqual(skip(hive, { regions: ['us-east-1'] }), {
    jumpTo: 'AWSLogs/aws-account-id=111111111111/aws-service=vpcflowlogs/aws-region=eu-west-1/\uffff',
  });
  const lake = 'lake/aws/VPC_FLOW/1.0/region=eu-west-1/accountId=111111111111/eventDay=20260309/x.parquet';
  assert.deepEqual(skip(lake, { regions: ['us-east-1'], accounts: ['222222222222'] }), {
    jumpTo: 'lake/aws/VPC_FLOW/1.0/region=eu-west-1/\uffff',
  });
  assert.deepEqual(skip('firehose/2026/03/09/10/s-1-x', { accounts: ['111111111111'] }), { jumpTo: null });
  assert.equal(isFlowLogObject('AWSLogs/111111111111/aws-logs-write-test'), false);
});
