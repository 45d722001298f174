/**
 * Running a query where the data lives: Amazon Athena over the S3 bucket, CloudWatch Logs Insights over
 * log groups. The answer lands in the workspace as a kept result (it pages, sorts, charts, exports and pins
 * like a local one) with its provenance. Only names cross the contract: profile, region, table, log groups.
 */
import { z } from 'zod';
import { Dialect, QueryDiagnostic } from '../../queries/language/types';
import { ResultPage } from './query';
import { TimeRange } from './wire';

const AwsTarget = {
  profile: z.string().max(128).optional(),
  region: z.string().max(32).optional(),
  /** An Athena- or CloudWatch-compatible endpoint, as `--endpoint-url` of the AWS CLI. */
  endpointUrl: z.string().max(2048).optional(),
};

export const RemoteTarget = z.discriminatedUnion('engine', [
  z.object({
    engine: z.literal('athena'),
    /** `database.table`. */
    table: z.string().regex(/^[A-Za-z0-9_]+\.[A-Za-z0-9_]+$/, 'a table as database.table'),
    workgroup: z.string().max(128).optional(),
    /** Where Athena writes the result (`s3://…`); the workgroup's own when absent. */
    output: z
      .string()
      .regex(/^s3:\/\/[^/]+/, 'an s3:// location')
      .optional(),
    /** Refuse to run when the estimate is above this many bytes, or when no estimate can be made. */
    maxScanBytes: z.number().int().min(0).optional(),
    /** How the limit was written (`64GiB`: binary), so a refusal says sizes as the analyst does; decimal else. */
    maxScanUnits: z.enum(['decimal', 'binary']).optional(),
    /** With `maxScanBytes`: run even when no estimate can be made (the limit then goes unchecked). */
    withoutEstimate: z.boolean().optional(),
    /** Where the table's S3 objects are listed for the estimate, when S3 is not at `endpointUrl`. */
    s3EndpointUrl: z.string().max(2048).optional(),
    ...AwsTarget,
  }),
  z.object({
    engine: z.literal('cloudwatch'),
    logGroups: z.array(z.string().min(1).max(512)).min(1).max(50),
    ...AwsTarget,
  }),
]);
export type RemoteTarget = z.infer<typeof RemoteTarget>;

export const ScanEstimate = z.object({
  bytes: z.number(),
  /** US dollars at Athena's published price per TB scanned, with its 10 MB minimum per query. */
  costUsd: z.number(),
  /** What the estimate counted: the objects of the table's location in the time range's partitions. */
  basis: z.string(),
});
export type ScanEstimate = z.infer<typeof ScanEstimate>;

export const Provenance = z.object({
  engine: z.enum(['athena', 'cloudwatch']),
  /** Athena's query execution id, or CloudWatch's query id. */
  remoteQueryId: z.string(),
  /** The table or log groups it ran on. */
  target: z.string(),
  scannedBytes: z.number(),
  costUsd: z.number().optional(),
  timeRange: TimeRange.nullable(),
  /** True when the answer stopped at the rows kept: CloudWatch's 10,000, Athena's first 1,000,000. */
  capped: z.boolean().optional(),
  /**
   * Set when the answer holds only the rows found before a time limit stopped the query (CloudWatch's own, or
   * the run's timeout): why, and what to do for the whole answer, to be shown with it.
   */
  partial: z.string().optional(),
});
export type Provenance = z.infer<typeof Provenance>;

const RemoteQuery = z.object({
  query: z.string().max(100_000),
  dialect: Dialect.optional(),
  timeRange: TimeRange.optional(),
  target: RemoteTarget,
});

export const remoteChannels = {
  /** What would be sent, and (Athena) what it would scan and cost, without sending it. */
  'remote.plan': {
    input: RemoteQuery,
    output: z.object({
      dialect: Dialect,
      sent: z.string().nullable(),
      estimate: ScanEstimate.nullable(),
      diagnostics: z.array(QueryDiagnostic),
    }),
  },
  'remote.run': {
    input: RemoteQuery.extend({
      /** Chosen by the caller so that it can cancel the query (query.cancel) while it runs. */
      queryId: z.string().max(64).optional(),
      /** Stop the query (on the service too) when it has run this long; else the service's own limit applies. */
      timeoutMs: z.number().int().min(1).max(86_400_000).optional(),
      pageSize: z.number().int().min(0).max(10_000).default(200),
    }),
    output: ResultPage.extend({ dialect: Dialect, sent: z.string(), elapsedMs: z.number(), provenance: Provenance }),
  },
  /**
   * The `CREATE EXTERNAL TABLE` (partition projection) that fits a bucket of flow logs, read from its keys
   * and a text object's header; run on Athena only with `create`, after the analyst reviewed it.
   */
  'remote.athenaTable': {
    input: z.object({
      location: z
        .string()
        .max(2048)
        .regex(/^s3:\/\/[^/]+/, 'an s3:// location'),
      table: z.string().regex(/^[A-Za-z0-9_]+\.[A-Za-z0-9_]+$/, 'a table as database.table'),
      create: z.boolean().default(false),
      workgroup: z.string().max(128).optional(),
      output: z
        .string()
        .regex(/^s3:\/\/[^/]+/, 'an s3:// location')
        .optional(),
      /** Where the bucket is listed, when S3 is not at `endpointUrl` (Athena's). */
      s3EndpointUrl: z.string().max(2048).optional(),
      ...AwsTarget,
    }),
    output: z.object({
      ddl: z.string(),
      layout: z.object({
        format: z.enum(['text', 'parquet']),
        hive: z.boolean(),
        hourly: z.boolean(),
        firstDay: z.string(),
        accounts: z.array(z.string()),
        regions: z.array(z.string()),
        fields: z.array(z.string()),
      }),
      /** Keys the layout was read from. */
      keysRead: z.number(),
      /** Athena's query id of the CREATE, when it ran. */
      createdBy: z.string().nullable(),
    }),
  },
} as const;

export const remoteEvents = {
  /**
   * A sentence about a remote query still running, before its answer: a call retried, the service throttling
   * (`Athena is throttling (GetQueryResults); retry 3 of 7 in 4.0 s`). `queryId` is the caller's id of the run.
   */
  'remote.notice': z.object({ queryId: z.string().optional(), message: z.string() }),
} as const;
