/**
 * Politeness and persistence for AWS calls: a rate limiter that spaces requests so a pull never exceeds the
 * service's documented rate, and a retry loop with exponential backoff and full jitter for throttling, 5xx,
 * dropped connections and slow responses (a service not reached at all gets one more try, `unreachable.ts`). Each attempt passes the limiter again, so retries count too.
 */
import { FlowscopeError } from '../../errors';
import { classifyAwsError, type ErrorContext } from './errors';
import { UNREACHABLE_ATTEMPTS } from './unreachable';

/** Spaces calls at least `1000 / perSecond` ms apart, in the order they asked. */
export class RateLimiter {
  private next = 0;
  private readonly gapMs: number;

  constructor(perSecond: number) {
    this.gapMs = 1000 / perSecond;
  }

  async take(signal?: AbortSignal): Promise<void> {
    const now = performance.now();
    const at = Math.max(now, this.next);
    this.next = at + this.gapMs;
    // Timers may fire a fraction of a millisecond early; the spacing is a promise, so wait it out fully.
    while (performance.now() < at) await sleep(Math.ceil(at - performance.now()), signal);
  }
}

/** CloudWatch Logs allows FilterLogEvents and the Describe calls 5 requests per second per account and region; stay a little below. */
export const LOGS_REQUESTS_PER_SECOND = 4.5;

const shared = new Map<string, RateLimiter>();

/**
 * The one limiter of an operation for an account and region (as far as this process can tell: the same
 * profile, region and endpoint), so that pulls and listings running side by side share the service's rate.
 */
export function sharedLimiter(
  key: { profile?: string | undefined; region: string; endpointUrl?: string | undefined; operation: string },
  perSecond: number,
): RateLimiter {
  const id = JSON.stringify([key.profile ?? '', key.region, key.endpointUrl ?? '', key.operation]);
  let limiter = shared.get(id);
  if (!limiter) shared.set(id, (limiter = new RateLimiter(perSecond)));
  return limiter;
}

/** A retry about to be made: after which attempt, of how many in all, how soon, and why. */
export interface RetryInfo {
  attempt: number;
  attempts: number;
  delayMs: number;
  reason: string;
  /** The service refused the request rate (throttling), rather than failed. */
  throttled: boolean;
  /** The call retried (`GetObject`, `FilterLogEvents`), when the caller named it. */
  operation?: string;
}

export interface RetryOptions {
  limiter?: RateLimiter | undefined;
  signal?: AbortSignal | undefined;
  /** Attempts in all, the first one included. */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** An attempt that takes longer is abandoned and counts as a failure to retry. */
  attemptTimeoutMs?: number;
  onRetry?: (info: RetryInfo) => void;
  /** The call's name in the service's API, for `onRetry` (`retryNotice` says it). */
  operation?: string;
  random?: () => number;
}

/** The delay before retry number `attempt` (1-based): uniform in [0, min(max, base·2^attempt)]. */
export function backoffDelay(attempt: number, base: number, max: number, random: () => number = Math.random): number {
  return Math.round(random() * Math.min(max, base * 2 ** attempt));
}

/**
 * Runs `fn` until it succeeds, a permanent error occurs, or the attempts run out. Errors that concern one
 * object only are thrown as `FlowscopeError('aws_error')` with `detail.perObject`, so the caller can go on.
 */
export async function withRetry<T>(
  ctx: ErrorContext,
  fn: (signal: AbortSignal) => Promise<T>,
  opts: RetryOptions = {},
): Promise<T> {
  const attempts = opts.attempts ?? 8;
  const base = opts.baseDelayMs ?? 200;
  const max = opts.maxDelayMs ?? 20_000;
  const parent = opts.signal ?? new AbortController().signal;
  for (let attempt = 1; ; attempt++) {
    throwIfCancelled(parent);
    await opts.limiter?.take(parent);
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), opts.attemptTimeoutMs ?? 60_000);
    const signal = AbortSignal.any([parent, timeout.signal]);
    let reason: string;
    let throttled = false;
    // A service not reached gets fewer attempts in all (`UNREACHABLE_ATTEMPTS`): its retry is said as 1 of 1, not 1 of 7.
    let allowed = attempts;
    try {
      return await fn(signal);
    } catch (err) {
      throwIfCancelled(parent);
      if (timeout.signal.aborted) {
        reason = `no answer within ${opts.attemptTimeoutMs ?? 60_000} ms`;
      } else {
        const verdict = classifyAwsError(err, ctx);
        if (verdict.kind === 'cancelled') throw pullCancelled();
        if (verdict.kind === 'fatal') throw verdict.error;
        if (verdict.kind === 'object') throw new FlowscopeError('aws_error', verdict.reason, { perObject: true });
        if (verdict.kind === 'unreachable') {
          if (attempt >= UNREACHABLE_ATTEMPTS) throw verdict.error;
          reason = verdict.error.message;
          allowed = Math.min(attempts, UNREACHABLE_ATTEMPTS);
        } else {
          reason = verdict.reason;
          throttled = verdict.throttled === true;
        }
      }
    } finally {
      clearTimeout(timer);
    }
    if (attempt >= attempts) {
      // Throttling to the end is the account's request rate used up, not a failure of this request: said so.
      const why = throttled
        ? `: the service was still throttling the requests (${reason}), as it does when this or other work uses up the account's request rate; try again in a minute`
        : ` (${reason})`;
      throw new FlowscopeError('aws_error', `${ctx.subject}: gave up after ${attempts} attempts${why}`, {
        perObject: ctx.perObject === true,
        ...(throttled ? { throttled } : {}),
      });
    }
    const delayMs = backoffDelay(attempt, base, max, opts.random);
    opts.onRetry?.({
      attempt,
      attempts: allowed,
      delayMs,
      reason,
      throttled,
      ...(opts.operation ? { operation: opts.operation } : {}),
    });
    await sleep(delayMs, parent);
  }
}

/**
 * Pages in a row whose token was answered before (the one sent, or a loop of them) before a paged call is
 * given up on: once now and then a passing hiccup, page after page a loop that would never end.
 */
export const STALE_PAGES = 10;

/**
 * A paged call's guard against a token loop, called with each page's token: it fails once `STALE_PAGES` pages in
 * a row answered a token given before. `answered`: who answered which token (`S3 answered a continuation
 * token`), `operation` the call (named where known), `ending` what the message ends with.
 */
export function tokenLoopGuard(
  answered: string,
  operation: string | undefined,
  ending = '; its listing does not move on',
): (token: string) => void {
  const seen = new Set<string>();
  let stale = 0;
  return (token) => {
    stale = seen.has(token) ? stale + 1 : 0;
    if (stale === STALE_PAGES)
      throw new FlowscopeError(
        'aws_error',
        `${answered} it had given before ${STALE_PAGES} times in a row${operation ? ` (${operation})` : ''}${ending}`,
      );
    seen.add(token);
  };
}

/**
 * Every page of an AWS listing that goes on with `nextToken` (CloudWatch Logs' DescribeLogGroups,
 * DescribeLogStreams, FilterLogEvents, empty pages that still carry a token included), each page through
 * `withRetry`: rate limit, backoff, cancel. A token answered again `STALE_PAGES` pages in a row fails it.
 */
export async function* tokenPages<P extends { nextToken?: string | undefined }>(
  ctx: ErrorContext,
  request: (nextToken: string | undefined, abortSignal: AbortSignal) => Promise<P>,
  opts: RetryOptions = {},
): AsyncGenerator<P> {
  let nextToken: string | undefined;
  const guard = tokenLoopGuard(`${ctx.subject}: the service answered a page token`, opts.operation);
  do {
    const page = await withRetry(ctx, (abortSignal) => request(nextToken, abortSignal), opts);
    yield page;
    nextToken = page.nextToken;
    if (nextToken === undefined) break;
    guard(nextToken);
  } while (nextToken);
}

export function isPerObjectError(err: unknown): boolean {
  return err instanceof FlowscopeError && (err.detail as { perObject?: boolean } | undefined)?.perObject === true;
}

/** How a pull that was cancelled ends. */
export function pullCancelled(): FlowscopeError {
  return new FlowscopeError('cancelled', 'The pull was cancelled.');
}

function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw pullCancelled();
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(pullCancelled());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(pullCancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
