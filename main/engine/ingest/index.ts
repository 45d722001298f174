/**
 * The import path: every file, S3 object and window of CloudWatch events enters the workspace through here.
 *
 * Entry points (stable; the S3 and CloudWatch pulls call importMany):
 *
 *   importPaths(ws, paths, { logFormat? }, signal?, onProgress?) → Promise<ImportPathsResult>
 *     Files and folders (recursively). Each file is staged, read and committed in its own transaction;
 *     a file that fails is reported with its error and the others go on. Used by `ingest.files` and the CLI.
 *     Small text files (≤ 1 MiB) of one layout go in together, up to 64 MiB of text a transaction (see
 *     small-files.ts); each is still its own import, and a batch that fails is retried file by file.
 *
 *   importMany(ws, items, signal?, onProgress?) → Promise<ImportPathsResult>
 *     The same for files already listed, each with its origin, on disk or already staged (then owned and
 *     removed afterwards): the pulls' downloaded S3 objects and CloudWatch windows.
 *
 *   importFile(ws, path, options, signal?, onBytes?) → Promise<FileOutcome>
 *     One file from anywhere on disk: hashes it, skips it when the same bytes were imported before
 *     (`already-imported`), stages it (hard link, else copy), imports, removes the staged copy.
 *
 *   importStagedFile(ws, stagedPath, origin, signal?, onBytes?) → Promise<FileOutcome>
 *     One file the caller already wrote into `ws.stagingDir`, as importMany does for its staged items. Takes
 *     ownership: the staged file is deleted afterwards, whatever the outcome.
 *     origin = { source: 's3' | 'file' | 'demo', path (s3://bucket/key or file path), etag?, format?, logFormat?,
 *                timeFrom?, timeTo? }  (time bounds in Unix seconds keep only records whose `start` is inside)
 *
 * onBytes(bytesDone) reports progress within a gzip file (how far the file has been read).
 * FileOutcome = { path, importId?, records, rejected, status: 'imported' | 'already-imported' | 'failed', unit?,
 *                 error?, replaced? }  (unit: what its rejects are, lines, log events or Parquet rows; replaced: what
 *                 earlier imports of the same content that kept fewer of its records held; added(outcome) is what
 *                 the outcome added; countRejects adds its rejects to a summary's counts by unit)
 * A failed file leaves the workspace exactly as before it (one transaction per file).
 */
export { added, countRejects, importPaths, importMany, importFile, importStagedFile } from './import-file';
export type {
  BytesListener,
  FileOutcome,
  ImportItem,
  ImportOptions,
  StagedOrigin,
  ImportPathsResult,
  RejectsByUnit,
} from './import-file';
