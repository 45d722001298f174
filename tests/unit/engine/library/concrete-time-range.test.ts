import assert from 'node:assert/strict';
import { test } from 'node:test';
import { concreteTimeRange } from '../../../../main/engine/library/saved-query-file';

const span = {
  from: '2026-03-02T00:00:00.000Z',
  to: '2026-03-05T00:10:00.000Z',
  newestStart: '2026-03-05T00:00:00.000Z',
};

test('a relative range is the last of the data locally, of the wall clock for a remote engine', () => {
  assert.deepEqual(concreteTimeRange({ last: '1h' }, span), {
    from: '2026-03-04T23:00:01.000Z',
    to: '2026-03-05T00:00:01.000Z',
  });
  const now = Date.parse('2026-12-07T12:00:00.000Z');
  assert.deepEqual(concreteTimeRange({ last: '15m' }, now), {
    from: '2026-12-07T11:45:00.000Z',
    to: '2026-12-07T12:00:00.000Z',
  });
  assert.equal(concreteTimeRange({ last: '1h' }, null), undefined, 'an empty workspace: no range to take');
  const fixed = { from: '2026-03-02T00:00:00.000Z', to: '2026-03-03T00:00:00.000Z' };
  assert.deepEqual(concreteTimeRange(fixed, now), fixed);
});
