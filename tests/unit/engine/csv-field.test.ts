import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvField } from '../../../main/engine/csv-field';

test('a CSV field is quoted only when it holds a quote, a comma or a line break, its quotes doubled', () => {
  assert.equal(csvField('Smith'), 'Smith');
  assert.equal(csvField(''), '');
  assert.equal(csvField('Korea, Republic of'), '"Korea, Republic of"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField('carriage\rreturn'), '"carriage\rreturn"');
});
