/**
 * How a retry of an AWS call is said as it happens, by a pull (its job's notices) and by a remote query (the
 * CLI's stderr, beside the running query in the app): one wording for both. Types only from the retry, so a
 * module without the AWS SDK: the remote service says it before the SDK is loaded, and a local query never
 * loads the SDK (tests/integration/cli/cli-startup.test.ts).
 */
import type { RetryInfo } from './retry';

/**
 * A retry as the analyst reads it: `Athena is throttling (GetQueryResults); retry 3 of 7 in 4.0 s`, or for a
 * call that failed otherwise `S3: GetObject failed (InternalError: …); retry 1 of 7 in 0.3 s`.
 */
export function retryNotice(service: string, r: RetryInfo): string {
  const seconds = r.delayMs < 10_000 ? (r.delayMs / 1000).toFixed(1) : String(Math.round(r.delayMs / 1000));
  const when = `retry ${r.attempt} of ${r.attempts - 1} in ${seconds} s`;
  const operation = r.operation ?? 'a request';
  // One line: the SDK adds a second to some reasons ("Deserialization error: to see the raw response, …").
  const reason = r.reason.split('\n')[0]!.trim();
  return r.throttled
    ? `${service} is throttling (${operation}); ${when}`
    : `${service}: ${operation} failed (${reason}); ${when}`;
}
