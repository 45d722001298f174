/**
 * The analyst's display preferences, kept across restarts: light or dark theme (first time: what the
 * system prefers) and the time zone times are shown in (UTC unless switched to local). The theme is a
 * `data-theme` attribute on the root element, which the CSS variables and the charts follow.
 */
import type { TimeZoneChoice } from './cell-format';
import type { ThemeName } from './chart-option';

const THEME_KEY = 'flowscope.theme';
const ZONE_KEY = 'flowscope.zone';

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

  private apply(): void {
    document.documentElement.dataset.theme = this.theme;
  }
}

export const preferences = new Preferences();
