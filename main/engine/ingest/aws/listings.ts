/**
 * Listings for the app's pickers: log groups, their streams, buckets. Each page passes the same retry and
 * rate limiting as a pull.
 */
import {
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  type CloudWatchLogsClient,
  type LogStream,
} from '@aws-sdk/client-cloudwatch-logs';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { logsClient, resolvedRegion, s3Client, type AwsTarget } from './clients';
import type { ErrorContext } from './errors';
import { LOGS_REQUESTS_PER_SECOND, sharedLimiter, tokenPages, withRetry, type RetryOptions } from './retry';
import { awsTarget } from './target';

const iso = (ms: number | Date | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

export async function listLogGroups(
  target: AwsTarget,
  prefix?: string,
): Promise<Array<{ name: string; storedBytes: number | null; created: string | null }>> {
  const client = logsClient(target);
  try {
    const limiter = sharedLimiter(
      { ...target, region: await resolvedRegion(client, target), operation: 'DescribeLogGroups' },
      LOGS_REQUESTS_PER_SECOND,
    );
    const groups: Array<{ name: string; storedBytes: number | null; created: string | null }> = [];
    const pages = tokenPages(
      { subject: 'the log groups', ...awsTarget(target) },
      (nextToken, abortSignal) =>
        client.send(new DescribeLogGroupsCommand({ ...(prefix ? { logGroupNamePrefix: prefix } : {}), nextToken }), {
          abortSignal,
        }),
      { limiter },
    );
    for await (const page of pages) {
      for (const g of page.logGroups ?? []) {
        if (g.logGroupName)
          groups.push({ name: g.logGroupName, storedBytes: g.storedBytes ?? null, created: iso(g.creationTime) });
      }
    }
    return groups;
  } finally {
    client.destroy();
  }
}

/** The streams of a log group (those whose name starts with `prefix`, when given): for the picker and the pull. */
export async function describeStreams(
  client: CloudWatchLogsClient,
  group: string,
  prefix: string | undefined,
  ctx: ErrorContext,
  retry: RetryOptions,
): Promise<LogStream[]> {
  const streams: LogStream[] = [];
  const pages = tokenPages(
    ctx,
    (nextToken, abortSignal) =>
      client.send(
        new DescribeLogStreamsCommand({
          logGroupName: group,
          ...(prefix ? { logStreamNamePrefix: prefix } : {}),
          nextToken,
        }),
        { abortSignal },
      ),
    { ...retry, operation: 'DescribeLogStreams' },
  );
  for await (const page of pages) streams.push(...(page.logStreams ?? []).filter((s) => s.logStreamName));
  return streams;
}

export async function listLogStreams(
  target: AwsTarget,
  logGroup: string,
  prefix?: string,
): Promise<Array<{ name: string; firstEvent: string | null; lastEvent: string | null }>> {
  const client = logsClient(target);
  try {
    const limiter = sharedLimiter(
      { ...target, region: await resolvedRegion(client, target), operation: 'DescribeLogStreams' },
      LOGS_REQUESTS_PER_SECOND,
    );
    const streams = await describeStreams(
      client,
      logGroup,
      prefix,
      { subject: `log group ${logGroup}`, ...awsTarget(target) },
      { limiter },
    );
    return streams.map((s) => ({
      name: s.logStreamName!,
      firstEvent: iso(s.firstEventTimestamp),
      lastEvent: iso(s.lastEventTimestamp),
    }));
  } finally {
    client.destroy();
  }
}

export async function listBuckets(target: AwsTarget): Promise<Array<{ name: string; created: string | null }>> {
  const client = s3Client(target);
  try {
    await resolvedRegion(client, target);
    const out = await withRetry({ subject: 'the buckets', ...awsTarget(target) }, (abortSignal) =>
      client.send(new ListBucketsCommand({}), { abortSignal }),
    );
    return (out.Buckets ?? []).filter((b) => b.Name).map((b) => ({ name: b.Name!, created: iso(b.CreationDate) }));
  } finally {
    client.destroy();
  }
}
