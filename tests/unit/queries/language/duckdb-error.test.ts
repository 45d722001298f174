import assert from 'node:assert/strict';
import { test } from 'node:test';
import { duckdbErrorDiagnostic, duckdbErrorMessage } from '../../../../queries/language/sql/duckdb-error';

test('a DuckDB error points at the line, column and word of the SQL as written', () => {
  const text = 'SELECT srcaddr, count(*)\nFROM flows\nWHERE dstprt = 22\nGROUP BY 1';
  const message =
    'Binder Error: Referenced column "dstprt" not found in FROM clause!\nCandidate bindings: "dstport"\n\nLINE 3: WHERE dstprt = 22\n              ^';
  const d = duckdbErrorDiagnostic(message, text)!;
  assert.deepEqual(d.span, { offset: text.indexOf('dstprt'), line: 3, column: 7, length: 6 });
  assert.equal(
    d.message,
    'Binder Error: Referenced column "dstprt" not found in FROM clause!\nCandidate bindings: "dstport"',
  );
});

test('a long line cut to an excerpt is found in the text', () => {
  // DuckDB's own message for this text.
  const text = `SELECT a, sum(a) FROM flows WHERE a > 1 AND (a + 1) * 2 > 7 AND srcaddr LIKE '%x%' AND srcaddr NOT LIKE '%aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa%' AND zzz = 1 AND a < 100000`;
  const message = `Binder Error: Referenced column "zzz" not found in FROM clause!\nCandidate bindings: "a"\n\nLINE 1: ... NOT LIKE '%aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa%' AND zzz = 1 AND a < 100000\n${' '.repeat(72)}^`;
  const d = duckdbErrorDiagnostic(message, text)!;
  assert.equal(text.slice(d.span.offset, d.span.offset + d.span.length), 'zzz');
});

test('a message without a position gives no diagnostic, and its words stay', () => {
  assert.equal(duckdbErrorDiagnostic('Catalog Error: Table with name x does not exist!', 'SELECT 1'), null);
  assert.equal(
    duckdbErrorMessage(
      'Parser Error: syntax error at or near "FORM"\n\nLINE 1: SELECT * FORM flows\n                 ^',
    ),
    'Parser Error: syntax error at or near "FORM"',
  );
});
