/**
 * Export of a whole result to CSV, Parquet or JSON: DuckDB streams it with `COPY (…) TO` into the workspace's
 * export folder — the only place the locked-down instance may write — and the file is then moved where the
 * analyst chose (a save-dialog target in Electron) or kept for one download (the browser). What is exported
 * is a result the query engine already ran (compiled, guarded, kept): export never runs query text of its own.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ExportFormat } from '../../../preload/contract';
import { FlowscopeError } from '../errors';
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

/** Runs DuckDB's `COPY … TO '<path>' (<options>)` for the rows being exported; answers the rows written. */
export type CopyTo = (path: string, copyOptions: string) => Promise<number>;

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
    const rows = await copy(path, COPY_OPTIONS[format]);
    return { path, fileName, rows, bytes: statSync(path).size };
  } catch (err) {
    rmSync(path, { force: true });
    throw err;
  }
}

/** Moves an exported file to where the analyst chose; across file systems by copy and delete. */
export function moveExport(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    copyFileSync(from, to);
    rmSync(from);
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
