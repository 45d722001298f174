/**
 * The workbench's state: the query being written, the chosen time range, the running query and the
 * page of results on screen. Components read and bind to it; every engine call goes through `api()`.
 */
import type { Dialect, Output, WorkspaceInfo } from '../../../preload/contract';
import { api, ContractError, type ConnectionState } from './api';
import { describeFailure, type QueryFailure } from './query-failure';
import { resolveRange, type RangePreset } from './time-range';

export const PAGE_SIZE = 100;

export const DEFAULT_QUERY = `fields @timestamp, srcAddr, dstAddr, dstPort, protocol, action, bytes
| sort @timestamp desc
| limit 1000`;

export interface ResultView {
  resultId: string;
  columns: Output<'query.run'>['columns'];
  rows: Output<'query.run'>['rows'];
  offset: number;
  rowCount: number;
  elapsedMs: number;
  dialect: Dialect;
}

let queryCounter = 0;

export class Workbench {
  query = $state(DEFAULT_QUERY);
  dialect = $state<Dialect | 'auto'>('auto');
  preset = $state<RangePreset>('all');
  customFrom = $state('');
  customTo = $state('');
  info = $state<WorkspaceInfo | null>(null);
  connection = $state<ConnectionState>('connecting');
  running = $state(false);
  paging = $state(false);
  result = $state<ResultView | null>(null);
  failure = $state<QueryFailure | null>(null);
  /** Set when the user cancelled the last query, so it is reported as such and not as an error. */
  cancelled = $state(false);
  private runningId: string | null = null;

  timeRange = $derived(resolveRange(this.preset, this.info?.timeSpan ?? null, { from: this.customFrom, to: this.customTo }));

  start(): () => void {
    const client = api();
    const stop = client.onConnection((state) => {
      this.connection = state;
      if (state === 'connected' || state === 'restarted') void this.loadInfo();
    });
    void this.loadInfo();
    return stop;
  }

  async loadInfo(): Promise<void> {
    try {
      this.info = await api().invoke('workspace.info', {});
    } catch {
      // Not connected yet: the connection listener loads it once the engine answers.
    }
  }

  async run(): Promise<void> {
    if (this.running) return;
    const queryId = `q${Date.now().toString(36)}${(queryCounter++).toString(36)}`;
    this.runningId = queryId;
    this.running = true;
    this.failure = null;
    this.cancelled = false;
    try {
      const answer = await api().invoke('query.run', {
        query: this.query,
        ...(this.dialect === 'auto' ? {} : { dialect: this.dialect }),
        ...(this.timeRange ? { timeRange: this.timeRange } : {}),
        queryId,
        pageSize: PAGE_SIZE,
      });
      this.result = { ...answer };
    } catch (err) {
      if (err instanceof ContractError && err.code === 'cancelled') this.cancelled = true;
      else this.failure = describeFailure(err);
    } finally {
      this.running = false;
      this.runningId = null;
    }
  }

  async cancel(): Promise<void> {
    if (this.runningId) await api().invoke('query.cancel', { queryId: this.runningId });
  }

  async page(offset: number): Promise<void> {
    const current = this.result;
    if (!current || this.paging) return;
    this.paging = true;
    try {
      const page = await api().invoke('query.page', { resultId: current.resultId, offset, limit: PAGE_SIZE });
      this.result = { ...current, rows: page.rows, offset: page.offset, rowCount: page.rowCount };
    } catch (err) {
      this.failure = describeFailure(err);
    } finally {
      this.paging = false;
    }
  }
}
