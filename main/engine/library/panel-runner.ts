/**
 * Dashboard panels run through the query engine like any query (same compiler, same SQL guard), with a
 * result cache in front: a dashboard opened again — another tab, a refresh, the app reopened on the same
 * data — answers from memory. An entry is keyed by the compiled SQL (which holds the time range and the
 * filters) and the page size, and is valid for one state of the import ledger: any import or removal
 * changes the ledger's fingerprint and so every key.
 */
import { createHash } from 'node:crypto';
import type { Output, ParsedInput } from '../../../preload/contract';
import { compileQuery } from '../../../queries/language';
import { withFilters } from '../../../queries/library/dashboard-filters';
import type { Workspace } from '../workspace';

type RunOutput = Output<'query.run'>;

const MAX_ENTRIES = 128;

export class PanelRunner {
  private readonly cache = new Map<string, Promise<RunOutput>>();

  constructor(
    private readonly workspace: Workspace,
    private readonly run: (input: ParsedInput<'query.run'>) => Promise<RunOutput>,
  ) {}

  async runPanel(input: ParsedInput<'dashboard.runPanel'>): Promise<Output<'dashboard.runPanel'>> {
    const started = performance.now();
    const compiled = compileQuery(input.query, { dialect: input.dialect, timeRange: withFilters(input.timeRange, input.filters) });
    // A query that does not compile gets its error from the engine's own path, with positions.
    if (compiled.sql === null) return { ...(await this.run(input)), cached: false };
    const key = hash([compiled.sql, String(input.pageSize), await this.ledgerFingerprint()]);
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      const answer = await hit;
      return { ...answer, elapsedMs: performance.now() - started, cached: true };
    }
    const running = this.run(input);
    this.remember(key, running);
    try {
      return { ...(await running), cached: false };
    } catch (err) {
      this.cache.delete(key);
      throw err;
    }
  }

  /** Changes whenever an import is added, finished or removed. */
  private async ledgerFingerprint(): Promise<string> {
    const [row] = await this.workspace.all<Record<string, unknown>>(
      `SELECT count(*) AS n, max(id) AS last, sum(records) AS records, max(finished_at) AS finished FROM imports`,
    );
    return JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  }

  private remember(key: string, answer: Promise<RunOutput>): void {
    this.cache.set(key, answer);
    while (this.cache.size > MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
  }
}

function hash(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex');
}
