/**
 * How a workspace's DuckDB instance is configured and locked down. Every setting here is fixed when the
 * instance opens and holds for every connection on it; nothing depends on the text of a query.
 */
import { availableParallelism, totalmem } from 'node:os';
import { statfsSync } from 'node:fs';
import { sqlString } from '../../../queries/catalog/sql-quote';

const GiB = 1024 ** 3;

export interface WorkspaceDirs {
  /** `<file>.flowscope/`: everything Flowscope keeps next to the workspace file. */
  root: string;
  /** Import copies (or hard-links) each file here and reads it from here. */
  staging: string;
  /** Export writes here first, then moves the file where the user chose. */
  export: string;
  /** DuckDB spills here when a query needs more than its memory limit. */
  temp: string;
  /** A copy of the file is kept here before migrations change it. */
  backups: string;
  /** Lookup tables the analyst imported (CSV), the threat list among them (`lookup-tables.ts`). */
  lookups: string;
  /** Dashboard panels' answers, kept for the next session (`library/panel-runner.ts`). */
  panelCache: string;
}

/** The staging folder's one lasting entry: the address data kept as Parquet (`address-data.ts`). */
export const ADDRESS_DATA_KEPT = 'address-data';

export function workspaceDirs(file: string): WorkspaceDirs {
  const root = `${file}.flowscope`;
  return {
    root,
    staging: `${root}/staging`,
    export: `${root}/export`,
    temp: `${root}/tmp`,
    backups: `${root}/backups`,
    lookups: `${root}/lookups`,
    panelCache: `${root}/panel-cache`,
  };
}

/**
 * The storage format a workspace file is written in (DuckDB's `storage_compatibility_version`). DuckDB writes
 * the format of v1.0 unless told, for older readers; the newer one stores text columns as dictionaries that
 * the hash aggregate reads as such (DICT_FSST), so a GROUP BY an address or `action` hashes each distinct
 * text once per vector instead of every record's: over 10 M records, the top sources by bytes took 390 ms of
 * CPU in the old format and 67 ms in this one (top ports, on an integer, 80 ms). Only new files and the copy
 * `Workspace.compact` writes are in it: an older workspace is upgraded by compacting it. Such a file needs
 * DuckDB 1.5 to read, which only Flowscope (or a DuckDB as new) opens.
 */
export const STORAGE_VERSION = 'v1.5.0';

export interface ResourceLimits {
  /** Bytes DuckDB may use for its buffers; the rest of the desktop keeps the remainder. */
  memoryLimit?: number;
  threads?: number;
}

/**
 * Options DuckDB takes at creation. `allowed_directories` cannot be given here (the C API refuses list
 * values), so it and the lock are applied by `lockdownStatements` on the first connection, before any other
 * statement runs.
 */
export function instanceOptions(dirs: WorkspaceDirs, limits: ResourceLimits = {}): Record<string, string> {
  return {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    allow_community_extensions: 'false',
    memory_limit: `${Math.floor(memoryLimitOf(limits) / 1024 ** 2)}MB`,
    threads: String(limits.threads ?? availableParallelism()),
    temp_directory: dirs.temp,
    max_temp_directory_size: `${Math.floor(tempSpaceLimit(dirs.root) / 1024 ** 2)}MB`,
    // A GROUP BY a port (16 bits) gets DuckDB's perfect hash aggregate (an array indexed by the value)
    // instead of a hash table; its default, 12 bits, stops at 4,096 values. Top ports over 10 M records took
    // 80 ms of CPU with the hash table and 48 ms with the array (an array of 65,536 states is small).
    perfect_ht_threshold: '16',
    // An address lookup (address-data.ts) is an ASOF join of the distinct addresses with the ranges. DuckDB
    // runs an ASOF join whose left side it expects to be small (64 rows by default) as a nested loop, and
    // through the flows view it expected one row where there were 820,000: the lookup ran for minutes
    // instead of 0.1 s. A sort-merge on a handful of rows costs next to nothing.
    asof_loop_join_threshold: '0',
    storage_compatibility_version: STORAGE_VERSION,
  };
}

/**
 * The writer connection's own settings, made before the lock. It does not keep insertion order: DuckDB can
 * then read a file and write its records on every thread instead of one (an import of 2 M records took
 * about 30% less time). Nothing it writes depends on row order; the records of a parallel chunk still land
 * together, so row groups stay time-local. Every other connection keeps the order (a materialised result
 * pages in the order its query sorted).
 */
export const WRITER_SESSION: readonly string[] = ['SET SESSION preserve_insertion_order = false'];

/** Run in this order: the allowed list can only be set while external access is still on. */
export function lockdownStatements(dirs: WorkspaceDirs): string[] {
  const allowed = [dirs.staging, dirs.export].map((d) => sqlString(`${d}/`)).join(', ');
  return [
    // The records' times are UTC wall clocks (`start_time`): read as the machine's zone where SQL meets a time
    // with a zone (`start_time >= TIMESTAMPTZ '… +00'`, `::TIMESTAMPTZ`, `current_date`), the same query
    // answered differently in Kolkata and New York. Global, for every connection, and locked with the rest.
    "SET GLOBAL TimeZone = 'UTC'",
    `SET allowed_directories = [${allowed}]`,
    'SET enable_external_access = false',
    'SET lock_configuration = true',
  ];
}

/** The bytes DuckDB's buffers may use: as given, else the default below. */
export function memoryLimitOf(limits: ResourceLimits): number {
  return limits.memoryLimit ?? defaultMemoryLimit();
}

/** 40% of the machine's memory, at most 1.5 GiB: enough for interactive queries, which spill beyond it. */
function defaultMemoryLimit(): number {
  const fromEnv = Number(process.env.FLOWSCOPE_MEMORY_LIMIT_MB);
  if (Number.isFinite(fromEnv) && fromEnv > 0) return fromEnv * 1024 ** 2;
  return Math.min(totalmem() * 0.4, 1.5 * GiB);
}

/** Half of the free disk space, at most 20 GiB. */
function tempSpaceLimit(dir: string): number {
  try {
    const s = statfsSync(dir);
    return Math.max(GiB, Math.min(Number(s.bavail) * Number(s.bsize) * 0.5, 20 * GiB));
  } catch {
    return 4 * GiB;
  }
}
