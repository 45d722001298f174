/**
 * AWS SDK clients for pulls, built from what the analyst chose: a profile name, a region, an endpoint URL.
 * Credentials come from the SDK's own providers (environment, shared config and credentials files, SSO,
 * assume-role, process, IMDS), so Flowscope never sees, stores or logs keys and tokens.
 *
 * Retries are switched off in the SDK (`maxAttempts: 1`) because `retry.ts` owns them: every attempt must
 * pass the rate limiter so that a pull stays within the service's documented request rate.
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { S3Client } from '@aws-sdk/client-s3';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { FlowscopeError } from '../../errors';
import { checkProfileExists } from './profiles';

export interface AwsTarget {
  /** A profile of the shared config files; the default chain when absent. */
  profile?: string | undefined;
  /** Explicit region; otherwise the profile's or the environment's. */
  region?: string | undefined;
  /** An S3- or CloudWatch-compatible endpoint, as `--endpoint-url` of the AWS CLI. */
  endpointUrl?: string | undefined;
}

/**
 * The SDK warns in seven lines on stderr, once per process, that its releases from January 2027 need Node.js
 * 22; a pull says it in one line instead (`runtimeNotice`). Set before the first client is made, which is
 * when the SDK checks.
 */
if (!process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED)
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** What a pull notes about the Node.js it runs on, if anything. */
export function runtimeNotice(nodeVersion: string = process.versions.node): string | undefined {
  return Number(nodeVersion.split('.')[0]) < 22
    ? `Node.js ${nodeVersion} is past its end of life; the AWS SDK's releases from January 2027 need Node.js 22 or newer.`
    : undefined;
}

/** Milliseconds a single request may take before it is abandoned and retried. */
const REQUEST_TIMEOUT_MS = 30_000;

function common(target: AwsTarget) {
  if (target.profile) checkProfileExists(target.profile);
  return {
    ...(target.profile ? { profile: target.profile } : {}),
    ...(target.region ? { region: target.region } : {}),
    ...(target.endpointUrl ? { endpoint: checkedEndpoint(target.endpointUrl) } : {}),
    credentials: fromNodeProviderChain(target.profile ? { profile: target.profile } : {}),
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 10_000, requestTimeout: REQUEST_TIMEOUT_MS },
  };
}

export function s3Client(target: AwsTarget): S3Client {
  return new S3Client({
    ...common(target),
    // S3-compatible servers rarely resolve bucket subdomains or agree on the newer checksum headers.
    ...(target.endpointUrl
      ? {
          forcePathStyle: true,
          requestChecksumCalculation: 'WHEN_REQUIRED' as const,
          responseChecksumValidation: 'WHEN_REQUIRED' as const,
        }
      : {}),
  });
}

export function logsClient(target: AwsTarget): CloudWatchLogsClient {
  return new CloudWatchLogsClient(common(target));
}

export function athenaClient(target: AwsTarget): AthenaClient {
  return new AthenaClient(common(target));
}

function checkedEndpoint(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FlowscopeError('bad_request', `The endpoint URL "${url}" is not a URL.`, { option: 'endpoint-url' });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new FlowscopeError('bad_request', `The endpoint URL "${url}" must start with http:// or https://.`, {
      option: 'endpoint-url',
    });
  }
  return url;
}

/**
 * A sentence for the output when requests (and so signed credentials) go to a custom endpoint that is not
 * this machine; null for AWS itself and for loopback test servers.
 */
export function endpointNotice(target: AwsTarget): string | null {
  if (!target.endpointUrl) return null;
  const host = new URL(checkedEndpoint(target.endpointUrl)).hostname.replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  return loopback ? null : `Requests signed with your AWS credentials go to the custom endpoint ${target.endpointUrl}.`;
}

/** Where a pull's region came from does not matter to the SDK, but a missing one needs a human answer. */
export async function resolvedRegion(
  client: S3Client | CloudWatchLogsClient | AthenaClient,
  target: AwsTarget,
): Promise<string> {
  try {
    return await client.config.region();
  } catch {
    throw noRegion(target);
  }
}

/** The SDK found no region for the target: where one was looked for, and how to give one. */
export function noRegion(target: AwsTarget): FlowscopeError {
  const where = target.profile ? `the profile "${target.profile}" has no region` : 'no region is configured';
  return new FlowscopeError('aws_error', `No AWS region: ${where}. Choose a Region (or set AWS_REGION).`, {
    option: 'region',
  });
}
