import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spreadsheetText } from '../../../../queries/catalog/spreadsheet-text';

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
