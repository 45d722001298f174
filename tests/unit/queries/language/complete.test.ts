import assert from 'node:assert/strict';
import { test } from 'node:test';
import { complete } from '../../../../queries/language/complete';
import { INSIGHTS_COMMANDS } from '../../../../queries/language/insights/parser';

const labels = (text: string, cursor = text.length) =>
  complete(text, cursor).options.map((o) => `${o.kind}:${o.label}`);

test('at the start of a query or after a pipe, the commands are offered with their syntax', () => {
  const r = complete('filter action = "REJECT" | st', 29);
  assert.deepEqual([r.from, r.to], [27, 29]);
  assert.deepEqual(
    r.options.map((o) => o.label),
    ['stats'],
  );
  assert.match(r.options[0]!.detail!, /stats agg\(field\)/);
  assert.equal(labels('').length, Object.keys(INSIGHTS_COMMANDS).length);
});

test('in an expression, fields and scalar functions are offered with short docs', () => {
  const r = complete('filter src', 10);
  assert.deepEqual(
    r.options.map((o) => o.label),
    ['srcAddr', 'srcPort'],
  );
  assert.ok(r.options[0]!.doc);
  assert.ok(labels('filter isIp').includes('function:isIpInSubnet'));
  assert.ok(!labels('filter co').includes('function:count'));
});

test('aggregates are offered in stats, but not after by', () => {
  assert.ok(labels('stats co').includes('function:count_distinct'));
  assert.ok(!labels('stats count(*) by co').includes('function:count'));
});

test('after stats only its columns are fields', () => {
  const fields = labels('stats count(*) as n by srcAddr | sort ').filter((l) => l.startsWith('field:'));
  assert.deepEqual(fields, ['field:srcAddr', 'field:n']);
});

test('after a complete expression, the keywords that may follow are offered', () => {
  assert.deepEqual(labels('sort bytes d'), ['keyword:desc']);
  assert.deepEqual(labels('filter srcAddr = "1" '), ['keyword:and', 'keyword:or', 'keyword:|']);
});

test('fields computed earlier are offered by name', () => {
  assert.ok(labels('fields bytes / packets as bpp | sort b').includes('field:bpp'));
});

test('SQL completion offers the flows table and its columns', () => {
  assert.deepEqual(labels('SELECT srca'), ['field:srcaddr']);
  assert.ok(labels('SELECT * FROM fl').includes('value:flows'));
});

test("DuckDB SQL offers DuckDB's functions as DuckDB writes them, and the enrichment macros once", () => {
  const sql = (text: string) => complete(text, text.length, 'sql').options.map((o) => `${o.kind}:${o.label}`);
  const counts = sql('SELECT cou');
  for (const f of ['count', 'count_if', 'count_star']) assert.ok(counts.includes(`function:${f}`), f);
  assert.ok(sql('SELECT COU').includes('function:count'), 'typed in capitals, still offered');
  assert.equal(sql('SELECT protocol_na').filter((l) => l === 'function:protocol_name').length, 1);
  assert.ok(sql('SELECT date_tr').includes('function:date_trunc'));
  // What the guard refuses is never offered.
  assert.deepEqual(
    sql('SELECT ').filter((l) => /^function:(query|checkpoint|enable_profiling)$/.test(l)),
    [],
  );
  const count = complete('SELECT cou', 10, 'sql').options.find((o) => o.label === 'count')!;
  assert.equal(count.apply, 'count(');
  assert.equal(count.detail, 'DuckDB aggregate');
});
