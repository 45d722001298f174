/**
 * The title a Pin to dashboard dialog starts with: the saved query's name, else the tab's own name (not
 * the "Query 3" a new tab gets), else the query itself on one line, cut to a panel title's room.
 */
const MAX = 80;

export function defaultPanelTitle(savedName: string | null | undefined, tabTitle: string, query: string): string {
  if (savedName?.trim()) return savedName.trim();
  if (tabTitle.trim() && !/^Query \d+$/.test(tabTitle.trim())) return tabTitle.trim();
  const line = query.replace(/\s+/g, ' ').trim();
  return line.length > MAX ? `${line.slice(0, MAX - 1).trimEnd()}…` : line;
}

/** Why Pin cannot be clicked yet, in words, or null when it can. */
export function pinBlocked(title: string, newDashboardName: string | null): string | null {
  if (!title.trim()) return 'Give the panel a title to pin it.';
  if (newDashboardName !== null && !newDashboardName.trim()) return 'Name the new dashboard to pin it.';
  return null;
}
