/**
 * What a remote query's calls share, on Athena and on CloudWatch Logs Insights: every call through the pulls'
 * retry and a rate limiter per operation (`ingest/aws/retry.ts`), so throttling is retried as there; polling
 * with backoff until the service says the query is done; and a stop sent to the service when Flowscope stops
 * waiting for a query (the caller cancels, or polling fails), even though the caller's signal may be aborted.
 */
import { FlowscopeError } from '../errors';
import type { AwsTarget } from '../ingest/aws/clients';
import { regionMissing } from '../ingest/aws/unreachable';
import { sharedLimiter, sleep, withRetry } from '../ingest/aws/retry';
import type { RemoteRetry } from './retry-notice';

export type RemoteCall = <T>(
  operation: string,
  fn: (signal: AbortSignal) => Promise<T>,
  signal?: AbortSignal,
) => Promise<T>;

function cancelled(): FlowscopeError {
  return new FlowscopeError('cancelled', 'The query was cancelled.');
}

/** Calls to one service for one query: `perSecond` spaces each operation below the service's quota. */
export function remoteCaller(
  target: AwsTarget & { retry?: RemoteRetry | undefined },
  subject: string,
  signal: AbortSignal,
  perSecond: (operation: string) => number,
): RemoteCall {
  return (operation, fn, callSignal = signal) =>
    withRetry({ subject, profile: target.profile, region: target.region, endpointUrl: target.endpointUrl }, fn, {
      ...target.retry?.timing,
      signal: callSignal,
      onRetry: (r) => target.retry?.onRetry?.({ ...r, operation }),
      limiter: sharedLimiter(
        { profile: target.profile, region: target.region ?? '', endpointUrl: target.endpointUrl, operation },
        perSecond(operation),
      ),
    }).catch((err: unknown) => {
      throw err instanceof FlowscopeError && err.code === 'cancelled' ? cancelled() : err;
    });
}

export interface PollTiming {
  /** First and longest wait between polls. */
  first: number;
  max: number;
}

export const DEFAULT_POLL: PollTiming = { first: 250, max: 5000 };

/** Asks `check` after a wait that doubles each time, until it answers something other than undefined. */
export async function pollUntil<T>(
  signal: AbortSignal,
  timing: PollTiming,
  check: () => Promise<T | undefined>,
): Promise<T> {
  for (let wait = timing.first; ; wait = Math.min(wait * 2, timing.max)) {
    await sleep(wait, signal).catch(() => {
      throw cancelled();
    });
    const done = await check();
    if (done !== undefined) return done;
  }
}

/**
 * Failures before a request leaves: no credentials to sign it with (the SDK's providers), no connection made
 * (nothing listens at the endpoint, its host name does not resolve).
 */
const NOT_SENT = new Set(['CredentialsProviderError', 'TokenProviderError', 'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Whether a start that failed so may have started the query: the service answered nothing (the connection
 * dropped, no answer in time, the caller gave up while it was on its way) or failed on its side (5xx) after
 * accepting it. A refusal (throttling, a malformed query, access denied) started nothing, nor did a request
 * that never left.
 */
export function mayHaveStarted(err: unknown): boolean {
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  if (NOT_SENT.has(e?.name ?? '') || NOT_SENT.has(e?.code ?? '') || regionMissing(err)) return false;
  const status = e?.$metadata?.httpStatusCode;
  return !(status !== undefined && status < 500);
}

/** The service ended the query itself (failed, cancelled or timed out there): there is nothing to stop. */
export class QueryEnded extends FlowscopeError {}

/**
 * Runs `work` on a query the service has accepted. When it fails for any reason but the query's own end (the
 * caller cancels, polling gives up, an answer cannot be read), `stop` goes out on a signal of its own (the
 * caller's may be aborted by then): a query Flowscope no longer waits for would run on, and be billed. The
 * error then names the query and whether it was stopped, so it can be found on the service.
 */
export async function stoppingOnFailure<T>(
  service: string,
  queryId: string,
  work: () => Promise<T>,
  stop: (signal: AbortSignal) => Promise<unknown>,
): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof QueryEnded) throw err;
    const stopped = await stop(new AbortController().signal).then(
      () => true,
      () => false,
    );
    const note = stopped
      ? `The query ${queryId} was stopped on ${service}.`
      : `Stopping the query ${queryId} on ${service} failed too: stop it there.`;
    throw naming(err, queryId, note);
  }
}

/**
 * Stops `queryId`, which a start that failed (cancelled, or given up) had begun unheard of, on a signal of its
 * own as a cancel's stop is, and answers `err` saying so: a query Flowscope no longer waits for would run on,
 * and be billed.
 */
export async function stopStartedUnheard(
  service: string,
  queryId: string,
  stop: (signal: AbortSignal) => Promise<unknown>,
  err: unknown,
): Promise<FlowscopeError> {
  const stopped = await stop(new AbortController().signal).then(
    () => true,
    () => false,
  );
  return naming(
    err,
    queryId,
    stopped
      ? `The query ${queryId} it had started was stopped on ${service}.`
      : `Stopping the query ${queryId} it had started on ${service} failed too: stop it there.`,
  );
}

/** `err`, with what became of the service's query `queryId` (undefined: not known) said after it. */
export function naming(err: unknown, queryId: string | undefined, note: string): FlowscopeError {
  const code = err instanceof FlowscopeError ? err.code : 'aws_error';
  const message = err instanceof Error ? err.message : String(err);
  return new FlowscopeError(code, `${message.replace(/\.?$/, '.')} ${note}`, {
    ...(queryId ? { remoteQueryId: queryId } : {}),
    note,
  });
}
