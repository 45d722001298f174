/**
 * The CSV reading behind lookup-table imports: records as RFC 4180 has them (quoted commas, newlines and
 * doubled quotes), and what DuckDB's reader would take another way refused at its line.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FlowscopeError } from '../../../../main/engine/errors';
import { csvRecords, tableNameOf } from '../../../../main/engine/workspace/lookup-tables';

test('quoted fields keep commas, doubled quotes and newlines; each record knows the line it starts on', () => {
  const text = 'ip,note\r\n10.0.0.1,"a, b"\n10.0.0.2,"say ""hi""\nthen go"\n10.0.0.3,\n';
  assert.deepEqual(csvRecords(text, 'x.csv'), [
    { line: 1, fields: ['ip', 'note'] },
    { line: 2, fields: ['10.0.0.1', 'a, b'] },
    { line: 3, fields: ['10.0.0.2', 'say "hi"\nthen go'] },
    { line: 5, fields: ['10.0.0.3', ''] },
  ]);
  assert.deepEqual(csvRecords('a,b\n1,"2"', 'x.csv')[1], { line: 2, fields: ['1', '2'] });
});

test('a quote out of place or never closed is refused naming the file and the line', () => {
  const refused = (text: string, message: RegExp) =>
    assert.throws(
      () => csvRecords(text, 'owners.csv'),
      (err: unknown) => err instanceof FlowscopeError && err.code === 'bad_request' && message.test(err.message),
    );
  refused('a,b\n1,2\n3,"open\n4,5\n', /^owners\.csv, line 3: a quoted field is not closed/);
  refused('a,b\n1,"x"y\n', /^owners\.csv, line 2: text follows the closing quote/);
  refused('a,b\n1,2\n3,x"y\n', /^owners\.csv, line 3: a quote inside a field that is not quoted/);
});

test('a table is named after its file unless named: lower case, letters, digits and _', () => {
  assert.equal(tableNameOf('Asset owners (2024).csv'), 'asset_owners_2024');
  assert.equal(tableNameOf('threat-list.v2.csv'), 'threat_list_v2');
  assert.equal(tableNameOf('a'.repeat(80) + '.csv').length, 64);
  assert.throws(() => tableNameOf('Ωμέγα (—).csv'), /name the table/);
});
