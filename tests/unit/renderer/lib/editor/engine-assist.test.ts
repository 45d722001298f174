import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toCompletionResult, toEditorDiagnostics } from '../../../../../renderer/src/lib/editor/engine-assist';
import { complete } from '../../../../../queries/language/complete';
import { compileQuery } from '../../../../../queries/language/index';

describe('engine help in the editor', () => {
  it('turns the engine’s completion into CodeMirror options with docs, commands first', () => {
    const text = 'filter srcAddr = "10.0.0.1"\n| st';
    const result = toCompletionResult(complete(text, text.length, 'insights'))!;
    assert.equal(result.from, text.length - 2);
    const stats = result.options.find((o) => o.label === 'stats')!;
    assert.equal(stats.type, 'flowscope-command');
    assert.ok(typeof stats.info === 'string' && stats.info.length > 0, 'commands carry a short doc');
    assert.ok(result.validFor instanceof RegExp && result.validFor.test('sta'));
  });

  it('offers fields with their docs after a command', () => {
    const text = 'filter dst';
    const result = toCompletionResult(complete(text, text.length, 'insights'))!;
    const field = result.options.find((o) => o.label === 'dstAddr')!;
    assert.equal(field.type, 'flowscope-field');
    assert.match(String(field.info), /Destination/);
  });

  it('underlines compile errors where they are, at least one character, inside the text', () => {
    const text = 'filter srcAddr = "x"\n| stast count(*)';
    const { diagnostics } = compileQuery(text, { dialect: 'insights' });
    const [d] = toEditorDiagnostics(diagnostics, text.length);
    assert.equal(text.slice(d!.from, d!.to), 'stast');
    assert.equal(d!.severity, 'error');
    const atEnd = toEditorDiagnostics(
      [{ message: 'more expected', span: { offset: 5, line: 1, column: 6, length: 0 } }],
      5,
    );
    assert.deepEqual([atEnd[0]!.from, atEnd[0]!.to], [4, 5]);
  });
});
