/**
 * Past queries, newest first, kept in the page's local storage so they outlive a restart. A query run
 * again in the same language moves to the top instead of appearing twice; the same text run in another
 * language (SQL, then Athena SQL: answers that may differ) is another entry.
 */
import type { Dialect } from '../../../preload/contract';

export interface HistoryEntry {
  query: string;
  dialect: Dialect;
  ranAt: string;
}

export const HISTORY_KEY = 'flowscope.history';
export const HISTORY_MAX = 200;

type StorageLike = Pick<Storage, 'getItem' | 'setItem'>;

export function readHistory(storage: StorageLike): HistoryEntry[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(HISTORY_KEY) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (e): e is HistoryEntry =>
        typeof e === 'object' &&
        e !== null &&
        typeof e.query === 'string' &&
        typeof e.dialect === 'string' &&
        typeof e.ranAt === 'string',
    );
  } catch {
    // A damaged entry (edited by hand, or from an older build) costs the history, not the app.
    return [];
  }
}

/**
 * Puts `entry` first and keeps the list. Local storage holds a few megabytes per page, and long queries (an
 * indicator list of thousands of addresses is 60 KB) fill it before HISTORY_MAX entries: then the oldest go,
 * a quarter at a time, until the rest fits. Never throws: the run that called it has its answer to show.
 */
export function remember(storage: StorageLike, entry: HistoryEntry): HistoryEntry[] {
  const rest = readHistory(storage).filter((e) => e.query.trim() !== entry.query.trim() || e.dialect !== entry.dialect);
  let next = [entry, ...rest].slice(0, HISTORY_MAX);
  for (;;) {
    try {
      storage.setItem(HISTORY_KEY, JSON.stringify(next));
      return next;
    } catch {
      // Storage full (or refused): the new entry alone may still not fit; it is shown for this page then.
      if (next.length === 1) return next;
      next = next.slice(0, Math.ceil((next.length * 3) / 4));
    }
  }
}

/**
 * Gives up the oldest quarter of the history (the last entry too) to make room in the storage for what
 * matters more: the open tabs, whose text may never have run. Null when there was no history to give up (or
 * the storage refuses every write).
 */
export function makeRoomInHistory(storage: StorageLike): HistoryEntry[] | null {
  const list = readHistory(storage);
  if (list.length === 0) return null;
  const rest = list.slice(0, Math.floor((list.length * 3) / 4));
  try {
    storage.setItem(HISTORY_KEY, JSON.stringify(rest));
    return rest;
  } catch {
    return null;
  }
}
