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

/** The newest three quarters of a history (nothing of one entry): what is tried next when a history does not fit. */
export const newerPart = (list: HistoryEntry[]): HistoryEntry[] => list.slice(0, Math.floor((list.length * 3) / 4));

/**
 * Puts `entry` first and keeps the list. Local storage holds a few megabytes per page, and long queries (an
 * indicator list of thousands of addresses is 60 KB) fill it before HISTORY_MAX entries: then the oldest go,
 * a quarter at a time, until the rest fits. Where not even the new entry fits (the open tabs fill the storage),
 * what was kept stays as it was and `kept` is false: the list is shown for this page, and the page says a
 * reload loses it. Never throws: the run that called it has its answer to show.
 */
export function remember(storage: StorageLike, entry: HistoryEntry): { history: HistoryEntry[]; kept: boolean } {
  const rest = readHistory(storage).filter((e) => e.query.trim() !== entry.query.trim() || e.dialect !== entry.dialect);
  const all = [entry, ...rest].slice(0, HISTORY_MAX);
  for (let next = all; next.length > 0; next = newerPart(next)) {
    try {
      storage.setItem(HISTORY_KEY, JSON.stringify(next));
      return { history: next, kept: true };
    } catch {
      // Storage full (or refused): fewer entries may fit.
    }
  }
  return { history: all, kept: false };
}
