/**
 * Which kept tabs are this window's. Every window (a browser tab on `flowscope serve`, a desktop window) keeps
 * its open tabs under a key of its own, `flowscope.tabs.<window id>`, the id kept in the window's session
 * storage, which outlives a reload. Before, all windows wrote one list: the last to write won, and a reload
 * brought back another window's tabs instead of its own.
 *
 * A window holds a lock named after its key while it is open (the Web Locks API: the browser lets it go when
 * the window closes or crashes). So a window opened anew (or after the browser or the app restarted) takes
 * over the tabs a closed window left, the most recently kept first, and starts with one new tab when every
 * kept list is another open window's. A duplicated browser tab, whose session storage is a copy of its
 * original's, starts with a copy of the original's tabs under an id of its own.
 */
import { readTabs, TABS_KEY, type KeptTabs } from './open-tabs';

/** The session storage key of the window's id. */
export const WINDOW_KEY = 'flowscope.window';

/** Who holds which window's tabs. */
export interface TabOwners {
  /** Takes `key` for this window for as long as it is open: false when another open window holds it. */
  claim(key: string): Promise<boolean>;
}

/** The window's key, and the tabs it opens with (null: a new tab). */
export interface WindowTabs {
  key: string;
  kept: KeptTabs | null;
}

type LocalLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;
type SessionLike = Pick<Storage, 'getItem' | 'setItem'>;

const PREFIX = `${TABS_KEY}.`;

/** The page's owners: a Web Lock per window, held until the page goes (a promise that never settles). */
export function webLockOwners(): TabOwners {
  const locks = navigator.locks;
  return {
    claim: (key) =>
      new Promise((resolve) => {
        void locks.request(key, { ifAvailable: true }, (lock) => {
          resolve(lock !== null);
          return lock ? new Promise<never>(() => undefined) : undefined;
        });
      }),
  };
}

export async function claimWindowTabs(
  local: LocalLike,
  session: SessionLike,
  owners: TabOwners,
  newId: () => string = () => crypto.randomUUID(),
): Promise<WindowTabs> {
  const fresh = async (kept: KeptTabs | null): Promise<WindowTabs> => {
    const id = newId();
    session.setItem(WINDOW_KEY, id);
    await owners.claim(PREFIX + id);
    return { key: PREFIX + id, kept };
  };
  // The one list of the windows of an older version becomes a closed window's, for the first window to take.
  const shared = local.getItem(TABS_KEY);
  if (shared !== null) {
    local.setItem(PREFIX + newId(), shared);
    local.removeItem(TABS_KEY);
  }
  const own = session.getItem(WINDOW_KEY);
  if (own) {
    const key = PREFIX + own;
    if (await owners.claim(key)) return { key, kept: readTabs(local, key) };
    return fresh(readTabs(local, key));
  }
  const left = Array.from({ length: local.length }, (_, i) => local.key(i))
    .filter((key): key is string => key?.startsWith(PREFIX) ?? false)
    .map((key) => ({ key, kept: readTabs(local, key) }))
    .sort((a, b) => (b.kept?.savedAt ?? 0) - (a.kept?.savedAt ?? 0));
  for (const { key, kept } of left) {
    if (!(await owners.claim(key))) continue;
    session.setItem(WINDOW_KEY, key.slice(PREFIX.length));
    return { key, kept };
  }
  return fresh(null);
}
