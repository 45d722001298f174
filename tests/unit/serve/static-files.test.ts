import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolve } from 'node:path';
import { containedPath } from '../../../main/serve/static-files';

const root = resolve('/srv/renderer');

test('paths inside the renderer folder resolve to files in it', () => {
  assert.equal(containedPath(root, '/index.html'), resolve(root, 'index.html'));
  assert.equal(containedPath(root, '/assets/app%20x.js'), resolve(root, 'assets/app x.js'));
  assert.equal(containedPath(root, '/assets/'), resolve(root, 'assets/index.html'));
});

test('paths that climb out, smuggle NUL or backslashes, or are badly encoded are refused', () => {
  for (const path of [
    '/../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/a/../../x',
    '/x%00.html',
    '/..\\x',
    '/%E0%A4%A',
    '/..',
  ]) {
    assert.equal(containedPath(root, path), null, path);
  }
});
