/**
 * Runs query SQL on the workspace: the only place that touches DuckDB for queries.
 *
 * - Read-only is checked on DuckDB's own view of the statement: the text must hold exactly one statement
 *   (`extractStatements`) and its prepared statement must be of type SELECT or EXPLAIN; an EXPLAIN's own
 *   statement must be a SELECT too, since EXPLAIN ANALYZE runs it. Should a writing statement get past that
 *   check, it still cannot change the workspace: every user statement runs in a READ ONLY transaction, in
 *   which DuckDB refuses any write to the database (the temporary table holding the result is allowed). The
 *   instance's lock-down (no external access, locked configuration) does the rest: `read_csv('/etc/passwd')`
 *   is a SELECT that DuckDB itself refuses.
 * - A result is materialised once, in a temporary table on the connection that ran it, so that pages,
 *   sorted or not, read from it without running the query again, and the renderer only ever receives a
 *   page. The most recent results are kept, per purpose: a dashboard's panels (and their warm-up in the
 *   background) never push out the workbench's results, which the analyst may still be paging. Older ones are
 *   dropped. Connections are pooled (one per query running at the same time, at most MAX_CONNECTIONS, the
 *   other queries waiting their turn) because each carries the enrichment macros.
 * - `direction()` and the `in_vpc*_` tests read the workspace's VPC ranges (vpc-ranges.ts): a query that
 *   calls them first has the current ranges put on its connection, when they changed since it last had them.
 * - Follow-up work on a kept result (pages, chart data, counts, the histogram, field values) can be given an
 *   id too (`followUp`), so that its caller stops it like a query once the answer is not wanted any more.
 * - A running query can be interrupted by its caller-chosen id (cancel), by the timeout, or when the process
 *   grows past MEMORY_STOP_FACTOR times DuckDB's memory limit (memory-watch.ts). DuckDB notices an interrupt
 *   between chunks of rows; a single function call still running STOP_GRACE_MS later is not waited for: the
 *   caller gets its answer, and the connection is retired, closed once DuckDB is done with it. Value-building
 *   functions are limited (query-limits.ts), so that no single call runs away in the first place.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { StatementType } from '@duckdb/node-api';
import type { CellValue, Column, ExportFormat, ResultPage, SortKey } from '../../../preload/contract';
import { sqlIdent, sqlString } from '../../../queries/catalog/sql-quote';
import { isNumericType, readsAsNumbers } from '../../../queries/chart/column-kind';
import { explainSql, leadingWord, readExplain } from '../../../queries/language/sql';
import {
  transposeKeyOrder,
  transposeSql,
  transposeValuesSql,
  type TransposeSpec,
} from '../../../queries/language/series';
import { FlowscopeError } from '../errors';
import { describeColumns, encodeCells } from './encode';
import { AddressDataLoader, type AddressDataOptions } from './address-data';
import { workspaceDirs } from './config';
import { installEnrichment, installVpcRanges } from './enrichment';
import { LookupTables } from './lookup-tables';
import type { Workspace } from './index';
import { MEMORY_STOP_FACTOR, MemoryWatch } from './memory-watch';
import { csvSource } from './csv-export';
import { parquetSource } from './parquet-export';
import { textSource, typesOf } from './text-export';
import { installValueLimits, limitProblem, parseTree } from './query-limits';
import { usesVpcRanges, vpcRangesOf } from './vpc-ranges';

type StopReason = 'cancelled' | 'timeout' | 'memory';

/**
 * A query, or follow-up work on a result (a page, chart data, counts), between its start and its answer.
 * `active` holds the connections on which one of its statements runs now: only those are interrupted, since
 * a connection's lane may be running someone else's statement while this one waits its turn.
 */
interface RunningQuery {
  active: Set<DuckDBConnection>;
  reason: StopReason | null;
  /** Resolves when it is stopped. */
  stopped: Promise<void>;
  onStop: () => void;
  /** Set when the caller was answered without waiting for DuckDB to notice the interrupt. */
  abandoned: boolean;
}

/** The handle of follow-up work (`QueryRunner.followUp`), passed to the reads it makes. */
export type FollowUp = RunningQuery;

function runningQuery(): RunningQuery {
  let onStop!: () => void;
  const stopped = new Promise<void>((resolve) => (onStop = resolve));
  return { active: new Set(), reason: null, stopped, onStop, abandoned: false };
}

/** How long a stopped query may take to notice the interrupt before its caller is answered anyway. */
const STOP_GRACE_MS = 500;

/**
 * At most this many queries run at once; the others wait for a connection. DuckDB runs each query on every
 * core already, so more at once only share the cores, and each new connection costs its macros (about 0.2 s):
 * 50 queries at once through the browser host made 50 connections and took five times as long. And DuckDB's
 * Node client makes each call on libuv's thread pool (4 threads): four long queries held all of it, so that
 * file reads, pages of other results and the import's writer waited for one of them to end. One stays free.
 */
export const MAX_CONNECTIONS = 3;

export interface RunRequest {
  sql: string;
  /** Reshape the result once it has run (Sumo's transpose: its columns are values of the result). */
  transpose?: TransposeSpec;
  /** Chosen by the caller, to cancel with. */
  queryId?: string;
  timeoutMs: number;
  pageSize: number;
  /** Which kept results this one may push out: a workbench query's, or a dashboard panel's. */
  purpose?: ResultPurpose;
  /** What a result column holds, when the query says (pipe dialects); kept with the result's columns. */
  kindOf?: (name: string) => Column['kind'] | null;
  /** Whether a result column's values add up, when the query says (`queries/chart/result-meaning.ts`). */
  addsUp?: ((name: string) => boolean | null) | undefined;
  /**
   * Insights' implicit limit (`CompiledQuery.cap`): the SQL asks for one row more, so a result that has it
   * matched more than CloudWatch returns; it keeps this many and says so (`cappedAt`).
   */
  cap?: number | null;
}

/** The result's columns with what each holds, where the query says (`RunRequest.kindOf`). */
function withMeanings(columns: Column[], kindOf: RunRequest['kindOf'], addsUp?: RunRequest['addsUp']): Column[] {
  return columns.map((c) => {
    const kind = kindOf?.(c.name);
    const described = kind ? { ...c, kind } : c;
    return addsUp?.(c.name) === false ? { ...described, addsUp: false as const } : described;
  });
}

export type ResultPurpose = 'query' | 'panel';

interface StoredResult {
  purpose: ResultPurpose;
  conn: DuckDBConnection;
  table: string;
  columns: Column[];
  rowCount: number;
}

/** How many results of each purpose are kept: a dashboard has more panels than an analyst has result tabs. */
const KEEP_RESULTS: Record<ResultPurpose, number> = { query: 8, panel: 24 };

/** SUMMARIZE and DESCRIBE are SELECTs that cannot stand where a CREATE TABLE ... AS expects a query. */
function needsSubquery(sql: string): boolean {
  const { word } = leadingWord(sql);
  return word === 'SUMMARIZE' || word === 'DESCRIBE';
}

function stripTrailingSemicolons(sql: string): string {
  return sql.replace(/(?:\s|;)+$/, '');
}

export class QueryRunner {
  private readonly results = new Map<string, StoredResult>();
  private readonly pool: DuckDBConnection[] = [];
  private readonly busy = new Set<DuckDBConnection>();
  /** Connections being made, counted against MAX_CONNECTIONS with the pool. */
  private opening = 0;
  /** The connections being made (their macros installed), which `closed()` waits for. */
  private readonly openings = new Set<Promise<unknown>>();
  /** Counts `close()`s: a connection begun before one is closed once made, never pooled. */
  private generation = 0;
  /** Set by `shutDown()`: no connection is made any more. */
  private isShutDown = false;
  /** Queries waiting for a connection, woken when one is released or retired. */
  private waiting: (() => void)[] = [];
  private readonly lanes = new WeakMap<DuckDBConnection, Promise<unknown>>();
  private closing: Promise<unknown> = Promise.resolve();
  private readonly running = new Map<string, RunningQuery>();
  /** The VPC ranges each pooled connection's macros were made with (JSON of the list). */
  private readonly rangesOn = new WeakMap<DuckDBConnection, string>();
  private readonly memory: MemoryWatch;
  private counter = 0;

  private readonly addressData: AddressDataLoader;
  readonly lookupTables: LookupTables;

  constructor(
    private readonly workspace: Workspace,
    options: AddressDataOptions,
  ) {
    this.memory = new MemoryWatch(workspace.memoryLimit * MEMORY_STOP_FACTOR);
    this.addressData = new AddressDataLoader(workspace.stagingDir, options);
    this.lookupTables = new LookupTables(workspaceDirs(workspace.path).lookups, workspace.stagingDir);
  }

  async run(
    request: RunRequest,
  ): Promise<Omit<ResultPage, 'resultId'> & { resultId: string; elapsedMs: number; cappedAt?: number }> {
    const started = performance.now();
    const id = `r${++this.counter}`;
    const runId = request.queryId ?? `_${id}`;
    // Registered before anything is awaited, so that a cancel or the timeout also stops a query still
    // waiting for the VPC ranges to be inferred (which other queries may share, so it runs on).
    const entry = this.register(runId);
    const timer = setTimeout(() => this.stop(entry, 'timeout'), request.timeoutMs);
    const unwatch = this.memory.start(() => this.stop(entry, 'memory'));
    const table = `flowscope_result_${id}`;
    let acquired: DuckDBConnection | null = null;
    try {
      const vpcCidrs = usesVpcRanges(request.sql) ? (await vpcRangesOf(this.workspace).current()).cidrs : undefined;
      if (entry.reason) throw new Error('INTERRUPT before the query started');
      const purpose = request.purpose ?? 'query';
      this.dropOldest(purpose);
      const conn = await this.acquire(vpcCidrs, entry);
      acquired = conn;
      // A cancel or timeout may come while the connection is made or its lane is busy: it has no statement
      // to interrupt then, and the lane does not start it.
      const work = this.inLaneOf(entry, conn, async () => {
        try {
          if (vpcCidrs && this.rangesOn.get(conn) !== JSON.stringify(vpcCidrs)) {
            await installVpcRanges(conn, vpcCidrs);
            this.rangesOn.set(conn, JSON.stringify(vpcCidrs));
          }
          await this.addressData.ensureFor(request.sql, conn);
          await this.lookupTables.ensureFor(request.sql, conn);
          const explain = await this.checked(conn, request.sql);
          if (entry.reason) throw new Error('INTERRUPT before the query ran');
          await readOnly(conn, async () => {
            if (explain) await materialiseExplain(conn, table, explain);
            else {
              const body = stripTrailingSemicolons(request.sql);
              const query = needsSubquery(body) ? `SELECT * FROM (${body}\n)` : `${body}\n`;
              if (request.transpose) await materialiseTransposed(conn, table, query, request.transpose);
              else await conn.run(`CREATE TEMPORARY TABLE ${table} AS ${query}`);
            }
          });
          if (entry.abandoned) throw new Error('INTERRUPT: its caller was answered');
          const count = await conn.runAndReadAll(`SELECT count(*) FROM ${table}`);
          let rowCount = Number(count.getRows()[0]![0] as bigint);
          const cut = request.cap != null && rowCount > request.cap;
          if (cut) {
            // The table holds the query's rows in order (pages read it so): the last ones past the cap go.
            await conn.run(`DELETE FROM ${table} WHERE rowid >= ${request.cap}`);
            rowCount = request.cap!;
          }
          const first = await conn.runAndReadAll(`SELECT * FROM ${table} LIMIT ${request.pageSize}`);
          const columns = withMeanings(
            describeColumns(first.columnNames(), first.columnTypes()),
            request.kindOf,
            request.addsUp,
          );
          this.results.set(id, { purpose, conn, table, columns, rowCount });
          const rows = first.getRows().map((r) => encodeCells(r, first.columnTypes()));
          return {
            resultId: id,
            columns,
            rows,
            offset: 0,
            rowCount,
            elapsedMs: performance.now() - started,
            ...(cut ? { cappedAt: rowCount } : {}),
          };
        } catch (err) {
          await conn.run(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
          throw err;
        }
      });
      return await Promise.race([work, this.gaveUp(entry, work, conn)]);
    } catch (err) {
      throw this.explain(err, entry.reason, request.timeoutMs);
    } finally {
      clearTimeout(timer);
      unwatch();
      this.running.delete(runId);
      if (acquired) this.release(acquired);
    }
  }

  /** A query or follow-up under `runId`, which `cancel` stops; the caller deletes it from `running` when over. */
  private register(runId: string): RunningQuery {
    if (this.running.has(runId))
      throw new FlowscopeError('bad_request', `A query with id ${runId} is already running.`);
    const entry = runningQuery();
    this.running.set(runId, entry);
    return entry;
  }

  /**
   * Follow-up work on a result (a page, chart data, counts, field values) that its caller may cancel by
   * `queryId` like a query, when the analyst has moved on and the answer would not be shown: its statements
   * are interrupted, or never started, and it fails with `cancelled`.
   */
  async followUp<T>(queryId: string | undefined, work: (handle: FollowUp) => Promise<T>): Promise<T> {
    const runId = queryId ?? `_f${++this.counter}`;
    const entry = this.register(runId);
    const working = work(entry);
    // Answered when stopped, not when DuckDB notices: it may be waiting in a lane behind a long statement
    // (where it will not start), and the lane keeps the connection's statements apart either way.
    working.catch(() => undefined);
    try {
      return await Promise.race([working, entry.stopped.then(() => Promise.reject(new Error('INTERRUPT')))]);
    } catch (err) {
      if (entry.reason || isInterrupt(err)) throw new FlowscopeError('cancelled', 'The request was cancelled.');
      throw err;
    } finally {
      this.running.delete(runId);
    }
  }

  /**
   * `inLane` for a statement of `entry`: not started once `entry` is stopped, and while it runs the one a
   * stop interrupts (never another caller's statement queued on the same connection).
   */
  private inLaneOf<T>(entry: RunningQuery | undefined, conn: DuckDBConnection, fn: () => Promise<T>): Promise<T> {
    if (!entry) return this.inLane(conn, fn);
    return this.inLane(conn, async () => {
      if (entry.reason) throw new Error('INTERRUPT before it started');
      entry.active.add(conn);
      try {
        return await fn();
      } finally {
        entry.active.delete(conn);
      }
    });
  }

  /** Interrupts a running query, once, for `reason`. */
  private stop(entry: RunningQuery, reason: StopReason): void {
    if (entry.reason) return;
    entry.reason = reason;
    for (const conn of entry.active) conn.interrupt();
    entry.onStop();
  }

  /**
   * Rejects when the query was stopped and DuckDB has not given up on it STOP_GRACE_MS later (one long
   * function call); its connection is then retired, so no other query waits behind it.
   */
  private gaveUp(entry: RunningQuery, work: Promise<unknown>, conn: DuckDBConnection): Promise<never> {
    let settled = false;
    // DuckDB forgets an interrupt when the connection starts its next statement (the query runs a few: its
    // checks, BEGIN, the query), so a stopped query is interrupted again until it is over.
    let again: NodeJS.Timeout | undefined;
    const done = () => {
      settled = true;
      clearInterval(again);
    };
    work.then(done, done);
    void entry.stopped.then(() => {
      if (!settled) again = setInterval(() => entry.active.forEach((c) => c.interrupt()), 100).unref();
    });
    return entry.stopped
      .then(() => new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref()))
      .then(() => {
        if (settled) return new Promise<never>(() => undefined); // `work` answers
        entry.abandoned = true;
        // Still waiting in the lane behind someone else's statement: it will not start, nothing to retire.
        if (entry.active.size) this.retire(conn, work);
        throw new Error('INTERRUPT: not noticed in time');
      });
  }

  /** Takes a connection out of use (and its kept results with it), closed once `work` on it is over. */
  private retire(conn: DuckDBConnection, work: Promise<unknown>): void {
    const at = this.pool.indexOf(conn);
    if (at < 0) return;
    this.pool.splice(at, 1);
    this.release(conn);
    for (const [id, result] of this.results) if (result.conn === conn) this.results.delete(id);
    const close = () => conn.closeSync();
    work.then(close, close);
  }

  /**
   * Keeps rows answered elsewhere (a remote engine, as text) as a result like any other: a temporary table
   * with the columns' DuckDB types, so it pages, sorts, charts and exports as a local result does. A column
   * with a value its type cannot read is kept as the text it came as, rather than that value as NULL.
   */
  async keep(
    columns: readonly { name: string; type: string }[],
    rows: readonly (readonly (string | null)[])[],
    pageSize: number,
    kindOf?: RunRequest['kindOf'],
    addsUp?: RunRequest['addsUp'],
  ): Promise<Omit<ResultPage, 'resultId'> & { resultId: string }> {
    const id = `r${++this.counter}`;
    const table = `flowscope_result_${id}`;
    const staging = `${table}_text`;
    this.dropOldest('query');
    const conn = await this.acquire(undefined);
    try {
      return await this.inLane(conn, async () => {
        try {
          const names = columns.map((_, i) => `c${i}`);
          await conn.run(
            `CREATE TEMPORARY TABLE ${staging} (${names.map((n) => `${n} VARCHAR`).join(', ') || 'c0 VARCHAR'})`,
          );
          const appender = await conn.createAppender(staging, 'main', 'temp');
          for (const row of rows) {
            for (let i = 0; i < Math.max(columns.length, 1); i++) {
              const v = row[i];
              if (v === null || v === undefined) appender.appendNull();
              else appender.appendVarchar(v);
            }
            appender.endRow();
          }
          appender.closeSync();
          // Athena writes an offset after a space (`… 10:00:00.000 +05:00`), which DuckDB reads without it.
          const text = (c: { type: string }, i: number) =>
            c.type === 'TIMESTAMPTZ' ? `regexp_replace(c${i}, ' ([+-]\\d\\d(:?\\d\\d)?)$', '\\1')` : `c${i}`;
          // A column whose values do not all read as its type stays text: a value is never lost to NULL.
          const reads = columns.map((c, i) =>
            c.type === 'VARCHAR'
              ? 'true'
              : `bool_and(c${i} IS NULL OR TRY_CAST(${text(c, i)} AS ${c.type}) IS NOT NULL)`,
          );
          const fits = reads.length
            ? (await conn.runAndReadAll(`SELECT ${reads.join(', ')} FROM ${staging}`)).getRows()[0]!
            : [];
          const typed = columns.map((c, i) =>
            fits[i] === false
              ? `c${i} AS ${sqlIdent(c.name)}`
              : `CAST(${text(c, i)} AS ${c.type}) AS ${sqlIdent(c.name)}`,
          );
          await conn.run(
            `CREATE TEMPORARY TABLE ${table} AS SELECT ${typed.join(', ') || 'NULL AS "?"'} FROM ${staging}`,
          );
          await conn.run(`DROP TABLE ${staging}`);
          const first = await conn.runAndReadAll(`SELECT * FROM ${table} LIMIT ${pageSize}`);
          const described = withMeanings(describeColumns(first.columnNames(), first.columnTypes()), kindOf, addsUp);
          this.results.set(id, { purpose: 'query', conn, table, columns: described, rowCount: rows.length });
          const page = first.getRows().map((r) => encodeCells(r, first.columnTypes()));
          return { resultId: id, columns: described, rows: page, offset: 0, rowCount: rows.length };
        } catch (err) {
          await conn.run(`DROP TABLE IF EXISTS ${staging}`).catch(() => undefined);
          await conn.run(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
          throw err;
        }
      });
    } finally {
      this.release(conn);
    }
  }

  async page(
    resultId: string,
    offset: number,
    limit: number,
    sort?: readonly { column: string; descending: boolean }[],
    work?: FollowUp,
  ): Promise<ResultPage> {
    const result = this.kept(resultId);
    // Most recently used results are the last to be dropped.
    this.results.delete(resultId);
    this.results.set(resultId, result);
    const sql = `SELECT * FROM ${result.table}${orderBy(result.columns, sort)} LIMIT ${limit} OFFSET ${offset}`;
    const reader = await this.inLaneOf(work, result.conn, () => result.conn.runAndReadAll(sql));
    const types = reader.columnTypes();
    return {
      resultId,
      columns: result.columns,
      rows: reader.getRows().map((r) => encodeCells(r, types)),
      offset,
      rowCount: result.rowCount,
    };
  }

  /**
   * Rows of SQL of our own (records matched and scanned for `query.stats`, the records histogram), from SQL
   * the compiler wrote: read on a pooled connection with the VPC ranges it needs, in a read-only
   * transaction, as DuckDB's values (BIGINT a bigint).
   */
  async readOwn(sql: string, work?: FollowUp): Promise<unknown[][]> {
    const vpcCidrs = usesVpcRanges(sql) ? (await vpcRangesOf(this.workspace).current()).cidrs : undefined;
    const conn = await this.acquire(vpcCidrs, work);
    try {
      return await this.inLaneOf(work, conn, async () => {
        if (vpcCidrs && this.rangesOn.get(conn) !== JSON.stringify(vpcCidrs)) {
          await installVpcRanges(conn, vpcCidrs);
          this.rangesOn.set(conn, JSON.stringify(vpcCidrs));
        }
        let rows: unknown[][] = [];
        await readOnly(conn, async () => {
          // A stop between statements is forgotten by the next one: looked at before the one that counts.
          if (work?.reason) throw new Error('INTERRUPT before it started');
          rows = (await conn.runAndReadAll(sql)).getRows();
        });
        return rows;
      });
    } finally {
      this.release(conn);
    }
  }

  /** One number of our own (see `readOwn`). */
  async count(sql: string, work?: FollowUp): Promise<number> {
    return Number((await this.readOwn(sql, work))[0]?.[0] ?? 0);
  }

  /**
   * DuckDB's own error for `sql` prepared as the analyst wrote it (not as rewritten for the time range), so
   * the position in its message points into their text; null when it prepares. Nothing runs.
   */
  async prepareError(sql: string): Promise<string | null> {
    const conn = await this.acquire(undefined);
    try {
      return await this.inLane(conn, async () => {
        try {
          const extracted = await conn.extractStatements(sql);
          if (extracted.count !== 1) return null;
          (await extracted.prepare(0)).destroySync();
          return null;
        } catch (err) {
          return cleanMessage(err);
        }
      });
    } finally {
      this.release(conn);
    }
  }

  /** A kept result's table and columns, for statements of our own over it (`read`). */
  /** Fails `not_found`, as any read of it would, when the result is no longer kept. */
  requireKept(resultId: string): void {
    this.kept(resultId);
  }

  describe(resultId: string): { table: string; columns: readonly Column[] } {
    const result = this.kept(resultId);
    return { table: result.table, columns: result.columns };
  }

  /** Reads from a kept result with a statement of our own over its table (chart data: `queries/chart/`). */
  async read(resultId: string, sql: string, work?: FollowUp): Promise<{ columns: Column[]; rows: CellValue[][] }> {
    const result = this.kept(resultId);
    const reader = await this.inLaneOf(work, result.conn, () => result.conn.runAndReadAll(sql));
    const types = reader.columnTypes();
    return {
      columns: describeColumns(reader.columnNames(), types),
      rows: reader.getRows().map((r) => encodeCells(r, types)),
    };
  }

  /**
   * Writes a kept result, every row of it, to `path` with DuckDB's COPY; answers the number of rows. Run as
   * `work` (a `followUp`), a cancel interrupts the COPY between chunks of rows.
   */
  async copyResult(
    resultId: string,
    path: string,
    options: string,
    format: ExportFormat,
    sort?: readonly SortKey[],
    work?: FollowUp,
  ): Promise<number> {
    const result = this.kept(resultId);
    const order = orderBy(result.columns, sort);
    const reader = await this.inLaneOf(work, result.conn, async () => {
      const table =
        format === 'parquet' ? await parquetSource(result.conn, result.table, result.columns) : result.table;
      // Sorted before a CSV's text is made safe to open, so the order is the values' own.
      const sorted = order ? `(SELECT * FROM ${table}${order})` : table;
      // Cells as `flowscope query --format csv|json` prints them (times with their zone, NaN as text), then,
      // for a CSV, its text made safe to open.
      const text = format === 'parquet' ? sorted : textSource(sorted, await typesOf(result.conn, table), format);
      const source = format === 'csv' ? csvSource(text, result.columns) : text;
      return result.conn.runAndReadAll(`COPY ${source} TO ${sqlString(path)} (${options})`);
    });
    return Number(reader.getRows()[0]?.[0] ?? 0);
  }

  cancel(queryId: string): boolean {
    const entry = this.running.get(queryId);
    if (!entry) return false;
    this.stop(entry, 'cancelled');
    return true;
  }

  /**
   * Drop every kept result and interrupt what runs (before the workspace closes or is rewritten). Each
   * connection is closed once what is queued on it has ended: closing one under a running statement makes
   * DuckDB abort the process. `closed()` tells when they all are.
   */
  close(): void {
    this.generation++;
    for (const entry of this.running.values()) this.stop(entry, 'cancelled');
    this.results.clear();
    this.addressData.reset();
    const conns = this.pool.splice(0);
    this.closing = Promise.allSettled([
      ...conns.map((conn) => (this.lanes.get(conn) ?? Promise.resolve()).then(() => conn.closeSync())),
      ...this.openings,
    ]);
    this.busy.clear();
    // Whoever waits for a connection looks again: at the empty pool, or at a closed runner that makes none.
    this.wakeWaiting();
  }

  closed(): Promise<unknown> {
    return this.closing;
  }

  /**
   * `close()` for good, before the instance closes: no connection is made after it, so nothing that starts
   * later (a dashboard panel asked again) runs on the instance. Answers `closed()`.
   */
  shutDown(): Promise<unknown> {
    this.isShutDown = true;
    this.close();
    return this.closed();
  }

  /**
   * Refuses what may not run: anything but one SELECT or an EXPLAIN of one, values over the limits. For an
   * EXPLAIN, answers the statement to run instead of the text: DuckDB does not say what an EXPLAIN explains,
   * and EXPLAIN ANALYZE runs it, so the explained statement is read from the text (`readExplain`), checked
   * and prepared alone (it must be a SELECT), and the EXPLAIN written afresh around exactly that text
   * (`explainSql`). The text as given is never run, so no reading of it other than DuckDB's (a comment
   * trick) can explain something unchecked.
   */
  private async checked(conn: DuckDBConnection, sql: string): Promise<string | undefined> {
    const explained = readExplain(sql);
    const statement = explained?.statement ?? sql;
    // Before anything is prepared: preparing folds constant expressions, so it would build the value.
    await this.checkValueLimits(conn, statement);
    const type = await this.preparedType(conn, statement);
    if (type === StatementType.SELECT) return explained ? explainSql(explained) : undefined;
    const name = StatementType[type] ?? String(type);
    throw new FlowscopeError(
      'query_refused',
      explained
        ? `EXPLAIN runs here only on a read-only query (SELECT), since EXPLAIN ANALYZE runs it; this explains a ${name} statement.`
        : `Only read-only queries run here (SELECT, EXPLAIN); this is a ${name} statement.`,
      { statementType: explained ? 'EXPLAIN' : name },
    );
  }

  /** Refuses what would get past the limits on built values and calls (query-limits.ts), read from DuckDB's parse tree. */
  private async checkValueLimits(conn: DuckDBConnection, sql: string): Promise<void> {
    const reader = await conn.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR) AS tree', [sql]);
    const tree = parseTree(String(reader.getRowObjectsJS()[0]!.tree)) as { error?: boolean };
    // A query the serialiser does not cover is held to the plain rule on its text.
    const problem = tree.error
      ? /\bsystem"?\s*\.\s*"?main"?\s*\./i.test(sql)
        ? 'system.main: call functions by their name alone here, so that the limits on the values they build apply.'
        : undefined
      : limitProblem(tree);
    if (problem) throw new FlowscopeError('query_refused', `Refused: ${problem}`);
  }

  /** DuckDB's statement type of `sql`, which must hold exactly one statement. */
  private async preparedType(conn: DuckDBConnection, sql: string): Promise<number> {
    let extracted;
    try {
      extracted = await conn.extractStatements(sql);
    } catch (err) {
      if (isInterrupt(err)) throw err;
      throw new FlowscopeError('query_error', cleanMessage(err));
    }
    if (extracted.count !== 1) {
      throw new FlowscopeError(
        'query_refused',
        `A query must be exactly one statement; this text holds ${extracted.count}.`,
      );
    }
    try {
      const prepared = await extracted.prepare(0);
      const type = prepared.statementType;
      prepared.destroySync();
      return type;
    } catch (err) {
      // Stopped while it was being checked: run() names the stop (a timeout is not a cancel).
      if (isInterrupt(err)) throw err;
      throw this.explain(err, null, 0);
    }
  }

  /**
   * A connection that runs nothing now, with the enrichment macros on it. Putting them on costs far more
   * than a small query (about 0.2 s), so connections are pooled and hold the results made on them. A new
   * one gets the VPC ranges the query needs, or the default ones until a query needs the current ranges.
   * With MAX_CONNECTIONS busy it waits for one to be released; a query (`entry`) stopped meanwhile gives up.
   */
  private async acquire(vpcCidrs: readonly string[] | undefined, entry?: RunningQuery): Promise<DuckDBConnection> {
    for (;;) {
      const free = this.pool.find((c) => !this.busy.has(c));
      if (free) {
        this.busy.add(free);
        return free;
      }
      if (this.pool.length + this.opening < MAX_CONNECTIONS) break;
      const woken = new Promise<void>((wake) => this.waiting.push(wake));
      await (entry ? Promise.race([woken, entry.stopped]) : woken);
      if (entry?.reason) throw new Error('INTERRUPT before the query started');
    }
    this.opening++;
    const opening = this.openConnection(vpcCidrs);
    this.openings.add(opening);
    const forget = () => this.openings.delete(opening);
    opening.then(forget, forget);
    try {
      const conn = await opening;
      this.pool.push(conn);
      this.busy.add(conn);
      return conn;
    } catch (err) {
      this.wakeWaiting();
      throw err;
    } finally {
      this.opening--;
    }
  }

  /**
   * A new connection with the macros on it. One begun before a `close()` belongs to what that close let go
   * (the instance compaction replaces, the engine closing): it is closed as soon as it is made and its query
   * stopped, so that no statement runs on it unawaited when the instance closes.
   */
  private async openConnection(vpcCidrs: readonly string[] | undefined): Promise<DuckDBConnection> {
    if (this.isShutDown) throw new FlowscopeError('cancelled', 'The workspace is closing.');
    const generation = this.generation;
    const conn = await this.workspace.connect();
    try {
      await installEnrichment(conn, vpcCidrs ? { vpcCidrs } : {});
      await installValueLimits(conn);
    } catch (err) {
      conn.closeSync();
      throw err;
    }
    if (generation !== this.generation) {
      conn.closeSync();
      throw new Error('INTERRUPT: the connection was closed as it was made');
    }
    if (vpcCidrs) this.rangesOn.set(conn, JSON.stringify(vpcCidrs));
    return conn;
  }

  /** A connection is free again (or gone). */
  private release(conn: DuckDBConnection): void {
    this.busy.delete(conn);
    this.wakeWaiting();
  }

  /** Every query waiting for a connection looks again. */
  private wakeWaiting(): void {
    for (const wake of this.waiting.splice(0)) wake();
  }

  /**
   * Runs `fn` when everything queued before it on `conn` is done: a DuckDB connection must not run two
   * statements at once (a page of one result while another query runs on its connection, a drop).
   */
  private inLane<T>(conn: DuckDBConnection, fn: () => Promise<T>): Promise<T> {
    const next = (this.lanes.get(conn) ?? Promise.resolve()).then(fn, fn);
    this.lanes.set(
      conn,
      next.catch(() => undefined),
    );
    return next;
  }

  /**
   * A kept result, or `not_found` in words for the analyst: the id is internal, and a result is gone because
   * newer ones of other tabs took its place (`KEEP_RESULTS`).
   */
  private kept(resultId: string): StoredResult {
    const result = this.results.get(resultId);
    if (!result)
      throw new FlowscopeError(
        'not_found',
        'This result is no longer kept (only the latest results are); run the query again.',
      );
    return result;
  }

  /** Makes room for one more result of `purpose` by dropping that purpose's least recently used ones. */
  private dropOldest(purpose: ResultPurpose): void {
    const same = [...this.results].filter(([, r]) => r.purpose === purpose);
    for (const [oldest, old] of same.slice(0, Math.max(0, same.length - KEEP_RESULTS[purpose] + 1))) {
      this.results.delete(oldest);
      // Not awaited: the connection may be running another query, and the drop can wait its turn.
      this.inLane(old.conn, () => old.conn.run(`DROP TABLE IF EXISTS ${old.table}`)).catch(() => undefined);
    }
  }

  private explain(err: unknown, reason: StopReason | null, timeoutMs: number): FlowscopeError {
    if (err instanceof FlowscopeError) return err;
    const message = cleanMessage(err);
    if (reason === 'timeout')
      return new FlowscopeError(
        'query_timeout',
        `The query ran longer than ${formatDuration(timeoutMs)} and was stopped.`,
      );
    // A limit on text says so through a failed cast (query-limits.ts: error() would keep it out of TRY).
    const limited =
      /^[\w ]*Error: Could not convert string '(.* would build a value larger than .*?)' to INT32/s.exec(message) ??
      /^[\w ]*Error: (.* would build a value larger than .*)$/s.exec(message);
    if (limited) return new FlowscopeError('query_refused', `Refused: ${limited[1]}`);
    if (reason === 'memory' || /^Out of Memory Error/i.test(message)) {
      const gib = (this.workspace.memoryLimit / 1024 ** 3).toFixed(1);
      return new FlowscopeError(
        'query_error',
        `The query needed more memory than this workspace allows (DuckDB's limit is ${gib} GiB) and was stopped. ` +
          'Narrow it: a shorter time range, fewer groups or a LIMIT.',
        { limit: 'memory' },
      );
    }
    if (reason === 'cancelled' || isInterrupt(err)) return new FlowscopeError('cancelled', 'The query was cancelled.');
    if (
      /Permission Error|disabled by configuration|external access|Extension Autoloading|read-only mode/i.test(message)
    ) {
      return new FlowscopeError('query_refused', `Refused: queries can only read this workspace. (${message})`);
    }
    return new FlowscopeError('query_error', message);
  }
}

function isInterrupt(err: unknown): boolean {
  return /^INTERRUPT/i.test(cleanMessage(err));
}

/**
 * Runs `fn` in a READ ONLY transaction on `conn`, committed when it succeeds (only temporary tables can have
 * changed) and rolled back when it fails.
 */
export async function readOnly(conn: DuckDBConnection, fn: () => Promise<void>): Promise<void> {
  await conn.run('BEGIN TRANSACTION READ ONLY');
  try {
    await fn();
    await conn.run('COMMIT');
  } catch (err) {
    // An interrupt (a cancel, the timeout) that lands between two statements stops the next one, which may be
    // the COMMIT or this ROLLBACK: the second ROLLBACK runs uninterrupted, so that the connection never goes
    // back to the pool inside an aborted transaction (the next query on it failed with "Current transaction
    // is aborted").
    await conn.run('ROLLBACK').catch(() => conn.run('ROLLBACK').catch(() => undefined));
    throw err;
  }
}

/**
 * A transposed result: the query's own result is kept first (its rows in order), its distinct column
 * values read with their totals, and the reshaped table made from it with one column per value, biggest first.
 */
async function materialiseTransposed(
  conn: DuckDBConnection,
  table: string,
  query: string,
  spec: TransposeSpec,
): Promise<void> {
  const base = `${table}_rows`;
  await conn.run(`CREATE TEMPORARY TABLE ${base} AS ${query}`);
  try {
    const values = (await conn.runAndReadAll(transposeValuesSql(spec, base)))
      .getRows()
      .map((r) => ({ key: String(r[0]), total: r[1] === null ? null : Number(r[1]) }));
    const keys = transposeKeyOrder(values);
    await conn.run(`CREATE TEMPORARY TABLE ${table} AS ${transposeSql(spec, base, keys)}`);
  } finally {
    await conn.run(`DROP TABLE IF EXISTS ${base}`);
  }
}

async function materialiseExplain(conn: DuckDBConnection, table: string, sql: string): Promise<void> {
  const reader = await conn.runAndReadAll(sql);
  const names = reader.columnNames();
  await conn.run(`CREATE TEMPORARY TABLE ${table} (${names.map((n) => `${sqlIdent(n)} VARCHAR`).join(', ')})`);
  const placeholders = names.map((_, i) => `$${i + 1}`).join(', ');
  for (const row of reader.getRows())
    await conn.run(
      `INSERT INTO ${table} VALUES (${placeholders})`,
      row.map((v) => (v === null ? null : String(v))),
    );
}

function cleanMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.trim();
}

function formatDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} minute${ms === 60_000 ? '' : 's'}`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
  return `${ms} ms`;
}

/**
 * ` ORDER BY …` for a kept result in the order the table shows (a clicked column), or nothing: a page and an
 * export of it read the same order.
 */
function orderBy(columns: readonly Column[], sort: readonly SortKey[] | undefined): string {
  const order = (sort ?? []).map((k) => {
    const column = columns.find((c) => c.name === k.column);
    if (!column) throw new FlowscopeError('bad_request', `The result has no column ${k.column}.`);
    const direction = `${k.descending ? 'DESC' : 'ASC'} NULLS LAST`;
    // Sumo and Insights show a port or byte count as logged, a text that may be `-`: sorted as numbers.
    const name = sqlIdent(k.column);
    return readsAsNumbers(column) && !isNumericType(column.type)
      ? `TRY_CAST(${name} AS DOUBLE) ${direction}, ${name} ${direction}`
      : `${name} ${direction}`;
  });
  return order.length ? ` ORDER BY ${order.join(', ')}` : '';
}
