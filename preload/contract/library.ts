/**
 * Saved queries and dashboards as files (`*.flowquery.json`, `*.flowdash.json`) in the built-in library
 * (read-only) and the user's library folder, and export of whole results to files.
 *
 * Ids are `builtin:<stem>` or `user:<stem>`, the stem being the file name without its extension. A user file
 * Flowscope did not write itself (imported, copied in) is `trusted: false` until `library.trust`: the renderer
 * shows its query text before it runs the first time.
 */
import { z } from 'zod';
import { Dashboard, DashboardPanel, PanelLayout, PanelRemote, QueryRef } from '../../queries/library/dashboard';
import { DashboardFilters } from '../../queries/library/dashboard-filters';
import { ChartSpec, SavedQuery, SavedTimeRange } from '../../queries/library/saved-query';
import { FileHandle } from './ingest';
import { ChartData, ChartRequest, Dialect, queryChannels, SortKey } from './query';
import { MAX_MESSAGE_BYTES } from './wire';

/** Large enough for any real query or dashboard, small enough that a hostile file costs nothing. */
export const LIBRARY_FILE_MAX_BYTES = 256 * 1024;

/** Why a library file of `bytes` bytes is refused for its size, or null when it is not too large. */
export function libraryFileTooLarge(fileName: string, bytes: number): string | null {
  return bytes > LIBRARY_FILE_MAX_BYTES
    ? `${fileName} is ${bytes} bytes; library files are limited to ${LIBRARY_FILE_MAX_BYTES} bytes (256 KiB).`
    : null;
}

export { Dashboard, DashboardFilters, DashboardPanel, PanelLayout, QueryRef };

const EntryId = z.string().max(100);
const EntryKind = z.enum(['query', 'dashboard']);

const EntryFile = {
  id: z.string(),
  origin: z.enum(['builtin', 'user']),
  fileName: z.string(),
  trusted: z.boolean(),
  modifiedAt: z.string(),
};

export const LibraryEntry = z.object({
  ...EntryFile,
  name: z.string(),
  description: z.string(),
  dialect: Dialect,
  tags: z.array(z.string()),
});
export type LibraryEntry = z.infer<typeof LibraryEntry>;

/** A user file that no longer reads (edited by hand, newer format): listed with the reason. */
export const BrokenEntry = z.object({
  id: z.string(),
  origin: z.enum(['builtin', 'user']),
  fileName: z.string(),
  error: z.string(),
});
export type BrokenEntry = z.infer<typeof BrokenEntry>;

export const LibraryItem = z.object({ ...EntryFile, query: SavedQuery });
export type LibraryItem = z.infer<typeof LibraryItem>;

export const DashboardEntry = z.object({
  ...EntryFile,
  name: z.string(),
  description: z.string(),
  panels: z.number().int(),
});
export type DashboardEntry = z.infer<typeof DashboardEntry>;

/** A panel with its query looked up: what the renderer runs and draws. */
export const ResolvedPanel = z.object({
  id: z.string(),
  title: z.string(),
  layout: PanelLayout,
  /** The panel's own time range, when it overrides the dashboard's (`{last: '1h'}` or fixed ends). */
  timeRange: SavedTimeRange.optional(),
  /** The panel's chart, else its query's. */
  chart: ChartSpec.nullable(),
  query: SavedQuery.nullable(),
  /** The library id the query came from, when the panel references one. */
  ref: z.string().nullable(),
  /** Why the query could not be found or read. */
  error: z.string().nullable(),
  /** Runs on Athena, on the analyst's request, instead of the workspace. */
  remote: PanelRemote.optional(),
});
export type ResolvedPanel = z.infer<typeof ResolvedPanel>;

export const DashboardItem = z.object({ ...EntryFile, dashboard: Dashboard, panels: z.array(ResolvedPanel) });
export type DashboardItem = z.infer<typeof DashboardItem>;

/** Rows of a panel's answer: what a table panel shows (a chart's data comes whole, apart from them). */
export const PANEL_PAGE_SIZE = 200;

export const ExportFormat = z.enum(['csv', 'parquet', 'json']);
export type ExportFormat = z.infer<typeof ExportFormat>;

export const ExportedFile = z.object({ fileName: z.string(), text: z.string() });

export const libraryChannels = {
  'library.list': {
    input: z.object({
      /** Words matched against name, description and tags, case-insensitive; all must match. */
      search: z.string().max(200).optional(),
      tag: z.string().max(100).optional(),
    }),
    output: z.object({ entries: z.array(LibraryEntry), broken: z.array(BrokenEntry) }),
  },
  'library.get': { input: z.object({ id: EntryId }), output: LibraryItem },
  /** With the id of a user file: overwrite it (save); without: a new file named after the query (save as). */
  /**
   * Over the user file `id`, or a new file. `ifModifiedAt`, the `modifiedAt` the caller opened: a file changed
   * since (another tab or window saved it, a `git pull`) is refused with `conflict`, not overwritten.
   */
  'library.save': {
    input: z.object({ id: EntryId.optional(), query: SavedQuery, ifModifiedAt: z.string().max(40).optional() }),
    output: LibraryItem,
  },
  'library.rename': { input: z.object({ id: EntryId, name: z.string().trim().min(1).max(200) }), output: LibraryItem },
  'library.delete': { input: z.object({ id: EntryId }), output: z.object({ deleted: z.boolean() }) },
  /** The analyst read the file's query (or dashboard) and accepts it: it runs without asking from now on. */
  'library.trust': { input: z.object({ kind: EntryKind, id: EntryId }), output: z.object({ trusted: z.boolean() }) },
  /**
   * A file from elsewhere, as a handle the host registered (open dialog, drop) or as its text: validated,
   * size-capped, added to the user library untrusted. The kind comes from the file name, else the content.
   */
  'library.import': {
    input: z
      .object({
        file: FileHandle.optional(),
        // Longer than a library file may be, so the engine's refusal names the file; the transport caps the rest.
        text: z.string().max(MAX_MESSAGE_BYTES).optional(),
        fileName: z.string().max(300).optional(),
      })
      .refine((i) => (i.file === undefined) !== (i.text === undefined), { message: 'give either file or text' }),
    /** `existing`: the library already held this very file (the same content), which is answered, not copied. */
    output: z.object({
      kind: EntryKind,
      id: z.string(),
      name: z.string(),
      trusted: z.boolean(),
      existing: z.boolean(),
    }),
  },
  /** Files ready to save or share; a dashboard's referenced queries are copied in so it stands alone. */
  'library.export': {
    input: z.object({
      items: z
        .array(z.object({ kind: EntryKind, id: EntryId }))
        .min(1)
        .max(1000),
    }),
    output: z.object({ files: z.array(ExportedFile) }),
  },

  'dashboard.list': {
    input: z.object({}),
    output: z.object({ entries: z.array(DashboardEntry), broken: z.array(BrokenEntry) }),
  },
  'dashboard.get': { input: z.object({ id: EntryId }), output: DashboardItem },
  /**
   * Overwrites `id` (or writes a new file). `ifModifiedAt`: the `modifiedAt` the page read; when the file has
   * changed since (a pin, another tab), nothing is written and the answer is `conflict`.
   */
  'dashboard.save': {
    input: z.object({ id: EntryId.optional(), dashboard: Dashboard, ifModifiedAt: z.string().max(40).optional() }),
    output: DashboardItem,
  },
  'dashboard.delete': { input: z.object({ id: EntryId }), output: z.object({ deleted: z.boolean() }) },
  /** Pin a query with its chart to an existing dashboard (`dashboardId`) or to a new one (`newDashboardName`). */
  'dashboard.pin': {
    input: z
      .object({
        dashboardId: EntryId.optional(),
        newDashboardName: z.string().trim().min(1).max(200).optional(),
        title: z.string().trim().min(1).max(200),
        query: z.union([QueryRef, SavedQuery]),
        chart: ChartSpec.optional(),
        /** The result pinned came from Athena: the panel runs there. */
        remote: PanelRemote.optional(),
      })
      .refine((i) => (i.dashboardId === undefined) !== (i.newDashboardName === undefined), {
        message: 'give either dashboardId or newDashboardName',
      }),
    output: DashboardItem.extend({ panelId: z.string() }),
  },

  /**
   * Run one panel's query with the dashboard's time range and filters: `query.run` with a result cache in
   * front (same compiled query, time range, filters, page size and chart, no import since: answered from memory,
   * `cached: true`). Panels run in parallel, one call each, so the dashboard fills in as they finish.
   */
  'dashboard.runPanel': {
    input: queryChannels['query.run'].input.extend({
      pageSize: z.number().int().min(0).max(10_000).default(PANEL_PAGE_SIZE),
      /** The panel's chart: its data comes with the answer (and is cached with it). */
      chart: ChartRequest.optional(),
    }),
    output: queryChannels['query.run'].output.extend({ cached: z.boolean(), chart: ChartData.nullable().optional() }),
  },

  /**
   * A kept result (`query.run`'s `resultId`), every row of it, written by DuckDB into the workspace's export
   * folder, then moved to `target` (a place the host's save dialog registered, Electron) or kept for one
   * download (`GET /export/<downloadId>` on `flowscope serve`, the browser).
   */
  'export.result': {
    input: z.object({
      resultId: z.string().max(64),
      format: ExportFormat,
      /** Suggested file name, without extension. */
      name: z.string().max(200).optional(),
      target: FileHandle.optional(),
      /** The order the table shows (its clicked column), which the file keeps; without it, the result's own. */
      sort: z.array(SortKey).max(8).optional(),
      /**
       * Chosen by the caller, to stop the export with `query.cancel` while DuckDB writes the file: it fails
       * `cancelled`, and nothing is saved to `target` or kept for download.
       */
      queryId: z.string().max(64).optional(),
    }),
    output: z.object({
      fileName: z.string(),
      rows: z.number(),
      bytes: z.number(),
      savedTo: z.string().nullable(),
      downloadId: z.string().nullable(),
    }),
  },
} as const;
