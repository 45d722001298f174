import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keepTabs, TABS_KEY } from '../../../../renderer/src/lib/open-tabs';
import { claimWindowTabs, WINDOW_KEY, type TabOwners } from '../../../../renderer/src/lib/window-tabs';
import { MemoryStorage } from '../../../support/memory-storage';

/** The locks of one browser: a key held by an open window is refused to every other. */
function browserLocks() {
  const held = new Set<string>();
  const owners: TabOwners = {
    claim: (key) => Promise.resolve(!held.has(key) && Boolean(held.add(key))),
  };
  return { owners, close: (key: string) => held.delete(key) };
}

const tabs = (query: string) => ({ tabs: [{ title: 'Query 1', query, dialect: 'auto' as const }], active: 0 });
let ids = 0;
const newId = () => `w${++ids}`;

describe("a window's tabs", () => {
  it('are its own through a reload, whatever another window writes', async () => {
    const local = new MemoryStorage();
    const locks = browserLocks();
    const [session1, session2] = [new MemoryStorage(), new MemoryStorage()];
    const one = await claimWindowTabs(local, session1, locks.owners, newId);
    const two = await claimWindowTabs(local, session2, locks.owners, newId);
    assert.notEqual(one.key, two.key);
    keepTabs(local, two.key, tabs('filter dstPort = 3389 -- window 2'));
    keepTabs(local, one.key, tabs('SELECT 1 -- window 1'));

    // Window 2 reloads: its session storage stays, its lock went with the page and is taken again.
    locks.close(two.key);
    const reloaded = await claimWindowTabs(local, session2, locks.owners, newId);
    assert.equal(reloaded.key, two.key);
    assert.equal(reloaded.kept?.tabs[0]?.query, 'filter dstPort = 3389 -- window 2');
  });

  it('a new window takes over the most recent tabs a closed window left, and starts anew when every window is open', async () => {
    const local = new MemoryStorage();
    const locks = browserLocks();
    const one = await claimWindowTabs(local, new MemoryStorage(), locks.owners, newId);
    const two = await claimWindowTabs(local, new MemoryStorage(), locks.owners, newId);
    keepTabs(local, one.key, tabs('older'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    keepTabs(local, two.key, tabs('newer'));
    const third = await claimWindowTabs(local, new MemoryStorage(), locks.owners, newId);
    assert.equal(third.kept, null, 'both windows are open: a new tab');

    locks.close(one.key);
    locks.close(two.key);
    const session = new MemoryStorage();
    const reopened = await claimWindowTabs(local, session, locks.owners, newId);
    assert.equal(reopened.kept?.tabs[0]?.query, 'newer');
    assert.equal(`${TABS_KEY}.${session.getItem(WINDOW_KEY)}`, two.key, 'and keeps them under their key');
    const next = await claimWindowTabs(local, new MemoryStorage(), locks.owners, newId);
    assert.equal(next.kept?.tabs[0]?.query, 'older');
  });

  it('a duplicated browser tab (a copy of the session storage) starts with a copy of the tabs under a key of its own', async () => {
    const local = new MemoryStorage();
    const locks = browserLocks();
    const session = new MemoryStorage();
    const one = await claimWindowTabs(local, session, locks.owners, newId);
    keepTabs(local, one.key, tabs('copied'));
    const copy = new MemoryStorage();
    copy.setItem(WINDOW_KEY, session.getItem(WINDOW_KEY)!);
    const duplicate = await claimWindowTabs(local, copy, locks.owners, newId);
    assert.notEqual(duplicate.key, one.key);
    assert.equal(duplicate.kept?.tabs[0]?.query, 'copied');
  });

  it('the one list every window shared in an older version goes to the first window', async () => {
    const local = new MemoryStorage();
    local.setItem(TABS_KEY, JSON.stringify(tabs('kept by an older version')));
    const locks = browserLocks();
    const first = await claimWindowTabs(local, new MemoryStorage(), locks.owners, newId);
    assert.equal(first.kept?.tabs[0]?.query, 'kept by an older version');
    assert.equal(local.getItem(TABS_KEY), null);
    assert.equal((await claimWindowTabs(local, new MemoryStorage(), locks.owners, newId)).kept, null);
  });
});
