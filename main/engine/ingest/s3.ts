/**
 * `pull s3`: flow logs from an S3 bucket prefix into the workspace, resumably.
 *
 * Lists the prefix (keeping the date folders of the time range, with a neighbouring day or hour for late
 * delivery), leaves out objects the ledger already holds at the same ETag, downloads
 * the rest a few at a time into the staging folder, checks each body's length, and imports them through the
 * engine's import path with the time range as a filter on the records' own start time: small objects
 * together, as many as have been downloaded while the import before them ran (importMany reads them in one
 * scan; `npm run bench:pull`: 300 objects of 250 records 13.4–14.2 s one by one, two commits each, 2.3 s
 * so), larger ones alone.
 *
 * Each object is its own import, committed before its checkpoint (`pull_checkpoints`, source 's3', key
 * `s3://b/k`, value {etag, importId, from, to}) records which version and which time range of it the
 * workspace holds; a process killed between the two finds the import by its ETag on the next run.
 * So a pull that is cancelled, loses the network or is killed resumes with what is missing and nothing twice:
 *  - same ETag, range covered                → skipped without a download;
 *  - ETag changed                             → imported again, the old version's records removed;
 *  - same ETag, wider range than last time    → imported again with the union of both ranges, in place of
 *                                               the narrower import (the import path does that by content);
 *  - same bytes as a file imported from an `aws s3 sync` folder, or as another key → recognised by content,
 *    not counted twice: the checkpoint then stands for that import, which a replaced version of the other
 *    key does not take away while it does (ledger.releaseImport).
 */
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { createWriteStream, rmSync } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FlowscopeError } from '../errors';
import type { Workspace } from '../workspace';
import { rangeCovers, rangeUnion, releaseImport } from '../workspace/ledger';
import { endpointNotice, resolvedRegion, s3Client, type AwsTarget } from './aws/clients';
import {
  emptySummary,
  formatBytes,
  requestBounds,
  SerialQueue,
  type PullHooks,
  type PullSummary,
  type SourceCounts,
} from './aws/pull-report';
import { isPerObjectError, pullCancelled, tokenLoopGuard, withRetry, type RetryOptions } from './aws/retry';
import { retryNotice } from './aws/retry-notice';
import {
  folderMayHold,
  isFlowLogObject,
  jumpAfter,
  parseKey,
  parseS3Url,
  unwantedFolder,
  type SourceFilter,
  type TimeBounds,
} from './aws/s3-layout';
import { added, countRejects, type FileOutcome, type ImportItem } from './index';
import { importPulled } from './aws/import-pulled';
import { deliveryIdentity } from './import-file';
import { keptRange } from './flows-sql';
import { SMALL_FILE_BYTES } from './small-files';
import { stagingName } from './stage';
import { awsTarget } from './aws/target';

export interface S3PullRequest extends AwsTarget {
  /** s3://bucket/prefix */
  url: string;
  /** ISO 8601 times (UTC when without an offset), or null for open. */
  from?: string | null | undefined;
  to?: string | null | undefined;
  logFormat?: string | undefined;
  /** Downloads at once. */
  concurrency?: number | undefined;
  /** Only objects of these accounts and regions (as their keys name them). */
  accounts?: string[] | undefined;
  regions?: string[] | undefined;
}

interface ListedObject {
  key: string;
  etag: string;
  size: number;
  /** The account and region its key names, for the summary. */
  source: SourceCounts;
}

/**
 * What the workspace holds of one object: which version, through which import, for which time range (ms);
 * or that this version was refused (not flow logs), so it is not downloaded again until it changes.
 */
interface ObjectCheckpoint {
  etag: string;
  importId: number | null;
  from: number | null;
  to: number | null;
  refused?: string;
}

export async function pullS3(ws: Workspace, request: S3PullRequest, hooks: PullHooks): Promise<PullSummary> {
  const { bucket, prefix } = parseS3Url(request.url);
  const range = requestBounds(request.from, request.to);
  const notice = endpointNotice(request);
  if (notice) hooks.notice?.(notice);
  const client = s3Client(request);
  try {
    await resolvedRegion(client, request);
    // Stops the other downloads when one meets an error that ends the pull, as well as on cancel.
    const stop = new AbortController();
    const signal = AbortSignal.any([hooks.signal, stop.signal]);
    const retry: RetryOptions = {
      signal,
      onRetry: (r) => hooks.notice?.(retryNotice('S3', r)),
    };
    const filter = { accounts: request.accounts, regions: request.regions };
    const { objects: listed, passedOver } = await listObjects(client, bucket, prefix, range, filter, {
      ...retry,
      ...awsTarget(request),
    });
    const summary: PullSummary = { ...emptySummary(), sources: [] };
    const todo: Array<{ object: ListedObject; previous: ObjectCheckpoint | null }> = [];
    const held = await readCheckpoints(ws, `s3://${bucket}/${prefix}`);
    let refused = 0;
    for (const object of listed) {
      const previous = held.get(objectUrl(bucket, object.key)) ?? null;
      // Refused before as not flow logs, and unchanged since: not downloaded again.
      if (previous?.refused !== undefined && previous.etag === object.etag) refused++;
      else if (previous && previous.etag === object.etag && rangeCovers(previous, range)) {
        summary.skipped++;
        object.source.skipped++;
      } else todo.push({ object, previous });
    }
    const order = (c: SourceCounts) => `${c.account ?? '\uffff'} ${c.region ?? '\uffff'}`;
    if (passedOver + refused > 0) summary.passedOver = passedOver + refused;
    summary.sources = [...new Set(listed.map((o) => o.source))].sort((a, b) => (order(a) < order(b) ? -1 : 1));
    const bytesTotal = todo.reduce((n, t) => n + t.object.size, 0);
    // A mistyped account or prefix lists nothing, which "Fetching 0 of 0 objects" did not tell from success.
    if (listed.length === 0 && passedOver === 0)
      hooks.notice?.(
        `No objects under s3://${bucket}/${prefix}${range.from !== null || range.to !== null ? ' in the time range' : ''}: ` +
          'check the bucket, the prefix and its account id (flow logs are under AWSLogs/<account>/vpcflowlogs/<region>/<yyyy>/<mm>/<dd>/).',
      );
    else
      hooks.notice?.(
        `Fetching ${todo.length} of ${listed.length} objects (${formatBytes(bytesTotal)}) from s3://${bucket}/${prefix}` +
          (summary.skipped ? `; ${summary.skipped} already in the workspace` : '') +
          (passedOver ? `; ${passedOver} passed over as not flow logs (empty, or by their name)` : '') +
          (refused ? `; ${refused} refused before and unchanged since` : '') +
          '.',
      );

    const progress = { bytesDone: 0, itemsDone: 0 };
    const report = (current?: string) =>
      hooks.progress?.({
        current,
        bytesDone: progress.bytesDone,
        bytesTotal,
        itemsDone: progress.itemsDone,
        itemsTotal: todo.length,
        records: summary.records,
        rejected: summary.rejected,
      });
    const imports = new SerialQueue();
    let firstError: unknown;
    // Small objects (a flow log's five minutes of one account and region) go in together, whatever has been
    // downloaded whenever the import before is done: many a commit when downloads outpace commits, each as
    // it comes when they do not.
    const waiting: Downloaded[] = [];
    let importing: Promise<void> | undefined;
    const importWaiting = (): Promise<void> =>
      (importing ??= (async () => {
        try {
          while (waiting.length > 0 && firstError === undefined) {
            const objects = waiting.splice(0, WAITING_OBJECTS);
            await imports.run(() => importObjects(ws, objects, range, request.logFormat, summary, signal));
            progress.itemsDone += objects.length;
            report(objects.at(-1)!.url);
          }
        } catch (err) {
          firstError ??= err;
          stop.abort();
        } finally {
          importing = undefined;
        }
      })());
    let next = 0;
    const worker = async () => {
      try {
        await work();
      } catch (err) {
        firstError ??= err;
        stop.abort();
      }
    };
    const work = async () => {
      while (next < todo.length) {
        if (signal.aborted) throw pullCancelled();
        const { object, previous } = todo[next++]!;
        const url = objectUrl(bucket, object.key);
        const staged = stagingName(ws.stagingDir, parseKey(object.key).format === 'parquet' ? '.parquet' : '.log.gz');
        let etag: string;
        try {
          etag = await withRetry(
            { subject: url, perObject: true, ...awsTarget(request) },
            (attempt) =>
              download(client, bucket, object.key, staged, attempt, (n) => {
                progress.bytesDone += n;
                report(url);
              }),
            { ...retry, operation: 'GetObject' },
          );
        } catch (err) {
          rmSync(staged, { force: true });
          if (!isPerObjectError(err)) throw err;
          summary.failed.push({ key: url, error: (err as Error).message });
          object.source.failed++;
          progress.itemsDone++;
          continue;
        }
        const downloaded: Downloaded = { url, etag, staged, size: object.size, previous, source: object.source };
        if (object.size <= SMALL_FILE_BYTES) {
          waiting.push(downloaded);
          const started = importWaiting();
          // No further ahead than a batch's worth of downloads.
          if (waiting.length >= WAITING_OBJECTS) await started;
          continue;
        }
        await imports.run(() => importObjects(ws, [downloaded], range, request.logFormat, summary, signal));
        progress.itemsDone++;
        report(url);
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.max(1, Math.min(request.concurrency ?? 4, 16)) }, worker));
      await importWaiting();
    } finally {
      // Nothing of this pull may still be writing when it answers.
      await importing;
      for (const o of waiting) rmSync(o.staged, { force: true });
    }
    if (firstError !== undefined) throw firstError;
    return summary;
  } finally {
    client.destroy();
  }
}

function objectUrl(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

/** The checkpoints of every object under a prefix, in one query rather than one per object. */
async function readCheckpoints(ws: Workspace, urlPrefix: string): Promise<Map<string, ObjectCheckpoint>> {
  const rows = await ws.all<{ key: string; value: string }>(
    `SELECT key, value FROM pull_checkpoints WHERE source = 's3' AND starts_with(key, $1)`,
    [urlPrefix],
  );
  return new Map(rows.map((r) => [r.key, JSON.parse(r.value) as ObjectCheckpoint]));
}

/**
 * Every flow-log object under the prefix whose folder may hold records of the range, and how many objects
 * were passed over as not flow logs (empty, or by their name: `notes.txt`, `_SUCCESS`, the delivery test).
 * A flat listing (1,000 keys a page) that jumps with `StartAfter` over date folders outside the range: a bucket with
 * years of logs costs a few requests per account and region, not one per thousand objects. Flat rather
 * than walked by delimiter, because S3-compatible servers differ in how they report nested prefixes.
 */
export async function listObjects(
  client: S3Client,
  bucket: string,
  prefix: string,
  range: TimeBounds,
  filter: SourceFilter,
  retry: RetryOptions & AwsTarget,
): Promise<{ objects: ListedObject[]; passedOver: number }> {
  const found: ListedObject[] = [];
  let passedOver = 0;
  const sources = new Map<string, SourceCounts>();
  const sourceOf = (account: string | null, region: string | null) => {
    const key = `${account}|${region}`;
    let counts = sources.get(key);
    if (!counts)
      sources.set(key, (counts = { account, region, objects: 0, skipped: 0, failed: 0, records: 0, rejected: 0 }));
    return counts;
  };
  let startAfter: string | undefined;
  let token: string | undefined;
  const guard = tokenLoopGuard(`s3://${bucket}/${prefix}: S3 answered a continuation token`, 'ListObjectsV2');
  for (;;) {
    const position = token ? { ContinuationToken: token } : startAfter ? { StartAfter: startAfter } : {};
    const page = await withRetry(
      { subject: `s3://${bucket}/${prefix}`, ...awsTarget(retry) },
      (abortSignal) =>
        client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...position }), { abortSignal }),
      { ...retry, operation: 'ListObjectsV2' },
    );
    let jump: string | null = null;
    for (const o of page.Contents ?? []) {
      if (!o.Key) continue;
      const info = parseKey(o.Key);
      const unwanted = unwantedFolder(o.Key, info, filter);
      if (unwanted) {
        if ((jump = unwanted.jumpTo)) break;
      } else if (folderMayHold(info, range)) {
        if (isFlowLogObject(o.Key) && o.Size !== 0) {
          const source = sourceOf(info.account ?? null, info.region ?? null);
          found.push({ key: o.Key, etag: o.ETag ?? '', size: o.Size ?? 0, source });
        } else if (!o.Key.endsWith('/')) passedOver++;
      } else if ((jump = jumpAfter(o.Key, info, range))) {
        break;
      }
    }
    if (jump) {
      startAfter = jump;
      token = undefined;
    } else if (page.IsTruncated && page.NextContinuationToken) {
      token = page.NextContinuationToken;
      guard(token);
    } else {
      return { objects: found, passedOver };
    }
  }
}

/** Streams one object into the staging folder; answers the ETag of the bytes it got. */
async function download(
  client: S3Client,
  bucket: string,
  key: string,
  dest: string,
  signal: AbortSignal,
  onBytes: (n: number) => void,
): Promise<string> {
  let counted = 0;
  try {
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
    if (!out.Body) throw Object.assign(new Error('the response had no body'), { code: 'ECONNRESET' });
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        counted += chunk.length;
        onBytes(chunk.length);
        done(null, chunk);
      },
    });
    await pipeline(out.Body as Readable, counter, createWriteStream(dest), { signal });
    if (out.ContentLength !== undefined && counted !== out.ContentLength) {
      // A body cut short is a network failure, retried; it must never reach the importer as a whole object.
      throw Object.assign(new Error(`body length ${counted} of ${out.ContentLength} bytes`), {
        code: 'ERR_STREAM_PREMATURE_CLOSE',
      });
    }
    return out.ETag ?? '';
  } catch (err) {
    onBytes(-counted);
    throw err;
  }
}

/** An object downloaded into the staging folder, with what the workspace held of it before. */
interface Downloaded {
  url: string;
  etag: string;
  staged: string;
  size: number;
  previous: ObjectCheckpoint | null;
  source: SourceCounts;
}

/** The most small objects imported together (importMany batches them further by layout and size). */
const WAITING_OBJECTS = 1000;

/**
 * Downloaded objects into the workspace (each its own import, small ones together), then their checkpoints
 * in one transaction, older versions of the same keys removed in it.
 */
async function importObjects(
  ws: Workspace,
  objects: readonly Downloaded[],
  range: TimeBounds,
  logFormat: string | undefined,
  summary: PullSummary,
  signal: AbortSignal,
): Promise<void> {
  // Each object with the range it is imported for: the same version again for a wider range keeps the union
  // (the import takes the place of the narrower one).
  const entries = objects.map((o) => ({
    o,
    bounds: o.previous !== null && o.previous.etag === o.etag ? rangeUnion(o.previous, range) : range,
  }));
  const items = entries.map(({ o, bounds }): ImportItem => ({
    path: o.staged,
    size: o.size,
    staged: true,
    origin: {
      source: 's3',
      path: o.url,
      etag: o.etag,
      ...(logFormat ? { logFormat } : {}),
      ...deliveryIdentity(o.url),
      // Records are kept when from ≤ start < to, with start in whole seconds.
      ...(bounds.from !== null ? { timeFrom: Math.ceil(bounds.from / 1000) } : {}),
      ...(bounds.to !== null ? { timeTo: Math.ceil(bounds.to / 1000) } : {}),
    },
  }));
  const outcomes = await importPulled(ws, items, signal);
  if (signal.aborted) throw pullCancelled();
  const kept: { entry: (typeof entries)[number]; outcome: FileOutcome; importId: number }[] = [];
  const refused: { url: string; checkpoint: ObjectCheckpoint }[] = [];
  for (const [i, outcome] of outcomes.entries()) {
    const entry = entries[i]!;
    const { o } = entry;
    if (outcome.status === 'failed') {
      summary.failed.push({ key: o.url, error: outcome.error ?? 'import failed' });
      o.source.failed++;
      // Its bytes are not flow logs (the download was whole): this version is not fetched again.
      const why = outcome.error ?? 'import failed';
      refused.push({ url: o.url, checkpoint: { etag: o.etag, importId: null, from: null, to: null, refused: why } });
      continue;
    }
    const wanted = keptRange(items[i]!.origin);
    const importId = outcome.importId ?? (await ws.findImport({ source: 's3', path: o.url, etag: o.etag }, wanted))?.id;
    if (importId === undefined)
      throw new FlowscopeError('internal', `${o.url} was imported but the ledger has no record of it.`);
    kept.push({ entry, outcome, importId });
  }
  const released = await ws.transaction(async (tx) => {
    for (const r of refused) await tx.setCheckpoint('s3', r.url, JSON.stringify(r.checkpoint));
    const counts: { records: number; rejected: number }[] = [];
    for (const { entry, importId } of kept) {
      const { o, bounds } = entry;
      const older = await tx.all<{ id: number }>(
        `SELECT id FROM imports WHERE source = 's3' AND path = $1 AND id <> $2`,
        [o.url, importId],
      );
      const gone = { records: 0, rejected: 0 };
      for (const old of older) {
        const n = await releaseImport(tx, old.id, { source: 's3', key: o.url });
        gone.records += n.records;
        gone.rejected += n.rejected;
      }
      const value: ObjectCheckpoint = { etag: o.etag, importId, from: bounds.from, to: bounds.to };
      await tx.setCheckpoint('s3', o.url, JSON.stringify(value));
      counts.push(gone);
    }
    return counts;
  });
  for (const [k, { entry, outcome }] of kept.entries()) {
    const { o } = entry;
    if (outcome.status === 'imported') {
      for (const counts of [summary, o.source]) {
        counts.objects++;
        counts.records += added(outcome).records - released[k]!.records;
      }
      const rejected = added(outcome).rejected - released[k]!.rejected;
      countRejects(summary, outcome.unit, rejected);
      o.source.rejected += rejected;
      if (outcome.controlMessages) summary.controlMessages = (summary.controlMessages ?? 0) + outcome.controlMessages;
      if (outcome.heldBefore) summary.heldBefore = (summary.heldBefore ?? 0) + outcome.heldBefore;
    } else {
      summary.skipped++;
      o.source.skipped++;
    }
  }
}
