import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileNameOf, parseId, slugify, stemOf, uniqueStem } from '../../../../main/engine/library/names';
import { FlowscopeError } from '../../../../main/engine/errors';

test('a display name becomes a kebab-case file stem', () => {
  assert.equal(slugify('Top talkers (bytes)'), 'top-talkers-bytes');
  assert.equal(slugify('Rejets réseau — SSH'), 'rejets-reseau-ssh');
  assert.equal(slugify('../../etc/passwd'), 'etc-passwd');
  assert.equal(slugify('///'), 'untitled');
  assert.ok(slugify('x'.repeat(500)).length <= 80);
});

test('ids that would reach outside the library folder are refused', () => {
  for (const id of [
    'user:../x',
    'user:a/b',
    'user:..',
    'user:.hidden',
    'builtin:C:\\x',
    'user:',
    'other:x',
    'user:A',
    'user:a-',
  ]) {
    assert.throws(
      () => parseId(id),
      (err: unknown) => err instanceof FlowscopeError && err.code === 'bad_request',
      id,
    );
  }
  assert.deepEqual(parseId('builtin:overview'), { origin: 'builtin', stem: 'overview' });
});

test('only our own file names are listed as entries', () => {
  assert.equal(stemOf('top-talkers.flowquery.json', 'query'), 'top-talkers');
  assert.equal(stemOf('top-talkers.flowquery.json', 'dashboard'), null);
  assert.equal(stemOf('.x.flowquery.json', 'query'), null);
  assert.equal(stemOf('Top.flowquery.json', 'query'), null);
  assert.equal(fileNameOf('overview', 'dashboard'), 'overview.flowdash.json');
  assert.throws(() => fileNameOf('../x', 'query'));
});

test('a taken stem gets the first free numeric suffix', () => {
  const taken = new Set(['a', 'a-2']);
  assert.equal(
    uniqueStem('a', (s) => taken.has(s)),
    'a-3',
  );
  assert.equal(
    uniqueStem('b', (s) => taken.has(s)),
    'b',
  );
});
