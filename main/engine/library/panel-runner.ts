/**
 * Dashboard panels run through the query engine like any query (same compiler, same SQL guard), with a
 * panel's chart data made from the whole result (`query.chart`) alongside the first page, and a
 * result cache in front: a dashboard opened again — another tab, a refresh, the app reopened on the same
 * data — answers from the cache. An entry is keyed by the compiled SQL (which holds the time range and the
 * filters), the page size, the chart asked for and, for a panel using `direction()`, the VPC ranges; it is valid for one state of
 * the import ledger: any import or removal changes the ledger's fingerprint and so every key.
 *
 * Entries are kept in memory and, as JSON, in the workspace's own folder (`<file>.flowscope/panel-cache/`),
 * so a dashboard warmed after an import opens at once in later sessions too. An answer read back from disk
 * has no kept result behind it (`resultId` is empty): paging or exporting it means running the query again.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { channels, type ChartData, type Output, type ParsedInput } from '../../../preload/contract';
import { resolveChart } from '../../../queries/chart/chart-choice';
import { compileQuery } from '../../../queries/language';
import { withFilters } from '../../../queries/library/dashboard-filters';
import { FlowscopeError } from '../errors';
import type { Workspace } from '../workspace';
import { workspaceDirs } from '../workspace/config';
import { readKeptFile, writeKeptFile } from '../workspace/kept-file';
import { KeptUntilWrite } from '../workspace/kept-until-write';
import { ledgerFingerprint } from '../workspace/ledger-fingerprint';
import { usesVpcRanges, vpcRangesOf } from '../workspace/vpc-ranges';

type RunOutput = Output<'query.run'> & { chart?: ChartData | null };

/** An answer as the cache keeps it on disk: the panel's answer without the `cached` flag. */
const STORED_ANSWER = channels['dashboard.runPanel'].output.omit({ cached: true });

/**
 * How answers and their chart data are made. Part of every key, and raised when that changes (3: NULL counts
 * as a category, a map reports what it cannot place; 4: a measure that is not finite is drawn as nothing and
 * reported, a time past a JavaScript Date's years is written, a date's infinities are named; 5: a transposed
 * result's columns biggest total first; 6: categories of equal value in the result's order; 7: a measure that
 * does not add up is re-binned to the highest of each bucket; 8: a time series' rows without a time are left
 * out and counted; 9: a pie's rows below zero are left out and counted; 10: an Other of a measure that does
 * not add up is its highest; 11: a scaled sum adds up, a ratio of aggregates or a running sum does not, a
 * heat map's or Sankey's cell of several rows takes the highest of a measure that does not add up), so
 * answers cached on disk by an older Flowscope are not shown as this one's: the ledger's fingerprint alone would
 * keep them until the next import.
 */
const ANSWER_FORMAT = '11';

const MAX_ENTRIES = 128;
const MAX_FILES = 512;

export class PanelRunner {
  private readonly cache = new Map<string, Promise<RunOutput>>();
  private readonly dir: string;
  /** Changes whenever an import is added, finished or removed. */
  private readonly fingerprint: KeptUntilWrite<string>;

  constructor(
    private readonly workspace: Workspace,
    private readonly run: (input: ParsedInput<'query.run'>) => Promise<Output<'query.run'>>,
    private readonly chart: (input: ParsedInput<'query.chart'>) => Promise<ChartData>,
  ) {
    this.dir = workspaceDirs(workspace.path).panelCache;
    this.fingerprint = new KeptUntilWrite(workspace, () => ledgerFingerprint(workspace));
  }

  async runPanel(input: ParsedInput<'dashboard.runPanel'>): Promise<Output<'dashboard.runPanel'>> {
    const started = performance.now();
    const compiled = compileQuery(input.query, {
      dialect: input.dialect,
      timeRange: withFilters(input.timeRange, input.filters),
    });
    // A query that does not compile gets its error from the engine's own path, with positions.
    if (compiled.sql === null) return { ...(await this.run(input)), cached: false };
    const key = hash([
      ANSWER_FORMAT,
      compiled.sql,
      JSON.stringify(compiled.transpose ?? null),
      String(input.pageSize),
      chartKey(input.chart),
      await this.fingerprint.get(),
      usesVpcRanges(compiled.sql) ? JSON.stringify(await vpcRangesOf(this.workspace).current()) : '',
    ]);
    const hit = this.cache.get(key) ?? this.fromDisk(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      try {
        const answer = await hit;
        return { ...answer, elapsedMs: performance.now() - started, cached: true };
      } catch (err) {
        // The run this one joined was stopped by whoever asked for it (a dashboard asking again stops its
        // older run): that stop is not this asker's, so it runs the panel itself. Any other failure is shared.
        if (!(err instanceof FlowscopeError && err.code === 'cancelled')) throw err;
      }
    }
    const running = this.runWithChart(input);
    this.remember(key, running);
    try {
      const answer = await running;
      this.toDisk(key, answer);
      return { ...answer, cached: false };
    } catch (err) {
      if (this.cache.get(key) === running) this.cache.delete(key);
      throw err;
    }
  }

  /** The query's answer and, when asked, its chart's data from the whole result (null for a table). */
  private async runWithChart(input: ParsedInput<'dashboard.runPanel'>): Promise<RunOutput> {
    const { chart: wanted, ...query } = input;
    const answer = await this.run(query);
    if (!wanted) return answer;
    const spec = resolveChart(wanted.spec, answer.columns, answer.rows);
    const chart =
      spec.type === 'table'
        ? null
        : // Under the run's id, so that a cancel of the panel's run stops its chart's data too.
          await this.chart({
            resultId: answer.resultId,
            spec,
            width: wanted.width,
            ...(query.queryId !== undefined ? { queryId: query.queryId } : {}),
          });
    return { ...answer, chart };
  }

  private fromDisk(key: string): Promise<RunOutput> | null {
    let answer;
    try {
      // Never a link planted beside a shared workspace (kept-file.ts).
      const text = readKeptFile(join(this.dir, `${key}.json`));
      if (text === null) return null;
      answer = STORED_ANSWER.safeParse(JSON.parse(text));
    } catch {
      return null;
    }
    if (!answer.success) return null;
    const hit = Promise.resolve(answer.data);
    this.remember(key, hit);
    return hit;
  }

  /** Best effort: a cache that cannot be written only means the next session runs the panel again. */
  private toDisk(key: string, answer: RunOutput): void {
    try {
      mkdirSync(this.dir, { recursive: true });
      // Not through a link planted at a name the sender of a shared workspace could work out (kept-file.ts).
      writeKeptFile(join(this.dir, `${key}.json`), JSON.stringify({ ...answer, resultId: '' }));
      const files = readdirSync(this.dir).filter((f) => f.endsWith('.json'));
      if (files.length > MAX_FILES) {
        const byAge = files.map((f) => ({ f, t: statSync(join(this.dir, f)).mtimeMs })).sort((a, b) => a.t - b.t);
        for (const { f } of byAge.slice(0, files.length - MAX_FILES)) rmSync(join(this.dir, f), { force: true });
      }
    } catch {
      // See above.
    }
  }

  private remember(key: string, answer: Promise<RunOutput>): void {
    this.cache.set(key, answer);
    while (this.cache.size > MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
  }
}

/** The chart asked for, written the same whatever order its keys came in. */
function chartKey(chart: ParsedInput<'dashboard.runPanel'>['chart']): string {
  if (!chart) return '';
  const s = chart.spec;
  return JSON.stringify([chart.width, s && [s.type, s.x ?? null, s.y ?? null, s.series ?? null, s.pivoted ?? null]]);
}

function hash(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex');
}
