import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ensureSyntaxTree } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { dialectLanguage } from '../../../../../renderer/src/lib/editor/languages';
import { SUMO_OPERATORS } from '../../../../../queries/language/sumo/vocabulary';
import { INSIGHTS_COMMAND_NAMES } from '../../../../../queries/language/insights/parser';

/** The words the highlighter marks as a command (an operator where a stage starts). */
function commands(dialect: 'sumo' | 'insights', text: string): string[] {
  const state = EditorState.create({ doc: text, extensions: dialectLanguage(dialect) });
  const tree = ensureSyntaxTree(state, text.length, 5000)!;
  const out: string[] = [];
  tree.iterate({
    enter: (n) => {
      if (n.name === 'command') out.push(text.slice(n.from, n.to));
    },
  });
  return out;
}

test('the Sumo highlighter marks every operator of the vocabulary the parser reads, count_frequent included', () => {
  for (const op of SUMO_OPERATORS) assert.deepEqual(commands('sumo', `* | ${op.name} x`), [op.name], op.name);
  assert.deepEqual(commands('sumo', '* | count_frequent dest_port'), ['count_frequent']);
});

test('the Insights highlighter marks every command name the parser takes, in any case', () => {
  for (const name of INSIGHTS_COMMAND_NAMES.keys())
    assert.deepEqual(commands('insights', `fields a | ${name} x`), ['fields', name], name);
  assert.deepEqual(commands('insights', 'filterIndex a = 1 | countFrequent a'), ['filterIndex', 'countFrequent']);
});
