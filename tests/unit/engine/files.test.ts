import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { FileHandle } from '../../../preload/contract';
import { FileRegistry } from '../../../main/engine/files';
import { FlowscopeError } from '../../../main/engine/errors';

test('a registered path gets an opaque handle the contract accepts, and resolves back to the absolute path', () => {
  const files = new FileRegistry();
  const handle = files.register('some/dir/flows.log.gz');
  assert.ok(FileHandle.safeParse(handle).success);
  assert.doesNotMatch(handle, /flows/);
  assert.equal(files.resolve(handle), resolve('some/dir/flows.log.gz'));
});

test('a handle nobody registered is not_found', () => {
  const files = new FileRegistry();
  assert.throws(
    () => files.resolve('fh_AAAAAAAAAAAA'),
    (err) => err instanceof FlowscopeError && err.code === 'not_found',
  );
});
