import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type HistoryEntry,
  HISTORY_KEY,
  HISTORY_MAX,
  readHistory,
  remember,
} from '../../../../renderer/src/lib/query-history';
import { keepTabs, readTabs } from '../../../../renderer/src/lib/open-tabs';
import { rowsToTsv } from '../../../../renderer/src/lib/tsv';
import { MemoryStorage } from '../../../support/memory-storage';

/** As a browser's local storage: one quota of characters for all its keys, over which setItem throws. */
function storageWithQuota(quota: number): MemoryStorage {
  return new (class extends MemoryStorage {
    private sizes = new Map<string, number>();
    override setItem(key: string, value: string) {
      const used = [...this.sizes].reduce((sum, [k, n]) => sum + (k === key ? 0 : n), 0);
      if (used + value.length > quota) throw new Error("QuotaExceededError: Failed to execute 'setItem'");
      this.sizes.set(key, value.length);
      super.setItem(key, value);
    }
  })();
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

  it("writes rows' text cells that a spreadsheet would run as formulas with a ' in front, numbers and a logged - as they are", () => {
    const columns = [
      { name: 'eni', type: 'VARCHAR' },
      { name: 'n', type: 'BIGINT' },
    ];
    const tsv = rowsToTsv(
      [
        ['=HYPERLINK("http://x")', '-5'],
        ['@SUM(1)', '7'],
        ['-', null],
        ['-3', '0'],
      ],
      columns,
    );
    assert.equal(tsv, `eni\tn\n'=HYPERLINK("http://x")\t-5\n'@SUM(1)\t7\n-\t\n-3\t0`);
    assert.equal(rowsToTsv([['=1+1']]), '=1+1', 'one cell copied alone is its value');
    const transposed = rowsToTsv(
      [],
      [
        { name: '@SUM(1+1)', type: 'BIGINT' },
        { name: 'action', type: 'VARCHAR' },
      ],
    );
    assert.equal(transposed, "'@SUM(1+1)\taction", 'a column named by a value gets it too');
  });
});

describe('query history', () => {
  it('keeps queries newest first, once each, up to the limit', () => {
    const storage = new MemoryStorage();
    remember(storage, { query: 'a', dialect: 'insights', ranAt: '1' });
    remember(storage, { query: 'b', dialect: 'sql', ranAt: '2' });
    const list = remember(storage, { query: 'a ', dialect: 'insights', ranAt: '3' }).history;
    assert.deepEqual(
      list.map((e) => e.query),
      ['a ', 'b'],
    );
    for (let i = 0; i < HISTORY_MAX + 10; i++) remember(storage, { query: `q${i}`, dialect: 'sumo', ranAt: String(i) });
    assert.equal(readHistory(storage).length, HISTORY_MAX);
  });

  it('keeps the newest entries that fit when the storage is full, and does not fail the run that asked', () => {
    // As a browser's local storage: a quota of characters, over which setItem throws.
    const quota = 1_000_000;
    const storage = new (class extends MemoryStorage {
      override setItem(key: string, value: string) {
        if (value.length > quota) throw new Error("QuotaExceededError: Failed to execute 'setItem' on 'Storage'");
        super.setItem(key, value);
      }
    })();
    // Indicator lists as analysts paste them: 3,000 addresses, about 60 KB of query each.
    const list = (n: number) =>
      `filter ${Array.from({ length: 3000 }, (_, i) => `srcAddr = "10.${n % 256}.${i >> 8}.${i & 255}"`).join(' or ')}`;
    let shown: HistoryEntry[] = [];
    for (let n = 0; n < 40; n++)
      shown = remember(storage, { query: list(n), dialect: 'insights', ranAt: String(n) }).history;
    assert.equal(shown[0]!.query, list(39), 'the run just made is first');
    const kept = readHistory(storage);
    assert.deepEqual(kept, shown, 'what is shown is what was kept');
    assert.ok(kept.length > 1 && kept.length < 40, `as many as fit: ${kept.length}`);
    assert.deepEqual(
      kept.map((e) => e.ranAt),
      kept.map((_, i) => String(39 - i)),
      'the newest ones, newest first',
    );
  });

  it('keeps the same text run in two languages as two entries, each with its language', () => {
    const storage = new MemoryStorage();
    remember(storage, { query: 'SELECT count(*) FROM flows', dialect: 'sql', ranAt: '1' });
    const list = remember(storage, { query: 'SELECT count(*) FROM flows', dialect: 'athena', ranAt: '2' }).history;
    assert.deepEqual(
      list.map((e) => e.dialect),
      ['athena', 'sql'],
    );
  });

  it('survives damaged storage', () => {
    const storage = new MemoryStorage();
    storage.setItem(HISTORY_KEY, '{not json');
    assert.deepEqual(readHistory(storage), []);
    storage.setItem(HISTORY_KEY, JSON.stringify([{ query: 1 }, { query: 'ok', dialect: 'sql', ranAt: 'x' }]));
    assert.equal(readHistory(storage).length, 1);
  });
});

describe('open tabs', () => {
  const KEY = 'flowscope.tabs.w1';
  const store = () => new MemoryStorage();

  it('come back after a reload with their text, language, names and the tab in front', () => {
    const storage = store();
    assert.equal(readTabs(storage, KEY), null, 'nothing kept yet: the workbench opens its default tab');
    const open = {
      tabs: [
        { title: 'Query 1', query: 'stats count(*) by action', dialect: 'auto' as const },
        { title: 'My rejects', query: 'SELECT 1 -- not run yet', dialect: 'sql' as const },
      ],
      active: 1,
    };
    const before = Date.now();
    keepTabs(storage, KEY, open);
    const { savedAt, ...read } = readTabs(storage, KEY)!;
    assert.deepEqual(read, open);
    assert.ok(savedAt >= before, 'with when they were kept');
  });

  it('keep the saved query a tab came from; one that does not read is left out, the tab kept', () => {
    const storage = store();
    const opened = {
      id: 'user:rejects',
      origin: 'user' as const,
      modifiedAt: '2026-12-05T23:00:00.000Z',
      name: 'Rejects',
      description: '',
      tags: ['security'],
    };
    keepTabs(storage, KEY, {
      tabs: [{ title: 'Rejects', query: 'filter action = "REJECT"', dialect: 'auto', opened }],
      active: 0,
    });
    assert.deepEqual(readTabs(storage, KEY)?.tabs[0]?.opened, opened);
    storage.setItem(
      KEY,
      JSON.stringify({ tabs: [{ title: 'Q', query: 'x', dialect: 'auto', opened: { id: 7 } }], active: 0 }),
    );
    assert.deepEqual(readTabs(storage, KEY)?.tabs, [{ title: 'Q', query: 'x', dialect: 'auto' }]);
  });

  it('come before the history: when the storage is full, the oldest history goes to make room, and a tab that fits nowhere is said to be lost', () => {
    const quota = 1_000_000;
    const storage = storageWithQuota(quota);
    for (let n = 0; n < 40; n++)
      remember(storage, { query: `SELECT ${n} -- ${'x'.repeat(50_000)}`, dialect: 'sql', ranAt: String(n) });
    assert.ok(readHistory(storage).length > 10, 'the history has filled the storage');
    const pasted = `filter srcAddr in [${'"10.0.0.1", '.repeat(25_000)}"10.0.0.2"]`;
    const open = { tabs: [{ title: 'Query 1', query: pasted, dialect: 'auto' as const }], active: 0 };
    const { kept, history } = keepTabs(storage, KEY, open);
    assert.equal(kept, true);
    assert.equal(readTabs(storage, KEY)?.tabs[0]?.query, pasted, 'the tab comes back after a reload');
    const left = readHistory(storage).map((e) => e.ranAt);
    assert.deepEqual(
      history?.map((e) => e.ranAt),
      left,
      'the page is told what is left of the history',
    );
    assert.equal(left[0], '39', 'the newest history stays');

    const huge = { tabs: [{ title: 'Query 1', query: 'x'.repeat(quota + 1), dialect: 'auto' as const }], active: 0 };
    assert.equal(keepTabs(storage, KEY, huge).kept, false, 'too long for any storage: the page must say so');
    assert.equal(readTabs(storage, KEY)?.tabs[0]?.query, pasted, 'what was kept before stays');
  });

  it('that fit nowhere leave the history as it was, and a run the storage cannot keep is shown and said to be so', () => {
    // One quota for all keys, nearly all of it taken by another key: the tabs fit nowhere, with or without history.
    const quota = 100_000;
    const storage = storageWithQuota(quota);
    for (const n of [1, 2, 3]) remember(storage, { query: `SELECT ${n}`, dialect: 'sql', ranAt: String(n) });
    storage.setItem('other', 'x'.repeat(quota - JSON.stringify(readHistory(storage)).length - 10));
    const open = { tabs: [{ title: 'Query 1', query: 'y'.repeat(5_000), dialect: 'auto' as const }], active: 0 };
    const { kept, history } = keepTabs(storage, KEY, open);
    assert.equal(kept, false);
    assert.equal(history, null, 'no history was given up for nothing');
    assert.deepEqual(
      readHistory(storage).map((e) => e.ranAt),
      ['3', '2', '1'],
      'the history stays',
    );
    const ran = remember(storage, { query: `SELECT 4 -- ${'z'.repeat(300)}`, dialect: 'sql', ranAt: '4' });
    assert.equal(ran.kept, false, 'the page is told the run is not kept');
    assert.deepEqual(
      ran.history.map((e) => e.ranAt),
      ['4', '3', '2', '1'],
      'the page shows the run beside the kept history',
    );
    assert.equal(readHistory(storage).length, 3);
  });

  it('read what is damaged as nothing kept, and leave out a tab that does not read', () => {
    const storage = store();
    storage.setItem(KEY, '{not json');
    assert.equal(readTabs(storage, KEY), null);
    storage.setItem(
      KEY,
      JSON.stringify({
        tabs: [
          { title: 'x', query: 'q', dialect: 'cobol' },
          { title: 'y', query: 'q', dialect: 'sumo' },
        ],
        active: 7,
      }),
    );
    assert.deepEqual(readTabs(storage, KEY), {
      tabs: [{ title: 'y', query: 'q', dialect: 'sumo' }],
      active: 0,
      savedAt: 0,
    });
  });
});
