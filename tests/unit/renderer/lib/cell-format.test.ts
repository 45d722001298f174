import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import {
  cellFormatters,
  formatBytes,
  formatCellFor,
  formatNumber,
  formatTime,
  formatValue,
  SHOWN_CHARACTERS,
} from '../../../../renderer/src/lib/cell-format';
import { rowsToTsv } from '../../../../renderer/src/lib/tsv';
import { columnKind } from '../../../../queries/chart/column-kind';

describe('cells formatted for people', () => {
  it('shows bytes in decimal units, labelled as such', () => {
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1500), '1.50 kB');
    assert.equal(formatBytes(999_999), '1.00 MB');
    assert.equal(formatBytes(5e9), '5.00 GB');
    assert.equal(formatBytes(123e6), '123 MB');
  });

  it('writes counts with separators, and ports, protocols and ids without', () => {
    const columns = [
      { name: 'n', type: 'BIGINT', kind: 'number' as const },
      { name: 'dstPort', type: 'INTEGER' },
      { name: 'protocol', type: 'SMALLINT' },
      { name: 'version', type: 'INTEGER' },
      { name: 'total', type: 'DOUBLE', kind: 'bytes' as const },
    ];
    const row = [1234567.891, 3389, 6, 1000, 2_500_000];
    const text = columns.map((c, i) => formatValue(columnKind(c), row[i]!, { zone: 'utc', protocol: 6 }));
    assert.deepEqual(text, ['1,234,567.891', '3389 ms-wbt-server', '6 TCP', '1000', '2.50 MB']);
  });

  it('writes a count DuckDB sent as digits (past 2^53, a DECIMAL) exactly, with separators like any count', () => {
    const at = (type: string, value: string) => formatValue(columnKind({ name: 'n', type }), value, { zone: 'utc' });
    assert.equal(at('BIGINT', '9007199254740993'), '9,007,199,254,740,993');
    assert.equal(at('UBIGINT', '18446744073709551615'), '18,446,744,073,709,551,615');
    assert.equal(at('DECIMAL(38,2)', '12345678901234567.89'), '12,345,678,901,234,567.89');
  });

  it('shows a quantity under 1 by its significant digits, never as 0 (a ratio of 0.0004 read 0)', () => {
    const at = (value: number | string, type = 'DOUBLE') =>
      formatValue(columnKind({ name: 'ratio', type }), value, { zone: 'utc' });
    assert.deepEqual(
      [0.0004, 0.00049, -0.000123456, 0.5, 0.12345, 1e-10, 0, 1234.5678].map((v) => at(v)),
      ['0.0004', '0.00049', '-0.000123', '0.5', '0.123', '1E-10', '0', '1,234.568'],
    );
    assert.equal(at('0.000000000000000001', 'DECIMAL(38,18)'), '1E-18');
  });

  it('shows a column of numbers with the same decimals on every row, up to three, so the digits line up', () => {
    const columns = [
      { name: 'mb', type: 'DOUBLE' },
      { name: 'n', type: 'BIGINT' },
      { name: 'ratio', type: 'DOUBLE' },
      { name: 'd', type: 'DECIMAL(18,2)' },
    ];
    const rows = [
      [68337.735, 12, 0.5, '10.50'],
      [704.94, 3, 0.0004, '2.00'],
      [12, 1234, 0.25, '1234.10'],
      [1.23456, 0, 0, '0.00'],
    ];
    const formatters = cellFormatters(columns, 'utc', rows);
    const shown = rows.map((row) => row.map((_, i) => formatters[i]!(row, i).text));
    assert.deepEqual(
      shown.map((r) => r[0]),
      ['68,337.735', '704.940', '12.000', '1.235'],
    );
    assert.deepEqual(
      shown.map((r) => r[1]),
      ['12', '3', '1,234', '0'],
      'whole numbers show no decimals',
    );
    // A small value keeps its significant digits rather than reading 0.00.
    assert.deepEqual(
      shown.map((r) => r[2]),
      ['0.50', '0.0004', '0.25', '0.00'],
    );
    assert.deepEqual(
      shown.map((r) => r[3]),
      ['10.50', '2.00', '1,234.10', '0.00'],
    );
    // What is copied is the value itself, not what is shown.
    assert.equal(rowsToTsv([[rows[1]![0]!]]), '704.94');
    // Alone (a chart's axis hands its formatter the label's index too), a number has no column's decimals.
    assert.deepEqual([0, 2000, 4000, 6000].map(formatNumber), ['0', '2,000', '4,000', '6,000']);
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
    assert.equal(columnKind({ name: 'interfaceId', type: 'VARCHAR' }), 'eni');
    // A CloudWatch stream (`eni-…-all`) is no interface id: the entity view would find nothing under it.
    assert.equal(columnKind({ name: '@logStream', type: 'VARCHAR' }), 'text');
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
    assert.deepEqual(formatters[2]!(tcp, 2), { text: '2.05 kB' });
    assert.deepEqual(formatters[1]!([17, 53, 0], 1), { text: '53', note: 'domain' });
    assert.deepEqual(formatters[1]!([1, 0, 0], 1), { text: '0' });
  });

  it('shows control and direction characters as marks, so a value cannot break the layout or reverse what follows', () => {
    const shown = (value: string) => formatCellFor('text', value, { zone: 'utc' }).text;
    assert.equal(shown('a\u0000b\u001b[31m\nc\td\u007f\r'), 'a\\u0000b\\u001B[31m\\nc\\td\\u007F\\r');
    assert.equal(shown('invoice\u202Efdp.exe'), 'invoice\\u202Efdp.exe');
    assert.equal(shown('\u2066x\u2069\u200f\u0085'), '\\u2066x\\u2069\\u200F\\u0085');
    assert.equal(shown('שלום 10.0.0.1 café'), 'שלום 10.0.0.1 café', 'letters of any script stay as they are');
    assert.equal(shown('\t'), '"\\t"', 'blank text is still quoted');
    assert.equal(formatCellFor('port', '4\u202E43', { zone: 'utc' }).text, '4\\u202E43');
  });
});

test('a long value is shown cut with an ellipsis, and copied whole', () => {
  // A browser lays out all the text it is given: a 2 MB cell froze the window for seconds.
  const long = 'x'.repeat(2_000_000);
  const cell = formatCellFor('text', long, { zone: 'utc' });
  assert.equal(cell.text.length, SHOWN_CHARACTERS + 1);
  assert.ok(cell.text.endsWith('x…'));
  assert.equal(formatCellFor('text', 'x'.repeat(SHOWN_CHARACTERS), { zone: 'utc' }).text.length, SHOWN_CHARACTERS);
  assert.equal(rowsToTsv([[long]]).length, long.length);
});
