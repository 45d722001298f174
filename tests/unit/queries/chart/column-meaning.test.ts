import assert from 'node:assert/strict';
import { test } from 'node:test';
import { columnKind } from '../../../../queries/chart/column-kind';
import { columnMeanings } from '../../../../queries/chart/column-meaning';
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
