/**
 * The engine side of the `library.*`, `dashboard.*` and `export.*` channels: one method per channel, named
 * as the Engine's (`library.list` → `libraryList`), so the Engine delegates in one line each.
 */
import { basename } from 'node:path';
import {
  PANEL_PAGE_SIZE,
  type ExportFormat,
  type Output,
  type ParsedInput,
  type SortKey,
} from '../../../preload/contract';
import { panelChartWidth } from '../../../queries/chart/chart-data';
import { FlowscopeError } from '../errors';
import type { FileRegistry } from '../files';
import type { Workspace } from '../workspace';
import { checkExportTarget, copyToExportFolder, moveExport, type Downloads } from './export-result';
import type { Library } from './index';
import { PanelRunner } from './panel-runner';

export interface LibraryDeps {
  library: Library;
  files: FileRegistry;
  workspace: Workspace;
  /** Exports waiting for the browser to download them (`flowscope serve` hands each out once). */
  downloads: Downloads;
  /** The engine's `query.run`, for a dashboard panel (whose kept results never push out the workbench's). */
  runPanel: (input: ParsedInput<'query.run'>) => Promise<Output<'query.run'>>;
  /** The engine's `query.chart`, for a panel's chart of its kept result. */
  chart: (input: ParsedInput<'query.chart'>) => Promise<Output<'query.chart'>>;
  /** The query engine's COPY of a kept result, which `query.cancel` with `queryId` stops. */
  copyResult: (
    resultId: string,
    path: string,
    copyOptions: string,
    format: ExportFormat,
    sort?: readonly SortKey[],
    queryId?: string,
  ) => Promise<number>;
}

/** The built-in dashboards warmed after each import, in the order the app offers them. */
const WARMED_DASHBOARDS = ['builtin:overview', 'builtin:accepts-and-rejects', 'builtin:traffic'];

export class LibraryChannels {
  private readonly downloads: Downloads;
  private readonly library: Library;
  private readonly files: FileRegistry;
  private readonly panels: PanelRunner;

  constructor(private readonly deps: LibraryDeps) {
    this.library = deps.library;
    this.files = deps.files;
    this.downloads = deps.downloads;
    this.panels = new PanelRunner(deps.workspace, deps.runPanel, deps.chart);
  }

  async libraryList(input: ParsedInput<'library.list'>): Promise<Output<'library.list'>> {
    return this.library.list(input);
  }

  async libraryGet(input: ParsedInput<'library.get'>): Promise<Output<'library.get'>> {
    return this.library.get(input.id);
  }

  async librarySave(input: ParsedInput<'library.save'>): Promise<Output<'library.save'>> {
    return this.library.save(input.query, input.id, input.ifModifiedAt);
  }

  async libraryRename(input: ParsedInput<'library.rename'>): Promise<Output<'library.rename'>> {
    return this.library.rename(input.id, input.name);
  }

  async libraryDelete(input: ParsedInput<'library.delete'>): Promise<Output<'library.delete'>> {
    this.library.delete(input.id);
    return { deleted: true };
  }

  async libraryTrust(input: ParsedInput<'library.trust'>): Promise<Output<'library.trust'>> {
    this.library.trust(input.kind, input.id);
    return { trusted: true };
  }

  async libraryImport(input: ParsedInput<'library.import'>): Promise<Output<'library.import'>> {
    if (input.file) return this.library.importFile(this.files.resolve(input.file));
    return this.library.importText(input.text!, input.fileName);
  }

  async libraryExport(input: ParsedInput<'library.export'>): Promise<Output<'library.export'>> {
    return this.library.export(input.items);
  }

  async dashboardList(): Promise<Output<'dashboard.list'>> {
    return this.library.dashboardList();
  }

  async dashboardGet(input: ParsedInput<'dashboard.get'>): Promise<Output<'dashboard.get'>> {
    return this.library.dashboardGet(input.id);
  }

  async dashboardSave(input: ParsedInput<'dashboard.save'>): Promise<Output<'dashboard.save'>> {
    return this.library.dashboardSave(input.dashboard, input.id, input.ifModifiedAt);
  }

  async dashboardDelete(input: ParsedInput<'dashboard.delete'>): Promise<Output<'dashboard.delete'>> {
    this.library.dashboardDelete(input.id);
    return { deleted: true };
  }

  async dashboardPin(input: ParsedInput<'dashboard.pin'>): Promise<Output<'dashboard.pin'>> {
    return this.library.pin(input);
  }

  dashboardRunPanel(input: ParsedInput<'dashboard.runPanel'>): Promise<Output<'dashboard.runPanel'>> {
    return this.panels.runPanel(input);
  }

  /**
   * Runs the panels of the built-in dashboards an analyst opens first (Overview, then Accepts and rejects,
   * then Traffic) as the app opens them (whole workspace, no filters, the chart width the dashboard view
   * asks for), one dashboard at a time, so that opening them answers from the result cache. Only these:
   * their 24 panels are as many results as the query runner keeps for panels, and warming all six
   * dashboards would double the work after every import. Interactive hosts call it when a workspace opens
   * and after each import; failures only mean the page runs the panel itself. Stops between dashboards once
   * `signal` aborts (the engine is closing).
   */
  async warmBuiltinDashboards(signal?: AbortSignal): Promise<void> {
    const builtin = new Set(this.library.dashboardList().entries.map((e) => e.id));
    const ids = WARMED_DASHBOARDS.filter((id) => builtin.has(id));
    for (const id of ids) {
      if (signal?.aborted) return;
      const panels = this.library.dashboardGet(id).panels;
      await Promise.allSettled(
        // A panel with a range of its own is left to run when shown: the warm-up knows only the whole workspace.
        panels.map((p) =>
          p.query && !p.timeRange
            ? this.panels.runPanel({
                query: p.query.query,
                dialect: p.query.dialect,
                pageSize: PANEL_PAGE_SIZE,
                chart: { spec: p.chart, width: panelChartWidth(p.layout) },
              })
            : null,
        ),
      );
    }
  }

  async exportResult(input: ParsedInput<'export.result'>): Promise<Output<'export.result'>> {
    const { workspace, copyResult } = this.deps;
    const target = input.target ? this.files.resolve(input.target) : null;
    if (target) checkExportTarget(target, workspace.path);
    const exported = await copyToExportFolder(
      workspace.exportDir,
      (path, options, format) => copyResult(input.resultId, path, options, format, input.sort, input.queryId),
      input.format,
      input.name ?? (target ? basename(target).replace(/\.[^.]*$/, '') : 'result'),
    ).catch((err: unknown) => {
      // The file was being written under a name of its own in the export folder, and is removed with it.
      if (err instanceof FlowscopeError && err.code === 'cancelled')
        throw new FlowscopeError('cancelled', 'The export was cancelled; no file was written.');
      throw err;
    });
    const result = { fileName: exported.fileName, rows: exported.rows, bytes: exported.bytes };
    if (target) {
      moveExport(exported.path, target);
      return { ...result, savedTo: target, downloadId: null };
    }
    return { ...result, savedTo: null, downloadId: this.downloads.add(exported.path, exported.fileName) };
  }
}
