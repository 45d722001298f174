/**
 * `ingest.files` as a job: the files and folders behind the handles are imported one by one, with progress
 * (bytes and files done, records, rejected) and cancel between and inside files; the summary lists each
 * file's outcome.
 */
import type { JobSummary } from '../../../preload/contract';
import type { JobContext } from '../jobs';
import type { Workspace } from '../workspace';
import { added, countRejects, importPaths, type ImportOptions, type RejectsByUnit } from './import-file';

export async function importFilesJob(
  ws: Workspace,
  paths: readonly string[],
  options: ImportOptions,
  ctx: JobContext,
): Promise<JobSummary> {
  const result = await importPaths(ws, paths, options, ctx.signal, (p) => ctx.progress(p));
  const rejects: RejectsByUnit = { rejected: 0 };
  for (const f of result.files) countRejects(rejects, f.unit, added(f).rejected);
  return {
    records: result.records,
    ...rejects,
    ...(result.passedOver ? { passedOver: result.passedOver } : {}),
    files: result.files.map((f) => ({
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
