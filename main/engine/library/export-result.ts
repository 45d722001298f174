/**
 * Export of a whole result to CSV, Parquet or JSON: DuckDB streams it with `COPY (…) TO` into the workspace's
 * export folder — the only place the locked-down instance may write — and the file is then moved where the
 * analyst chose (a save-dialog target in Electron) or kept for one download (the browser). What is exported
 * is a result the query engine already ran (compiled, guarded, kept): export never runs query text of its own.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  createReadStream,
  createWriteStream,
  existsSync,
  openSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ExportFormat } from '../../../preload/contract';
import { FlowscopeError } from '../errors';
import { workspaceDirs } from '../workspace/config';
import { slugify } from './names';

const COPY_OPTIONS: Record<ExportFormat, string> = {
  csv: 'FORMAT csv, HEADER true',
  parquet: 'FORMAT parquet, COMPRESSION zstd',
  // One JSON array of row objects: what `flowscope query --format json` prints too.
  json: 'FORMAT json, ARRAY true',
};

export interface ExportedResult {
  path: string;
  fileName: string;
  rows: number;
  bytes: number;
}

/**
 * Runs DuckDB's `COPY … TO '<path>' (<options>)` for the rows being exported; answers the rows written. The
 * format is given too, for what a format cannot hold as it is (Parquet has no 128-bit integers).
 */
export type CopyTo = (path: string, copyOptions: string, format: ExportFormat) => Promise<number>;

/** Writes the rows into the workspace's export folder; the caller moves or serves the file. */
export async function copyToExportFolder(
  exportDir: string,
  copy: CopyTo,
  format: ExportFormat,
  name = 'result',
): Promise<ExportedResult> {
  const fileName = `${slugify(name)}.${format}`;
  const path = join(exportDir, `${randomBytes(6).toString('hex')}-${fileName}`);
  try {
    const rows = await copy(path, COPY_OPTIONS[format], format);
    if (format === 'csv') await startWithBom(path);
    return { path, fileName, rows, bytes: statSync(path).size };
  } catch (err) {
    rmSync(path, { force: true });
    throw err;
  }
}

const UTF8_BOM = '\uFEFF';

/**
 * Puts UTF-8's byte order mark in front of a CSV file: without it Excel reads a CSV it opens as the system's
 * ANSI code page, and an accented name or a non-Latin one is shown garbled. DuckDB's COPY cannot write it
 * before a header line, so the file is written once more behind it (1.5 s for 600 MB on a busy 2-core machine). Readers of
 * CSV (DuckDB, pandas, Flowscope's own import) take the mark as what it is.
 */
async function startWithBom(path: string): Promise<void> {
  const withBom = `${path}.bom`;
  try {
    const out = createWriteStream(withBom);
    out.write(UTF8_BOM);
    await pipeline(createReadStream(path), out);
    renameSync(withBom, path);
  } finally {
    rmSync(withBom, { force: true });
  }
}

/** A path as the file system names it: its folder's real path (links followed) and its own name. */
function realTarget(path: string): string {
  const absolute = resolve(path);
  for (const real of [() => realpathSync(absolute), () => join(realpathSync(dirname(absolute)), basename(absolute))]) {
    try {
      return real();
    } catch {
      // not there (yet): try its folder, else take the path as written
    }
  }
  return absolute;
}

/** True when the file starts like a DuckDB database: 8 bytes, then `DUCK`. */
function isDuckDbFile(path: string): boolean {
  const head = Buffer.alloc(12);
  const fd = openSync(path, 'r');
  try {
    return readSync(fd, head, 0, 12, 0) === 12 && head.toString('latin1', 8, 12) === 'DUCK';
  } finally {
    closeSync(fd);
  }
}

/**
 * Refuses, before anything is written, an export target that cannot take the file or must not be replaced: a
 * folder, a path whose folder does not exist, the workspace itself, its write-ahead log or anything in its side
 * folder, and any other DuckDB database (another workspace). Moving the export there would replace the file,
 * and a typo in `--output` (or a click in a save dialog) would lose a workspace's records.
 */
export function checkExportTarget(target: string, workspaceFile: string): void {
  const absolute = resolve(target);
  if (!existsSync(dirname(absolute)))
    throw new FlowscopeError(
      'bad_request',
      `Cannot export to ${absolute}: the folder ${dirname(absolute)} does not exist.`,
    );
  if (existsSync(absolute) && statSync(absolute).isDirectory())
    throw new FlowscopeError('bad_request', `Cannot export to ${absolute}: it is a folder; name a file in it.`);
  const real = realTarget(absolute);
  const ws = realTarget(workspaceFile);
  const inside = (folder: string) => {
    const rel = relative(folder, real);
    return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep));
  };
  if (real === ws || real === `${ws}.wal` || inside(workspaceDirs(ws).root))
    throw new FlowscopeError(
      'bad_request',
      `Cannot export to ${absolute}: that is the workspace ${ws} or its own files; name another file.`,
    );
  if (existsSync(real) && isDuckDbFile(real))
    throw new FlowscopeError(
      'bad_request',
      `Cannot export to ${absolute}: it is a DuckDB database (a workspace?), which the export would replace; name another file.`,
    );
}

/**
 * Moves an exported file to where the analyst chose; across file systems by copy and delete. Whatever goes
 * wrong, the exported file does not stay behind in the export folder (a result can be gigabytes).
 */
export function moveExport(from: string, to: string): void {
  try {
    try {
      renameSync(from, to);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      copyFileSync(from, to);
    }
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new FlowscopeError('bad_request', `Could not write the export to ${to} (${reason}).`);
  } finally {
    rmSync(from, { force: true });
  }
}

/** Exported files waiting for the browser to fetch them, each once. */
export class Downloads {
  private readonly files = new Map<string, { path: string; fileName: string }>();

  add(path: string, fileName: string): string {
    const id = randomBytes(16).toString('hex');
    this.files.set(id, { path, fileName });
    return id;
  }

  /** The file for a download id, forgotten at once: the caller streams it and then calls `done`. */
  take(id: string): { path: string; fileName: string; done: () => void } {
    const file = this.files.get(id);
    if (!file || !existsSync(file.path))
      throw new FlowscopeError('not_found', 'That export is no longer available; export again.');
    this.files.delete(id);
    return { ...file, done: () => rmSync(file.path, { force: true }) };
  }

  /** Exports nobody fetched are removed with the engine. */
  clear(): void {
    for (const { path } of this.files.values()) rmSync(path, { force: true });
    this.files.clear();
  }
}
