import assert from 'node:assert/strict';
import { test } from 'node:test';
import { viewFromHash } from '../../../../renderer/src/lib/views';

test('a hash names its view: the sections, an entity, the imports; anything else is the workbench', () => {
  assert.equal(viewFromHash('#dashboards'), 'dashboards');
  assert.equal(viewFromHash('#entity/10.0.0.1'), 'entity');
  assert.equal(viewFromHash('#imports'), 'imports');
  assert.equal(viewFromHash('#imports/3'), 'explore');
  assert.equal(viewFromHash(''), 'explore');
});
