/**
 * `pull cloudwatch`: flow logs from a CloudWatch Logs group into the workspace, resumably and politely.
 *
 * The range, which ends at the streams' newest event (DescribeLogStreams), is cut into hour windows aligned
 * to the clock. For each window, FilterLogEvents is paged to the
 * end (empty pages that still carry a `nextToken` included) for the streams that still need it, written
 * page by page into a staged file per stream, and each stream's events of the window are imported as one
 * unit (`<group>/<stream>@<from>-<to>`), the window's streams read together (`bench:pull`, 50 streams over 4
 * hours: 5.4–6.1 s one at a time, 1.0–1.1 s so), through the engine's import path, parsed as default-format records
 * or the group's custom format: the one given, which the workspace then remembers for the group, so later
 * pulls (and Firehose deliveries of the group) need not give it again (log-group-formats.ts).
 *
 * Checkpoints are per stream and window (`pull_checkpoints`, source 'cloudwatch', key
 * `<group>:<window start ms>:<stream>`, value {importId, from, to, fetchedAt}). A window fetched less than
 * OVERLAP_MS after its end may still receive late events, so the next pull fetches it again and the new
 * import replaces the old one: late records arrive and none is counted twice. A window asked for with a
 * wider range than it was fetched with is fetched again for the union of both.
 *
 * Every request passes one rate limiter per operation, below the service's 5 requests per second per
 * account and region, and is retried with backoff and jitter on throttling, 5xx, dropped connections and
 * slow answers. Access denied or a missing group stop the pull; what was committed stays.
 */
import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { rmSync } from 'node:fs';
import { appendFile, stat } from 'node:fs/promises';
import type { Workspace } from '../workspace';
import { rejectUnit } from '../../../preload/contract/rejects';
import { releaseImport } from '../workspace/ledger';
import { endpointNotice, logsClient, resolvedRegion, type AwsTarget } from './aws/clients';
import { emptySummary, requestBounds, type PullHooks, type PullSummary } from './aws/pull-report';
import { describeStreams } from './aws/listings';
import { LOGS_REQUESTS_PER_SECOND, pullCancelled, sharedLimiter, tokenPages, type RetryOptions } from './aws/retry';
import { retryNotice } from './aws/retry-notice';
import { eventsToText, type CloudWatchEvent } from './cloudwatch-json';
import { formatForPull } from './log-group-formats';
import { added, countRejects, type ImportItem } from './index';
import { importPulled } from './aws/import-pulled';
import { stagingName } from './stage';
import { awsTarget } from './aws/target';
import type { ErrorContext } from './aws/errors';

export interface CloudWatchPullRequest extends AwsTarget {
  logGroup: string;
  from?: string | null | undefined;
  to?: string | null | undefined;
  /** Only streams whose name starts with this. */
  streamPrefix?: string | undefined;
  logFormat?: string | undefined;
}

const WINDOW_MS = 3_600_000;
/** How long after a window's end events may still be delivered into it. */
const OVERLAP_MS = 20 * 60_000;
/** logStreamNames takes at most 100 names. */
const NAMES_PER_REQUEST = 100;

interface StreamCheckpoint {
  importId: number | null;
  from: number;
  to: number;
  fetchedAt: number;
}

export interface PullLimits {
  /** Per-operation request rate; tests may lower the attempts and delays, never raise the rate. */
  retry?: Pick<RetryOptions, 'attempts' | 'baseDelayMs' | 'maxDelayMs' | 'attemptTimeoutMs'>;
}

export async function pullCloudWatch(
  ws: Workspace,
  request: CloudWatchPullRequest,
  hooks: PullHooks,
  limits: PullLimits = {},
): Promise<PullSummary> {
  const group = request.logGroup;
  const notice = endpointNotice(request);
  if (notice) hooks.notice?.(notice);
  const client = logsClient(request);
  const retry: RetryOptions = {
    ...limits.retry,
    signal: hooks.signal,
    onRetry: (r) => hooks.notice?.(retryNotice('CloudWatch Logs', r)),
  };
  const ctx = { subject: `log group ${group}`, ...awsTarget(request) };
  try {
    const region = await resolvedRegion(client, request);
    const limiters = {
      filter: sharedLimiter({ ...request, region, operation: 'FilterLogEvents' }, LOGS_REQUESTS_PER_SECOND),
      describe: sharedLimiter({ ...request, region, operation: 'DescribeLogStreams' }, LOGS_REQUESTS_PER_SECOND),
    };
    const requested = requestBounds(request.from, request.to);
    const logFormat = await formatForPull(ws, group, request.logFormat);
    if (logFormat && !request.logFormat)
      hooks.notice?.(`Reading ${group} with the log format remembered for it: ${logFormat}`);
    const streams = await describeStreams(client, group, request.streamPrefix, ctx, {
      ...retry,
      limiter: limiters.describe,
    });
    const summary = emptySummary();
    const now = Date.now();
    // Nothing lies after the streams' newest event, so a group gone quiet costs no request per empty hour up
    // to now (a group quiet since March walked 6,676 windows). lastEventTimestamp is updated by AWS up to an
    // hour late; lastIngestionTime is current, and an event is rarely stamped after it was received.
    const newest = Math.max(0, ...streams.map((s) => Math.max(s.lastEventTimestamp ?? 0, s.lastIngestionTime ?? 0)));
    const to = Math.min(requested.to ?? now, now, newest + 1);
    const from = requested.from ?? Math.min(...streams.map((s) => s.firstEventTimestamp ?? s.creationTime ?? now), to);
    const windows: number[] = [];
    // [from, to): an event at `to` itself belongs to the next pull, as records do for S3 and queries.
    if (from < to) for (let w = Math.floor(from / WINDOW_MS) * WINDOW_MS; w < to; w += WINDOW_MS) windows.push(w);
    hooks.notice?.(
      streams.length === 0
        ? `${group} has no log stream${request.streamPrefix ? ` whose name starts with "${request.streamPrefix}" (a flow log names each stream after its interface: eni-…-all)` : ''}: nothing to pull.`
        : `Pulling ${streams.length} streams of ${group} over ${windows.length} hour windows.`,
    );
    const progress = { itemsDone: 0, bytesDone: 0 };

    for (const windowStart of windows) {
      if (hooks.signal.aborted) throw pullCancelled();
      const report = () =>
        hooks.progress?.({
          current: `${group} ${new Date(windowStart).toISOString()}`,
          bytesDone: progress.bytesDone,
          bytesTotal: null,
          itemsDone: progress.itemsDone,
          itemsTotal: windows.length,
          records: summary.records,
          rejected: summary.rejected,
        });
      const want = { from: Math.max(from, windowStart), to: Math.min(to - 1, windowStart + WINDOW_MS - 1) };
      const held = await windowCheckpoints(ws, group, windowStart);
      const complete = new Set<string>();
      const fetchRange = { ...want };
      for (const s of streams) {
        const cp = held.get(s.logStreamName!);
        if (cp && cp.from <= want.from && cp.to >= want.to && isSettled(cp, windowStart))
          complete.add(s.logStreamName!);
        else if (cp) {
          fetchRange.from = Math.min(fetchRange.from, cp.from);
          fetchRange.to = Math.max(fetchRange.to, cp.to);
        }
      }
      summary.skipped += complete.size;
      const pending = streams.map((s) => s.logStreamName!).filter((n) => !complete.has(n));
      if (pending.length > 0) {
        const fetchedAt = Date.now();
        const staged = await fetchWindow(
          ws,
          client,
          group,
          request.streamPrefix,
          pending,
          streams.length,
          fetchRange,
          { ...retry, limiter: limiters.filter },
          ctx,
          (bytes) => {
            progress.bytesDone += bytes;
            report();
          },
        );
        try {
          const names = [...new Set([...pending, ...staged.keys()])].sort().filter((name) => !complete.has(name));
          await commitWindow(
            ws,
            group,
            windowStart,
            names.map((name) => ({ name, staged: staged.get(name) ?? null, previous: held.get(name) ?? null })),
            fetchRange,
            fetchedAt,
            logFormat,
            summary,
            hooks.signal,
          );
        } finally {
          for (const file of staged.values()) rmSync(file, { force: true });
        }
      }
      progress.itemsDone++;
      report();
    }
    return summary;
  } finally {
    client.destroy();
  }
}

/** A window is settled once it was fetched long enough after its end that no late event can still come. */
function isSettled(cp: StreamCheckpoint, windowStart: number): boolean {
  return cp.fetchedAt >= Math.min(cp.to, windowStart + WINDOW_MS) + OVERLAP_MS;
}

async function windowCheckpoints(
  ws: Workspace,
  group: string,
  windowStart: number,
): Promise<Map<string, StreamCheckpoint>> {
  const prefix = `${group}:${windowStart}:`;
  const rows = await ws.all<{ key: string; value: string }>(
    `SELECT key, value FROM pull_checkpoints WHERE source = 'cloudwatch' AND starts_with(key, $1)`,
    [prefix],
  );
  return new Map(rows.map((r) => [r.key.slice(prefix.length), JSON.parse(r.value) as StreamCheckpoint]));
}

/**
 * Every event of the window for the pending streams, paging until there is no `nextToken`, written page by
 * page into one staged file per stream (so a busy window never has to fit in memory). Answers the files.
 */
async function fetchWindow(
  ws: Workspace,
  client: CloudWatchLogsClient,
  group: string,
  prefix: string | undefined,
  pending: string[],
  streamCount: number,
  range: { from: number; to: number },
  retry: RetryOptions,
  ctx: ErrorContext,
  onBytes: (n: number) => void,
): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  // All streams of the pull: one request by prefix; otherwise the pending ones by name, 100 at a time.
  const selections =
    pending.length === streamCount
      ? [prefix ? { logStreamNamePrefix: prefix } : {}]
      : chunk(pending, NAMES_PER_REQUEST).map((names) => ({ logStreamNames: names }));
  try {
    for (const selection of selections) {
      const pages = tokenPages(
        ctx,
        (nextToken, abortSignal) =>
          client.send(
            new FilterLogEventsCommand({
              logGroupName: group,
              startTime: range.from,
              endTime: range.to,
              ...selection,
              nextToken,
            }),
            { abortSignal },
          ),
        { ...retry, operation: 'FilterLogEvents' },
      );
      for await (const page of pages) {
        const byStream = new Map<string, CloudWatchEvent[]>();
        for (const e of page.events ?? []) {
          if (!e.logStreamName || e.message === undefined) continue;
          const list = byStream.get(e.logStreamName) ?? [];
          list.push({ id: e.eventId ?? '', timestamp: e.timestamp ?? 0, message: e.message });
          byStream.set(e.logStreamName, list);
          onBytes(e.message.length);
        }
        for (const [stream, events] of byStream) {
          const file = files.get(stream) ?? stagingName(ws.stagingDir, '.events.log');
          files.set(stream, file);
          await appendFile(file, eventsToText(events));
        }
      }
    }
    return files;
  } catch (err) {
    for (const file of files.values()) rmSync(file, { force: true });
    throw err;
  }
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A stream's events of one window, staged (null: none), with what the workspace held of it before. */
interface StreamWindow {
  name: string;
  staged: string | null;
  previous: StreamCheckpoint | null;
}

/**
 * The streams of one window into the workspace: each stream's events its own import, all of them read
 * together (importMany; a window of 50 streams was 50 imports of two commits each), then every stream's
 * checkpoint in one transaction, an import of the window it replaces removed in it.
 */
async function commitWindow(
  ws: Workspace,
  group: string,
  windowStart: number,
  streams: readonly StreamWindow[],
  range: { from: number; to: number },
  fetchedAt: number,
  logFormat: string | undefined,
  summary: PullSummary,
  signal: AbortSignal,
): Promise<void> {
  const pathOf = (stream: string) =>
    `${group}/${stream}@${new Date(range.from).toISOString()}-${new Date(range.to).toISOString()}`;
  const withEvents = streams.filter((s) => s.staged !== null);
  const items = await Promise.all(
    withEvents.map(async (s): Promise<ImportItem> => ({
      path: s.staged!,
      size: (await stat(s.staged!)).size,
      staged: true,
      origin: {
        source: 'cloudwatch',
        path: pathOf(s.name),
        format: 'text',
        // Two streams or groups may hold the same messages (a custom format without interface-id): each
        // stream's records are its own.
        identity: `${group}\0${s.name}\0`,
        ...(logFormat ? { logFormat } : {}),
      },
    })),
  );
  const outcomes = await importPulled(ws, items, signal);
  const outcomeOf = new Map(withEvents.map((s, i) => [s, outcomes[i]!]));
  const kept: { stream: StreamWindow; importId: number | null; added: { records: number; rejected: number } }[] = [];
  for (const stream of streams) {
    const outcome = outcomeOf.get(stream);
    if (outcome?.status === 'failed') {
      summary.failed.push({ key: pathOf(stream.name), error: outcome.error ?? 'import failed' });
      continue;
    }
    if (outcome?.heldBefore) summary.heldBefore = (summary.heldBefore ?? 0) + outcome.heldBefore;
    kept.push({
      stream,
      // The same events as an earlier import (this window fetched before, or a pull killed before its
      // checkpoint) come back as already imported: that import is the one to keep.
      importId: outcome?.importId ?? stream.previous?.importId ?? null,
      added: outcome ? added(outcome) : { records: 0, rejected: 0 },
    });
  }
  const replaced = await ws.transaction(async (tx) => {
    const gone: { records: number; rejected: number }[] = [];
    for (const { stream, importId } of kept) {
      const previous = stream.previous;
      const key = `${group}:${windowStart}:${stream.name}`;
      const old =
        previous?.importId != null && previous.importId !== importId
          ? await releaseImport(tx, previous.importId, { source: 'cloudwatch', key })
          : { records: 0, rejected: 0 };
      const value: StreamCheckpoint = { importId, from: range.from, to: range.to, fetchedAt };
      await tx.setCheckpoint('cloudwatch', key, JSON.stringify(value));
      gone.push(old);
    }
    return gone;
  });
  for (const [i, { stream, added }] of kept.entries()) {
    // A stream without events in the window is checkpointed but is neither imported nor skipped.
    if (added.records + added.rejected > 0) summary.objects++;
    else if (stream.staged) summary.skipped++;
    summary.records += added.records - replaced[i]!.records;
    countRejects(summary, rejectUnit('cloudwatch', 'text'), added.rejected - replaced[i]!.rejected);
  }
}
