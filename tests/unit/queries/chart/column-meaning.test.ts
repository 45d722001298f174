import assert from 'node:assert/strict';
import { test } from 'node:test';
import { columnKind } from '../../../../queries/chart/column-kind';
import { columnMeanings } from '../../../../queries/chart/column-meaning';
import { sqlColumnMeanings } from '../../../../queries/chart/sql-column-meaning';
import { compileQuery } from '../../../../queries/language';

const meanings = (query: string) => {
  const compiled = compileQuery(query);
  assert.deepEqual(compiled.diagnostics, []);
  const kindOf = columnMeanings(compiled.plan!);
  return Object.fromEntries(compiled.columns!.map((name) => [name, kindOf(name)]));
};

test('a column means what its query computed, whatever it is called', () => {
  assert.deepEqual(meanings('stats sum(bytes) as total, count(*) as flows, avg(packets) as p by dstPort, srcAddr'), {
    dstPort: 'port',
    srcAddr: 'ip',
    total: 'bytes',
    flows: 'number',
    p: 'number',
  });
  // Sumo names its aggregates itself; arithmetic on bytes is another unit.
  assert.deepEqual(meanings('_sourceCategory=vpc | sum(bytes) as b, count by dest_port | b / 1024 / 1024 as MB'), {
    dest_port: 'port',
    b: 'bytes',
    _count: 'number',
    MB: 'number',
  });
  assert.deepEqual(meanings('fields srcPort as p, bytes as size | filter p > 0 | display p, size'), {
    p: 'port',
    size: 'bytes',
  });
});

test('the meaning a query gives wins over the name, and an unknown column is read by name and type', () => {
  assert.equal(columnKind({ name: 'total', type: 'HUGEINT', kind: 'bytes' }), 'bytes');
  assert.equal(columnKind({ name: 'total', type: 'HUGEINT' }), 'number');
  assert.equal(columnKind({ name: 'sent_bytes', type: 'BIGINT' }), 'bytes');
  assert.equal(columnKind({ name: 'dstport', type: 'INTEGER' }), 'port');
  assert.equal(columnKind({ name: 'port', type: 'INTEGER' }), 'port', 'dstport AS port');
  assert.equal(columnKind({ name: 'port', type: 'DOUBLE' }), 'number', 'a mean of ports is no port');
  assert.equal(columnKind({ name: 'peer', type: 'VARCHAR' }), 'ip');
  assert.equal(columnKind({ name: 'when', type: 'TIMESTAMP', kind: 'number' }), 'time');
});

test('a SQL column that is a flow-log field, or the min, max or any of one, means that field whatever its name', () => {
  const kindOf = sqlColumnMeanings(
    'SELECT dstport, min(start) first_seen, max(f."end") AS last_seen, any_value(dstport) AS p, count(*) AS n FROM flows f WHERE action = \'REJECT\' GROUP BY 1',
    'sql',
  );
  assert.equal(kindOf('first_seen'), 'other', 'epoch seconds, read as start is: no separators');
  assert.equal(kindOf('last_seen'), 'other');
  assert.equal(kindOf('p'), 'port');
  assert.equal(kindOf('n'), null, 'a count is read by name and type');
  assert.equal(kindOf('dstport'), null, 'an unaliased column keeps its own name');
  assert.equal(
    columnKind({ name: 'first_seen', type: 'BIGINT', kind: kindOf('first_seen') ?? undefined }),
    columnKind({ name: 'start', type: 'BIGINT' }),
  );
  assert.equal(sqlColumnMeanings('SELECT min(start) AS lo FROM flows', 'athena')('lo'), 'other');
  assert.equal(sqlColumnMeanings('SELECT (', 'sql')('lo'), null, 'a text the parser does not take says nothing');
});
