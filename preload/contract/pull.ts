/**
 * Pulls from AWS (S3 and CloudWatch Logs) and the listings the app's pickers need. Only names cross the
 * contract — profiles, regions, buckets, log groups, streams — never keys or tokens: credentials stay with
 * the AWS SDK's own providers in the engine.
 */
import { z } from 'zod';
import { IsoTime } from './wire';

/** Where requests go and as whom: a profile of the shared config files, a region, an endpoint URL. */
export const AwsTarget = z.object({
  profile: z.string().min(1).max(128).optional(),
  region: z
    .string()
    .regex(/^[a-z0-9-]{2,32}$/)
    .optional(),
  endpointUrl: z.string().url().max(2048).optional(),
});
export type AwsTarget = z.infer<typeof AwsTarget>;

const LogFormat = z.string().max(4096);

export const PullS3Input = AwsTarget.extend({
  url: z
    .string()
    .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, 'an S3 URL like s3://bucket/prefix/')
    .max(2048),
  from: IsoTime.nullable().optional(),
  to: IsoTime.nullable().optional(),
  logFormat: LogFormat.optional(),
  concurrency: z.number().int().min(1).max(16).default(4),
  /** Only objects whose keys name one of these accounts / regions (AWSLogs and Security Lake layouts). */
  accounts: z
    .array(z.string().regex(/^\d{12}$/, 'a 12-digit account ID'))
    .max(1000)
    .optional(),
  regions: z
    .array(z.string().regex(/^[a-z0-9-]{2,32}$/, 'a region like us-east-1'))
    .max(100)
    .optional(),
});

export const PullCloudWatchInput = AwsTarget.extend({
  logGroup: z.string().regex(/^[\w#/.-]{1,512}$/, 'a log group name'),
  from: IsoTime.nullable().optional(),
  to: IsoTime.nullable().optional(),
  streamPrefix: z.string().max(512).optional(),
  logFormat: LogFormat.optional(),
});

/** What a pull adds to the job summary. */
export const PullCounts = z.object({
  objects: z.number(),
  skipped: z.number(),
  failed: z.array(z.object({ key: z.string(), error: z.string() })),
  /** Subscription deliveries: CloudWatch's CONTROL_MESSAGE payloads, skipped. */
  controlMessages: z.number().optional(),
  /** Records earlier imports already held, stored once, not counted (ledger.dropRecordsHeldBefore). */
  heldBefore: z.number().optional(),
  /** S3: objects passed over as not flow logs (empty, by their name, or refused before and unchanged). */
  passedOver: z.number().optional(),
  /** S3: per account and region the keys name (null where a key names none). */
  sources: z
    .array(
      z.object({
        account: z.string().nullable(),
        region: z.string().nullable(),
        objects: z.number(),
        skipped: z.number(),
        failed: z.number(),
        records: z.number(),
        rejected: z.number(),
      }),
    )
    .optional(),
});

export const AwsProfile = z.object({
  name: z.string(),
  region: z.string().optional(),
  kind: z.enum(['keys', 'sso', 'assume-role', 'process', 'other']),
});

export const pullChannels = {
  'pull.s3': { input: PullS3Input, output: z.object({ jobId: z.string() }) },
  'pull.cloudwatch': { input: PullCloudWatchInput, output: z.object({ jobId: z.string() }) },
  /** Profiles of the shared config and credentials files, by name and kind. */
  'aws.profiles': { input: z.object({}), output: z.object({ profiles: z.array(AwsProfile) }) },
  'aws.logGroups': {
    input: AwsTarget.extend({ prefix: z.string().max(512).optional() }),
    output: z.object({
      groups: z.array(z.object({ name: z.string(), storedBytes: z.number().nullable(), created: IsoTime.nullable() })),
    }),
  },
  'aws.streams': {
    input: AwsTarget.extend({ logGroup: z.string().min(1).max(512), prefix: z.string().max(512).optional() }),
    output: z.object({
      streams: z.array(z.object({ name: z.string(), firstEvent: IsoTime.nullable(), lastEvent: IsoTime.nullable() })),
    }),
  },
  'aws.buckets': {
    input: AwsTarget,
    output: z.object({ buckets: z.array(z.object({ name: z.string(), created: IsoTime.nullable() })) }),
  },
} as const;

/**
 * The channels that act with the user's AWS credentials (everything but `aws.profiles`, which reads only
 * names from the config files), the remote queries of contract/remote.ts included. Under Electron the
 * renderer's port refuses them: only main calls them, after the user confirmed in a native dialog
 * (main/electron/aws-consent.ts). A new channel whose input holds an AWS target, at any depth, belongs here
 * (a unit test checks it).
 */
export const credentialChannels = [
  'pull.s3',
  'pull.cloudwatch',
  'aws.logGroups',
  'aws.streams',
  'aws.buckets',
  'remote.plan',
  'remote.run',
  'remote.athenaTable',
] as const;
export type CredentialChannel = (typeof credentialChannels)[number];

export function isCredentialChannel(channel: string): channel is CredentialChannel {
  return (credentialChannels as readonly string[]).includes(channel);
}

export const pullEvents = {
  /** A sentence about a running pull: what it is about to fetch, a custom endpoint, a retry. */
  'pull.notice': z.object({ jobId: z.string(), message: z.string() }),
} as const;
