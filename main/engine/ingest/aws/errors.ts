/**
 * What an AWS SDK error means for a pull: try the request again, give up on this one object and go on, or
 * stop the pull. The message is for the analyst and says what to do where there is something to do.
 */
import { FlowscopeError } from '../../errors';
import type { AwsTarget } from './clients';
import { unreachable } from './unreachable';

export type ErrorVerdict =
  /** Throttling, 5xx, a dropped connection or a slow response: wait and send it again. */
  | { kind: 'retry'; reason: string; throttled?: boolean }
  /** Only this object cannot be read (archived, its KMS key denied, gone, corrupt): report it, go on. */
  | { kind: 'object'; reason: string }
  /** The service cannot be reached (nothing listens, the host does not resolve): worth one more try at most. */
  | { kind: 'unreachable'; error: FlowscopeError }
  /** Nothing else will work either (credentials, permissions, a missing bucket or log group). */
  | { kind: 'fatal'; error: FlowscopeError }
  | { kind: 'cancelled' };

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

/** The service saying it refuses the request rate (not that it failed): said as throttling. */
const RATE_REFUSED = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'SlowDown',
  'RequestLimitExceeded',
  'RequestThrottled',
  'ProvisionedThroughputExceededException',
]);
/** Worth another try: the rate refused, or the service busy, failing inside or too slow to answer. */
const THROTTLING = new Set([
  ...RATE_REFUSED,
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalError',
  'InternalFailure',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);
const NETWORK = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ERR_STREAM_PREMATURE_CLOSE',
]);
const CREDENTIALS = new Set([
  'CredentialsProviderError',
  'TokenProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
]);

/** What the request was about, and where it went (the region and endpoint, for a service not reached). */
export interface ErrorContext extends AwsTarget {
  /** What the request was about, for the message: `s3://bucket/key`, `log group /vpc/flow`. */
  subject: string;
  /** True for reading one S3 object, where a denial concerns that object only. */
  perObject?: boolean;
}

export function classifyAwsError(err: unknown, ctx: ErrorContext): ErrorVerdict {
  const e = (err ?? {}) as SdkErrorShape;
  const name = e.name ?? '';
  const message = e.message ?? String(err);
  if (name === 'AbortError' && !/timed? ?out/i.test(message)) return { kind: 'cancelled' };
  if (err instanceof FlowscopeError) {
    return err.code === 'cancelled' ? { kind: 'cancelled' } : { kind: 'fatal', error: err };
  }
  const notReached = unreachable(err, ctx);
  if (notReached) return { kind: 'unreachable', error: notReached };
  const status = e.$metadata?.httpStatusCode;
  if (RATE_REFUSED.has(name) || status === 429)
    return { kind: 'retry', reason: `${name || `HTTP ${status}`}: ${message}`, throttled: true };
  if (THROTTLING.has(name) || NETWORK.has(e.code ?? '') || NETWORK.has(name))
    return { kind: 'retry', reason: `${name || e.code}: ${message}` };
  if (e.$fault === 'server' || (status !== undefined && status >= 500))
    return { kind: 'retry', reason: `${name || `HTTP ${status}`}: ${message}` };
  if (/socket hang up|premature close|aborted|body length|network|timeout/i.test(message) && !e.$metadata) {
    return { kind: 'retry', reason: message };
  }
  if (CREDENTIALS.has(name)) return { kind: 'fatal', error: credentialsError(name, message, ctx) };
  if (ctx.perObject) {
    if (name === 'InvalidObjectState' || /storage class|restore/i.test(message)) {
      return { kind: 'object', reason: 'archived (Glacier or Deep Archive): restore the object before pulling it' };
    }
    if (/kms/i.test(name) || ((name === 'AccessDenied' || status === 403) && /kms|key/i.test(message))) {
      return { kind: 'object', reason: `KMS key access denied: ${message}` };
    }
    if (name === 'AccessDenied' || status === 403) return { kind: 'object', reason: `access denied: ${message}` };
    if (name === 'NoSuchKey' || status === 404)
      return { kind: 'object', reason: 'the object was deleted after it was listed' };
  }
  return { kind: 'fatal', error: permanentError(name, message, status, ctx) };
}

/**
 * Whose credentials the SDK's chain used: the profile named, else `AWS_PROFILE`'s (the chain then passes over
 * the environment's keys), else the environment's keys, else the default profile's.
 */
function whoseCredentials(profile: string | undefined): string {
  const named = profile ?? process.env.AWS_PROFILE;
  if (named) return `of profile "${named}"`;
  if (process.env.AWS_ACCESS_KEY_ID) return 'in the environment (AWS_ACCESS_KEY_ID)';
  return 'of profile "default"';
}

function credentialsError(name: string, message: string, ctx: ErrorContext): FlowscopeError {
  const profile = ctx.profile ?? 'default';
  if (/sso/i.test(message) && /expired|refresh|token/i.test(message)) {
    return new FlowscopeError(
      'aws_error',
      `The AWS SSO session of profile "${profile}" has expired. Run: aws sso login --profile ${profile}`,
      { name },
    );
  }
  if (/expired/i.test(name) || /expired/i.test(message)) {
    return new FlowscopeError(
      'aws_error',
      `The AWS credentials ${whoseCredentials(ctx.profile)} have expired; refresh them and try again. (${message})`,
      { name },
    );
  }
  if (/could not load credentials|unable to load credentials/i.test(message)) {
    return new FlowscopeError(
      'aws_error',
      `No AWS credentials found for profile "${profile}". Configure the profile (aws configure) or choose another profile.`,
      { name, option: 'profile' },
    );
  }
  return new FlowscopeError(
    'aws_error',
    `AWS refused the credentials ${whoseCredentials(ctx.profile)} (${name}): ${message}`,
    { name },
  );
}

function permanentError(name: string, message: string, status: number | undefined, ctx: ErrorContext): FlowscopeError {
  if (name === 'ResourceNotFoundException')
    return new FlowscopeError('not_found', `Not found: ${ctx.subject} (${message})`, { name });
  if (name === 'NoSuchBucket') return new FlowscopeError('not_found', `No such bucket: ${ctx.subject}`, { name });
  if (/AccessDenied/.test(name) || status === 403) {
    return new FlowscopeError(
      'aws_error',
      `Access denied to ${ctx.subject}${ctx.profile ? ` for profile "${ctx.profile}"` : ''}: ${message}`,
      { name },
    );
  }
  return new FlowscopeError('aws_error', `AWS error on ${ctx.subject}: ${name ? `${name}: ` : ''}${message}`, {
    name,
    status,
  });
}
