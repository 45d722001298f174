import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { schemaPath, schemaText } from '../../../../build/library/document-schemas';
import { SavedQuery, spanMs } from '../../../../queries/library/saved-query';

const base = { version: 1, name: 'Top talkers', dialect: 'insights', query: 'stats count(*) by srcAddr' };

describe('saved-query format', () => {
  test('the committed JSON Schema is the one generated from the zod schema', () => {
    assert.equal(readFileSync(schemaPath('flowquery'), 'utf8'), schemaText('flowquery'));
  });

  test("fills defaults and keeps a chart of Flowscope's own schema", () => {
    const q = SavedQuery.parse({
      ...base,
      chart: { type: 'bar', x: 'srcAddr', y: 'count(*)' },
      timeRange: { last: '24h' },
    });
    assert.deepEqual(q.tags, []);
    assert.equal(q.description, '');
    assert.equal(spanMs('24h'), 86_400_000);
  });

  test('refuses unknown keys, raw chart options and incomplete charts', () => {
    assert.equal(SavedQuery.safeParse({ ...base, extra: 1 }).success, false);
    assert.equal(
      SavedQuery.safeParse({ ...base, chart: { type: 'bar', x: 'a', y: 'b', option: { series: [] } } }).success,
      false,
    );
    const missing = SavedQuery.safeParse({ ...base, chart: { type: 'sankey', x: 'a', y: 'b' } });
    assert.equal(missing.success, false);
    assert.match(JSON.stringify(missing.error?.issues), /sankey chart needs \\"series\\"/);
    assert.equal(SavedQuery.safeParse({ ...base, version: 2 }).success, false);
    assert.equal(SavedQuery.safeParse({ ...base, dialect: 'kql' }).success, false);
    assert.equal(SavedQuery.safeParse({ ...base, timeRange: { last: '0h' } }).success, false);
  });
});
