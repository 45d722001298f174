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

test('cancellation is recognised as such, not as a failure', () => {
  assert.equal(
    classifyAwsError(Object.assign(new Error('The operation was aborted'), { name: 'AbortError' }), object).kind,
    'cancelled',
  );
});
