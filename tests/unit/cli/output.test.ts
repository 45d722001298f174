import assert from 'node:assert/strict';
import { test } from 'node:test';
import { counted, csvLine, jsonCell, jsonRow, tableText, thousands } from '../../../main/cli/output';

test('JSON writes big integers of integer columns as bare numbers with every digit', () => {
  const columns = [
    { name: 'bytes', type: 'BIGINT' },
    { name: 'n', type: 'HUGEINT' },
    { name: 'label', type: 'VARCHAR' },
  ];
  const text = jsonRow(columns, ['9007199254740993', 5, '12345678901234567890']);
  assert.equal(text, '{"bytes":9007199254740993,"n":5,"label":"12345678901234567890"}');
  assert.equal(jsonCell(['1', '18446744073709551615'], 'UBIGINT[]'), '[1,18446744073709551615]');
  assert.equal(jsonCell('123.45', 'DECIMAL(5,2)'), '123.45', 'decimals are numbers with every digit');
  assert.equal(
    jsonRow([{ name: 'kb', type: 'DECIMAL(38,1)' }], ['12345678901234567890123456789012345.6']),
    '{"kb":12345678901234567890123456789012345.6}',
  );
  assert.equal(jsonCell(null, 'BIGINT'), 'null');
});

test('JSON writes a map as an object of its keys, inside lists and structs too, as a JSON export writes it', () => {
  const map = [
    { key: 'a', value: '9007199254740993' },
    { key: 'b"c', value: null },
  ];
  assert.equal(jsonCell(map, 'MAP(VARCHAR, BIGINT)'), '{"a":9007199254740993,"b\\"c":null}');
  assert.equal(jsonCell([{ key: 443, value: 2 }], 'MAP(INTEGER, DECIMAL(5,2))'), '{"443":2}');
  assert.equal(jsonCell([[{ key: 'k', value: ['1'] }]], 'MAP(VARCHAR, BIGINT[])[]'), '[{"k":[1]}]');
  assert.equal(
    jsonCell(
      { 'a b': '9007199254740993', m: [{ key: 'x', value: 'y' }] },
      'STRUCT("a b" BIGINT, m MAP(VARCHAR, VARCHAR))',
    ),
    '{"a b":9007199254740993,"m":{"x":"y"}}',
  );
  assert.equal(jsonCell(null, 'MAP(VARCHAR, BIGINT)'), 'null');
  // A CSV cell holding a map is the same JSON text.
  assert.equal(
    csvLine([map], [{ name: 'm', type: 'MAP(VARCHAR, BIGINT)' }]),
    '"{""a"":9007199254740993,""b\\""c"":null}"\n',
  );
});

test('CSV quotes fields with commas, quotes and newlines, and leaves NULL empty', () => {
  assert.equal(csvLine(['a,b', 'say "hi"', 'x\ny', null, 42, { k: 1 }]), '"a,b","say ""hi""","x\ny",,42,"{""k"":1}"\n');
});

test('CSV writes the empty text as "" and NULL as nothing, as the CSV export does', () => {
  assert.equal(csvLine([null, '', 'x']), ',"",x\n');
});

test('a line break or tab in a table cell is shown escaped and keeps the row on one line', () => {
  const text = tableText(
    [
      { name: 'note', type: 'VARCHAR' },
      { name: 'n', type: 'BIGINT' },
    ],
    [['line1\nline2\tx', 1]],
  );
  assert.deepEqual(text.split('\n'), ['note             n', '---------------  -', 'line1\\nline2\\tx  1', '']);
});

test('a table aligns columns and right-aligns numbers', () => {
  const text = tableText(
    [
      { name: 'action', type: 'VARCHAR' },
      { name: 'flows', type: 'BIGINT' },
    ],
    [
      ['ACCEPT', 120],
      ['REJECT', '9007199254740993'],
    ],
  );
  assert.equal(
    text,
    [
      'action             flows',
      '------  ----------------',
      'ACCEPT               120',
      'REJECT  9007199254740993',
      '',
    ].join('\n'),
  );
});

test('counts are written with thousands separators, as en-US writes them', () => {
  for (const n of [0, 7, 999, 1000, 12_345, 1_234_567, 100_000_000, -1234])
    assert.equal(thousands(n), n.toLocaleString('en-US'), String(n));
});

test('a table of a few hundred thousand rows is written (the widths are not a spread of every cell)', () => {
  const rows = Array.from({ length: 300_000 }, (_, i) => [String(i)]);
  const text = tableText([{ name: 'n', type: 'VARCHAR' }], rows);
  assert.equal(text.split('\n')[1], '------', 'as wide as the widest cell, 299999');
  assert.equal(text.split('\n').length, 300_003);
});

test('a count of one takes the singular noun', () => {
  assert.equal(counted(1, 'record'), '1 record');
  assert.equal(counted(0, 'file'), '0 files');
  assert.equal(counted(12_345, 'line'), '12,345 lines');
});

test("CSV writes a text cell that starts like a formula with a ' in front, never a number column's", () => {
  const columns = [
    { name: 'eni', type: 'VARCHAR' },
    { name: 'n', type: 'BIGINT' },
    { name: 'at', type: 'INTERVAL' },
  ];
  assert.equal(csvLine(['=1+1', '-5', '-01:00:00'], columns), "'=1+1,-5,-01:00:00\n");
  assert.equal(csvLine(['-', '-5', null], columns), '-,-5,\n');
});
