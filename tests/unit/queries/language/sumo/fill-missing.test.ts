import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileQuery } from '../../../../../queries/language/index';
import { parseSumo } from '../../../../../queries/language/sumo/parser';
import { sumoOperator } from '../../../../../queries/language/sumo/vocabulary';

const last = (query: string) => {
  const stage = parseSumo(query).stages.at(-1);
  assert.equal(stage?.kind, 'fillmissing', query);
  return stage as Extract<typeof stage, { kind: 'fillmissing' }>;
};
const plain = (v: unknown) => JSON.parse(JSON.stringify(v, (k, x) => (k === 'span' ? undefined : x)));

test('fillmissing reads the forms of Sumo reference: timeslice, values, all, with … for, takeLast', () => {
  assert.equal(sumoOperator('fillmissing')?.refused, undefined);
  assert.deepEqual(plain(last('* | timeslice 5m | count by _timeslice | fillmissing timeslice').generators), [
    { kind: 'timeslice', stepMs: 300_000, field: null },
  ]);
  const two = last(
    '* | timeslice 1m | count by _timeslice, action | fillmissing timeslice(15m) in _timeslice, values("ACCEPT", "REJECT") in action with 0 for _count, "none" for note, null for other, -1.5 for x takeLast',
  );
  assert.deepEqual(plain(two.generators), [
    { kind: 'timeslice', stepMs: 900_000, field: { name: '_timeslice' } },
    { kind: 'values', values: ['ACCEPT', 'REJECT'], field: { name: 'action' } },
  ]);
  assert.deepEqual(
    two.fills.map((f) => [f.field.name, f.value.kind === 'number' || f.value.kind === 'string' ? f.value.value : null]),
    [
      ['_count', 0],
      ['note', 'none'],
      ['other', null],
      ['x', -1.5],
    ],
  );
  assert.equal(two.takeLast, true);
  assert.deepEqual(plain(last('* | count by action | fillmissing values all in action').generators), [
    { kind: 'values', values: 'all', field: { name: 'action' } },
  ]);
});

test('fillmissing keeps the columns of the result, and may follow transpose with a timeslice generator', () => {
  const r = compileQuery(
    '* | timeslice 1h | count by _timeslice, action | fillmissing timeslice, values all in action',
    {
      dialect: 'sumo',
    },
  );
  assert.deepEqual(r.columns, ['_timeslice', 'action', '_count']);
  const t = compileQuery(
    '* | timeslice 1h | count by _timeslice, action | transpose row _timeslice column action | fillmissing timeslice(1h)',
    { dialect: 'sumo' },
  );
  assert.deepEqual(t.diagnostics, []);
  const after = compileQuery(
    '* | timeslice 1h | count by _timeslice, action | transpose row _timeslice column action | fillmissing timeslice | limit 5',
    { dialect: 'sumo' },
  );
  assert.match(after.diagnostics[0]?.message ?? '', /`transpose` must be the last operator/);
});

test('like Sumo, fillmissing fills at most 10,000 combinations, and says so', () => {
  const r = compileQuery('* | timeslice 1m | count by _timeslice | fillmissing timeslice', {
    dialect: 'sumo',
    timeRange: { from: '2026-03-01T00:00:00Z', to: '2026-03-10T00:00:00Z' },
  });
  assert.deepEqual(r.diagnostics, []);
  assert.match(r.warnings?.[0]?.message ?? '', /about 12,961 combinations; .* only the first 10,000/);
  assert.match(r.sql ?? '', /LIMIT 10000/);
});
