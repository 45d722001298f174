import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cellFormatters, formatBytes, formatTime } from '../../../../renderer/src/lib/cell-format';
import { columnKind } from '../../../../queries/chart/column-kind';

describe('cells formatted for people', () => {
  it('shows bytes in binary units', () => {
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.50 KB');
    assert.equal(formatBytes(5 * 1024 ** 3), '5.00 GB');
    assert.equal(formatBytes(123 * 1024 ** 2), '123 MB');
  });

  it('shows times in UTC by default and in the local zone when asked', () => {
    assert.equal(formatTime('2026-01-02T03:04:05Z', 'utc'), '2026-01-02 03:04:05');
    assert.equal(formatTime('2026-01-02T03:04:05.250Z', 'utc'), '2026-01-02 03:04:05.250');
    const local = new Date('2026-01-02T03:04:05Z');
    assert.equal(formatTime('2026-01-02T03:04:05Z', 'local').slice(11, 13), String(local.getHours()).padStart(2, '0'));
  });

  it('knows flow-log fields by their Insights and Athena names', () => {
    assert.equal(columnKind({ name: 'srcAddr', type: 'VARCHAR' }), 'ip');
    assert.equal(columnKind({ name: 'dstport', type: 'INTEGER' }), 'port');
    assert.equal(columnKind({ name: '@logStream', type: 'VARCHAR' }), 'eni');
    assert.equal(columnKind({ name: 'sum(bytes)', type: 'HUGEINT' }), 'bytes');
    assert.equal(columnKind({ name: 'bin(5m)', type: 'TIMESTAMP' }), 'time');
  });

  it('names protocols and services beside their numbers, by the row’s transport', () => {
    const columns = [
      { name: 'protocol', type: 'SMALLINT' },
      { name: 'dstPort', type: 'INTEGER' },
      { name: 'bytes', type: 'BIGINT' },
    ];
    const formatters = cellFormatters(columns, 'utc');
    const tcp = [6, 22, 2048];
    assert.deepEqual(formatters[0]!(tcp, 0), { text: '6', note: 'TCP' });
    assert.deepEqual(formatters[1]!(tcp, 1), { text: '22', note: 'ssh' });
    assert.deepEqual(formatters[2]!(tcp, 2), { text: '2.00 KB' });
    assert.deepEqual(formatters[1]!([17, 53, 0], 1), { text: '53', note: 'domain' });
    assert.deepEqual(formatters[1]!([1, 0, 0], 1), { text: '0' });
  });
});
