/**
 * A generated workspace for a benchmark, built once and cached under `bench-out/<name>-<records>/`: the gzip'd
 * flow-log file from the deterministic generator, imported through the engine's normal import path.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFlowLogFile } from '../main/engine/ingest/generator';
import { importPaths } from '../main/engine/ingest/import-file';
import { Workspace } from '../main/engine/workspace';
import { STORAGE_VERSION } from '../main/engine/workspace/config';

export async function benchWorkspace(name: string, records: number): Promise<{ gz: string; workspace: string }> {
  const dir = join('bench-out', `${name}-${records}`);
  mkdirSync(dir, { recursive: true });
  const gz = join(dir, `flows-${records}.log.gz`);
  const workspace = join(dir, 'workspace.duckdb');
  if (!existsSync(gz)) {
    process.stderr.write(`generating ${records} records into ${gz} ...\n`);
    await writeFlowLogFile(gz, { records, gzip: true, seed: 7 });
  }
  if (!existsSync(workspace)) {
    process.stderr.write(`importing into ${workspace} ...\n`);
    const t = performance.now();
    const ws = await Workspace.open(workspace, { create: true });
    try {
      const result = await importPaths(ws, [gz], {});
      if (result.records !== records) throw new Error(`imported ${result.records} records of ${records}`);
    } finally {
      await ws.close();
    }
    process.stderr.write(`imported in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  } else await upgradeStorage(workspace);
  return { gz, workspace };
}

/** A workspace cached before the current storage format is compacted into it, so it is measured as a new one. */
async function upgradeStorage(workspace: string): Promise<void> {
  const ws = await Workspace.open(workspace);
  try {
    if ((await ws.storageVersion()).startsWith(STORAGE_VERSION)) return;
    process.stderr.write(`rewriting ${workspace} in the storage format ${STORAGE_VERSION} ...\n`);
    await ws.compact();
  } finally {
    await ws.close();
  }
}
