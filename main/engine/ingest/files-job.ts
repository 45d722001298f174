/**
 * `ingest.files` as a job: the files and folders behind the handles are imported one by one, with progress
 * (bytes and files done, records, rejected) and cancel between and inside files; the summary lists each
 * file's outcome.
 */
import type { JobSummary } from '../../../preload/contract';
import type { JobContext } from '../jobs';
import type { Workspace } from '../workspace';
import { importPaths, type ImportOptions } from './import-file';

export async function importFilesJob(
  ws: Workspace,
  paths: readonly string[],
  options: ImportOptions,
  ctx: JobContext,
): Promise<JobSummary> {
  const { files, ...counts } = await importPaths(ws, paths, options, ctx.signal, (p) => ctx.progress(p));
  return {
    ...counts,
    files: files.map((f) => ({
      path: f.path,
      records: f.records,
      rejected: f.rejected,
      status: f.status,
      ...(f.error !== undefined ? { error: f.error } : {}),
      ...(f.importId !== undefined ? { importId: f.importId } : {}),
      ...(f.controlMessages ? { controlMessages: f.controlMessages } : {}),
      ...(f.sameRecordsAs ? { sameRecordsAs: f.sameRecordsAs } : {}),
      ...(f.heldBefore ? { heldBefore: f.heldBefore } : {}),
    })),
  };
}
