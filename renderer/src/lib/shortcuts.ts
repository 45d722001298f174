/**
 * The app's keyboard shortcuts, in one list: the help (`?`, or the sidebar's "Keyboard shortcuts") shows it,
 * and the Explore view's keys are read from it (`workbenchKey`). Keys the browser keeps for itself (Ctrl+T,
 * Ctrl+W, Ctrl+N) cannot be used in browser mode, so tabs open and close with Alt; none of the letters starts
 * a name of the desktop app's menus (File, Edit, View, Window), which Alt opens on Windows and Linux.
 */

export const MAC = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);
const MOD = MAC ? '⌘' : 'Ctrl';
const ALT = MAC ? '⌥' : 'Alt';

/** What the Explore view does on a key of its own, wherever focus is in it. */
export type WorkbenchAction = 'run' | 'newTab' | 'closeTab' | 'focusQuery' | 'focusLanguage';

/** The keys of WorkbenchAction: Alt with a letter (read by its place on the keyboard: ⌥T types † on a Mac). */
const ALT_KEYS: Record<string, WorkbenchAction> = { KeyT: 'newTab', KeyX: 'closeTab', KeyL: 'focusLanguage' };

export const KEYS = {
  run: `${MOD}+Enter`,
  newTab: `${ALT}+T`,
  closeTab: `${ALT}+X`,
  focusLanguage: `${ALT}+L`,
  focusQuery: '/',
  help: '?',
} as const;

export interface ShortcutGroup {
  name: string;
  keys: { keys: string; does: string }[];
}

export const SHORTCUTS: ShortcutGroup[] = [
  {
    name: 'Query',
    keys: [
      { keys: KEYS.run, does: 'Run the query, from anywhere in Explore' },
      { keys: 'Enter', does: 'Run the query, when "Enter runs" is ticked (Shift+Enter then starts a new line)' },
      { keys: 'Esc', does: 'Cancel the running query' },
      { keys: KEYS.focusQuery, does: 'Go to the query box' },
      { keys: 'Esc, then Tab', does: 'Leave the query box' },
      { keys: KEYS.focusLanguage, does: 'Go to the language menu (then the arrows choose)' },
      { keys: 'Ctrl+Space', does: 'Complete a field, command or function' },
    ],
  },
  {
    name: 'Tabs',
    keys: [
      { keys: KEYS.newTab, does: 'New query tab' },
      { keys: KEYS.closeTab, does: 'Close the query tab' },
      { keys: '← →, Home, End', does: 'Move between tabs (on a tab)' },
      { keys: 'Delete', does: 'Close the focused tab' },
    ],
  },
  {
    name: 'Results',
    keys: [
      { keys: 'Arrows, Page Up/Down, Home, End', does: 'Move in the grid' },
      { keys: 'Enter', does: "Add the cell's value to the query as a filter" },
      { keys: 'Shift+Enter', does: 'Open the raw records behind the row (a grouped result)' },
      { keys: 'E', does: "Open the cell's address, ENI or port in its entity view" },
      { keys: 'Shift+Space', does: "Select the cell's row" },
      { keys: `${MOD}+C`, does: 'Copy the cell, or the selected rows' },
    ],
  },
  { name: 'Anywhere', keys: [{ keys: KEYS.help, does: 'This list' }] },
  {
    // The desktop app's File menu (`main/electron/menu.ts`); in a browser these keys are the browser's own, and
    // the sidebar's Switch… opens or makes a workspace.
    name: 'Desktop app',
    keys: [
      { keys: `${MOD}+N`, does: 'New workspace (File menu)' },
      { keys: `${MOD}+O`, does: 'Open workspace (File menu)' },
    ],
  },
];

/** Whether a key goes to what takes text (a field, a menu, the query editor in its shadow root): a bare key is typing there. */
export function typingIn(event: KeyboardEvent): boolean {
  const target = event.composedPath()[0];
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

/** The Explore view's action for a key press, or null. */
export function workbenchKey(event: KeyboardEvent): WorkbenchAction | null {
  const mod = MAC ? event.metaKey : event.ctrlKey;
  if (event.key === 'Enter' && mod && !event.altKey && !event.shiftKey) return 'run';
  if (event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey) return ALT_KEYS[event.code] ?? null;
  if (event.key === '/' && !mod && !event.altKey && !typingIn(event)) return 'focusQuery';
  return null;
}
