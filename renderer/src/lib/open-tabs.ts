/**
 * The open query tabs of a window, kept in the page's local storage as the history is, under the window's own
 * key (`window-tabs.ts`), so that a reload or a closed window loses nothing typed: each tab's text, language and name, the saved query it was opened from or
 * saved as (so its Save still writes over that file, unless the file changed since), and which tab was in
 * front. Results are not kept (the engine forgets them), and neither is a tab's engine: a query reaches AWS
 * only by the analyst's choice in that tab, after the restart too.
 */
import { Dialect } from '../../../preload/contract';
import { HISTORY_KEY, newerPart, readHistory, type HistoryEntry } from './query-history';

/** The saved query a tab was opened from or saved as. */
export interface LibraryOrigin {
  id: string;
  origin: 'builtin' | 'user';
  /** The file's time when the tab opened or last saved it: Save refuses to overwrite a change made since. */
  modifiedAt: string;
  name: string;
  description: string;
  tags: string[];
}

export interface KeptTab {
  title: string;
  query: string;
  dialect: Dialect | 'auto';
  opened?: LibraryOrigin;
}

export interface OpenTabs {
  tabs: KeptTab[];
  /** The index of the tab in front. */
  active: number;
}

/** Tabs as read back: with when they were kept (0: unknown), so a new window takes the most recent ones. */
export interface KeptTabs extends OpenTabs {
  savedAt: number;
}

/** Every window's tabs are kept under this prefix and the window's id; before, all windows shared this key. */
export const TABS_KEY = 'flowscope.tabs';

type StorageLike = Pick<Storage, 'getItem' | 'setItem'>;

const isKept = (t: unknown): t is KeptTab =>
  typeof t === 'object' &&
  t !== null &&
  'title' in t &&
  'query' in t &&
  'dialect' in t &&
  typeof t.title === 'string' &&
  typeof t.query === 'string' &&
  (t.dialect === 'auto' || Dialect.safeParse(t.dialect).success);

const isOrigin = (o: unknown): o is LibraryOrigin => {
  if (typeof o !== 'object' || o === null) return false;
  const r = o as Record<string, unknown>;
  return (
    ['id', 'modifiedAt', 'name', 'description'].every((k) => typeof r[k] === 'string') &&
    (r.origin === 'builtin' || r.origin === 'user') &&
    Array.isArray(r.tags) &&
    r.tags.every((t) => typeof t === 'string')
  );
};

/** The tabs kept under `key` at the last change, or null when none were (or what was kept does not read). */
export function readTabs(storage: StorageLike, key: string): KeptTabs | null {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(key) ?? 'null');
    if (typeof parsed !== 'object' || parsed === null || !('tabs' in parsed) || !Array.isArray(parsed.tabs))
      return null;
    // A tab whose saved query does not read is kept without it: its Save then saves as a new file.
    const tabs = parsed.tabs
      .filter(isKept)
      .map(({ title, query, dialect, opened }) => ({ title, query, dialect, ...(isOrigin(opened) ? { opened } : {}) }));
    if (tabs.length === 0) return null;
    const active = 'active' in parsed && typeof parsed.active === 'number' ? parsed.active : 0;
    const savedAt = 'savedAt' in parsed && typeof parsed.savedAt === 'number' ? parsed.savedAt : 0;
    return { tabs, active: Math.min(Math.max(0, Math.trunc(active)), tabs.length - 1), savedAt };
  } catch {
    // Damaged (edited by hand, or from an older build): the workbench opens as new rather than not at all.
    return null;
  }
}

/**
 * Writes a window's tabs under its key. The tabs come before the history: when the storage is full (a few megabytes per page, which
 * a history of long queries fills), the history makes way for the tabs and as much of its newest part as then
 * fits is put back. `kept` is false when the tabs do not fit even without any history (or the storage is
 * refused): the page must then say that a reload loses them, and the history stays as it was, since giving it
 * up would not have helped. `history` is what is left of the history when some of it went, for the page to
 * show and say so. Each edit of a tab calls this, so a storage that cannot hold the tabs costs a few writes.
 */
export function keepTabs(
  storage: StorageLike,
  key: string,
  open: OpenTabs,
): { kept: boolean; history: HistoryEntry[] | null } {
  const text = JSON.stringify({ ...open, savedAt: Date.now() });
  if (write(storage, key, text)) return { kept: true, history: null };
  const before = storage.getItem(HISTORY_KEY);
  const history = readHistory(storage);
  if (history.length === 0 || !write(storage, HISTORY_KEY, '[]')) return { kept: false, history: null };
  if (!write(storage, key, text)) {
    if (before !== null) write(storage, HISTORY_KEY, before);
    return { kept: false, history: null };
  }
  for (let rest = newerPart(history); rest.length > 0; rest = newerPart(rest))
    if (write(storage, HISTORY_KEY, JSON.stringify(rest))) return { kept: true, history: rest };
  return { kept: true, history: [] };
}

/** False when the storage refuses the write (full, or turned off). */
function write(storage: StorageLike, key: string, text: string): boolean {
  try {
    storage.setItem(key, text);
    return true;
  } catch {
    return false;
  }
}
