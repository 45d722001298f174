/**
 * The engine's library: saved queries and dashboards as files (see file-library.ts), search, pinning,
 * import of files from elsewhere and export of self-contained files.
 *
 * Where the user library lives: `library/` beside the workspace file (so the demo workspace in the user's
 * data folder gets its library there too, and a workspace kept in a project folder keeps its queries with
 * it), or the folder named by `FLOWSCOPE_LIBRARY` / the engine's `libraryDir` option. Which files the analyst
 * has accepted is remembered in the workspace's own `<file>.flowscope/library-trust.json`, never in the
 * library folder, so trust cannot be shared along with files.
 */
import { basename, dirname, join } from 'node:path';
import type {
  DashboardEntry,
  DashboardItem,
  LibraryEntry,
  LibraryItem,
  ParsedInput,
  ResolvedPanel,
} from '../../../preload/contract';
import { Dashboard, newPanelId, nextPanelLayout, type DashboardPanel } from '../../../queries/library/dashboard';
import { SavedQuery } from '../../../queries/library/saved-query';
import { FlowscopeError } from '../errors';
import { packageRoot } from '../package-root';
import { readLibraryFile, serializeDocument } from './documents';
import { FileLibrary, type LoadedEntry } from './file-library';
import type { EntryKind } from './names';
import { TrustList } from './trust';

export const BUILTIN_QUERIES_DIR = join(packageRoot(import.meta.url), 'queries', 'library');
export const BUILTIN_DASHBOARDS_DIR = join(BUILTIN_QUERIES_DIR, 'dashboards');

export interface LibraryLocation {
  userDir: string;
  trustFile: string;
  builtinQueriesDir?: string;
  builtinDashboardsDir?: string;
}

/** The default user library and trust file for a workspace file (see the module comment). */
export function libraryLocation(workspacePath: string, libraryDir = process.env.FLOWSCOPE_LIBRARY): LibraryLocation {
  return {
    userDir: libraryDir || join(dirname(workspacePath), 'library'),
    trustFile: `${workspacePath}.flowscope/library-trust.json`,
  };
}

type SavedQueryDoc = ReturnType<typeof SavedQuery.parse>;
type DashboardDoc = ReturnType<typeof Dashboard.parse>;

export class Library {
  readonly queries: FileLibrary<typeof SavedQuery>;
  readonly dashboards: FileLibrary<typeof Dashboard>;

  constructor(location: LibraryLocation) {
    const trust = new TrustList(location.trustFile);
    this.queries = new FileLibrary('query', SavedQuery, {
      builtinDir: location.builtinQueriesDir ?? BUILTIN_QUERIES_DIR,
      userDir: location.userDir,
      trust,
    });
    this.dashboards = new FileLibrary('dashboard', Dashboard, {
      builtinDir: location.builtinDashboardsDir ?? BUILTIN_DASHBOARDS_DIR,
      userDir: location.userDir,
      trust,
    });
  }

  list({ search, tag }: ParsedInput<'library.list'>): {
    entries: LibraryEntry[];
    broken: ReturnType<FileLibrary<typeof SavedQuery>['list']>['broken'];
  } {
    const { entries, broken } = this.queries.list();
    const words = (search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const wantTag = tag?.toLowerCase();
    const matching = entries.filter(({ doc }) => {
      const tags = doc.tags.map((t) => t.toLowerCase());
      if (wantTag && !tags.includes(wantTag)) return false;
      const haystack = [doc.name, doc.description, ...tags].join('\n').toLowerCase();
      return words.every((w) => haystack.includes(w.replace(/^#/, '')));
    });
    return { entries: matching.map(queryEntry), broken };
  }

  get(id: string): LibraryItem {
    return queryItem(this.queries.get(id));
  }

  save(query: SavedQueryDoc, id?: string, ifModifiedAt?: string): LibraryItem {
    return queryItem(this.queries.save(query, id, ifModifiedAt));
  }

  rename(id: string, name: string): LibraryItem {
    return queryItem(this.queries.rename(id, name));
  }

  delete(id: string): void {
    this.queries.delete(id);
  }

  trust(kind: EntryKind, id: string): void {
    this.of(kind).trust(id);
  }

  /** A file from elsewhere: its kind from its name (`.flowdash.json`), else from its content (`panels`). */
  importText(
    text: string,
    fileName = 'imported file',
  ): { kind: EntryKind; id: string; name: string; trusted: boolean; existing: boolean } {
    const kind = importKind(text, fileName);
    const entry =
      kind === 'dashboard'
        ? this.dashboards.importText(text, fileName, (doc) =>
            assertSelfContained(doc, basename(fileName), (ref) => this.holdsQuery(ref)),
          )
        : this.queries.importText(text, fileName);
    return { kind, id: entry.id, name: entry.doc.name, trusted: entry.trusted, existing: entry.existing };
  }

  importFile(path: string): ReturnType<Library['importText']> {
    return this.importText(readLibraryFile(path, basename(path)), basename(path));
  }

  /** Self-contained copies: dashboards get the queries they reference copied into their panels. */
  export(items: readonly { kind: EntryKind; id: string }[]): { files: { fileName: string; text: string }[] } {
    const files = items.map(({ kind, id }) => {
      if (kind === 'query') {
        const entry = this.queries.get(id);
        return { fileName: entry.fileName, text: serializeDocument(entry.doc) };
      }
      const entry = this.dashboards.get(id);
      const panels = entry.doc.panels.map((p, i) => {
        if (!('ref' in p.query)) return p;
        try {
          return { ...p, query: this.queries.get(p.query.ref).doc };
        } catch (err) {
          // A saved query deleted or broken since it was pinned: say which dashboard and panel, not only the id.
          const why = err instanceof Error ? err.message : String(err);
          throw new FlowscopeError(
            err instanceof FlowscopeError ? err.code : 'internal',
            `The dashboard “${entry.doc.name}” cannot be exported: its panel ${i + 1} (“${p.title}”) shows ${p.query.ref}, which does not read: ${why} Remove the panel or save the query again.`,
          );
        }
      });
      return { fileName: entry.fileName, text: serializeDocument({ ...entry.doc, panels }) };
    });
    return { files };
  }

  dashboardList(): { entries: DashboardEntry[]; broken: ReturnType<FileLibrary<typeof Dashboard>['list']>['broken'] } {
    const { entries, broken } = this.dashboards.list();
    return {
      entries: entries.map((e) => ({
        ...fileFields(e),
        name: e.doc.name,
        description: e.doc.description,
        panels: e.doc.panels.length,
      })),
      broken,
    };
  }

  dashboardGet(id: string): DashboardItem {
    return this.dashboardItem(this.dashboards.get(id));
  }

  dashboardSave(dashboard: DashboardDoc, id?: string, ifModifiedAt?: string): DashboardItem {
    return this.dashboardItem(this.dashboards.save(dashboard, id, ifModifiedAt));
  }

  dashboardDelete(id: string): void {
    this.dashboards.delete(id);
  }

  pin(input: ParsedInput<'dashboard.pin'>): DashboardItem & { panelId: string } {
    const target = input.dashboardId ? this.dashboards.get(input.dashboardId) : null;
    const base: DashboardDoc = target?.doc ?? {
      version: 1,
      name: input.newDashboardName!,
      description: '',
      filters: {},
      panels: [],
    };
    const panel: DashboardPanel = {
      id: newPanelId(base.panels),
      title: input.title,
      query: input.query,
      ...(input.chart ? { chart: input.chart } : {}),
      layout: nextPanelLayout(base.panels),
      ...(input.remote ? { remote: input.remote } : {}),
    };
    const doc = { ...base, panels: [...base.panels, panel] };
    // Pinning to a built-in dashboard makes the analyst's own copy of it.
    const saved = target?.origin === 'user' ? this.dashboards.save(doc, target.id) : this.dashboards.save(doc);
    return { ...this.dashboardItem(saved), panelId: panel.id };
  }

  private dashboardItem(entry: LoadedEntry<DashboardDoc>): DashboardItem {
    return { ...fileFields(entry), dashboard: entry.doc, panels: entry.doc.panels.map((p) => this.resolvePanel(p)) };
  }

  private resolvePanel(panel: DashboardPanel): ResolvedPanel {
    const base = {
      id: panel.id,
      title: panel.title,
      layout: panel.layout,
      ...(panel.timeRange ? { timeRange: panel.timeRange } : {}),
      ...(panel.remote ? { remote: panel.remote } : {}),
    };
    if (!('ref' in panel.query))
      return { ...base, query: panel.query, ref: null, chart: panel.chart ?? panel.query.chart ?? null, error: null };
    try {
      const query = this.queries.get(panel.query.ref).doc;
      return { ...base, query, ref: panel.query.ref, chart: panel.chart ?? query.chart ?? null, error: null };
    } catch (err) {
      return {
        ...base,
        query: null,
        ref: panel.query.ref,
        chart: panel.chart ?? null,
        error: err instanceof Error ? err.message : String(err),
      };
    }
  }

  private holdsQuery(id: string): boolean {
    try {
      this.queries.get(id);
      return true;
    } catch {
      return false;
    }
  }

  private of(kind: EntryKind): FileLibrary<typeof SavedQuery> | FileLibrary<typeof Dashboard> {
    return kind === 'query' ? this.queries : this.dashboards;
  }
}

function importKind(text: string, fileName: string): EntryKind {
  if (fileName.endsWith('.flowdash.json')) return 'dashboard';
  if (fileName.endsWith('.flowquery.json')) return 'query';
  return /"panels"\s*:/.test(text) ? 'dashboard' : 'query';
}

/**
 * A shared dashboard must carry its own queries: a `user:` reference would silently pick up the importer's
 * file, and a built-in this Flowscope does not have (one a newer version added, a misspelt name) would import
 * and then show a broken panel when opened.
 */
function assertSelfContained(doc: DashboardDoc, fileName: string, holds: (ref: string) => boolean): void {
  doc.panels.forEach((p, i) => {
    if ('ref' in p.query && !p.query.ref.startsWith('builtin:')) {
      throw new FlowscopeError(
        'bad_request',
        `${fileName}: panels.${i}.query: refers to "${p.query.ref}" in someone else's library; export the dashboard from Flowscope to include its queries.`,
      );
    }
    if ('ref' in p.query && !holds(p.query.ref)) {
      throw new FlowscopeError(
        'bad_request',
        `${fileName}: panels.${i}.query: refers to "${p.query.ref}", which is not in this Flowscope's built-in library; export the dashboard from the Flowscope that has it to include its queries.`,
      );
    }
  });
}

function fileFields<T>(e: LoadedEntry<T>): {
  id: string;
  origin: 'builtin' | 'user';
  fileName: string;
  trusted: boolean;
  modifiedAt: string;
} {
  return { id: e.id, origin: e.origin, fileName: e.fileName, trusted: e.trusted, modifiedAt: e.modifiedAt };
}

function queryEntry(e: LoadedEntry<SavedQueryDoc>): LibraryEntry {
  return {
    ...fileFields(e),
    name: e.doc.name,
    description: e.doc.description ?? '',
    dialect: e.doc.dialect,
    tags: e.doc.tags ?? [],
  };
}

function queryItem(e: LoadedEntry<SavedQueryDoc>): LibraryItem {
  return { ...fileFields(e), query: e.doc };
}
