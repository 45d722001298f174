/**
 * A dashboard on screen: its panels and where they sit, one time range and one set of filters for all of
 * them, and the state of each panel's run. Panels run in parallel (`dashboard.runPanel`, one call each) and
 * each draws as soon as its answer arrives, so the dashboard is usable while the slow ones load. Layout
 * changes to the analyst's own dashboards are saved as they happen; a built-in one is saved as a copy.
 * A panel bound to Athena never runs by itself: it waits for the analyst's "Refresh on Athena".
 */
import { PANEL_PAGE_SIZE } from '../../../../preload/contract';
import type {
  DashboardEntry,
  DashboardFilters,
  DashboardItem,
  Output,
  PanelLayout,
  Provenance,
  ResolvedPanel,
  WorkspaceInfo,
} from '../../../../preload/contract';
import { resolveChart } from '../../../../queries/chart/chart-choice';
import { panelChartWidth } from '../../../../queries/chart/chart-data';
import { api } from '../../lib/api';
import { describeFailure } from '../../lib/query-failure';
import { remoteSettings } from '../../lib/remote-settings.svelte';
import { remoteRange, resolveRange, type RangePreset } from '../../lib/time-range';
import { place } from './grid';

export type PanelRun =
  | { status: 'loading' }
  | { status: 'done'; result: Output<'dashboard.runPanel'>; provenance?: Provenance }
  | { status: 'error'; message: string }
  /** An Athena panel before the analyst asks for it (and after the time range changed). */
  | { status: 'idle' };

/** The filter bar's text boxes; empty means "not filtered". */
export interface FilterText {
  srcAddr: string;
  dstAddr: string;
  port: string;
  protocol: string;
  action: '' | 'ACCEPT' | 'REJECT';
  interfaceId: string;
}

export const NO_FILTERS: FilterText = { srcAddr: '', dstAddr: '', port: '', protocol: '', action: '', interfaceId: '' };

export function filtersOf(text: FilterText): DashboardFilters {
  const f: DashboardFilters = {};
  if (text.srcAddr.trim()) f.srcAddr = text.srcAddr.trim();
  if (text.dstAddr.trim()) f.dstAddr = text.dstAddr.trim();
  if (text.port.trim()) f.port = Number(text.port.trim());
  if (text.protocol.trim())
    f.protocol = /^\d+$/.test(text.protocol.trim()) ? Number(text.protocol.trim()) : text.protocol.trim();
  if (text.action) f.action = text.action;
  if (text.interfaceId.trim()) f.interfaceId = text.interfaceId.trim();
  return f;
}

export function filterTextOf(f: DashboardFilters | undefined): FilterText {
  return {
    srcAddr: f?.srcAddr ?? '',
    dstAddr: f?.dstAddr ?? '',
    port: f?.port === undefined ? '' : String(f.port),
    protocol: f?.protocol === undefined ? '' : String(f.protocol),
    action: f?.action ?? '',
    interfaceId: f?.interfaceId ?? '',
  };
}

let runCounter = 0;

export class DashboardState {
  entries = $state<DashboardEntry[]>([]);
  item = $state<DashboardItem | null>(null);
  runs = $state<Record<string, PanelRun>>({});
  preset = $state<RangePreset>('all');
  filterText = $state<FilterText>({ ...NO_FILTERS });
  /** Filters as last applied (the bar's text may be mid-edit). */
  applied = $state<DashboardFilters>({});
  message = $state<{ kind: 'error' | 'info'; text: string } | null>(null);
  /** An imported dashboard whose queries the analyst has not seen yet. */
  confirming = $state(false);
  info: WorkspaceInfo | null = null;
  private generation = 0;

  timeRange = $derived(resolveRange(this.preset, this.info?.timeSpan ?? null, { from: null, to: null }));

  async loadList(): Promise<void> {
    try {
      this.entries = (await api().invoke('dashboard.list', {})).entries;
    } catch (err) {
      this.fail(err);
    }
  }

  async open(id: string): Promise<void> {
    try {
      const item = await api().invoke('dashboard.get', { id });
      this.item = item;
      this.filterText = filterTextOf(item.dashboard.filters);
      this.applied = item.dashboard.filters;
      this.preset = presetOf(item.dashboard.timeRange);
      this.message = null;
      if (item.trusted) await this.refresh();
      else {
        this.runs = {};
        this.confirming = true;
      }
    } catch (err) {
      this.fail(err);
    }
  }

  async answerConfirm(accept: boolean): Promise<void> {
    this.confirming = false;
    const item = this.item;
    if (!accept || !item) return;
    await api().invoke('library.trust', { kind: 'dashboard', id: item.id });
    this.item = { ...item, trusted: true };
    await this.refresh();
  }

  /** Runs every panel at once; a newer refresh makes the answers of an older one be ignored. */
  async refresh(): Promise<void> {
    const item = this.item;
    if (!item || !item.trusted) return;
    const generation = ++this.generation;
    this.runs = Object.fromEntries(item.panels.map((p) => [p.id, { status: 'loading' } as PanelRun]));
    await Promise.all(item.panels.map((p) => this.runPanel(p, generation)));
  }

  applyFilters(): void {
    try {
      this.applied = filtersOf(this.filterText);
      void this.refresh();
    } catch (err) {
      this.fail(err);
    }
  }

  clearFilters(): void {
    this.filterText = { ...NO_FILTERS };
    this.applyFilters();
  }

  /** A panel moved or resized: the others make room, and the analyst's own dashboard is saved. */
  async setLayout(panelId: string, layout: PanelLayout): Promise<void> {
    const item = this.item;
    if (!item) return;
    const placed = place(
      item.dashboard.panels.map((p) => ({ id: p.id, layout: p.layout })),
      panelId,
      layout,
    );
    const layoutOf: Record<string, PanelLayout> = Object.fromEntries(placed.map((p) => [p.id, p.layout]));
    const dashboard = {
      ...item.dashboard,
      panels: item.dashboard.panels.map((p) => ({ ...p, layout: layoutOf[p.id]! })),
    };
    this.item = { ...item, dashboard, panels: item.panels.map((p) => ({ ...p, layout: layoutOf[p.id]! })) };
    if (item.origin === 'user') await this.save();
  }

  async removePanel(panelId: string): Promise<void> {
    const item = this.item;
    if (!item || item.origin !== 'user') return;
    const dashboard = { ...item.dashboard, panels: item.dashboard.panels.filter((p) => p.id !== panelId) };
    this.item = { ...item, dashboard, panels: item.panels.filter((p) => p.id !== panelId) };
    await this.save();
  }

  /** Saves the dashboard as shown (layout, filters); a built-in one becomes the analyst's own copy. */
  async save(asName?: string): Promise<void> {
    const item = this.item;
    if (!item) return;
    const dashboard = { ...item.dashboard, filters: this.applied, ...(asName ? { name: asName } : {}) };
    try {
      const saved = await api().invoke('dashboard.save', {
        dashboard,
        ...(item.origin === 'user' && !asName ? { id: item.id } : {}),
      });
      this.item = { ...saved, panels: saved.panels };
      if (asName || item.origin !== 'user') {
        this.message = { kind: 'info', text: `Saved as “${saved.dashboard.name}” (${saved.fileName}).` };
        await this.loadList();
      }
    } catch (err) {
      this.fail(err);
    }
  }

  async remove(): Promise<void> {
    const item = this.item;
    if (!item || item.origin !== 'user') return;
    try {
      await api().invoke('dashboard.delete', { id: item.id });
      this.item = null;
      await this.loadList();
    } catch (err) {
      this.fail(err);
    }
  }

  private async runPanel(panel: ResolvedPanel, generation: number): Promise<void> {
    if (!panel.query) {
      this.runs[panel.id] = { status: 'error', message: panel.error ?? 'This panel has no query.' };
      return;
    }
    if (panel.remote) {
      this.runs[panel.id] = { status: 'idle' };
      return;
    }
    try {
      const result = await api().invoke('dashboard.runPanel', {
        query: panel.query.query,
        dialect: panel.query.dialect,
        ...(this.timeRange ? { timeRange: this.timeRange } : {}),
        ...(Object.keys(this.applied).length ? { filters: this.applied } : {}),
        // The width its layout gives it, not the screen's: the engine's warm-up fills the cache with exactly this.
        chart: { spec: panel.chart, width: panelChartWidth(panel.layout) },
        queryId: `panel-${panel.id}-${(runCounter++).toString(36)}`,
      });
      if (generation === this.generation) this.runs[panel.id] = { status: 'done', result };
    } catch (err) {
      if (generation === this.generation)
        this.runs[panel.id] = { status: 'error', message: describeFailure(err).message };
    }
  }

  /**
   * Runs an Athena panel now, with the dashboard's time range, as the analyst asked: the app's Athena settings
   * say as whom and where, the panel which table. Dashboard filters are the workspace's: they are not sent.
   */
  async refreshRemote(panel: ResolvedPanel): Promise<void> {
    const query = panel.query;
    if (!panel.remote || !query) return;
    if (Object.keys(this.applied).length) {
      this.runs[panel.id] = {
        status: 'error',
        message: "The dashboard's filters apply to the workspace's panels: clear them to refresh this Athena panel.",
      };
      return;
    }
    const generation = this.generation;
    this.runs[panel.id] = { status: 'loading' };
    const range = remoteRange(this.preset, { from: null, to: null }, Date.now());
    try {
      const answer = await api().invoke('remote.run', {
        query: query.query,
        dialect: query.dialect,
        ...(range ? { timeRange: range } : {}),
        target: remoteSettings.athenaTarget(panel.remote.table),
        queryId: `panel-${panel.id}-${(runCounter++).toString(36)}`,
        pageSize: PANEL_PAGE_SIZE,
      });
      const spec = resolveChart(panel.chart, answer.columns, answer.rows);
      const chart =
        spec.type === 'table'
          ? null
          : await api().invoke('query.chart', {
              resultId: answer.resultId,
              spec,
              width: panelChartWidth(panel.layout),
            });
      if (generation === this.generation)
        this.runs[panel.id] = {
          status: 'done',
          result: { ...answer, sql: answer.sent, cached: false, chart },
          provenance: answer.provenance,
        };
    } catch (err) {
      if (generation === this.generation)
        this.runs[panel.id] = { status: 'error', message: describeFailure(err).message };
    }
  }

  private fail(err: unknown): void {
    this.message = { kind: 'error', text: describeFailure(err).message };
  }
}

/** The picker's preset for a dashboard's saved time range (`{last: '24h'}`); fixed ranges open whole. */
function presetOf(range: DashboardItem['dashboard']['timeRange']): RangePreset {
  const last = range && 'last' in range ? range.last : null;
  return (['15m', '1h', '24h', '7d'] as string[]).includes(last ?? '') ? (last as RangePreset) : 'all';
}
