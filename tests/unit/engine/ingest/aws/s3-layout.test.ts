import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  folderMayHold,
  isFlowLogObject,
  jumpAfter,
  parseKey,
  parseS3Url,
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

test('only flow-log objects are pulled, not folder markers or the delivery test object', () => {
  assert.equal(isFlowLogObject('AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/03/09/a.log.gz'), true);
  assert.equal(isFlowLogObject('AWSLogs/x/y.parquet'), true);
  assert.equal(isFlowLogObject('AWSLogs/x/'), false);
  assert.equal(isFlowLogObject('AWSLogs/123456789012/aws-logs-write-test'), false);
  assert.equal(isFlowLogObject('AWSLogs/readme.json'), false);
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
