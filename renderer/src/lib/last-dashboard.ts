/**
 * The dashboard open last, so that Dashboards opens on the one being worked on, not the first built-in one:
 * this window's after a reload (session storage), else the one opened last in any window (local storage:
 * a new window, a restart).
 */
export const LAST_DASHBOARD_KEY = 'flowscope.dashboard';

/** The built-in dashboard Dashboards opens with the first time, and when the one open last is gone. */
export const FIRST_DASHBOARD = 'builtin:overview';

export function lastDashboard(): string {
  try {
    return sessionStorage.getItem(LAST_DASHBOARD_KEY) ?? localStorage.getItem(LAST_DASHBOARD_KEY) ?? FIRST_DASHBOARD;
  } catch {
    return FIRST_DASHBOARD;
  }
}

export function rememberDashboard(id: string): void {
  try {
    sessionStorage.setItem(LAST_DASHBOARD_KEY, id);
    localStorage.setItem(LAST_DASHBOARD_KEY, id);
  } catch {
    // Storage full or refused: Dashboards opens on the first one after a reload, as before.
  }
}
