/**
 * How a remote query's calls retry, and how a retry is said while the query runs. A module without the AWS
 * SDK (types only from the retry), so the remote service can say it before the SDK is loaded: a local query
 * never loads the SDK (tests/integration/cli/cli-startup.test.ts).
 */
import type { RetryInfo, RetryOptions } from '../ingest/aws/retry';

/** How a remote query's calls retry, and who hears of each retry. */
export interface RemoteRetry {
  /**
   * Told before each retry of a call (its operation named), so a query the service throttles for minutes is
   * not silent meanwhile.
   */
  onRetry?: (retry: RetryInfo & { operation: string }) => void;
  /** Attempts and backoff; the pulls' when absent (tests shorten them). */
  timing?: Pick<RetryOptions, 'attempts' | 'baseDelayMs' | 'maxDelayMs'>;
}

/** A retry as the analyst reads it while the query runs: `Athena is throttling (GetQueryResults); retry 3 of 7 in 4 s`. */
export function retryNotice(service: string, r: RetryInfo & { operation: string }): string {
  const seconds = r.delayMs < 10_000 ? (r.delayMs / 1000).toFixed(1) : String(Math.round(r.delayMs / 1000));
  const when = `retry ${r.attempt} of ${r.attempts - 1} in ${seconds} s`;
  return r.throttled
    ? `${service} is throttling (${r.operation}); ${when}`
    : `${service}: ${r.operation} failed (${r.reason}); ${when}`;
}
