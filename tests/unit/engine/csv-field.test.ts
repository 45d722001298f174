import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvField, spreadsheetText } from '../../../main/engine/csv-field';

test('a CSV field is quoted only when it holds a quote, a comma or a line break, its quotes doubled', () => {
  assert.equal(csvField('Smith'), 'Smith');
  assert.equal(csvField(''), '');
  assert.equal(csvField('Korea, Republic of'), '"Korea, Republic of"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField('carriage\rreturn'), '"carriage\rreturn"');
});

test("a text cell a spreadsheet would run as a formula gets a ' in front; a logged - and plain numbers do not", () => {
  const written: [string, string][] = [
    ['=1+1', "'=1+1"],
    ['+SUM(A1)', "'+SUM(A1)"],
    ['-2+3', "'-2+3"],
    ['@SUM(1)', "'@SUM(1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['--', "'--"],
    ['-5-', "'-5-"],
    ['-', '-'],
    ['-5', '-5'],
    ['+3.5', '+3.5'],
    ['-1e3', '-1e3'],
    ['eni-1', 'eni-1'],
    ['', ''],
  ];
  for (const [cell, expected] of written) assert.equal(spreadsheetText(cell), expected, JSON.stringify(cell));
});
