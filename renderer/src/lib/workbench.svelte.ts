/**
 * The workbench's state: the query tabs (each with its text, dialect, engine, result and chart), the time
 * range they run over, the history of past queries, and the engine connection. Components read and bind to
 * it; every engine call goes through `api()`. A tab set to Athena or CloudWatch first asks `remote.plan`
 * what would be sent (and what an Athena query would scan), waits for the analyst's confirmation when the
 * estimate is above their threshold, then runs it with `remote.run`; its answer is a kept result like a
 * local one, with its provenance.
 */
import type {
  CellValue,
  Column,
  Dialect,
  Output,
  Provenance,
  QueryDiagnostic,
  RemoteTarget,
  ScanEstimate,
  TimeRange,
  WorkspaceInfo,
} from '../../../preload/contract';
import { QUERY_MAX_CHARS } from '../../../preload/contract/query-text';
import { detectDialect } from '../../../queries/language';
import { api, ContractError, type ConnectionState } from './api';
import type { ChartSpec } from '../../../queries/chart/chart-choice';
import type { ChartPick } from './chart-pick';
import type { RanOver } from './answer-status';
import { addFilter, filterValue, noRawRecords, rawRecordsQuery, recordsRange } from './drill-down';
import { FollowUps } from './follow-ups';
import { keepTabs, type LibraryOrigin } from './open-tabs';
import { describeFailure, type QueryFailure } from './query-failure';
import { readHistory, remember, type HistoryEntry } from './query-history';
import { ENGINE_NAMES, type EngineChoice } from './remote-format';
import { remoteSettings } from './remote-settings.svelte';
import { ResultRows } from './result-rows.svelte';
import { customStart, isoAt, remoteRange, resolveRange, type CustomRange, type RangePreset } from './time-range';
import type { WindowTabs } from './window-tabs';

/** Rows that come with the answer to `query.run`: the first screens, so a result shows at once. */
const FIRST_PAGE = 500;

const DEFAULT_QUERY = `fields @timestamp, srcAddr, dstAddr, dstPort, protocol, action, bytes
| sort @timestamp desc
| limit 1000`;

export interface ResultView {
  resultId: string;
  columns: Column[];
  rows: ResultRows;
  rowCount: number;
  elapsedMs: number;
  dialect: Dialect;
  /** The text that ran, for drill-down (the editor may have changed since). */
  query: string;
  /** Where and over which range it ran: the status line names the range, and says when the picker moved on. */
  ran: RanOver;
  /** Records the query matched and scanned, counted after the answer came (null until then). */
  stats: Output<'query.stats'> | null;
  /** What the query did that the analyst may not expect (a field the records lack is null), from the compiler. */
  warnings: QueryDiagnostic[];
  /** Insights' implicit limit, when it cut the answer (more records matched); null otherwise. */
  cappedAt: number | null;
  /** A list of records (a pipe query without stats), which opens as a table. */
  records: boolean;
  /** Where a remote answer came from (engine, its query id, data scanned, cost, time range); null: the workspace. */
  provenance: Provenance | null;
  /** What was sent to the remote engine (the Trino SQL or the Insights text). */
  sent: string | null;
  /** Its pages, chart data, counts, histogram and fields: stopped on the engine when the tab moves on. */
  work: FollowUps;
}

/** The view of a first page, local (`query.run`) or remote (`remote.run`, with where it came from). */
function resultView(
  answer: Pick<
    Output<'query.run'>,
    'resultId' | 'columns' | 'rows' | 'rowCount' | 'elapsedMs' | 'dialect' | 'warnings' | 'cappedAt' | 'records'
  >,
  query: string,
  tab: QueryTab,
  ran: RanOver,
  remote: Pick<ResultView, 'provenance' | 'sent'> = { provenance: null, sent: null },
): ResultView {
  const work = new FollowUps(answer.resultId, () => tab.forget(answer.resultId));
  return {
    resultId: answer.resultId,
    columns: answer.columns,
    rows: new ResultRows(answer.resultId, answer.columns, answer.rowCount, answer.rows, work),
    rowCount: answer.rowCount,
    elapsedMs: answer.elapsedMs,
    dialect: answer.dialect,
    query,
    ran,
    stats: null,
    warnings: answer.warnings ?? [],
    cappedAt: answer.cappedAt ?? null,
    records: answer.records ?? false,
    ...remote,
    work,
  };
}

type RemoteEngine = Exclude<EngineChoice, 'local'>;

export interface RemoteRequest {
  query: string;
  dialect?: Dialect;
  timeRange?: TimeRange;
  target: RemoteTarget;
}

/**
 * What `remote.plan` answered for a tab's query: shown before and while it runs. `confirm` says why the
 * run waits for the analyst: the estimate is above their threshold, there is no estimate, or the run no
 * longer follows their click (the desktop app sends AWS calls only then).
 */
export interface RemotePlan {
  engine: RemoteEngine;
  /** The table or log groups, as the results' provenance names them. */
  target: string;
  sent: string;
  estimate: ScanEstimate | null;
  request: RemoteRequest;
  confirm: 'estimate' | 'no-estimate' | 'click' | null;
}

/** The saved query a tab's text came from (opened from the library, or saved from this tab). */
export type { LibraryOrigin } from './open-tabs';

let counter = 0;
const nextId = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;

export class QueryTab {
  readonly id = nextId('t');
  title = $state('');
  query = $state('');
  dialect = $state<Dialect | 'auto'>('auto');
  /** What the engine took the text for, when the dialect is left to detection. */
  detected = $state<Dialect>('insights');
  /** Why the engine detected that dialect, when it says (Athena SQL: "it reads from `vpc_flow_logs`"). */
  detectedNote = $state<string | null>(null);
  running = $state(false);
  /**
   * What the running remote query last said before its answer (a call retried, the service throttling), and
   * when, in ms since the run started: a retry said a minute ago is not read as happening now.
   */
  notice = $state<{ message: string; atMs: number } | null>(null);
  /** When the running query started (Date.now()), for its time on screen and its notices'. */
  startedAt = 0;
  result = $state<ResultView | null>(null);
  failure = $state<QueryFailure | null>(null);
  cancelled = $state(false);
  /** Where the tab's query runs: the workspace unless the analyst chose a remote engine for this tab. */
  engine = $state<EngineChoice>('local');
  /** The Athena table this tab runs on, when it is not the settings' (a dashboard panel's, a result's). */
  athenaTable: string | null = null;
  /** The remote plan of the last run (null for a local run). */
  plan = $state<RemotePlan | null>(null);
  /** What the remote engine refused in this text (the plan's diagnostics), underlined until the text changes. */
  refused = $state<{ query: string; diagnostics: QueryDiagnostic[] } | null>(null);
  /** Cancel was asked before the remote query started (while it was being planned). */
  cancelRequested = false;
  /**
   * The saved query this tab was opened from or last saved as: "Save" writes over it when it is the analyst's
   * own, and the Save and Pin dialogs start from its name. Per tab, so a save in one tab never lands on the
   * file another tab came from.
   */
  opened = $state<LibraryOrigin | null>(null);
  /** A chart the analyst picked; null lets the result's shape choose. */
  chart = $state<ChartSpec | null>(null);
  /**
   * The engine no longer keeps the result this tab showed (it keeps the latest results of all tabs): the
   * grid, chart and status of it are gone with it, and the tab asks for a run instead.
   */
  expired = $state(false);
  /** Runs that finished (answered, failed or were cancelled): a run's end, even when it shows the same text. */
  finishedRuns = $state(0);
  runningId: string | null = null;

  constructor(query: string, dialect: Dialect | 'auto', title: string) {
    this.query = query;
    this.dialect = dialect;
    this.title = title;
    this.detected = dialect === 'auto' ? detectDialect(query) : dialect;
  }

  /** The engine answered that it no longer keeps this result: drop it, and say the query must run again. */
  forget(resultId: string): void {
    if (this.result?.resultId !== resultId) return;
    this.result.work.stop();
    this.result = null;
    this.expired = true;
  }

  /** Longer than the engine takes: the editor says so, and Run does not send it. */
  get tooLong(): boolean {
    return this.query.length > QUERY_MAX_CHARS;
  }

  get effectiveDialect(): Dialect {
    return this.dialect === 'auto' ? this.detected : this.dialect;
  }
}

function storage(): Storage | null {
  try {
    return localStorage;
  } catch {
    return null;
  }
}

export class Workbench {
  tabs = $state<QueryTab[]>([]);
  activeId = $state('');
  preset = $state<RangePreset>('all');
  custom = $state<CustomRange>({ from: null, to: null });
  info = $state<WorkspaceInfo | null>(null);
  connection = $state<ConnectionState>('connecting');
  history = $state<HistoryEntry[]>([]);
  /** False when the browser's storage could not hold the open tabs even without history: a reload loses them. */
  tabsKept = $state(true);
  /** Why the history shown is not all kept: older queries went to make room for the tabs, or the last run fit nowhere. */
  historyLoss = $state<'trimmed' | 'unkept' | null>(null);
  /** A short word to the analyst about an action that did nothing (no raw records behind a row), for a few seconds. */
  notice = $state<string | null>(null);
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;
  private tabCount = 0;

  active = $derived(this.tabs.find((t) => t.id === this.activeId) ?? this.tabs[0]!);
  timeRange = $derived(resolveRange(this.preset, this.info?.timeSpan ?? null, this.custom));

  /** Where this window's tabs are kept (null: the storage is refused, and they are not). */
  private readonly tabsKey: string | null;

  constructor(windowTabs: WindowTabs | null) {
    const store = storage();
    this.tabsKey = windowTabs?.key ?? null;
    const kept = windowTabs?.kept;
    if (kept) {
      for (const t of kept.tabs) {
        const tab = new QueryTab(t.query, t.dialect, t.title);
        tab.opened = t.opened ?? null;
        this.tabs.push(tab);
      }
      this.activeId = this.tabs[kept.active]!.id;
      // New tabs go on numbering after the kept ones ("Query 4" after "Query 3").
      this.tabCount = Math.max(
        kept.tabs.length,
        ...kept.tabs.map((t) => Number(/^Query (\d+)$/.exec(t.title)?.[1] ?? 0)),
      );
    } else this.newTab(DEFAULT_QUERY);
    if (store) this.history = readHistory(store);
  }

  start(): () => void {
    const store = storage();
    // Every edit, new or closed tab is kept at once: a reload or a closed window may come at any moment.
    const stopKeeping = $effect.root(() => {
      $effect(() => {
        const tabs = this.tabs.map((t) => ({
          title: t.title,
          query: t.query,
          dialect: t.dialect,
          ...(t.opened ? { opened: $state.snapshot(t.opened) } : {}),
        }));
        if (!store || !this.tabsKey) return;
        const { kept, history } = keepTabs(store, this.tabsKey, { tabs, active: this.tabs.indexOf(this.active) });
        this.tabsKept = kept;
        if (history) {
          this.history = history;
          this.historyLoss = 'trimmed';
        }
      });
    });
    const client = api();
    const stop = client.onConnection((state) => {
      this.connection = state;
      if (state === 'connected' || state === 'restarted') void this.loadInfo();
    });
    const stopJobs = client.on('job.state', (job) => {
      if (job.state === 'done') void this.loadInfo();
    });
    const stopNotices = client.on('remote.notice', (n) => {
      const tab = this.tabs.find((t) => t.runningId !== null && t.runningId === n.queryId);
      if (tab) tab.notice = { message: n.message, atMs: Date.now() - tab.startedAt };
    });
    void this.loadInfo();
    return () => {
      stop();
      stopJobs();
      stopNotices();
      stopKeeping();
    };
  }

  async loadInfo(): Promise<void> {
    try {
      const info = await api().invoke('workspace.info', {});
      this.info = info;
      // Custom… chosen before the span of data was known opened with empty ends: they become the whole span,
      // as they would have been, rather than stay empty over a query of everything.
      const { from, to } = this.custom;
      if (this.preset === 'custom' && from === null && to === null && info.timeSpan)
        this.custom = customStart('all', this.custom, info.timeSpan, 'local', Date.now());
    } catch {
      // Not connected yet: the connection listener loads it once the engine answers.
    }
  }

  /**
   * A tab for a query written elsewhere (the library, a dashboard panel, a drill-down). Its language is
   * left to detection, as in a tab the analyst opened, unless detection would read the text as another
   * language than it was written in: then it keeps that one.
   */
  openTab(query: string, dialect: Dialect): QueryTab {
    return this.newTab(query, detectDialect(query) === dialect ? 'auto' : dialect);
  }

  newTab(query = '', dialect: Dialect | 'auto' = 'auto'): QueryTab {
    const tab = new QueryTab(query, dialect, `Query ${++this.tabCount}`);
    this.tabs.push(tab);
    this.activeId = tab.id;
    return this.tabs.at(-1)!;
  }

  closeTab(id: string): void {
    if (this.tabs.length === 1) return;
    const index = this.tabs.findIndex((t) => t.id === id);
    const [closed] = this.tabs.splice(index, 1);
    if (closed?.runningId) void this.cancel(closed);
    closed?.result?.work.stop();
    if (this.activeId === id) this.activeId = this.tabs[Math.max(0, index - 1)]!.id;
  }

  /**
   * Runs the tab's query. Asked again while it runs (Ctrl+Enter, a drill-down, a narrowed time range), the
   * running query is stopped on the engine and this one runs instead: the answer shown is always the last asked.
   */
  async run(tab: QueryTab = this.active): Promise<void> {
    tab.plan = null;
    tab.refused = null;
    // The editor says why such a text does not run (`tooLong`); the engine would refuse it in its own words.
    if (tab.tooLong) return;
    const engine = tab.engine;
    await this.execute(tab, (queryId) =>
      engine === 'local' ? this.runLocal(tab, queryId) : this.planRemote(tab, engine, queryId),
    );
  }

  /** Runs the remote query whose plan waits for the analyst's confirmation. */
  async confirmRemote(tab: QueryTab = this.active): Promise<void> {
    const plan = tab.plan;
    if (tab.running || !plan?.confirm) return;
    tab.plan = { ...plan, confirm: null };
    await this.execute(tab, (queryId) => this.runRemote(tab, plan.request, queryId));
  }

  /** Leaves a plan that waits for confirmation without running it. */
  dismissPlan(tab: QueryTab = this.active): void {
    if (tab.plan?.confirm) tab.plan = null;
  }

  /** One run of a tab: its running state, its answer (null: none yet, e.g. waiting for confirmation), its failure. */
  private async execute(tab: QueryTab, work: (queryId: string) => Promise<ResultView | null>): Promise<void> {
    const superseded = tab.runningId;
    const queryId = nextId('q');
    tab.runningId = queryId;
    tab.running = true;
    tab.startedAt = Date.now();
    tab.notice = null;
    tab.failure = null;
    tab.cancelled = false;
    tab.expired = false;
    tab.cancelRequested = false;
    // What the engine still does for the answer on screen, or for the run this one replaces, is not wanted.
    tab.result?.work.stop();
    if (superseded)
      void api()
        .invoke('query.cancel', { queryId: superseded })
        .catch(() => undefined);
    const current = () => tab.runningId === queryId;
    try {
      const view = await work(queryId);
      if (!current()) return;
      if (view) {
        tab.detected = view.dialect;
        tab.result = view;
        if (!view.provenance) void this.loadStats(tab, view);
        const store = storage();
        if (store) {
          const { history, kept } = remember(store, {
            query: view.query,
            dialect: view.dialect,
            ranAt: isoAt(Date.now()),
          });
          this.history = history;
          if (!kept) this.historyLoss = 'unkept';
          else if (this.historyLoss === 'unkept') this.historyLoss = null;
        }
      }
    } catch (err) {
      if (!current()) return;
      // The result on screen, the status line, Export and Pin belong to the query that ran last.
      tab.result = null;
      if (err instanceof ContractError && err.code === 'cancelled') tab.cancelled = true;
      else tab.failure = describeFailure(err);
    } finally {
      if (current()) {
        tab.running = false;
        tab.runningId = null;
        tab.finishedRuns++;
      }
    }
  }

  private async runLocal(tab: QueryTab, queryId: string): Promise<ResultView> {
    const query = tab.query;
    const answer = await api().invoke('query.run', {
      query,
      ...(tab.dialect === 'auto' ? {} : { dialect: tab.dialect }),
      ...(this.timeRange ? { timeRange: this.timeRange } : {}),
      queryId,
      pageSize: FIRST_PAGE,
    });
    if (tab.runningId === queryId) tab.detectedNote = answer.note ?? null;
    return resultView(answer, query, tab, this.ranOver('local', this.timeRange));
  }

  /**
   * Asks what would be sent; a query the engine cannot express is refused here with the plan's diagnostics,
   * before anything runs. Runs at once unless the plan needs the analyst's confirmation.
   */
  private async planRemote(tab: QueryTab, engine: RemoteEngine, queryId: string): Promise<ResultView | null> {
    const table = engine === 'athena' ? tab.athenaTable : null;
    const missing = table ? null : remoteSettings.missing(engine);
    if (missing) throw new ContractError({ code: 'bad_request', message: missing });
    const range = remoteRange(this.preset, this.custom, Date.now());
    const request: RemoteRequest = {
      query: tab.query,
      ...(tab.dialect === 'auto' ? {} : { dialect: tab.dialect }),
      ...(range ? { timeRange: range } : {}),
      target: table ? remoteSettings.athenaTarget(table) : remoteSettings.target(engine),
    };
    const plan = await api().invoke('remote.plan', request);
    // Run again meanwhile: this plan is not what the analyst asked for any more.
    if (tab.runningId !== queryId) throw new ContractError({ code: 'cancelled', message: 'The query was cancelled.' });
    tab.detected = plan.dialect;
    tab.refused = plan.diagnostics.length ? { query: request.query, diagnostics: plan.diagnostics } : null;
    if (plan.diagnostics.length || plan.sent === null)
      throw new ContractError({
        code: 'query_refused',
        message: `${ENGINE_NAMES[engine]} cannot run this query as written.`,
        detail: { diagnostics: plan.diagnostics },
      });
    if (tab.cancelRequested) throw new ContractError({ code: 'cancelled', message: 'The query was cancelled.' });
    const confirm =
      engine !== 'athena'
        ? null
        : plan.estimate === null
          ? 'no-estimate'
          : plan.estimate.bytes > remoteSettings.confirmAboveBytes
            ? 'estimate'
            : null;
    const target = request.target.engine === 'athena' ? request.target.table : request.target.logGroups.join(', ');
    tab.plan = {
      engine,
      target,
      sent: plan.sent,
      estimate: plan.estimate,
      request,
      // The desktop app sends AWS calls only while the page answers the analyst's click or key press.
      confirm: confirm ?? (navigator.userActivation?.isActive === false ? 'click' : null),
    };
    return tab.plan.confirm ? null : this.runRemote(tab, request, queryId);
  }

  private async runRemote(tab: QueryTab, request: RemoteRequest, queryId: string): Promise<ResultView> {
    const ran = this.ranOver(tab.engine, request.timeRange ?? null);
    const answer = await api().invoke('remote.run', { ...request, queryId, pageSize: FIRST_PAGE });
    return resultView(answer, request.query, tab, ran, { provenance: answer.provenance, sent: answer.sent });
  }

  /** The range a run is asked over, as the picker chose it when the run started and as sent. */
  private ranOver(engine: EngineChoice, range: TimeRange | null): RanOver {
    return { engine, preset: this.preset, custom: { ...this.custom }, range };
  }

  /** "N records matched of M scanned": asked once the answer shows, so it never delays it. */
  private async loadStats(tab: QueryTab, view: ResultView): Promise<void> {
    try {
      const stats = await view.work.ask('query.stats', { resultId: view.resultId });
      if (tab.result?.resultId === view.resultId) tab.result.stats = stats;
    } catch {
      // Counting is extra: a result gone or a lost connection leaves the status line without it.
    }
  }

  /** Stops the tab's query; a remote one is stopped on the service too (StopQueryExecution, StopQuery). */
  async cancel(tab: QueryTab = this.active): Promise<void> {
    if (!tab.runningId) return;
    tab.cancelRequested = true;
    await api().invoke('query.cancel', { queryId: tab.runningId });
  }

  /** Errors of the text as it is typed; also learns which dialect the engine detects. */
  async diagnose(tab: QueryTab, query: string): Promise<QueryDiagnostic[]> {
    const answer = await api().invoke('query.compile', {
      query,
      ...(tab.dialect === 'auto' ? {} : { dialect: tab.dialect }),
    });
    if (tab.dialect === 'auto') {
      tab.detected = answer.dialect;
      tab.detectedNote = answer.note ?? null;
    }
    const refused = tab.refused?.query === query ? tab.refused.diagnostics : [];
    return [...answer.diagnostics, ...refused];
  }

  complete(query: string, cursor: number, dialect: Dialect | undefined): Promise<Output<'query.complete'>> {
    return api().invoke('query.complete', { query, cursor, ...(dialect ? { dialect } : {}) });
  }

  /** A clicked value becomes a filter of the query that produced it, and the query runs again. */
  async drill(column: Column, value: CellValue): Promise<void> {
    const tab = this.active;
    const result = tab.result;
    if (!result) return;
    tab.query = addFilter(result.query, result.dialect, column.name, filterValue(column, value));
    if (tab.dialect === 'auto' && detectDialect(tab.query) !== result.dialect) tab.dialect = result.dialect;
    await this.run(tab);
  }

  /** The raw records behind an aggregate row, in a new tab (its time bucket becomes the time range). */
  async openRawRecords(row: readonly CellValue[]): Promise<void> {
    const result = this.active.result;
    if (result) await this.openRecordsBehind(result, { columns: result.columns, row }, result.ran.range);
  }

  /**
   * The raw records behind some keys of a query's result (a grid row, a clicked bar or slice: `chart-pick.ts`)
   * in a new tab, run over `range`, the range the answer ran over (null: the whole workspace), narrowed to
   * the keys' time bucket. False, and a notice saying why, when the keys name nothing to filter on.
   */
  openRecordsBehind(
    source: { query: string; dialect: Dialect; provenance?: Provenance | null },
    keys: ChartPick,
    range: TimeRange | null,
  ): boolean {
    const raw = rawRecordsQuery(source.query, source.dialect, keys.columns, keys.row, keys.bucketMs);
    if (!raw) {
      this.tell(noRawRecords(keys.columns));
      return false;
    }
    const tab = this.openTab(raw.query, source.dialect);
    // The records behind a remote answer are where it ran, not in the workspace.
    if (source.provenance) this.runOnEngineOf(tab, source.provenance);
    const timeRange = recordsRange(raw.timeRange, range);
    if (timeRange) this.setCustomRange(timeRange);
    else this.preset = 'all';
    void this.run(tab);
    return true;
  }

  /** Shows `message` as the notice for a few seconds. */
  tell(message: string): void {
    this.notice = message;
    clearTimeout(this.noticeTimer);
    this.noticeTimer = setTimeout(() => (this.notice = null), 8000);
  }

  /** The tab runs where a remote answer came from: the same engine, and for Athena the same table. */
  runOnEngineOf(tab: QueryTab, where: { engine: RemoteEngine; target: string }): void {
    tab.engine = where.engine;
    tab.athenaTable = where.engine === 'athena' ? where.target : null;
  }

  setCustomRange(range: TimeRange): void {
    this.custom = { from: range.from, to: range.to };
    this.preset = 'custom';
  }

  /**
   * Brushing a time-series chart or the records histogram narrows the time range to the selection and runs
   * the query again. Narrows: a bar, or a drag to the axis's end, reaches past the range the answer ran over
   * (bars are whole buckets), and the records there were never counted.
   */
  async zoomTo(fromMs: number, toMs: number): Promise<void> {
    const selection = { from: isoAt(Math.floor(fromMs)), to: isoAt(Math.ceil(toMs)) };
    this.setCustomRange(recordsRange(selection, this.active.result?.ran.range ?? null)!);
    await this.run();
  }

  /** An example of the empty results area (first-queries.ts): its text in the active tab, run at once. */
  async runExample(query: string): Promise<void> {
    const tab = this.active;
    tab.query = query;
    tab.dialect = 'auto';
    tab.detected = detectDialect(query);
    await this.run(tab);
  }

  openFromHistory(entry: HistoryEntry): void {
    const tab = this.active;
    tab.query = entry.query;
    tab.dialect = detectDialect(entry.query) === entry.dialect ? 'auto' : entry.dialect;
  }
}
