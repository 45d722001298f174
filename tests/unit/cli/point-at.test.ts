import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pointAt } from '../../../main/cli/point-at';

const at = (query: string, offset: number, length = 1) => {
  const before = query.slice(0, offset).split('\n');
  const span = { offset, line: before.length, column: before.at(-1)!.length + 1, length };
  return pointAt(query, { message: 'x', span });
};

test('a caret under the span, on the line it is on', () => {
  assert.equal(at('filter x\n| stats bad(bytes)', 17, 3), '  | stats bad(bytes)\n          ^^^\n');
});

test('a caret under a tab-indented span keeps the tabs before it, so it lines up at any tab width', () => {
  const query = 'fields srcAddr\n|\tstats count(*) as n by srcAddr, bogus(\tdstPort)';
  const [line, caret] = at(query, query.indexOf('bogus'), 5).split('\n');
  assert.equal(caret, `   \t${' '.repeat(32)}^^^^^`);
  // As a terminal or the app's error box draws them, tabs at 8 columns: the carets sit under `bogus`.
  const expand = (text: string) =>
    text.replace(/([^\t]*)\t/g, (_m, head: string) => head.padEnd(Math.ceil((head.length + 1) / 8) * 8));
  const at8 = expand(caret!).indexOf('^');
  assert.equal(expand(line!).slice(at8, at8 + 5), 'bogus');
});

test('a long line is shown around the span, the caret still under it', () => {
  const query = `filter ${'('.repeat(300)}bytes > 1${')'.repeat(300)}`;
  const shown = at(query, 307, 5).split('\n');
  assert.ok(shown[0]!.length <= 2 + 100 + 2, `${shown[0]!.length} characters`);
  assert.match(shown[0]!, /^ {2}…\(+bytes > 1\)+…$/);
  // The carets are under `bytes`.
  const caret = shown[1]!.indexOf('^');
  assert.equal(shown[0]!.slice(caret, caret + 5), 'bytes');
  assert.equal(shown[1]!.trim(), '^^^^^');
  // The end of a long line: shown up to its end, without a trailing mark.
  const end = at(query, query.length - 1).split('\n');
  assert.doesNotMatch(end[0]!, /…$/);
  assert.equal(end[0]!.at(end[1]!.indexOf('^')), ')');
});
