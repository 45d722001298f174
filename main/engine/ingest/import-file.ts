/**
 * Importing one file, a set of files and folders, or a batch of CloudWatch events: each file is staged,
 * recognised, and read into the workspace in one transaction, so a file that fails (or a process killed in
 * the middle of it) leaves the workspace exactly as before that file. See index.ts for the entry points.
 */
import { readFile, readdir, realpath, stat, writeFile } from 'node:fs/promises';
import { basename, join, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { WorkProgress } from '../../../preload/contract';
import { rejectUnit, type RejectUnit } from '../../../preload/contract/rejects';
import { FlowscopeError } from '../errors';
import {
  REJECTED_KEEP_PER_FILE,
  WriteRanAway,
  type ContentPlan,
  type ImportSource,
  type Transaction,
  type Workspace,
} from '../workspace';
import { contentKey, s3DeliveryName } from '../workspace/ledger';
import { eventsToText, parseCloudWatchExport, type CloudWatchEvent } from './cloudwatch-json';
import {
  clearRejectsSql,
  createImpossibleTableSql,
  deleteImpossibleSql,
  headerLinesSql,
  impossibleCountsSql,
  keepRejectedLinesSql,
  overlongLinesSql,
  parquetColumnsSql,
  parquetImpossibleSql,
  parquetInsertSql,
  parquetRefusal,
  type ParquetColumn,
  readerRejectsSql,
  textImpossibleSql,
  textInsertSql,
  keptRange,
  timeBounds,
  type StagedText,
  type TextReading,
  type TimeBounds,
} from './flows-sql';
import { isOtherAwsDelivery } from './aws/s3-layout';
import {
  DEFAULT_LAYOUT,
  layoutRefusal,
  LOG_STREAM_FIELD,
  namesOtherFields,
  parseLogFormat,
  type RecordLayout,
} from './log-format';
import { checkNetworkActivity, ocsfInsertSql, ocsfLeaves } from './ocsf';
import { sniffFile, type FileKind } from './sniff';
import { decodeLambdaEvents, planSubscription, STAGED_EVENTS } from './subscription';
import {
  batchFull,
  batchKey,
  importSmallBatch,
  PREPARE_AHEAD,
  preparedAhead,
  prepareSmallFile,
  SMALL_FILE_BYTES,
  type SmallText,
} from './small-files';
import { cancelled, hashFile, stageFile, stagingName, unstage, verifyGzip } from './stage';

export interface ImportOptions {
  /** An AWS log format string (`${version} ${srcaddr} …`) for headerless text. */
  logFormat?: string;
  /** `demo`: generated files, recorded in the ledger by file name as `demo/<name>`, not by their temporary path. */
  source?: 'file' | 'demo';
}

/** How the ledger and messages know a file the user (or the demo) handed over. */
function fileOrigin(path: string, options: ImportOptions): StagedOrigin {
  return {
    source: options.source ?? 'file',
    path: options.source === 'demo' ? `demo/${basename(path)}` : path,
    ...(options.logFormat ? { logFormat: options.logFormat } : {}),
    ...deliveryIdentity(path),
  };
}

/** An S3 delivery's name as its content's identity: another delivery's equal bytes are other records. */
export function deliveryIdentity(path: string): { identity?: string } {
  const name = s3DeliveryName(path);
  return name ? { identity: `${name}\0` } : {};
}

export interface StagedOrigin extends TimeBounds {
  source: ImportSource;
  /** What the ledger and messages name: a file path, s3://bucket/key, or `<group>/<stream>@<from>-<to>`. */
  path: string;
  etag?: string;
  /** Skip recognition: the caller knows what the file is. */
  format?: 'text' | 'parquet' | 'cloudwatch-json';
  logFormat?: string;
  /**
   * Hashed before the bytes: what makes equal bytes other records. A CloudWatch window's staged messages do
   * not carry their log group and stream, and two streams (or groups) may hold the same messages.
   */
  identity?: string;
}

export interface FileOutcome {
  path: string;
  importId?: number;
  records: number;
  rejected: number;
  /** Subscription deliveries: CloudWatch's CONTROL_MESSAGE payloads, skipped. */
  controlMessages?: number;
  status: 'imported' | 'already-imported' | 'failed';
  /** What its rejected records are (lines, log events, Parquet rows): set when it was imported. */
  unit?: RejectUnit;
  /** Already imported under other bytes (a gzip'd copy, other line ends): where the same records came from. */
  sameRecordsAs?: string;
  /** Records that earlier imports already held, stored once (ledger.dropRecordsHeldBefore). */
  heldBefore?: number;
  error?: string;
  /** What the imports of the same content it took the place of held (they kept fewer of its records). */
  replaced?: { records: number; rejected: number };
}

/** The rejected records of a job's imports by what they are: of `rejected`, log events and Parquet rows. */
export interface RejectsByUnit {
  rejected: number;
  rejectedEvents?: number;
  rejectedRows?: number;
}

/** Counts `n` rejected records of an import whose rejects are `unit` (absent: lines) into `into`. */
export function countRejects(into: RejectsByUnit, unit: RejectUnit | undefined, n: number): void {
  into.rejected += n;
  if (unit === 'event') into.rejectedEvents = (into.rejectedEvents ?? 0) + n;
  else if (unit === 'row') into.rejectedRows = (into.rejectedRows ?? 0) + n;
}

/** The records and rejected lines an outcome added to the workspace. */
export function added(outcome: FileOutcome): { records: number; rejected: number } {
  if (outcome.status !== 'imported') return { records: 0, rejected: 0 };
  return {
    records: outcome.records - (outcome.replaced?.records ?? 0),
    rejected: outcome.rejected - (outcome.replaced?.rejected ?? 0),
  };
}

export interface ImportPathsResult extends RejectsByUnit {
  files: FileOutcome[];
  /**
   * Files in the folders given that are other AWS deliveries (CloudTrail, Config, JSON under AWSLogs), empty,
   * or downloads `aws s3 sync` has not finished.
   */
  passedOver?: number;
  /** What this run added: records, and rejected records by what they are. */
  records: number;
}

export type ProgressListener = (p: WorkProgress) => void;

export async function importPaths(
  ws: Workspace,
  paths: readonly string[],
  options: ImportOptions,
  signal?: AbortSignal,
  onProgress?: ProgressListener,
): Promise<ImportPathsResult> {
  const refused: FileOutcome[] = [];
  const todo: ImportItem[] = [];
  let passedOver = 0;
  for (const p of paths) {
    try {
      const found = await expand(p);
      todo.push(...found.files.map((f) => ({ ...f, origin: fileOrigin(f.path, options), staged: false })));
      refused.push(...found.refused);
      passedOver += found.passedOver;
    } catch (err) {
      refused.push(failed(p, err));
    }
  }
  const result = await importMany(ws, todo, signal, onProgress);
  return { ...result, files: [...refused, ...result.files], ...(passedOver ? { passedOver } : {}) };
}

/** A file to import: one anywhere on disk, or one already in the staging folder (`staged`, then owned). */
export interface ImportItem {
  path: string;
  size: number;
  origin: StagedOrigin;
  staged: boolean;
}

/**
 * Files imported in order, each its own import; small text files of one layout and origin go in together
 * (small-files.ts), read while the batch before them is written. Answers their outcomes in order. A staged
 * file is gone afterwards, whatever its outcome.
 */
export async function importMany(
  ws: Workspace,
  todo: readonly ImportItem[],
  signal?: AbortSignal,
  onProgress?: ProgressListener,
): Promise<ImportPathsResult> {
  const files: FileOutcome[] = [];
  const progress: WorkProgress = {
    current: '',
    bytesDone: 0,
    bytesTotal: todo.reduce((s, f) => s + f.size, 0),
    itemsDone: 0,
    itemsTotal: todo.length,
    records: 0,
    rejected: 0,
  };
  const rejects: RejectsByUnit = { rejected: 0 };
  const done = (outcome: FileOutcome, size: number) => {
    files.push(outcome);
    progress.itemsDone += 1;
    progress.bytesDone += size;
    progress.records += added(outcome).records;
    countRejects(rejects, outcome.unit, added(outcome).rejected);
    progress.rejected = rejects.rejected;
  };
  let batch: SmallText[] = [];
  let batchBytes = 0;
  // A batch is imported while the files after it are read and recognised, one batch at a time, in order.
  let importing: Promise<void> = Promise.resolve();
  const flush = async () => {
    await importing;
    if (batch.length === 0) return;
    const together = batch;
    batch = [];
    batchBytes = 0;
    importing = importSmallBatch(
      ws,
      together,
      (tx, staged, kind) => readText(tx, staged, kind, timeBounds(keptRange(together[0]!.origin))),
      (staged, file) => importStagedFile(ws, staged, file.origin, signal),
      signal,
    ).then((outcomes) => {
      outcomes.forEach((o, i) => done(o, together[i]!.size));
      onProgress?.({ ...progress });
    });
    importing.catch(() => undefined);
  };
  const prepared = preparedAhead(todo, PREPARE_AHEAD, (file) =>
    file.size <= SMALL_FILE_BYTES
      ? prepareSmallFile(ws, file.path, file.origin).catch((err: unknown) => failed(file.origin.path, err))
      : Promise.resolve(undefined),
  );
  try {
    for (const [i, file] of todo.entries()) {
      if (signal?.aborted) throw cancelled();
      progress.current = file.origin.path;
      const small = await prepared(i);
      if (small && 'kind' in small) {
        if (batch.length > 0 && (batchKey(batch[0]!) !== batchKey(small) || batchFull(batch.length, batchBytes)))
          await flush();
        batch.push(small);
        batchBytes += small.textBytes;
        continue;
      }
      await flush();
      await importing;
      onProgress?.({ ...progress });
      const base = progress.bytesDone;
      const within = (bytes: number) => {
        progress.bytesDone = base + Math.min(bytes, file.size);
        onProgress?.({ ...progress });
      };
      const outcome = small ?? (await importOne(ws, file, signal, within));
      progress.bytesDone = base;
      if (outcome.status === 'failed' && signal?.aborted) throw cancelled();
      done(outcome, file.size);
      onProgress?.({ ...progress });
    }
    await flush();
    await importing;
  } finally {
    // Nothing of this import may still be writing when it answers (a cancelled one included).
    await importing.catch(() => undefined);
    await Promise.all(todo.filter((f) => f.staged).map((f) => unstage(f.path)));
  }
  return { files, records: progress.records, ...rejects };
}

/** Why a path cannot be read, by the system's error code. */
const UNREADABLE: Record<string, string> = {
  ELOOP: 'too many symbolic links (a link pointing back at itself)',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENAMETOOLONG: 'its name is too long',
  ENOTDIR: 'a part of it is not a folder',
};

/**
 * A file `aws s3 sync` (s3transfer) is still downloading: `<name>.<8 hex digits>`, renamed to `<name>` when
 * whole and removed if the download fails. Its bytes are a part of the object (the rest zeros).
 */
const UNFINISHED_DOWNLOAD = /\.(?:log|gz|parquet|json)\.[0-9A-Fa-f]{8}$/;

/**
 * A file, or every file under a folder (recursively, in name order, dot-files skipped). Inside a folder a
 * link is followed only to a file within that folder (`root`, its real path): a folder made elsewhere must
 * not pull in a file from the rest of the machine (`AWSLogs/x.log -> ~/.aws/credentials` would otherwise land
 * in the rejected lines). Such a link is reported as failed; links to folders are not followed. Inside a
 * folder, empty files (no records to lose; S3 keeps zero-byte objects that an `aws s3 sync` copies) and
 * downloads `aws s3 sync` has not finished are passed over and counted, as other AWS deliveries are.
 */
async function expand(path: string, root?: string): Promise<Found> {
  const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw new FlowscopeError('not_found', `${path} does not exist.`, { path });
    const why = UNREADABLE[err.code ?? ''] ?? err.message;
    throw new FlowscopeError('import_failed', `${path} cannot be read: ${why}.`, { path });
  });
  if (info.isFile()) return { files: [{ path, size: info.size }], refused: [], passedOver: 0 };
  if (!info.isDirectory())
    throw new FlowscopeError('import_failed', `${path} is neither a file nor a folder.`, { path });
  const folder = root ?? (await realpath(path));
  const entries = (await readdir(path, { withFileTypes: true }))
    .filter((e) => !e.name.startsWith('.'))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  // Every entry looked at at once (a day of S3 objects is thousands of files), answered in name order.
  const found = await Promise.all(
    entries.map(async (e): Promise<Found> => {
      const child = join(path, e.name);
      if (e.isDirectory()) return expand(child, folder);
      if (!e.isFile() && !e.isSymbolicLink()) return { files: [], refused: [], passedOver: 0 };
      // An `aws s3 sync` copy of an organisation's bucket holds CloudTrail's and Config's logs too.
      if (isOtherAwsDelivery(child.split(sep).join('/'))) return { files: [], refused: [], passedOver: 1 };
      const target = e.isSymbolicLink() ? await realpath(child).catch(() => null) : child;
      if (target && e.isSymbolicLink() && !isWithin(folder, target)) {
        const message = `${child} links to ${target}, outside the folder being imported: not followed.`;
        const refusal = failed(child, new FlowscopeError('import_failed', message, { path: child }));
        return { files: [], refused: [refusal], passedOver: 0 };
      }
      const s = target ? await stat(target).catch(() => undefined) : undefined;
      if (s?.isFile() && (s.size === 0 || UNFINISHED_DOWNLOAD.test(e.name)))
        return { files: [], refused: [], passedOver: 1 };
      return { files: s?.isFile() ? [{ path: child, size: s.size }] : [], refused: [], passedOver: 0 };
    }),
  );
  return {
    files: found.flatMap((f) => f.files),
    refused: found.flatMap((f) => f.refused),
    passedOver: found.reduce((n, f) => n + f.passedOver, 0),
  };
}

/** The files under a path, those refused (links out of the folder), and how many were passed over. */
interface Found {
  files: { path: string; size: number }[];
  refused: FileOutcome[];
  passedOver: number;
}

function isWithin(folder: string, path: string): boolean {
  return path === folder || path.startsWith(folder + sep);
}

/** Reports how far into a file (bytes of the file as stored) the import is, when that can be known. */
export type BytesListener = (bytesDone: number) => void;

export function importFile(
  ws: Workspace,
  path: string,
  options: ImportOptions,
  signal?: AbortSignal,
  onBytes?: BytesListener,
): Promise<FileOutcome> {
  return importOne(ws, { path, origin: fileOrigin(path, options), staged: false }, signal, onBytes);
}

async function importOne(
  ws: Workspace,
  file: Pick<ImportItem, 'path' | 'origin' | 'staged'>,
  signal?: AbortSignal,
  onBytes?: BytesListener,
): Promise<FileOutcome> {
  if (file.staged) return importStagedFile(ws, file.path, file.origin, signal, onBytes);
  let staged: string;
  try {
    staged = await stageFile(file.path, ws.stagingDir, signal);
  } catch (err) {
    return failed(file.origin.path, err);
  }
  return importStagedFile(ws, staged, file.origin, signal, onBytes);
}

export async function importStagedFile(
  ws: Workspace,
  stagedPath: string,
  origin: StagedOrigin,
  signal?: AbortSignal,
  onBytes?: BytesListener,
): Promise<FileOutcome> {
  const extraStaged: string[] = [];
  try {
    const wanted = keptRange(origin);
    if (origin.etag) {
      const known = await ws.findImport({ source: origin.source, path: origin.path, etag: origin.etag }, wanted);
      if (known) return alreadyImported(origin.path, known.id);
    }
    const size = (await stat(stagedPath)).size;
    // Only a file of a size the ledger holds can be one imported before. Otherwise the hash is taken while
    // DuckDB reads the file (another core) instead of in a read of its own first.
    const hashedFirst = (await ws.mayHoldSize(size)) ? await hashFile(stagedPath, signal, origin.identity) : undefined;
    if (hashedFirst) {
      const plan = await ws.planContent(hashedFirst, wanted);
      if ('held' in plan) return alreadyImported(origin.path, plan.held);
    }
    const kind = await recognise(stagedPath, origin);
    let source = stagedPath;
    let format: string;
    let read: (tx: Transaction, importId: number, keep: TimeBounds) => Promise<Counts>;
    if (kind.kind === 'parquet') {
      const ocsf = await ocsfLeaves(ws, stagedPath);
      format = ocsf ? 'ocsf-parquet' : 'parquet';
      read = ocsf
        ? async (tx, id, keep) => {
            await checkNetworkActivity(tx, stagedPath, origin.path);
            return { records: await tx.run(ocsfInsertSql(stagedPath, ocsf, id, keep)), rejected: 0 };
          }
        : (tx, id, keep) => readParquet(tx, stagedPath, id, origin.path, keep);
    } else if (kind.kind === 'cloudwatch-subscription') {
      ({ format, read } = await subscriptionReader(ws, stagedPath, kind, origin, extraStaged, signal, onBytes));
    } else {
      let text = kind;
      if (kind.kind === 'cloudwatch-json') {
        const events = await readExport(stagedPath, kind.gzip, origin.path);
        // filter-log-events names each event's stream: kept for `@logStream`, in front of the message.
        const streams = events.some((e) => e.stream !== undefined);
        source = await stageEvents(ws, events, origin, streams);
        extraStaged.push(source);
        const layout = origin.logFormat ? parseLogFormat(origin.logFormat) : DEFAULT_LAYOUT;
        const refusal = layoutRefusal(layout, origin.path);
        if (refusal) throw refusal;
        const staged = streams ? { ...layout, fields: [LOG_STREAM_FIELD, ...layout.fields] } : layout;
        text = {
          kind: 'text',
          gzip: false,
          header: false,
          layout: staged,
          events: { prefix: streams ? 1 : 0, numbered: false },
        };
      }
      const t = text as Extract<FileKind, { kind: 'text' }>;
      format = kind.kind === 'cloudwatch-json' ? `cloudwatch-json ${t.layout.description}` : t.layout.description;
      read = async (tx, id, keep) => {
        // Checked alongside DuckDB's read (another core), and before the commit.
        const whole = t.gzip ? verifyGzip(stagedPath, origin.path, signal, onBytes) : Promise.resolve();
        whole.catch(() => undefined);
        const counts = await readText(tx, [{ staged: source, importId: id, path: origin.path }], t, keep);
        await whole;
        return counts.get(id)!;
      };
    }
    return await ws.transaction(async (tx) => {
      const stop = () => tx.interrupt();
      signal?.addEventListener('abort', stop, { once: true });
      const hashing = hashedFirst ?? hashFile(stagedPath, signal, origin.identity);
      Promise.resolve(hashing).catch(() => undefined);
      try {
        // Looked at again here, where no other writer can commit the same content meanwhile; a file of a
        // size no import has reads no further than its hash first.
        const plan: ContentPlan =
          hashedFirst || (await tx.mayHoldSize(size))
            ? await tx.planContent(await hashing, wanted)
            : { keep: wanted, replaces: [] };
        if ('held' in plan) return alreadyImported(origin.path, plan.held);
        const importId = await tx.beginImport({
          source: origin.source,
          path: origin.path,
          size,
          sha256: null,
          etag: origin.etag ?? null,
          format,
        });
        const counts = await read(tx, importId, timeBounds(plan.keep));
        if (signal?.aborted) throw cancelled();
        const twin = (await tx.importsWithSameRecords(new Map([[importId, counts.records]]))).get(importId);
        if (twin) {
          await tx.dropImport(importId);
          return alreadyImported(origin.path, twin.id, twin.path);
        }
        // The imports it replaces go first: thinned against them, it would leave out the records they held.
        const replaced = await tx.replaceImports(plan.replaces, importId);
        const heldBefore = (await tx.dropRecordsHeldBefore([importId])).get(importId) ?? 0;
        counts.records -= heldBefore;
        await tx.finishImport(importId, { ...counts, sha256: contentKey(await hashing, plan.keep) });
        return {
          path: origin.path,
          importId,
          ...counts,
          status: 'imported' as const,
          unit: rejectUnit(origin.source, format),
          ...(plan.replaces.length > 0 ? { replaced } : {}),
          ...(heldBefore > 0 ? { heldBefore } : {}),
        };
      } finally {
        signal?.removeEventListener('abort', stop);
      }
    });
  } catch (err) {
    if (signal?.aborted) return failed(origin.path, cancelled());
    return failed(origin.path, asImportError(err, origin.path));
  } finally {
    await unstage(stagedPath);
    for (const p of extraStaged) await unstage(p);
  }
}

type Counts = { records: number; rejected: number; controlMessages?: number };

/**
 * How a subscription delivery is read (subscription.ts): looked at once before the transaction (its log
 * groups and layouts name the import's format), then staged as text per layout inside it and read as text.
 */
async function subscriptionReader(
  ws: Workspace,
  stagedPath: string,
  kind: Extract<FileKind, { kind: 'cloudwatch-subscription' }>,
  origin: StagedOrigin,
  extraStaged: string[],
  signal?: AbortSignal,
  onBytes?: BytesListener,
): Promise<{ format: string; read: (tx: Transaction, importId: number, keep: TimeBounds) => Promise<Counts> }> {
  let payloads = stagedPath;
  if (kind.form === 'lambda-event') {
    payloads = await decodeLambdaEvents(stagedPath, kind.gzip, origin.path, ws.stagingDir);
    extraStaged.push(payloads);
  }
  const gzip = kind.form === 'payloads' && kind.gzip;
  const plan = await planSubscription(ws, payloads, gzip, origin.path, origin.logFormat);
  return {
    format: plan.format,
    async read(tx, importId, keep) {
      // DuckDB takes gzip cut short as ending early: checked alongside, and before the commit.
      const whole = gzip ? verifyGzip(stagedPath, origin.path, signal, onBytes) : Promise.resolve();
      whole.catch(() => undefined);
      const parts = await plan.stage(tx, ws.stagingDir);
      extraStaged.push(...parts.map((p) => p.staged));
      const counts: Counts = { records: 0, rejected: 0, controlMessages: plan.controlMessages };
      for (const part of parts) {
        const file = { staged: part.staged, importId, path: origin.path };
        const reading = { gzip: false, header: false, layout: part.layout, events: STAGED_EVENTS };
        const read = await readText(tx, [file], reading, keep);
        counts.records += read.get(importId)!.records;
        counts.rejected += read.get(importId)!.rejected;
      }
      await whole;
      return counts;
    },
  };
}

async function recognise(stagedPath: string, origin: StagedOrigin): Promise<FileKind> {
  if (origin.format === 'parquet') return { kind: 'parquet' };
  const sniffed = await sniffFile(stagedPath, origin.logFormat).catch((err: unknown) => {
    // Messages name the staged copy; the caller knows the file by its own name.
    if (err instanceof FlowscopeError)
      throw new FlowscopeError(err.code, err.message.replaceAll(stagedPath, origin.path), { path: origin.path });
    throw err;
  });
  if (origin.format === 'text' && sniffed.kind !== 'text')
    throw new FlowscopeError('import_failed', `${origin.path} is not flow-log text.`, { path: origin.path });
  return sniffed;
}

async function readExport(stagedPath: string, gzip: boolean, path: string): Promise<CloudWatchEvent[]> {
  const bytes = await readFile(stagedPath);
  let text: string;
  try {
    text = (gzip ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch (err) {
    throw new FlowscopeError('import_failed', `${path} is not readable gzip: ${(err as Error).message}.`, { path });
  }
  return parseCloudWatchExport(text, path);
}

async function stageEvents(
  ws: Workspace,
  events: readonly CloudWatchEvent[],
  origin: StagedOrigin,
  withStreams: boolean,
): Promise<string> {
  if (events.length === 0 && origin.source !== 'cloudwatch') {
    throw new FlowscopeError('import_failed', `${origin.path} holds no CloudWatch events.`, { path: origin.path });
  }
  const target = stagingName(ws.stagingDir, '.events.log');
  await writeFile(target, eventsToText(events, withStreams));
  return target;
}

/** Reads text files of one layout into the open transaction; answers the counts of each import. */
async function readText(
  tx: Transaction,
  files: readonly StagedText[],
  kind: TextReading & { layout: RecordLayout },
  timeBounds: TimeBounds,
): Promise<Map<number, { records: number; rejected: number }>> {
  for (const statement of [...clearRejectsSql, ...createImpossibleTableSql]) await tx.run(statement);
  const inserted = await tx.run(textInsertSql(files, kind.layout, { ...kind, ...timeBounds }));
  const counts = new Map(files.map((f) => [f.importId, { records: files.length === 1 ? inserted : 0, rejected: 0 }]));
  const reader = readerRejectsSql(files, kind.layout);
  const rejected = await tx.all<{ import_id: number; n: bigint }>(reader.counts);
  for (const r of rejected) counts.get(r.import_id)!.rejected = Number(r.n);
  const overlong = await tx.all<{ staged: string; line: bigint }>(overlongLinesSql);
  const impossible = await takeImpossible(tx, counts, (id) => {
    const file = files.find((f) => f.importId === id)!;
    const lines = overlong.filter((o) => o.staged === file.staged).map((o) => Number(o.line));
    return textImpossibleSql(file, kind.layout, kind, lines);
  });
  if (rejected.length > 0 || impossible) {
    await refuseOtherHeaders(tx, files, kind.layout);
    await tx.run(keepRejectedLinesSql(REJECTED_KEEP_PER_FILE, reader.lines, kind.events));
  }
  if (files.length > 1) {
    const ids = files.map((f) => f.importId).join(', ');
    for (const c of counts.values()) c.records = 0;
    for (const r of await tx.all<{ import_id: number; n: bigint }>(
      `SELECT import_id, count(*) AS n FROM flows WHERE import_id IN (${ids}) GROUP BY import_id`,
    )) {
      counts.get(r.import_id)!.records = Number(r.n);
    }
  }
  return counts;
}

/**
 * Files joined one after another (`zcat *.log.gz > all.log`) have a header line where each begins. The file's
 * own header again is only a rejected line; one naming other fields, or the same in another order, would have
 * the records after it read into the first header's fields (addresses, ports, bytes and packets swapped), so
 * the file fails, naming that line. A header line is never stored: its `start` is no number, so the reader
 * rejects it (or, in a CSV read as text, the record checks do).
 */
async function refuseOtherHeaders(tx: Transaction, files: readonly StagedText[], layout: RecordLayout): Promise<void> {
  for (const h of await tx.all<{ import_id: number; raw: string; line: bigint }>(headerLinesSql(files))) {
    if (!namesOtherFields(h.raw, layout)) continue;
    const path = files.find((f) => f.importId === h.import_id)!.path;
    const names = h.raw
      .replace(/^\uFEFF/, '')
      .replace(/"/g, '')
      .trim()
      .split(/[\s,;]+/);
    const shown = names.length > 8 ? `${names.slice(0, 8).join(' ')} …` : names.join(' ');
    throw new FlowscopeError(
      'import_failed',
      `${path}, line ${h.line}: a header of another record format (${shown}) follows records of the first; ` +
        'these are files joined one after another: import them one by one.',
      { path },
    );
  }
}

/**
 * The impossible records the insert marked (record-checks.ts): their lines and reasons go to
 * IMPOSSIBLE_TABLE (`linesSql` for each import that has some), they leave `flows`, and they count as
 * rejected instead of stored. Answers whether there were any.
 */
async function takeImpossible(
  tx: Transaction,
  counts: Map<number, { records: number; rejected: number }>,
  linesSql: (importId: number) => string,
): Promise<boolean> {
  const ids = [...counts.keys()];
  const marked = await tx.all<{ import_id: number; n: bigint }>(impossibleCountsSql(ids));
  if (marked.length === 0) return false;
  for (const m of marked) {
    await tx.run(linesSql(m.import_id));
    const c = counts.get(m.import_id)!;
    c.rejected += Number(m.n);
    c.records -= Number(m.n);
  }
  await tx.run(deleteImpossibleSql(ids));
  return true;
}

async function readParquet(
  tx: Transaction,
  stagedPath: string,
  importId: number,
  path: string,
  keep: TimeBounds,
): Promise<{ records: number; rejected: number }> {
  const columns = await tx.all<ParquetColumn>(parquetColumnsSql(stagedPath));
  const refusal = parquetRefusal(columns);
  if (refusal) throw new FlowscopeError('import_failed', `${path} is not a flow log: ${refusal}.`, { path });
  for (const statement of createImpossibleTableSql) await tx.run(statement);
  const counts = new Map([
    [importId, { records: await tx.run(parquetInsertSql(stagedPath, columns, importId, keep)), rejected: 0 }],
  ]);
  if (await takeImpossible(tx, counts, () => parquetImpossibleSql(stagedPath, columns, importId, path)))
    await tx.run(keepRejectedLinesSql(REJECTED_KEEP_PER_FILE));
  return counts.get(importId)!;
}

/** DuckDB's reading errors (a truncated gzip, a broken Parquet footer) as an error that names the file. */
function asImportError(err: unknown, path: string): unknown {
  if (err instanceof FlowscopeError) return err;
  if (err instanceof WriteRanAway)
    return new FlowscopeError(
      'import_failed',
      `${path} cannot be read: ${err.message}. Lines with many more fields than its header names do this ` +
        '(DuckDB keeps a rejected line for each field too many); nothing was imported.',
      { path },
    );
  const message = (err instanceof Error ? err.message : String(err))
    .split('\n')[0]!
    .replace(/'[^']*\/staging\/[^']*'|"[^"]*\/staging\/[^"]*"|\S*\/staging\/\S*/g, 'the file');
  return new FlowscopeError('import_failed', `${path} cannot be read: ${message}`, { path });
}

function alreadyImported(path: string, importId: number, sameRecordsAs?: string): FileOutcome {
  return {
    path,
    importId,
    records: 0,
    rejected: 0,
    status: 'already-imported',
    ...(sameRecordsAs ? { sameRecordsAs } : {}),
  };
}

function failed(path: string, err: unknown): FileOutcome {
  const message = err instanceof Error ? err.message : String(err);
  return { path, records: 0, rejected: 0, status: 'failed', error: message };
}
