import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyAwsError } from '../../../../../main/engine/ingest/aws/errors';

const sdkError = (name: string, message: string, status: number, fault: 'client' | 'server' = 'client') =>
  Object.assign(new Error(message), { name, $fault: fault, $metadata: { httpStatusCode: status } });
const object = { subject: 's3://b/k', perObject: true, profile: 'prod' };

test('throttling, 5xx and dropped connections are retried', () => {
  assert.equal(classifyAwsError(sdkError('ThrottlingException', 'Rate exceeded', 400), { subject: 'g' }).kind, 'retry');
  assert.equal(classifyAwsError(sdkError('SlowDown', 'Please reduce', 503, 'server'), object).kind, 'retry');
  assert.equal(classifyAwsError(sdkError('Whatever', 'boom', 502, 'server'), object).kind, 'retry');
  assert.equal(classifyAwsError(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }), object).kind, 'retry');
});

test('an archived object is reported by itself with what to do', () => {
  const v = classifyAwsError(
    sdkError('InvalidObjectState', 'The operation is not valid for the object storage class', 403),
    object,
  );
  assert.equal(v.kind, 'object');
  assert.match(v.kind === 'object' ? v.reason : '', /Glacier.*restore/);
});

test('a KMS denial on one object is that object’s problem, named as KMS', () => {
  const v = classifyAwsError(
    sdkError('AccessDenied', 'User is not authorized to perform: kms:Decrypt on the resource', 403),
    object,
  );
  assert.equal(v.kind, 'object');
  assert.match(v.kind === 'object' ? v.reason : '', /^KMS key access denied/);
});

test('access denied on a listing or a log group stops the pull with a clear message', () => {
  const v = classifyAwsError(
    sdkError('AccessDeniedException', 'not authorized to perform: logs:FilterLogEvents', 400),
    { subject: 'log group /vpc/flow', profile: 'prod' },
  );
  assert.equal(v.kind, 'fatal');
  assert.match(v.kind === 'fatal' ? v.error.message : '', /Access denied to log group \/vpc\/flow for profile "prod"/);
  const missing = classifyAwsError(
    sdkError('ResourceNotFoundException', 'The specified log group does not exist.', 400),
    { subject: 'log group /nope' },
  );
  assert.equal(missing.kind === 'fatal' && missing.error.code, 'not_found');
});

test('an expired SSO session says which aws sso login to run', () => {
  const err = Object.assign(
    new Error(
      'The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login with the corresponding profile.',
    ),
    {
      name: 'CredentialsProviderError',
    },
  );
  const v = classifyAwsError(err, { subject: 's3://b/', profile: 'sso-dev' });
  assert.equal(v.kind, 'fatal');
  assert.match(v.kind === 'fatal' ? v.error.message : '', /Run: aws sso login --profile sso-dev$/);
});

test("expired or refused credentials name where they came from, the environment's keys too, and say to try again, not to pull", () => {
  const saved = { key: process.env.AWS_ACCESS_KEY_ID, profile: process.env.AWS_PROFILE };
  const expired = sdkError('ExpiredTokenException', 'The security token included in the request is expired', 400);
  const refused = sdkError(
    'UnrecognizedClientException',
    'The security token included in the request is invalid.',
    400,
  );
  const said = (err: Error, ctx: { subject: string; profile?: string }) => {
    const v = classifyAwsError(err, ctx);
    assert.equal(v.kind, 'fatal');
    return v.kind === 'fatal' ? v.error.message : '';
  };
  try {
    process.env.AWS_ACCESS_KEY_ID = 'AKIAEXAMPLE';
    delete process.env.AWS_PROFILE;
    assert.equal(
      said(expired, { subject: 'Athena' }),
      'The AWS credentials in the environment (AWS_ACCESS_KEY_ID) have expired; refresh them and try again. (The security token included in the request is expired)',
    );
    assert.match(
      said(refused, { subject: 'Athena' }),
      /^AWS refused the credentials in the environment \(AWS_ACCESS_KEY_ID\) \(/,
    );
    // A profile, given or in AWS_PROFILE, is what the SDK's chain reads instead of the environment's keys.
    assert.match(
      said(expired, { subject: 'Athena', profile: 'prod' }),
      /^The AWS credentials of profile "prod" have expired;/,
    );
    process.env.AWS_PROFILE = 'dev';
    assert.match(said(expired, { subject: 'Athena' }), /^The AWS credentials of profile "dev" have expired;/);
    delete process.env.AWS_PROFILE;
    delete process.env.AWS_ACCESS_KEY_ID;
    assert.match(said(refused, { subject: 'Athena' }), /^AWS refused the credentials of profile "default" \(/);
  } finally {
    for (const [k, v] of [
      ['AWS_ACCESS_KEY_ID', saved.key],
      ['AWS_PROFILE', saved.profile],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});

test('cancellation is recognised as such, not as a failure', () => {
  assert.equal(
    classifyAwsError(Object.assign(new Error('The operation was aborted'), { name: 'AbortError' }), object).kind,
    'cancelled',
  );
});
