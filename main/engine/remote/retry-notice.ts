/**
 * How a remote query's calls retry (a retry is said as a pull's is: `ingest/aws/retry-notice.ts`). A module
 * without the AWS SDK (types only from the retry), so the remote service can load it before the SDK is
 * loaded: a local query never loads the SDK (tests/integration/cli/cli-startup.test.ts).
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
