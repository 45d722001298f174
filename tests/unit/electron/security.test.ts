import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAllowedExternalUrl, isAppUrl } from '../../../main/electron/security';

test('only listed https documentation sites may be opened in the browser', () => {
  assert.equal(isAllowedExternalUrl('https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html'), true);
  assert.equal(isAllowedExternalUrl('https://duckdb.org/docs/'), true);
  for (const url of [
    'http://docs.aws.amazon.com/x',
    'https://docs.aws.amazon.com.evil.example/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://host/share',
    'https://evil.example/?https://duckdb.org/',
  ]) {
    assert.equal(isAllowedExternalUrl(url), false, url);
  }
});

test('navigation stays on the app:// origin', () => {
  assert.equal(isAppUrl('app://flowscope/index.html'), true);
  for (const url of ['app://other/index.html', 'file:///tmp/x.html', 'https://flowscope', 'not a url'])
    assert.equal(isAppUrl(url), false, url);
});
