/**
 * A dashboard on screen: its panels and where they sit, one time range (the workbench's: `RangeChoice`) and
 * one set of filters for all of them, a panel's own range where it has one, and the state of each panel's
 * run. Panels run in parallel (`dashboard.runPanel`, one call each) and each draws as soon as its answer
 * arrives, so the dashboard is usable while the slow ones load. Layout changes to the analyst's own
 * dashboards are saved as they happen; a built-in one is saved as a copy.
 *
 * While an import or pull runs, the panels refresh as its data commits (at most every `LIVE_REFRESH_MS`),
 * quietly: the old answer stays drawn until the new one arrives, and an unchanged answer is not drawn
 * again; the last refresh comes when the job ends. The analyst may also ask for a refresh every so often.
 * A panel bound to Athena never runs by itself: it waits for the analyst's "Refresh on Athena".
 */
import { PANEL_PAGE_SIZE } from '../../../../preload/contract';
import type {
  BrokenEntry,
  DashboardEntry,
  DashboardFilters,
  DashboardItem,
  Output,
  PanelLayout,
  Provenance,
  ResolvedPanel,
  TimeRange,
  WorkspaceInfo,
} from '../../../../preload/contract';
import type { SavedTimeRange } from '../../../../queries/library/saved-query';
import { resolveChart } from '../../../../queries/chart/chart-choice';
import { panelChartWidth } from '../../../../queries/chart/chart-data';
import { api, ContractError } from '../../lib/api';
import { FIRST_DASHBOARD, lastDashboard, rememberDashboard } from '../../lib/last-dashboard';
import { describeFailure } from '../../lib/query-failure';
import { remoteSettings } from '../../lib/remote-settings.svelte';
import { choiceOfSaved, remoteRange, resolveSaved, type RangeChoice } from '../../lib/time-range';
import { place } from './grid';

/** Each run knows the range it was asked for, which the panel says ("… → … UTC"). */
/** The filters a panel ran with, in words: "from 10.0.0.0/16 · port 22" ("" for none). */
export function filtersInWords(f: DashboardFilters): string {
  return [
    f.srcAddr !== undefined && `from ${f.srcAddr}`,
    f.dstAddr !== undefined && `to ${f.dstAddr}`,
    f.port !== undefined && `port ${f.port}`,
    f.protocol !== undefined && `protocol ${f.protocol}`,
    f.action !== undefined && f.action,
    f.interfaceId !== undefined && f.interfaceId,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** `filters`: what the panel's run was filtered by, in words ("" for nothing: no filters, or a remote panel). */
export type PanelRun = { range: TimeRange | null; own: boolean; filters: string } & (
  | { status: 'loading' }
  | {
      status: 'done';
      result: Output<'dashboard.runPanel'>;
      provenance?: Provenance;
      /** Why the last quiet refresh failed, while this (older) answer stays drawn; cleared by the next answer. */
      notRefreshed?: string;
    }
  | { status: 'error'; message: string }
  /** An Athena panel before the analyst asks for it (and after the dashboard ran afresh). */
  | { status: 'idle' }
);

/** While a job runs, panels refresh at most this often (each refresh of unchanged data is a cache hit). */
const LIVE_REFRESH_MS = 2_000;

/** The analyst's own refresh intervals (seconds); 0 is off. */
export const AUTO_REFRESH_CHOICES = [0, 30, 60, 300] as const;

/** The filter bar's text boxes; empty means "not filtered". */
export interface FilterText {
  srcAddr: string;
  dstAddr: string;
  port: string;
  protocol: string;
  action: '' | 'ACCEPT' | 'REJECT';
  interfaceId: string;
}

const NO_FILTERS: FilterText = { srcAddr: '', dstAddr: '', port: '', protocol: '', action: '', interfaceId: '' };

function filtersOf(text: FilterText): DashboardFilters {
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

function filterTextOf(f: DashboardFilters | undefined): FilterText {
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
  /** Dashboard files that no longer read: named with the reason, never left out of the view unsaid. */
  broken = $state<BrokenEntry[]>([]);
  item = $state<DashboardItem | null>(null);
  /**
   * Each panel's run, replaced whole (`setRun`), never changed in place: raw state, so an answer's rows stay
   * the plain arrays that came, not a deep reactive proxy. Proxied, every cell the chart read made a signal:
   * on 10 million records "Live - Traffic" took one task of 1.7 s to draw, most of it in the proxy.
   */
  runs = $state.raw<Record<string, PanelRun>>({});
  filterText = $state<FilterText>({ ...NO_FILTERS });
  /** Filters as last applied (the bar's text may be mid-edit). */
  applied = $state<DashboardFilters>({});
  message = $state<{ kind: 'error' | 'info'; text: string } | null>(null);
  /** An imported dashboard whose queries the analyst has not seen yet. */
  confirming = $state(false);
  info = $state.raw<WorkspaceInfo | null>(null);
  /** Jobs (imports, pulls) running now, by id: while there are any, the panels refresh as data lands. */
  running = $state<Record<string, true>>({});
  /** Seconds between refreshes the analyst asked for; 0 is off. */
  every = $state<(typeof AUTO_REFRESH_CHOICES)[number]>(0);
  /** Quiet refreshes done (live, timed, a new range), on the page for whoever checks. */
  refreshes = $state(0);
  /** Panel runs not answered yet. */
  pending = $state(0);
  private generation = 0;
  /**
   * The run each panel waits for, by panel id: asked again (a new range, filters, another dashboard, a
   * refresh) or the view left, the older run is stopped on the engine, since its answer would not be drawn.
   */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, nothing renders it
  private readonly asked = new Map<string, string>();
  /** What the answers on screen were asked for (see `wanted`). */
  private ranFor: string | null = null;
  private liveTimer: ReturnType<typeof setTimeout> | null = null;
  private lastLive = 0;

  /** The time range is the workbench's: choosing one here chooses it there. */
  constructor(readonly range: RangeChoice) {}

  get timeRange(): TimeRange | null {
    return this.range.timeRange;
  }

  get live(): boolean {
    return Object.keys(this.running).length > 0;
  }

  /** A panel's range: its own when it has one (counted back from the newest record), else the dashboard's. */
  panelRange(panel: { timeRange?: SavedTimeRange | undefined }): TimeRange | null {
    return panel.timeRange ? resolveSaved(panel.timeRange, this.info?.timeSpan ?? null) : this.timeRange;
  }

  /** What the panels' answers depend on apart from the queries: when it changes, they run again. */
  get wanted(): string {
    return JSON.stringify([this.item?.id, this.item?.trusted, this.timeRange, this.applied, this.info]);
  }

  /** Runs the panels again when what they were asked for changed (the range, in either view; new data). */
  refreshIfStale(): void {
    if (this.item?.trusted && this.wanted !== this.ranFor) void this.refresh(true);
  }

  /**
   * Follows the engine's jobs while the dashboard is on screen: a job's progress (its data committing)
   * refreshes the panels, throttled, and its end brings the last refresh. Returns the way to stop.
   */
  follow(): () => void {
    const client = api();
    const stops = [
      client.on('job.progress', (p) => {
        this.running[p.jobId] = true;
        this.liveRefresh();
      }),
      client.on('job.state', (job) => {
        if (job.state === 'running') {
          this.running[job.jobId] = true;
          return;
        }
        if (!this.running[job.jobId]) return;
        delete this.running[job.jobId];
        // The end's own refresh: the job's last data, once the workspace summary shows it too (`wanted`).
        this.liveRefresh(true);
      }),
    ];
    void client
      .invoke('job.list', {})
      .then((jobs) => jobs.filter((j) => j.state === 'running').forEach((j) => (this.running[j.jobId] = true)))
      .catch(() => undefined);
    return () => {
      stops.forEach((stop) => stop());
      if (this.liveTimer) clearTimeout(this.liveTimer);
      this.liveTimer = null;
      this.stopPanels();
    };
  }

  /** Stops every panel run still in flight (one panel's, when `panelId` is given) on the engine. */
  private stopPanels(panelId?: string): void {
    for (const [id, queryId] of [...this.asked]) {
      if (panelId !== undefined && id !== panelId) continue;
      this.asked.delete(id);
      void api()
        .invoke('query.cancel', { queryId })
        .catch(() => undefined);
    }
  }

  /** A quiet refresh now, or when `LIVE_REFRESH_MS` has passed since the last one (one waits at most). */
  private liveRefresh(now = false): void {
    if (this.liveTimer) {
      if (!now) return;
      clearTimeout(this.liveTimer);
    }
    const wait = now ? 0 : Math.max(0, this.lastLive + LIVE_REFRESH_MS - Date.now());
    this.liveTimer = setTimeout(() => {
      this.liveTimer = null;
      this.lastLive = Date.now();
      void this.refresh(true);
    }, wait);
  }

  async loadList(): Promise<void> {
    try {
      const list = await api().invoke('dashboard.list', {});
      this.entries = list.entries;
      this.broken = list.broken;
    } catch (err) {
      this.fail(err);
    }
  }

  /** Opens the dashboard open last (this window's, else any window's); the first one when that is gone. */
  async openLast(): Promise<void> {
    const last = lastDashboard();
    if (!(await this.open(last)) && last !== FIRST_DASHBOARD) await this.open(FIRST_DASHBOARD);
  }

  /** Opens a dashboard; false when it could not be read (the reason is the view's message). */
  async open(id: string): Promise<boolean> {
    try {
      const item = await api().invoke('dashboard.get', { id });
      rememberDashboard(id);
      this.item = item;
      this.filterText = filterTextOf(item.dashboard.filters);
      this.applied = item.dashboard.filters;
      // A dashboard saved with a range opens with it (and the workbench shows it too); else the range stays.
      if (item.dashboard.timeRange)
        Object.assign(this.range, choiceOfSaved(item.dashboard.timeRange, this.info?.timeSpan ?? null));
      this.message = null;
      if (item.trusted) await this.refresh();
      else {
        this.runs = {};
        this.confirming = true;
      }
      return true;
    } catch (err) {
      this.fail(err);
      return false;
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

  /**
   * Runs every panel at once; a newer refresh makes the answers of an older one be ignored. A quiet one
   * (live, timed, a range chosen) leaves each answer drawn, saying its range, until the new one arrives.
   */
  async refresh(quiet = false): Promise<void> {
    const item = this.item;
    if (!item || !item.trusted) return;
    const generation = ++this.generation;
    this.stopPanels();
    this.ranFor = this.wanted;
    if (quiet) this.refreshes++;
    else
      this.runs = Object.fromEntries(
        item.panels.map((p) => [p.id, { status: 'loading', ...this.rangeOf(p) } as PanelRun]),
      );
    await Promise.all(item.panels.map((p) => this.runPanel(p, generation, quiet)));
  }

  /** A panel's own range (`{last: '1h'}`), or none to follow the dashboard's; saved with the analyst's own dashboard. */
  async setPanelRange(panelId: string, timeRange: SavedTimeRange | null): Promise<void> {
    const item = this.item;
    if (!item) return;
    const withRange = <P extends { id: string; timeRange?: SavedTimeRange }>(p: P): P => {
      if (p.id !== panelId) return p;
      const { timeRange: _old, ...rest } = p;
      return (timeRange ? { ...rest, timeRange } : rest) as P;
    };
    const dashboard = { ...item.dashboard, panels: item.dashboard.panels.map(withRange) };
    this.item = { ...item, dashboard, panels: item.panels.map(withRange) };
    const panel = this.item.panels.find((p) => p.id === panelId);
    if (panel) {
      this.setRun(panelId, { status: 'loading', ...this.rangeOf(panel) });
      void this.runPanel(panel, this.generation, false);
    }
    if (item.origin === 'user') await this.save();
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
        ...(item.origin === 'user' && !asName ? { id: item.id, ifModifiedAt: item.modifiedAt } : {}),
      });
      this.item = { ...saved, panels: saved.panels };
      if (asName || item.origin !== 'user') {
        this.message = { kind: 'info', text: `Saved as “${saved.dashboard.name}” (${saved.fileName}).` };
        await this.loadList();
      }
    } catch (err) {
      if (!(err instanceof ContractError && err.code === 'conflict')) return this.fail(err);
      // Changed elsewhere (a pin from the workbench, another tab): show the file as it is, never overwrite it.
      await this.open(item.id);
      this.message = {
        kind: 'error',
        text: `${err.message} It now shows the dashboard as saved; make the change again.`,
      };
    }
  }

  /**
   * Back on the dashboards: the analyst's dashboard on screen is read again when its file changed meanwhile
   * (a panel pinned from the workbench), so what is shown, and saved next, is the file as it is.
   */
  async reloadIfChanged(): Promise<void> {
    const item = this.item;
    if (!item || item.origin !== 'user') return;
    try {
      const now = await api().invoke('dashboard.get', { id: item.id });
      if (now.modifiedAt !== item.modifiedAt && this.item === item) await this.open(item.id);
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

  private rangeOf(panel: ResolvedPanel): { range: TimeRange | null; own: boolean; filters: string } {
    // The dashboard's filters are the workspace's: a remote panel runs without them.
    const filters = panel.remote ? '' : filtersInWords(this.applied);
    return { range: this.panelRange(panel), own: panel.timeRange !== undefined, filters };
  }

  private async runPanel(panel: ResolvedPanel, generation: number, quiet: boolean): Promise<void> {
    const range = this.rangeOf(panel);
    if (!panel.query) {
      this.setRun(panel.id, { status: 'error', message: panel.error ?? 'This panel has no query.', ...range });
      return;
    }
    if (panel.remote) {
      // A quiet refresh (live, timed, a new range) leaves an Athena panel as it is: it runs when asked.
      if (!quiet || !this.runs[panel.id]) this.setRun(panel.id, { status: 'idle', ...range });
      return;
    }
    this.pending++;
    this.stopPanels(panel.id);
    const queryId = `panel-${panel.id}-${(runCounter++).toString(36)}`;
    this.asked.set(panel.id, queryId);
    try {
      const result = await api().invoke('dashboard.runPanel', {
        query: panel.query.query,
        dialect: panel.query.dialect,
        ...(range.range ? { timeRange: range.range } : {}),
        ...(Object.keys(this.applied).length ? { filters: this.applied } : {}),
        // The width its layout gives it, not the screen's: the engine's warm-up fills the cache with exactly this.
        chart: { spec: panel.chart, width: panelChartWidth(panel.layout) },
        queryId,
      });
      if (generation !== this.generation || this.asked.get(panel.id) !== queryId) return;
      const before = this.runs[panel.id];
      // An answer like the one drawn (a live refresh before new data committed) is not drawn again.
      const same = before?.status === 'done' && !before.notRefreshed && sameAnswer(before.result, result);
      if (quiet && same && JSON.stringify(before.range) === JSON.stringify(range.range)) return;
      this.setRun(panel.id, { status: 'done', result, ...range });
    } catch (err) {
      // Stopped because it was asked again: the newer run answers.
      if (this.asked.get(panel.id) !== queryId) return;
      if (generation !== this.generation) return;
      const before = this.runs[panel.id];
      const message = describeFailure(err).message;
      // A quiet refresh that fails (the engine busy with the import) keeps the answer drawn, saying it is the
      // one from before and why: a job's last refresh failing must not pass for its last data.
      if (quiet && before?.status === 'done') this.setRun(panel.id, { ...before, notRefreshed: message });
      else this.setRun(panel.id, { status: 'error', message, ...range });
    } finally {
      if (this.asked.get(panel.id) === queryId) this.asked.delete(panel.id);
      this.pending--;
    }
  }

  /**
   * Runs an Athena panel now, with the dashboard's time range, as the analyst asked: the app's Athena settings
   * say as whom and where, the panel which table. Dashboard filters are the workspace's: they are not sent.
   * The data there is live, so "last hour" is the wall clock's (`remoteRange`); the panel says the range sent.
   */
  async refreshRemote(panel: ResolvedPanel): Promise<void> {
    const query = panel.query;
    if (!panel.remote || !query) return;
    const range = remoteRange(this.range.preset, this.range.custom, Date.now());
    const asked = { range, own: false, filters: '' };
    if (Object.keys(this.applied).length) {
      this.setRun(panel.id, {
        status: 'error',
        message: "The dashboard's filters apply to the workspace's panels: clear them to refresh this Athena panel.",
        ...asked,
      });
      return;
    }
    const generation = this.generation;
    this.setRun(panel.id, { status: 'loading', ...asked });
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
        this.setRun(panel.id, {
          status: 'done',
          result: { ...answer, sql: answer.sent, cached: false, chart },
          provenance: answer.provenance,
          ...asked,
        });
    } catch (err) {
      if (generation === this.generation)
        this.setRun(panel.id, { status: 'error', message: describeFailure(err).message, ...asked });
    }
  }

  private setRun(panelId: string, run: PanelRun): void {
    this.runs = { ...this.runs, [panelId]: run };
  }

  private fail(err: unknown): void {
    this.message = { kind: 'error', text: describeFailure(err).message };
  }
}

/** Two answers to a panel that draw the same: the same rows and the same chart data. */
function sameAnswer(a: Output<'dashboard.runPanel'>, b: Output<'dashboard.runPanel'>): boolean {
  return (
    a.rowCount === b.rowCount &&
    JSON.stringify([a.columns, a.rows, a.chart ?? null]) === JSON.stringify([b.columns, b.rows, b.chart ?? null])
  );
}
