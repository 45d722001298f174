import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chartDescription, DESCRIBED_ROWS } from '../../../../renderer/src/lib/chart-description';

test('a Sankey is read link by link: its measure by source and target, each link as the grid writes it', () => {
  const columns = [
    { name: 'srcAddr', type: 'VARCHAR' },
    { name: 'dstAddr', type: 'VARCHAR' },
    { name: 'b', type: 'HUGEINT', kind: 'bytes' as const },
  ];
  const rows = [
    ['10.0.3.45', '203.0.113.50', '70900000000'],
    ['10.0.2.59', '10.0.2.17', '80600000'],
  ];
  assert.equal(
    chartDescription(columns, rows, { type: 'sankey', x: 'srcAddr', series: 'dstAddr', y: 'b' }, 'utc'),
    'b by srcAddr and dstAddr, 2 rows: 10.0.3.45, 203.0.113.50: 70.9 GB; 10.0.2.59, 10.0.2.17: 80.6 MB.',
  );
});

test('a long series is counted whole and read for its first rows; several measures are named each', () => {
  const columns = [
    { name: 'hour', type: 'TIMESTAMP' },
    { name: 'flows', type: 'BIGINT' },
    { name: 'rejected', type: 'BIGINT' },
  ];
  const rows = Array.from({ length: 72 }, (_, i) => [
    new Date(Date.UTC(2026, 2, 2, i)).toISOString(),
    String(1000 + i),
    String(i),
  ]);
  const text = chartDescription(columns, rows, { type: 'line', x: 'hour', y: ['flows', 'rejected'] }, 'utc');
  assert.match(text, /^flows, rejected by hour, 72 rows; the first 10: 2026-03-02 00:00:00: flows 1,000, rejected 0; /);
  assert.equal(text.split('; ').length, DESCRIBED_ROWS + 1);
  assert.match(text, /2026-03-02 09:00:00: flows 1,009, rejected 9\.$/);
});
