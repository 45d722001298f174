/**
 * The open query tabs, kept in the page's local storage as the history is, so that a reload or a closed
 * window loses nothing typed: each tab's text, language and name, and which tab was in front. Results are
 * not kept (the engine forgets them), and neither is a tab's engine: a query reaches AWS only by the
 * analyst's choice in that tab, after the restart too.
 */
import { Dialect } from '../../../preload/contract';

export interface KeptTab {
  title: string;
  query: string;
  dialect: Dialect | 'auto';
}

export interface OpenTabs {
  tabs: KeptTab[];
  /** The index of the tab in front. */
  active: number;
}

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

/** The tabs kept at the last change, or null when none were (or what was kept does not read). */
export function readTabs(storage: StorageLike): OpenTabs | null {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(TABS_KEY) ?? 'null');
    if (typeof parsed !== 'object' || parsed === null || !('tabs' in parsed) || !Array.isArray(parsed.tabs))
      return null;
    const tabs = parsed.tabs.filter(isKept);
    if (tabs.length === 0) return null;
    const active = 'active' in parsed && typeof parsed.active === 'number' ? parsed.active : 0;
    return { tabs, active: Math.min(Math.max(0, Math.trunc(active)), tabs.length - 1) };
  } catch {
    // Damaged (edited by hand, or from an older build): the workbench opens as new rather than not at all.
    return null;
  }
}

export function keepTabs(storage: StorageLike, open: OpenTabs): void {
  try {
    storage.setItem(TABS_KEY, JSON.stringify(open));
  } catch {
    // Storage full or refused: the tabs still work, they only do not outlive the page.
  }
}
