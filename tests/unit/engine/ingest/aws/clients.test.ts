import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endpointNotice, resolvedRegion, s3Client } from '../../../../../main/engine/ingest/aws/clients';
import type { FlowscopeError } from '../../../../../main/engine/errors';

test('a custom endpoint that is not this machine is named, since credentials are sent to it', () => {
  assert.equal(endpointNotice({}), null);
  assert.equal(endpointNotice({ endpointUrl: 'http://127.0.0.1:4566' }), null);
  assert.equal(endpointNotice({ endpointUrl: 'http://localhost:9000' }), null);
  assert.equal(endpointNotice({ endpointUrl: 'http://[::1]:9000' }), null);
  assert.match(
    endpointNotice({ endpointUrl: 'https://minio.corp.example:9000' }) ?? '',
    /custom endpoint https:\/\/minio\.corp\.example:9000/,
  );
});

test('an endpoint that is not an http(s) URL is refused', () => {
  assert.throws(() => endpointNotice({ endpointUrl: 'ftp://x' }), /must start with http/);
  assert.throws(() => s3Client({ endpointUrl: 'not a url' }), /is not a URL/);
});

test('S3 against a custom endpoint uses path-style addressing and checksums only when required', async () => {
  const client = s3Client({ endpointUrl: 'http://127.0.0.1:9000', region: 'us-east-1' });
  try {
    assert.equal(client.config.forcePathStyle, true);
    assert.equal(await client.config.requestChecksumCalculation(), 'WHEN_REQUIRED');
    assert.equal(await client.config.responseChecksumValidation(), 'WHEN_REQUIRED');
  } finally {
    client.destroy();
  }
});

test('a missing region is asked for by the app\'s control ("Choose a Region"); the option is left to the CLI', async () => {
  const saved = { ...process.env };
  // No region anywhere the SDK looks: neither the environment nor a config file.
  for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE']) delete process.env[name];
  process.env.AWS_CONFIG_FILE = '/nonexistent/flowscope-test-config';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/flowscope-test-credentials';
  const client = s3Client({ endpointUrl: 'http://127.0.0.1:9000' });
  try {
    await assert.rejects(resolvedRegion(client, {}), (err: FlowscopeError) => {
      assert.match(err.message, /Choose a Region/);
      assert.doesNotMatch(err.message, /--/, 'no command-line flag in a message the app shows');
      assert.deepEqual(err.detail, { option: 'region' });
      return true;
    });
  } finally {
    client.destroy();
    process.env = saved;
  }
});
