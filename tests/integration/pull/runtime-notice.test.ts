import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runtimeNotice } from '../../../main/engine/ingest/aws/clients';
import { startS3Server, S3RVER_CREDENTIALS, type S3TestServer } from '../../support/s3-server';
import { cli, finished, flowLogObject, pullEnv, type PullEnv } from '../../support/pull-env';

let s3: S3TestServer;
let env: PullEnv;

before(async () => {
  env = pullEnv(S3RVER_CREDENTIALS);
  s3 = await startS3Server();
});
after(async () => {
  await s3.close();
  env.cleanup();
});

test('the runtime notice names an old Node.js in one line, and nothing for 22 and newer', () => {
  assert.equal(
    runtimeNotice('20.19.0'),
    "Node.js 20.19.0 is past its end of life; the AWS SDK's releases from January 2027 need Node.js 22 or newer.",
  );
  assert.equal(runtimeNotice('22.12.0'), undefined);
  assert.equal(runtimeNotice('24.1.0'), undefined);
});

test("a pull says the runtime notice once, in one line, and the SDK's own warning never appears", async () => {
  const key = 'AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/03/02/a.log.gz';
  await s3.put(
    key,
    await flowLogObject(join(env.dir, 'a.log.gz'), {
      seed: 3,
      start: new Date('2026-03-02T00:00:00Z'),
      span: 600,
      records: 20,
    }),
  );
  // The SDK's switch as a user has it: unset.
  const { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: _, ...userEnv } = env.env;
  const childEnv = { ...userEnv, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '' };
  const workspace = join(env.dir, 'w.duckdb');
  const run = await finished(
    cli(
      ['pull', 's3', `s3://${s3.bucket}/AWSLogs/`, '--workspace', workspace, '--endpoint-url', s3.endpoint],
      childEnv,
    ),
  );
  assert.equal(run.code, 0, run.stderr);
  assert.doesNotMatch(run.stderr, /NodeVersionSupportWarning|a\.co\/c895JFp/);
  const notices = run.stderr.split('\n').filter((l) => l.includes('past its end of life'));
  assert.equal(notices.length, Number(process.versions.node.split('.')[0]) < 22 ? 1 : 0, run.stderr);
  const listing = await finished(cli(['aws', 'buckets', '--endpoint-url', s3.endpoint], childEnv));
  assert.equal(listing.code, 0, listing.stderr);
  assert.doesNotMatch(listing.stderr, /NodeVersionSupportWarning/);
});
