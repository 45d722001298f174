import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileQuery, detectDialect } from '../../../../../queries/language';
import { SUMO_OPERATORS } from '../../../../../queries/language/sumo/vocabulary';

const diagnostic = (query: string) => compileQuery(query, { dialect: 'sumo' }).diagnostics[0]?.message ?? '';

test('every operator of the vocabulary is one the parser knows: it runs, or is refused with its reason', () => {
  for (const op of SUMO_OPERATORS) {
    const message = diagnostic(`_sourceCategory=vpc | ${op.name}`);
    assert.doesNotMatch(message, /Unknown operator/, op.name);
    if (op.refused) assert.equal(message, `The \`${op.name}\` operator is not supported: ${op.refused}.`);
  }
});

test('a word that is no operator is refused with the closest one', () => {
  assert.match(diagnostic('* | wher action="REJECT"'), /Unknown operator `wher`/);
  assert.equal(compileQuery('* | wher x', { dialect: 'sumo' }).diagnostics[0]?.hint, 'did you mean `where`?');
});

test('the detector reads the same table: a Sumo-only operator makes a text without scope Sumo', () => {
  for (const op of SUMO_OPERATORS.filter((o) => o.sumoOnly))
    assert.equal(detectDialect(`${op.name} x`), 'sumo', op.name);
  assert.equal(detectDialect('fields srcAddr | limit 5'), 'insights');
});
