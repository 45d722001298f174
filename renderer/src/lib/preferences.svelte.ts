/**
 * The analyst's display preferences, kept across restarts: light or dark theme (first time: what the
 * system prefers), the time zone times are shown in (UTC unless switched to local), the workbench's
 * layout (the editor's and the chart's heights, or that they are collapsed; whether the field sidebar shows) and whether Enter runs the
 * query. The theme is a `data-theme` attribute on the root element, which the CSS variables and the
 * charts follow.
 */
import type { TimeZoneChoice } from './cell-format';

export type ThemeName = 'light' | 'dark';

const THEME_KEY = 'flowscope.theme';
const ZONE_KEY = 'flowscope.zone';
const LAYOUT_KEY = 'flowscope.layout';
const RUN_ON_ENTER_KEY = 'flowscope.runOnEnter';

/** A resizable, collapsible part of the workbench: its height in pixels (null: what fits the window) and whether it shows. */
export interface Pane {
  height: number | null;
  open: boolean;
}

export interface Layout {
  editor: Pane;
  chart: Pane;
  /** The field sidebar beside the grid (only whether it shows). */
  fields: Pane;
}

const DEFAULT_LAYOUT: Layout = {
  editor: { height: null, open: true },
  chart: { height: null, open: true },
  fields: { height: null, open: true },
};

function storedLayout(): Layout {
  try {
    const raw = JSON.parse(localStorage.getItem(LAYOUT_KEY) ?? 'null') as Partial<Layout> | null;
    const pane = (p: unknown): Pane => {
      const v = p as Partial<Pane> | undefined;
      return {
        height: typeof v?.height === 'number' && v.height > 0 ? v.height : null,
        open: v?.open !== false,
      };
    };
    return raw
      ? { editor: pane(raw.editor), chart: pane(raw.chart), fields: pane(raw.fields) }
      : structuredClone(DEFAULT_LAYOUT);
  } catch {
    return structuredClone(DEFAULT_LAYOUT);
  }
}

function stored<T extends string>(key: string, allowed: readonly T[]): T | null {
  try {
    const value = localStorage.getItem(key);
    return allowed.includes(value as T) ? (value as T) : null;
  } catch {
    return null;
  }
}

function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage can be unavailable (private mode, full): the choice then lasts for this session only.
  }
}

class Preferences {
  theme = $state<ThemeName>(
    stored(THEME_KEY, ['light', 'dark']) ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'),
  );
  zone = $state<TimeZoneChoice>(stored(ZONE_KEY, ['utc', 'local']) ?? 'utc');
  layout = $state<Layout>(storedLayout());
  /** Enter runs the query (Shift+Enter breaks the line), as in Sumo Logic; otherwise Ctrl/⌘+Enter runs. */
  runOnEnter = $state(stored(RUN_ON_ENTER_KEY, ['true', 'false']) === 'true');

  constructor() {
    this.apply();
  }

  setTheme(theme: ThemeName): void {
    this.theme = theme;
    store(THEME_KEY, theme);
    this.apply();
  }

  setZone(zone: TimeZoneChoice): void {
    this.zone = zone;
    store(ZONE_KEY, zone);
  }

  setPane(name: keyof Layout, pane: Partial<Pane>): void {
    this.layout[name] = { ...this.layout[name], ...pane };
    store(LAYOUT_KEY, JSON.stringify(this.layout));
  }

  setRunOnEnter(on: boolean): void {
    this.runOnEnter = on;
    store(RUN_ON_ENTER_KEY, String(on));
  }

  private apply(): void {
    document.documentElement.dataset.theme = this.theme;
  }
}

export const preferences = new Preferences();
