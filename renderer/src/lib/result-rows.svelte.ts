/**
 * The rows of one result as the grid scrolls through it: blocks fetched from the engine with
 * `query.page` (in the chosen sort order, which the engine applies to the whole result) and kept while
 * they are near. A million-row result costs the renderer only the blocks on and around the screen.
 */
import type { CellValue, Column } from '../../../preload/contract';
import { isCancelled, type FollowUps } from './follow-ups';

const BLOCK_ROWS = 500;
/** Blocks kept in memory; the farthest from the last request are dropped first. */
const MAX_BLOCKS = 60;

export interface SortKey {
  column: string;
  descending: boolean;
}

export class ResultRows {
  /** Bumped when blocks arrive, so views that read rows update. */
  version = $state(0);
  sort = $state<SortKey | null>(null);
  error = $state<string | null>(null);
  // Plain maps on purpose: blocks arrive often, and the one `version` bump re-renders once per arrival.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private blocks = new Map<number, CellValue[][]>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private loading = new Map<number, Promise<void>>();
  private generation = 0;

  constructor(
    readonly resultId: string,
    readonly columns: Column[],
    readonly rowCount: number,
    firstRows: CellValue[][],
    /** The result's follow-ups: pages still coming are stopped with the rest when the tab moves on. */
    private readonly work: FollowUps,
  ) {
    this.seed(firstRows);
  }

  private seed(rows: CellValue[][]): void {
    for (let b = 0; b * BLOCK_ROWS < rows.length; b++)
      this.blocks.set(b, rows.slice(b * BLOCK_ROWS, (b + 1) * BLOCK_ROWS));
  }

  row(index: number): CellValue[] | undefined {
    return this.blocks.get(Math.floor(index / BLOCK_ROWS))?.[index % BLOCK_ROWS];
  }

  /** Rows [start, end) that are loaded, in order, skipping none: for copying what is on screen. */
  loadedRows(start: number, end: number): CellValue[][] {
    const out: CellValue[][] = [];
    for (let i = start; i < Math.min(end, this.rowCount); i++) {
      const row = this.row(i);
      if (row) out.push(row);
    }
    return out;
  }

  /** Make sure rows [start, end) are loaded or on their way. */
  ensure(start: number, end: number): void {
    const first = Math.max(0, Math.floor(start / BLOCK_ROWS));
    const last = Math.min(
      Math.floor((Math.min(end, this.rowCount) - 1) / BLOCK_ROWS),
      Math.ceil(this.rowCount / BLOCK_ROWS) - 1,
    );
    for (let b = first; b <= last; b++) if (!this.blocks.has(b) && !this.loading.has(b)) this.load(b);
    this.evict(first);
  }

  private load(block: number): void {
    const generation = this.generation;
    const request = this.work
      .ask('query.page', {
        resultId: this.resultId,
        offset: block * BLOCK_ROWS,
        limit: BLOCK_ROWS,
        ...(this.sort ? { sort: [this.sort] } : {}),
      })
      .then((page) => {
        if (generation !== this.generation) return;
        this.blocks.set(block, page.rows);
        this.version++;
      })
      .catch((err: unknown) => {
        // Stopped because the tab moved on: nothing failed, the rows are simply not wanted any more.
        if (generation === this.generation && !isCancelled(err))
          this.error = err instanceof Error ? err.message : String(err);
      })
      .finally(() => {
        if (generation === this.generation) this.loading.delete(block);
      });
    this.loading.set(block, request);
  }

  private evict(near: number): void {
    if (this.blocks.size <= MAX_BLOCKS) return;
    const far = [...this.blocks.keys()].sort((a, b) => Math.abs(b - near) - Math.abs(a - near));
    for (const block of far.slice(0, this.blocks.size - MAX_BLOCKS)) this.blocks.delete(block);
  }

  /** Sort the whole result by a column (the engine does it) and start again from the top. */
  setSort(sort: SortKey | null): void {
    this.sort = sort;
    this.generation++;
    this.blocks.clear();
    this.loading.clear();
    this.error = null;
    this.version++;
  }

  /** Rows [start, end) fetched now, loaded or not (for copying a whole page). */
  async fetch(start: number, end: number): Promise<CellValue[][]> {
    const rows: CellValue[][] = [];
    for (let offset = start; offset < Math.min(end, this.rowCount); offset += 10_000) {
      const limit = Math.min(10_000, end - offset);
      const page = await this.work.ask('query.page', {
        resultId: this.resultId,
        offset,
        limit,
        ...(this.sort ? { sort: [this.sort] } : {}),
      });
      rows.push(...page.rows);
    }
    return rows;
  }
}
