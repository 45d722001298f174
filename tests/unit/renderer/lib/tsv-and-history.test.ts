import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HISTORY_KEY, HISTORY_MAX, readHistory, remember } from '../../../../renderer/src/lib/query-history';
import { rowsToTsv } from '../../../../renderer/src/lib/tsv';

class MemoryStorage {
  private items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

describe('copying rows as TSV', () => {
  it('writes raw values with a header, nulls empty and tabs in values as spaces', () => {
    const tsv = rowsToTsv(
      [
        ['10.0.0.1', 443, null],
        ['a\tb', '12345678901234567890', { k: 1 }],
      ],
      [
        { name: 'src', type: 'VARCHAR' },
        { name: 'port', type: 'INTEGER' },
        { name: 'x', type: 'JSON' },
      ],
    );
    assert.equal(tsv, 'src\tport\tx\n10.0.0.1\t443\t\na b\t12345678901234567890\t{"k":1}');
  });
});

describe('query history', () => {
  it('keeps queries newest first, once each, up to the limit', () => {
    const storage = new MemoryStorage();
    remember(storage, { query: 'a', dialect: 'insights', ranAt: '1' });
    remember(storage, { query: 'b', dialect: 'sql', ranAt: '2' });
    const list = remember(storage, { query: 'a ', dialect: 'insights', ranAt: '3' });
    assert.deepEqual(
      list.map((e) => e.query),
      ['a ', 'b'],
    );
    for (let i = 0; i < HISTORY_MAX + 10; i++) remember(storage, { query: `q${i}`, dialect: 'sumo', ranAt: String(i) });
    assert.equal(readHistory(storage).length, HISTORY_MAX);
  });

  it('survives damaged storage', () => {
    const storage = new MemoryStorage();
    storage.setItem(HISTORY_KEY, '{not json');
    assert.deepEqual(readHistory(storage), []);
    storage.setItem(HISTORY_KEY, JSON.stringify([{ query: 1 }, { query: 'ok', dialect: 'sql', ranAt: 'x' }]));
    assert.equal(readHistory(storage).length, 1);
  });
});
