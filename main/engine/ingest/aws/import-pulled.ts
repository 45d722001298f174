/** A pull's staged downloads into the workspace, shared by the S3 and CloudWatch pulls. */
import type { Workspace } from '../../workspace';
import { importMany, type FileOutcome, type ImportItem } from '../import-file';
import { pullCancelled } from './retry';

/** The staged items' outcomes, in order (importMany); stopped by a cancel, the pull ends as cancelled. */
export async function importPulled(
  ws: Workspace,
  items: readonly ImportItem[],
  signal: AbortSignal,
): Promise<FileOutcome[]> {
  try {
    return (await importMany(ws, items, signal)).files;
  } catch (err) {
    if (signal.aborted) throw pullCancelled();
    throw err;
  }
}
