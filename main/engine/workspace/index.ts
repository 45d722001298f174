/**
 * A workspace: one DuckDB file, locked down, with the Flowscope schema. The only place that opens DuckDB.
 *
 * API (others build on it; keep it small and stable):
 *
 *   Workspace.open(path, { create?, memoryLimit?, threads? }) → Workspace
 *       Refuses with FlowscopeError: 'not_found' (no file and no create), 'workspace_in_use' (another process
 *       has it open), 'workspace_incompatible' (newer Flowscope or DuckDB storage, not a DuckDB file, or
 *       objects Flowscope would not have made — the file is not modified). Older schemas are migrated after a
 *       backup copy into `<file>.flowscope/backups/`. Leftovers in the staging folder are cleared.
 *   ws.path, ws.stagingDir, ws.exportDir      absolute paths; DuckDB may read/write only in the last two
 *   ws.run(sql, params?) → rows changed        a write outside a transaction (takes the writer's turn)
 *   ws.all<T>(sql, params?) → T[]              rows as objects of JS values: BIGINT/HUGEINT as bigint,
 *                                              INTEGER and smaller as number, TIMESTAMP as Date (ms precision),
 *                                              DECIMAL as number, LIST as array, MAP as [{key, value}]
 *   ws.transaction(async (tx) => …)            BEGIN/COMMIT on the writer connection, ROLLBACK if fn throws;
 *                                              writers take turns, so one transaction never interleaves another.
 *                                              tx has run/all plus beginImport, finishImport, summarizeImports,
 *                                              addRejectedLines, setCheckpoint, planContent, replaceImports,
 *                                              mayHoldSize (see ledger.ts). Do not call ws.run inside fn.
 *   ws.findImport({source, path, etag}, range), ws.planContent(hash, range), ws.mayHoldSize(bytes), ws.getImport(id),
 *   ws.removeImport(id) → records removed,
 *   ws.imports(offset, limit), ws.rejected(importId?, offset, limit), ws.info(), ws.compact(),
 *   ws.checkpoint(source, key) → string | null  (pull checkpoints; write them with tx.setCheckpoint)
 *   ws.close()
 *   Params: null, boolean, number, bigint, string, Date (bound as TIMESTAMP in UTC); placeholders $1, $2, ….
 *
 * Inside `main/engine/workspace/` only: `ws.connect()` gives a raw DuckDB connection on the locked-down
 * instance (for the query runner: prepared statements, interrupts, streaming), and encode.ts turns its values
 * into wire cells. Whoever keeps such connections subscribes with `ws.onReplace(fn)` and drops them there:
 * compaction swaps the file and the instance under them.
 */
import {
  DuckDBInstance,
  DuckDBTimestampValue,
  listValue,
  type DuckDBConnection,
  type DuckDBValue,
} from '@duckdb/node-api';
import {
  accessSync,
  constants as fsConstants,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import packageJson from '../../../package.json' with { type: 'json' };
import type { WorkspaceInfo } from '../../../preload/contract';
import { sqlString } from '../../../queries/catalog/sql-quote';
import { FlowscopeError } from '../errors';
import {
  ADDRESS_DATA_KEPT,
  instanceOptions,
  lockdownStatements,
  memoryLimitOf,
  STORAGE_VERSION,
  WRITER_SESSION,
  workspaceDirs,
  type ResourceLimits,
  type WorkspaceDirs,
} from './config';
import { ADDRESS_DATA_SCHEMA } from '../../../queries/catalog/address-data';
import * as ledger from './ledger';
import { MemoryWatch, WRITE_STOP_FACTOR, WriteRanAway } from './memory-watch';
import type {
  ContentPlan,
  HoldingImport,
  ImportRecord,
  ImportSource,
  ImportStart,
  KeptRange,
  RejectedInput,
  SqlParam,
  SqlRunner,
} from './ledger';
import {
  COLUMNS_SQL,
  FOREIGN_OBJECTS_SQL,
  KNOWN_TABLES,
  MAIN_TABLES_SQL,
  MIGRATIONS,
  SCHEMA_VERSION,
  schemaDifferences,
  createTable,
  tablesAt,
  VIEWS_SQL,
  viewsAt,
} from './schema';

export type {
  ContentPlan,
  HoldingImport,
  ImportRecord,
  ImportSource,
  ImportStart,
  KeptRange,
  RejectedInput,
  SqlParam,
  SqlRunner,
} from './ledger';
export { REJECTED_KEEP_PER_FILE, SCHEMA_VERSION } from './schema';
export { WriteRanAway } from './memory-watch';

const FLOWSCOPE_VERSION: string = packageJson.version;

/** Workspace files open in this process (real paths). */
const openHere = new Set<string>();

/** An older workspace is about to be upgraded in place (once). */
export interface UpgradeNotice {
  file: string;
  fromVersion: number;
  toVersion: number;
  /** Whether the upgrade rewrites the records (minutes on a big file) or only adds to the schema (moments). */
  rewrites: boolean;
  /** The file as it was, kept before anything is written. */
  backup: string;
}

export interface OpenOptions extends ResourceLimits {
  create?: boolean;
  /** Told before an older workspace is upgraded, so that a host can say why opening takes a while. */
  onUpgrade?: (notice: UpgradeNotice) => void;
}

function bind(params: readonly SqlParam[] | undefined): DuckDBValue[] | undefined {
  return params?.map((p): DuckDBValue => {
    if (p instanceof Date) return new DuckDBTimestampValue(BigInt(p.getTime()) * 1000n);
    if (typeof p === 'object' && p !== null) return listValue([...p]);
    return p;
  });
}

async function runOn(conn: DuckDBConnection, sql: string, params?: readonly SqlParam[]): Promise<number> {
  const result = await conn.run(sql, bind(params));
  return result.rowsChanged;
}

async function allOn<T>(conn: DuckDBConnection, sql: string, params?: readonly SqlParam[]): Promise<T[]> {
  const reader = await conn.runAndReadAll(sql, bind(params));
  return reader.getRowObjectsJS() as T[];
}

/** An open transaction: everything it does commits together or not at all. */
export class Transaction implements SqlRunner {
  constructor(private readonly conn: DuckDBConnection) {}

  run(sql: string, params?: readonly SqlParam[]): Promise<number> {
    return runOn(this.conn, sql, params);
  }

  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    return allOn<T>(this.conn, sql, params);
  }

  beginImport(start: ImportStart): Promise<number> {
    return ledger.beginImport(this, start);
  }

  finishImport(
    id: number,
    done: { records: number; rejected: number; format?: string; sha256?: string },
  ): Promise<void> {
    return ledger.finishImport(this, id, done);
  }

  /** See ledger.summarizeImports; finishImport does it for its one import. */
  summarizeImports(ids: readonly number[]): Promise<void> {
    return ledger.summarizeImports(this, ids);
  }

  planContent(hash: string, wanted: KeptRange): Promise<ContentPlan> {
    return ledger.planContent(this, hash, wanted);
  }

  /** See ledger.replaceImports. */
  replaceImports(olds: readonly number[], by: number): Promise<{ records: number; rejected: number }> {
    return ledger.replaceImports(this, olds, by);
  }

  /** See ledger.mayHoldSize: inside the transaction, no other writer can commit the same file meanwhile. */
  mayHoldSize(size: number): Promise<boolean> {
    return ledger.mayHoldSize(this, size);
  }

  /** See ledger.importsWithSameRecords. */
  importsWithSameRecords(added: ReadonlyMap<number, number>): Promise<Map<number, HoldingImport>> {
    return ledger.importsWithSameRecords(this, added);
  }

  /** See ledger.dropRecordsHeldBefore: the imports being stored, by id. */
  dropRecordsHeldBefore(ids: readonly number[]): Promise<Map<number, number>> {
    return ledger.dropRecordsHeldBefore(this, ids);
  }

  /** Takes back an import this transaction began (ledger.removeImport). */
  dropImport(id: number): Promise<number> {
    return ledger.removeImport(this, id);
  }

  addRejectedLines(importId: number, path: string, lines: readonly RejectedInput[]): Promise<void> {
    return ledger.addRejectedLines(this, importId, path, lines);
  }

  setCheckpoint(source: string, key: string, value: string): Promise<void> {
    return ledger.setCheckpoint(this, source, key, value);
  }

  /** Stops the statement running on this transaction (it fails, and the transaction rolls back). */
  interrupt(): void {
    this.conn.interrupt();
  }
}

export class Workspace implements SqlRunner {
  readonly stagingDir: string;
  readonly exportDir: string;
  /** Writers take turns through this chain: transactions, writes and compaction. */
  private writerTurn: Promise<unknown> = Promise.resolve();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly replaceListeners = new Set<() => unknown>();
  /** Settles when a compaction in progress has its new instance open. */
  private replacing: Promise<void> = Promise.resolve();
  private closed = false;
  private releaseKey: () => void = () => undefined;
  private writeWatch: MemoryWatch | undefined;

  private constructor(
    readonly path: string,
    private readonly dirs: WorkspaceDirs,
    private readonly limits: ResourceLimits,
    private instance: DuckDBInstance,
    /** Every write runs here, one at a time (see WRITER_SESSION). */
    private writer: DuckDBConnection,
  ) {
    this.stagingDir = dirs.staging;
    this.exportDir = dirs.export;
  }

  static async open(path: string, options: OpenOptions = {}): Promise<Workspace> {
    const file = resolve(path);
    // DuckDB's file lock only keeps other processes out; two instances on one file in this process would
    // corrupt it.
    const key = existsSync(file) ? realpathSync(file) : file;
    if (openHere.has(key))
      throw new FlowscopeError('workspace_in_use', `The workspace ${file} is already open in this Flowscope process.`);
    openHere.add(key);
    try {
      const ws = await Workspace.openChecked(file, options);
      ws.releaseKey = () => openHere.delete(key);
      return ws;
    } catch (err) {
      openHere.delete(key);
      throw err;
    }
  }

  private static async openChecked(file: string, options: OpenOptions): Promise<Workspace> {
    const existed = existsSync(file);
    if (!existed && !options.create)
      throw new FlowscopeError('not_found', `There is no workspace at ${file}.`, { missingWorkspace: file });
    if (existed && !statSync(file).isFile())
      throw new FlowscopeError('workspace_incompatible', `${file} is not a workspace file.`);
    const dirs = workspaceDirs(file);
    assertPlainFolders(dirs);
    // A file we refuse (not a workspace, in use, incompatible) gets no folder beside it; a backup stays.
    let removeFolder = !existsSync(dirs.root);
    try {
      let version = 0;
      if (existed) {
        // Checked read-only first, so that a file we refuse is never written to.
        const { instance: probe } = await openInstance(file, dirs, options, true);
        try {
          version = await inspect(probe, file);
        } finally {
          probe.closeSync();
        }
      }
      try {
        for (const d of [dirs.root, dirs.staging, dirs.export, dirs.temp]) mkdirSync(d, { recursive: true });
      } catch (err) {
        // Node's recursive mkdir says ENOENT on a read-only file system: asked, the folder says what it is.
        throw writable(dirname(file)) ? err : notWritable(file, String(err));
      }
      if (version > 0 && version < SCHEMA_VERSION) {
        const kept = backup(file, dirs, version);
        removeFolder = false;
        const rewrites = MIGRATIONS.some((m) => m.to > version && m.rewrites);
        options.onUpgrade?.({ file, fromVersion: version, toVersion: SCHEMA_VERSION, rewrites, backup: kept });
      }
      const { instance, writer } = await openInstance(file, dirs, options, false);
      const ws = new Workspace(file, dirs, options, instance, writer!);
      try {
        // Only now that this process holds the file's lock.
        clearStaging(dirs);
        clearTemp(dirs);
        if (version < SCHEMA_VERSION) await ws.migrate(version);
        return ws;
      } catch (err) {
        await ws.close();
        throw err;
      }
    } catch (err) {
      if (removeFolder) rmSync(dirs.root, { recursive: true, force: true });
      throw err;
    }
  }

  /** The bytes DuckDB's buffers may use (its memory limit); the query runner keeps the process near it. */
  get memoryLimit(): number {
    return memoryLimitOf(this.limits);
  }

  /** A connection on the locked-down instance; the caller closes it (`closeSync`). Workspace-internal. */
  async connect(): Promise<DuckDBConnection> {
    await this.replacing;
    if (this.closed) throw new FlowscopeError('internal', 'The workspace is closed.');
    return this.instance.connect();
  }

  /**
   * Called when compaction begins, before it checkpoints and closes the instance to swap in the rewritten
   * file: whoever keeps connections (the query runner's pool and kept results) stops what runs on them and
   * drops them, since they would go on reading the old file; compaction waits for the promise the listener
   * answers. New connections wait for the new instance. Answers the function that unsubscribes.
   */
  onReplace(listener: () => unknown): () => void {
    this.replaceListeners.add(listener);
    return () => this.replaceListeners.delete(listener);
  }

  run(sql: string, params?: readonly SqlParam[]): Promise<number> {
    return this.asWriter(() => runOn(this.writer, sql, params));
  }

  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    return this.withConnection((c) => allOn<T>(c, sql, params));
  }

  /**
   * A write that runs away (`watched`, all but a migration's, which stopped would leave the workspace
   * unopenable) is stopped before it takes the machine's memory, with WriteRanAway: DuckDB's CSV reader keeps a
   * rejected-line row for every field too many, each with the line's text, outside its memory limit (200,000
   * lines of 29 fields under a 14-field header grew an import's process to 4.4 GB in 57 s).
   */
  transaction<T>(fn: (tx: Transaction) => Promise<T>, { watched = true } = {}): Promise<T> {
    return this.asWriter(async () => {
      const conn = this.writer;
      await conn.run('BEGIN TRANSACTION');
      let ranAway = false;
      const unwatch = watched
        ? (this.writeWatch ??= new MemoryWatch(this.memoryLimit * WRITE_STOP_FACTOR)).start(() => {
            ranAway = true;
            conn.interrupt();
          })
        : () => undefined;
      try {
        const value = await fn(new Transaction(conn));
        await conn.run('COMMIT');
        return value;
      } catch (err) {
        // Unwatched first: the process stays above the threshold for a while after a write that ran away, and
        // the watch, still interrupting every 50 ms, stopped the ROLLBACK too, which left the connection in an
        // aborted transaction that refused the next import ("Current transaction is aborted").
        unwatch();
        await conn.run('ROLLBACK').catch(() => conn.run('ROLLBACK').catch(() => undefined));
        throw ranAway ? new WriteRanAway(this.memoryLimit * WRITE_STOP_FACTOR) : err;
      } finally {
        unwatch();
      }
    });
  }

  findImport(
    by: { source: ImportSource; path: string; etag: string },
    wanted: KeptRange,
  ): Promise<ImportRecord | null> {
    return ledger.findImport(this, by, wanted);
  }

  planContent(hash: string, wanted: KeptRange): Promise<ContentPlan> {
    return ledger.planContent(this, hash, wanted);
  }

  /** See ledger.planContents. */
  planContents(hashes: readonly string[], wanted: KeptRange): Promise<Map<string, ContentPlan>> {
    return ledger.planContents(this, hashes, wanted);
  }

  getImport(id: number): Promise<ImportRecord | null> {
    return ledger.getImport(this, id);
  }

  mayHoldSize(size: number): Promise<boolean> {
    return ledger.mayHoldSize(this, size);
  }

  async removeImport(id: number): Promise<number> {
    if (!(await this.getImport(id)))
      throw new FlowscopeError('not_found', `There is no import ${id} in this workspace.`);
    return this.transaction((tx) => ledger.removeImport(tx, id));
  }

  imports(offset = 0, limit = 100, newestFirst = false): ReturnType<typeof ledger.listImports> {
    return ledger.listImports(this, offset, limit, newestFirst);
  }

  rejected(importId: number | undefined, offset = 0, limit = 100): ReturnType<typeof ledger.listRejected> {
    return ledger.listRejected(this, importId, offset, limit);
  }

  checkpoint(source: string, key: string): Promise<string | null> {
    return ledger.getCheckpoint(this, source, key);
  }

  async info(): Promise<WorkspaceInfo> {
    const [flows] = await this.all<{ n: bigint; from: Date | null; to: Date | null; newest: Date | null }>(
      'SELECT count(*) AS n, min(start_time) AS "from", max(end_time) AS "to", max(start_time) AS newest FROM flows',
    );
    const [imports] = await this.all<{ n: bigint; rejected: bigint | null }>(
      `SELECT count(*) AS n, sum(rejected)::BIGINT AS rejected FROM imports WHERE status = 'imported'`,
    );
    const storage = await this.storageVersion();
    return {
      path: this.path,
      records: Number(flows!.n),
      rejected: Number(imports!.rejected ?? 0n),
      timeSpan:
        flows!.from && flows!.to && flows!.newest
          ? { from: flows!.from.toISOString(), to: flows!.to.toISOString(), newestStart: flows!.newest.toISOString() }
          : null,
      imports: Number(imports!.n),
      schemaVersion: SCHEMA_VERSION,
      storage: { version: storage, current: storage === `${STORAGE_VERSION}+` },
    };
  }

  /**
   * Rewrites the file to give back the space of removed imports: DuckDB reuses freed blocks but never
   * shrinks a file, so the database is copied into a fresh file that replaces the old one. The copy is in
   * the current storage format, so compacting also upgrades a workspace made in an older one.
   */
  compact(): Promise<{ bytesBefore: number; bytesAfter: number }> {
    return this.asWriter(async () => {
      await Promise.allSettled([...this.inFlight]);
      let replaced!: () => void;
      this.replacing = new Promise((resolve) => (replaced = resolve));
      let bytesBefore: number;
      try {
        // First, since a query still running holds the checkpoint until it ends (minutes, for a long one),
        // and nothing may run on the instance when it closes.
        await Promise.allSettled([...this.replaceListeners].map((listener) => listener()));
        await this.writer.run('CHECKPOINT');
        bytesBefore = statSync(this.path).size;
        this.writer.closeSync();
        this.instance.closeSync();
        const fresh = join(this.dirs.root, `${basename(this.path)}.compact`);
        try {
          await copyDatabase(this.path, fresh);
          renameSync(fresh, this.path);
        } finally {
          rmSync(fresh, { force: true });
          const reopened = await openInstance(this.path, this.dirs, this.limits, false);
          this.instance = reopened.instance;
          this.writer = reopened.writer!;
        }
      } finally {
        replaced();
      }
      return { bytesBefore, bytesAfter: statSync(this.path).size };
    });
  }

  /** The storage format the file is written in (`v1.0.0+`, `v1.5.0+`: see `STORAGE_VERSION`). */
  async storageVersion(): Promise<string> {
    const [row] = await this.all<{ version: string }>(
      `SELECT tags['storage_version'] AS version FROM duckdb_databases() WHERE database_name = current_database()`,
    );
    return row!.version;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.writerTurn.catch(() => undefined);
    await Promise.allSettled([...this.inFlight]);
    this.closed = true;
    this.writer.closeSync();
    this.instance.closeSync();
    this.releaseKey();
  }

  private async migrate(from: number): Promise<void> {
    const pending = MIGRATIONS.filter((m) => m.to > from);
    await this.transaction(
      async (tx) => {
        for (const m of pending) {
          for (const statement of m.statements) await tx.run(statement);
        }
        await tx.run(`DELETE FROM meta WHERE key IN ('schema_version', 'migrated_by')`);
        await tx.run(`INSERT INTO meta VALUES ('schema_version', $1), ('migrated_by', $2)`, [
          String(SCHEMA_VERSION),
          `Flowscope ${FLOWSCOPE_VERSION}`,
        ]);
        if (from === 0) {
          await tx.run(`INSERT INTO meta VALUES ('created_by', $1), ('created_at', $2)`, [
            `Flowscope ${FLOWSCOPE_VERSION}`,
            new Date().toISOString(),
          ]);
        }
      },
      { watched: false },
    );
    await this.run('CHECKPOINT');
    if (from > 0 && pending.some((m) => m.rewrites)) await this.compact();
  }

  private withConnection<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const work = (async () => {
      const conn = await this.connect();
      try {
        return await fn(conn);
      } finally {
        conn.closeSync();
      }
    })();
    this.inFlight.add(work);
    const forget = () => this.inFlight.delete(work);
    work.then(forget, forget);
    return work;
  }

  private asWriter<T>(fn: () => Promise<T>): Promise<T> {
    const turn = this.writerTurn
      .catch(() => undefined)
      .then(fn)
      .finally(() => this.writes++);
    this.writerTurn = turn.catch(() => undefined);
    return turn;
  }

  /**
   * The writes (transactions, writes, compaction) that have ended in this process, the only one that can
   * write the file: what was read of the ledger while it stayed the same is still true.
   */
  get writesEnded(): number {
    return this.writes;
  }

  private writes = 0;
}

/**
 * Copies a database into a fresh file in the current storage format (`STORAGE_VERSION`, whatever the
 * original's), on a private in-memory instance running only these statements.
 */
async function copyDatabase(from: string, to: string): Promise<void> {
  rmSync(to, { force: true });
  const copier = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  try {
    const c = await copier.connect();
    try {
      await c.run(`ATTACH ${sqlString(from)} AS src (READ_ONLY)`);
      await c.run(`ATTACH ${sqlString(to)} AS dst (STORAGE_VERSION ${sqlString(STORAGE_VERSION)})`);
      await c.run('COPY FROM DATABASE src TO dst');
      await c.run('DETACH src');
      await c.run('DETACH dst');
    } finally {
      c.closeSync();
    }
  } finally {
    copier.closeSync();
  }
}

/**
 * The instance, locked down, and (unless read-only) its writer connection: made before the lock, since the
 * lock also freezes per-connection settings.
 */
async function openInstance(
  file: string,
  dirs: WorkspaceDirs,
  limits: ResourceLimits,
  readOnly: boolean,
): Promise<{ instance: DuckDBInstance; writer: DuckDBConnection | null }> {
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(file, {
      ...instanceOptions(dirs, limits),
      ...(readOnly ? { access_mode: 'READ_ONLY' } : {}),
    });
  } catch (err) {
    throw openError(file, err);
  }
  let writer: DuckDBConnection | null = null;
  try {
    if (!readOnly) {
      writer = await instance.connect();
      for (const statement of WRITER_SESSION) await writer.run(statement);
    }
    const conn = await instance.connect();
    try {
      for (const statement of lockdownStatements(dirs)) await conn.run(statement);
      // The address data's tables, empty until a query needs them: in memory, beside the file, never in it.
      if (!readOnly) for (const statement of ADDRESS_DATA_SCHEMA) await conn.run(statement);
    } finally {
      conn.closeSync();
    }
  } catch (err) {
    writer?.closeSync();
    instance.closeSync();
    throw err;
  }
  return { instance, writer };
}

/**
 * A workspace where this process may not write (a read-only disk or share, another user's folder): every
 * command writes to it as it opens (its side folder, pending migrations, the summaries it keeps), so it is
 * opened from a copy.
 */
function notWritable(file: string, cause: string): FlowscopeError {
  return new FlowscopeError(
    'workspace_incompatible',
    `The workspace ${file} is in a place Flowscope cannot write to (a read-only disk or folder), and it writes to ` +
      `a workspace and the folder beside it whenever it opens one. Copy ${basename(file)} and ${basename(file)}.flowscope ` +
      `to a folder you can write to, and open the copy.`,
    { cause },
  );
}

function writable(folder: string): boolean {
  try {
    accessSync(folder, fsConstants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** DuckDB's errors at open, as errors that say what happened to the workspace. */
function openError(file: string, err: unknown): FlowscopeError {
  const message = err instanceof Error ? err.message : String(err);
  if (/Read-only file system|Permission denied/i.test(message)) return notWritable(file, message);
  if (/Could not set lock|Conflicting lock/i.test(message)) {
    // DuckDB names the holder's process id: with it, the analyst can tell which window or server to close.
    const pid = /\(PID (\d+)\)/.exec(message)?.[1];
    const holder = pid ? ` (process id ${pid})` : '';
    return new FlowscopeError(
      'workspace_in_use',
      `The workspace ${file} is in use by another Flowscope process${holder}.`,
      { cause: message },
    );
  }
  if (/version number|newer version|storage version|serialization/i.test(message)) {
    return new FlowscopeError(
      'workspace_incompatible',
      `The workspace ${file} was written by a newer DuckDB than this Flowscope uses; update Flowscope to open it.`,
      { cause: message },
    );
  }
  if (/not a valid DuckDB database|Corrupt database file/i.test(message)) {
    return new FlowscopeError(
      'workspace_incompatible',
      `${file} is not a Flowscope workspace (not a DuckDB database file, or a damaged one).`,
      {
        cause: message,
      },
    );
  }
  return new FlowscopeError('internal', `Could not open the workspace ${file}: ${message}`);
}

/**
 * The schema version of an existing file, after checking that it holds exactly what Flowscope makes: no
 * views, macros, sequences, indexes, types, schemas or other tables (a shared workspace is untrusted).
 * An empty DuckDB file is version 0.
 */
async function inspect(instance: DuckDBInstance, file: string): Promise<number> {
  const conn = await instance.connect();
  try {
    const refuse = (why: string) =>
      new FlowscopeError(
        'workspace_incompatible',
        `The workspace ${file} cannot be opened: ${why}. Flowscope did not create it and leaves it unchanged.`,
      );
    const foreign = await allOn<{ kind: string; name: string }>(conn, FOREIGN_OBJECTS_SQL);
    if (foreign.length) throw refuse(`it contains ${foreign.map((o) => `${o.kind} ${o.name}`).join(', ')}`);
    const tables = (await allOn<{ name: string }>(conn, MAIN_TABLES_SQL)).map((t) => t.name);
    const unknown = tables.filter((t) => !KNOWN_TABLES.has(t));
    if (unknown.length) throw refuse(`it contains ${unknown.map((t) => `table ${t}`).join(', ')}`);
    const version = tables.length === 0 ? 0 : await checkedSchemaVersion(conn, file, tables, refuse);
    // Every version's views must be its own exactly; an empty file (version 0, made a workspace) has none: one
    // could read a file outside.
    const views = await allOn<{ name: string; in_main: boolean; sql: string }>(conn, VIEWS_SQL);
    const expected = await viewStatements(version);
    const foreignViews = views.filter((v) => !v.in_main || expected.get(v.name) !== v.sql);
    if (foreignViews.length) throw refuse(`it contains ${foreignViews.map((v) => `view ${v.name}`).join(', ')}`);
    const missing = [...expected.keys()].filter((name) => !views.some((v) => v.name === name));
    if (missing.length) throw refuse(missing.map((name) => `view ${name} is missing`).join('; '));
    return version;
  } finally {
    conn.closeSync();
  }
}

/** The schema version of a file that has tables, after checking it is one this Flowscope knows and its columns. */
async function checkedSchemaVersion(
  conn: DuckDBConnection,
  file: string,
  tables: readonly string[],
  refuse: (why: string) => FlowscopeError,
): Promise<number> {
  if (!tables.includes('meta')) throw refuse('it has no meta table');
  const meta = await allOn<{ value: string }>(
    conn,
    `SELECT value::VARCHAR AS value FROM meta WHERE key = 'schema_version'`,
  );
  const version = Number(meta[0]?.value);
  if (!Number.isInteger(version) || version < 1) throw refuse('it has no schema version');
  if (version > SCHEMA_VERSION) {
    throw new FlowscopeError(
      'workspace_incompatible',
      `The workspace ${file} was written by a newer Flowscope (schema version ${version}; this Flowscope knows up to ${SCHEMA_VERSION}). Update Flowscope to open it.`,
      { schemaVersion: version },
    );
  }
  const differences = schemaDifferences(
    version,
    await allOn<{ table: string; name: string; type: string; expression: string | null }>(conn, COLUMNS_SQL),
  );
  if (differences.length) throw refuse(differences.join('; '));
  return version;
}

const viewStatementsOf = new Map<number, Promise<Map<string, string>>>();

/**
 * The views of schema `version` as DuckDB keeps them, which is not the text they were made with: DuckDB
 * writes a view's statement out again from its parsed form. Made once per version on a private in-memory
 * instance with that version's tables.
 */
function viewStatements(version: number): Promise<Map<string, string>> {
  let made = viewStatementsOf.get(version);
  if (!made) {
    made = (async () => {
      const views = viewsAt(version);
      if (views.length === 0) return new Map<string, string>();
      const scratch = await DuckDBInstance.create(':memory:', {
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
      });
      try {
        const c = await scratch.connect();
        try {
          for (const statement of tablesAt(version).map(createTable)) await c.run(statement);
          for (const v of views) await c.run(v.sql);
          const kept = await allOn<{ name: string; sql: string }>(c, VIEWS_SQL);
          return new Map(kept.map((v) => [v.name, v.sql]));
        } finally {
          c.closeSync();
        }
      } finally {
        scratch.closeSync();
      }
    })();
    viewStatementsOf.set(version, made);
  }
  return made;
}

function backup(file: string, dirs: WorkspaceDirs, version: number): string {
  mkdirSync(dirs.backups, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const kept = join(dirs.backups, `${basename(file)}.schema-v${version}.${stamp}.bak`);
  copyFileSync(file, kept);
  return kept;
}

/**
 * The folder beside a workspace travels with it when the workspace is shared (copy both, as the error above
 * says), so its parts must be plain folders before anything is made, cleared or read in them. Found by an
 * outside probe: a shared `staging` that linked to `../../victim` had every file there deleted on open
 * (`clearStaging`), and DuckDB would have read and written through it as one of its allowed folders; a
 * linked `export`, `tmp`, `backups` or `lookups` would likewise have had Flowscope write or read elsewhere.
 * `lstat` does not follow a link, so a link (to a folder or not) is not a directory here.
 */
function assertPlainFolders(dirs: WorkspaceDirs): void {
  const parts = [dirs.root, dirs.staging, dirs.export, dirs.temp, dirs.backups, dirs.lookups, dirs.panelCache];
  // The root first: only once it is a plain folder do the paths of its parts mean what they say.
  for (const dir of [...parts, join(dirs.staging, ADDRESS_DATA_KEPT)]) {
    const stats = lstatSync(dir, { throwIfNoEntry: false });
    if (!stats || stats.isDirectory()) continue;
    throw new FlowscopeError(
      'workspace_incompatible',
      `${dir} ${stats.isSymbolicLink() ? 'is a link' : 'is not a folder'}: Flowscope keeps its own files in the ` +
        `folder beside a workspace and clears some of them, so it opens a workspace only when that folder and ` +
        `its parts are plain folders. Move it away (Flowscope makes a new one) and open the workspace again.`,
    );
  }
}

/**
 * DuckDB's spill files only live while a query runs. It names them (`duckdb_temp_storage_DEFAULT-0.tmp`, …)
 * and opens a name through a link found there, so a link planted in a shared workspace's `tmp` folder had the
 * first query that spilled overwrite the file it pointed at (an outside probe). Removed, not followed.
 */
function clearTemp(dirs: WorkspaceDirs): void {
  for (const name of readdirSync(dirs.temp)) rmSync(join(dirs.temp, name), { recursive: true, force: true });
}

/**
 * Staged copies only live during an import; after a crash they are leftovers. The address data kept as
 * Parquet (`address-data.ts`, `ADDRESS_DATA_KEPT`) stays.
 */
function clearStaging(dirs: WorkspaceDirs): void {
  for (const name of readdirSync(dirs.staging))
    if (name !== ADDRESS_DATA_KEPT) rmSync(join(dirs.staging, name), { recursive: true, force: true });
}
