/**
 * The dashboard file format, `*.flowdash.json`: a name, one time range and one set of filters for the whole
 * dashboard, and panels on a 12-column grid (a panel may have a time range of its own), each a saved query (inline, or a reference to a library file)
 * drawn with Flowscope's own chart spec. Strict like the saved-query format: unknown keys are errors, so a
 * shared file can carry nothing Flowscope does not understand. `flowdash.schema.json` is generated from this
 * module (`npm run gen:library-schemas`), and a test keeps the two equal.
 * Pure: no Node, DuckDB or Electron.
 */
import { z } from 'zod';
import { DashboardFilters } from './dashboard-filters';
import { ChartSpec, DisplayName, SavedQuery, SavedTimeRange } from './saved-query';

export const GRID_COLUMNS = 12;

/** A library file by id: `builtin:top-talkers` or `user:my-query`. */
export const QueryRef = z.strictObject({
  ref: z.string().regex(/^(builtin|user):[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/, {
    message: 'expected builtin:<name> or user:<name>',
  }),
});
export type QueryRef = z.infer<typeof QueryRef>;

export const PanelLayout = z
  .strictObject({
    x: z
      .number()
      .int()
      .min(0)
      .max(GRID_COLUMNS - 1),
    y: z.number().int().min(0).max(999),
    w: z.number().int().min(1).max(GRID_COLUMNS),
    h: z.number().int().min(1).max(24),
  })
  .refine((l) => l.x + l.w <= GRID_COLUMNS, {
    message: `a panel must fit in the ${GRID_COLUMNS}-column grid (x + w ≤ ${GRID_COLUMNS})`,
  });
export type PanelLayout = z.infer<typeof PanelLayout>;

/**
 * A panel that runs on Athena instead of the workspace, refreshed only when the analyst asks. The file names
 * the table only: as whom, in which region and at which endpoint are the app's Athena settings, so a shared
 * dashboard cannot send a query elsewhere.
 */
export const PanelRemote = z.strictObject({
  engine: z.literal('athena'),
  table: z.string().regex(/^[A-Za-z0-9_]+\.[A-Za-z0-9_]+$/, { message: 'expected database.table' }),
});
export type PanelRemote = z.infer<typeof PanelRemote>;

export const DashboardPanel = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, { message: 'expected 1 to 40 letters, digits, _ or -' }),
  title: DisplayName,
  query: z.union([QueryRef, SavedQuery]),
  /** Overrides the query's own chart; without it the panel draws the query's chart. */
  chart: ChartSpec.optional(),
  /**
   * The panel's own time range ("last 1h" on a 7-day dashboard); without it the panel shows the dashboard's.
   * Optional, so files written before it load unchanged.
   */
  timeRange: SavedTimeRange.optional(),
  layout: PanelLayout,
  remote: PanelRemote.optional(),
});
export type DashboardPanel = z.infer<typeof DashboardPanel>;

export const Dashboard = z
  .strictObject({
    $schema: z.string().max(500).optional(),
    version: z.literal(1),
    name: DisplayName,
    description: z.string().max(5000).default(''),
    timeRange: SavedTimeRange.optional(),
    filters: DashboardFilters.default({}),
    panels: z.array(DashboardPanel).max(48),
  })
  .refine((d) => new Set(d.panels.map((p) => p.id)).size === d.panels.length, {
    message: 'panel ids must be unique',
    path: ['panels'],
  });
export type Dashboard = z.infer<typeof Dashboard>;

/** Where a new panel goes: below everything already on the dashboard, full width of half the grid. */
export function nextPanelLayout(panels: readonly Pick<DashboardPanel, 'layout'>[], size = { w: 6, h: 4 }): PanelLayout {
  const bottom = Math.max(0, ...panels.map((p) => p.layout.y + p.layout.h));
  const lastRow = panels.filter((p) => p.layout.y + p.layout.h === bottom && p.layout.y >= 0);
  const rightmost = Math.max(0, ...lastRow.map((p) => p.layout.x + p.layout.w));
  if (lastRow.length && rightmost + size.w <= GRID_COLUMNS) {
    const y = Math.min(...lastRow.map((p) => p.layout.y));
    return { x: rightmost, y, ...size };
  }
  return { x: 0, y: bottom, ...size };
}

/** A panel id not yet used on the dashboard. */
export function newPanelId(panels: readonly Pick<DashboardPanel, 'id'>[]): string {
  const used = new Set(panels.map((p) => p.id));
  for (let n = panels.length + 1; ; n++) if (!used.has(`p${n}`)) return `p${n}`;
}
