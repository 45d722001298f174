import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { schemaPath, schemaText } from '../../../../build/library/document-schemas';
import { Dashboard } from '../../../../queries/library/dashboard';
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

  test('a name (and a dashboard or panel title) with control or text-direction characters is refused', () => {
    const layout = { x: 0, y: 0, w: 6, h: 4 };
    for (const bad of ['a\u0000b', 'two\nlines', 'tab\there', 'report\u202Etxt.exe', 'x\u2066y']) {
      const query = SavedQuery.safeParse({ ...base, name: bad });
      assert.equal(query.success, false, JSON.stringify(bad));
      assert.match(query.error!.issues[0]!.message, /a name cannot hold control characters/);
      assert.equal(Dashboard.safeParse({ version: 1, name: bad, panels: [] }).success, false, JSON.stringify(bad));
      const panel = { id: 'p1', title: bad, query: base, layout };
      assert.equal(Dashboard.safeParse({ version: 1, name: 'd', panels: [panel] }).success, false, JSON.stringify(bad));
    }
    for (const good of ['Top talkers (bytes)', 'Ünïcödé ✓', '東京 → 大阪', 'שלום', '  padded  '])
      assert.equal(SavedQuery.safeParse({ ...base, name: good }).success, true, good);
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
