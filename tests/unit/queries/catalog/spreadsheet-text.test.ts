import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromSpreadsheetText, spreadsheetText } from '../../../../queries/catalog/spreadsheet-text';

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

test("a cell read back loses the ' the guard wrote, and only that one", () => {
  for (const cell of ['@message', '=1+1', '- 123 eni-1', '@SUM(1)', '-', '-5', 'eni-1', "'ok", "''@x", ''])
    assert.equal(fromSpreadsheetText(spreadsheetText(cell)), cell, JSON.stringify(cell));
  assert.equal(fromSpreadsheetText("'@timestamp"), '@timestamp');
  assert.equal(fromSpreadsheetText("'-5"), "'-5", 'no guard is written before a plain number');
  assert.equal(fromSpreadsheetText("'ok"), "'ok");
});
