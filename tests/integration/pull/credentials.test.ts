import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startS3Server, type S3TestServer } from '../../support/s3-server';
import { cli, finished, flowLogObject, pullEnv, pullSummary, recordsIn, type PullEnv } from '../../support/pull-env';

let s3: S3TestServer;
let env: PullEnv;
let childEnv: Record<string, string>;
const SECRET = 'S3RVER';
const AMBIENT = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_PROFILE',
];
const ambient = Object.fromEntries(AMBIENT.map((name) => [name, process.env[name]]));

before(async () => {
  s3 = await startS3Server();
  // No credentials or region in the environment: everything comes from the profiles.
  for (const name of AMBIENT) delete process.env[name];
  env = pullEnv({});
  childEnv = { ...env.env, HOME: env.dir };
  writeFileSync(
    env.env.AWS_CONFIG_FILE!,
    [
      '[profile analyst]',
      'region = eu-central-1',
      '',
      '[profile sso-dev]',
      'sso_session = corp',
      'sso_account_id = 123456789012',
      'sso_role_name = FlowLogReader',
      'region = us-east-1',
      '',
      '[sso-session corp]',
      'sso_start_url = https://corp.awsapps.com/start',
      'sso_region = us-east-1',
      '',
      '[profile auditor]',
      'role_arn = arn:aws:iam::210987654321:role/FlowLogReader',
      'source_profile = analyst',
      '',
    ].join('\n'),
  );
  writeFileSync(
    env.env.AWS_SHARED_CREDENTIALS_FILE!,
    `[analyst]\naws_access_key_id = S3RVER\naws_secret_access_key = ${SECRET}\n`,
  );
  // An SSO token that expired long ago, where the AWS CLI caches it.
  const cache = join(env.dir, '.aws', 'sso', 'cache');
  mkdirSync(cache, { recursive: true });
  writeFileSync(
    join(cache, `${createHash('sha1').update('corp').digest('hex')}.json`),
    JSON.stringify({
      startUrl: 'https://corp.awsapps.com/start',
      region: 'us-east-1',
      accessToken: 'expired-token',
      expiresAt: '2020-01-01T00:00:00Z',
    }),
  );
});

after(async () => {
  await s3.close();
  env.cleanup();
  for (const [name, value] of Object.entries(ambient)) if (value !== undefined) process.env[name] = value;
});

/** `flowscope pull s3` of the bucket's AWSLogs/ into a new workspace, as the named profile. */
function pullAs(profile: string, workspace: string) {
  const args = ['pull', 's3', `s3://${s3.bucket}/AWSLogs/`, '--workspace', join(env.dir, workspace), '--json'];
  return finished(cli([...args, '--profile', profile, '--endpoint-url', s3.endpoint], childEnv));
}

test('a named profile gives the credentials and the region of a pull', async () => {
  const body = await flowLogObject(join(env.dir, 'o.log.gz'), {
    seed: 5,
    start: new Date('2026-03-02T00:00:00Z'),
    span: 300,
    records: 30,
  });
  await s3.put('AWSLogs/123456789012/vpcflowlogs/eu-central-1/2026/03/02/o.log.gz', body);
  const r = await pullAs('analyst', 'p.duckdb');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(pullSummary(r.stdout).records, recordsIn(body));
  assert.doesNotMatch(r.stderr, /custom endpoint/, 'a loopback endpoint needs no warning');
});

test('an expired SSO session says which aws sso login to run', async () => {
  const r = await pullAs('sso-dev', 'sso.duckdb');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /aws sso login --profile sso-dev/);
});

test("a profile that does not exist is said in one line naming it and the files read, without the SDK's warnings", async () => {
  // Keys in the environment as well: the SDK then warns in nine lines that it prefers the profile.
  const args = ['pull', 's3', `s3://${s3.bucket}/AWSLogs/`, '--workspace', join(env.dir, 'ghost.duckdb')];
  const r = await finished(
    cli([...args, '--profile', 'ghost', '--region', 'us-east-1', '--endpoint-url', s3.endpoint], {
      ...childEnv,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: SECRET,
    }),
  );
  assert.equal(r.code, 1, r.stderr);
  const said = r.stderr.split('\n').filter((line) => line && !/past its end of life/.test(line));
  assert.deepEqual(said, [
    `flowscope pull: There is no AWS profile "ghost" in ${env.env.AWS_CONFIG_FILE} or ${env.env.AWS_SHARED_CREDENTIALS_FILE}, where profiles are read from: choose one of analyst, auditor, sso-dev (flowscope aws profiles lists them). (what was pulled before this stays in the workspace)`,
  ]);
});

test('profiles are listed by name, region and kind, never with their keys', async () => {
  const r = await finished(cli(['aws', 'profiles', '--json'], childEnv));
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [
    { name: 'analyst', region: 'eu-central-1', kind: 'keys' },
    { name: 'auditor', kind: 'assume-role' },
    { name: 'sso-dev', region: 'us-east-1', kind: 'sso' },
  ]);
  assert.doesNotMatch(r.stdout, new RegExp(SECRET));
});
