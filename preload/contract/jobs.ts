import { z } from 'zod';
import { PullCounts } from './pull';

export const JobState = z.enum(['running', 'done', 'failed', 'cancelled']);

/** What a finished job reports; import and pulls fill the parts that apply. */
export const JobSummary = z.object({
  records: z.number(),
  rejected: z.number(),
  /** Of `rejected`, the log events (read from JSON, pulled from CloudWatch) and the Parquet rows; the rest are lines. */
  rejectedEvents: z.number().int().optional(),
  rejectedRows: z.number().int().optional(),
  files: z
    .array(
      z.object({
        path: z.string(),
        records: z.number(),
        rejected: z.number(),
        status: z.enum(['imported', 'already-imported', 'failed']),
        error: z.string().optional(),
        importId: z.number().int().optional(),
        /** Already imported under other bytes (a gzip'd copy, other line ends): where the same records came from. */
        sameRecordsAs: z.string().optional(),
        /** CloudWatch records that earlier exports (or, for an export, pulls) already held: stored once, not counted. */
        heldBefore: z.number().int().optional(),
        /** Subscription deliveries: CloudWatch's CONTROL_MESSAGE payloads, skipped. */
        controlMessages: z.number().int().optional(),
      }),
    )
    .default([]),
  /**
   * Imports: files in the folders given that are other AWS deliveries (CloudTrail, Config), empty, or downloads
   * `aws s3 sync` has not finished, passed over.
   */
  passedOver: z.number().int().optional(),
  /** Pulls: objects or stream windows imported, skipped as already there, and those that failed. */
  pull: PullCounts.optional(),
});
export type JobSummary = z.infer<typeof JobSummary>;

export const JobInfo = z.object({
  jobId: z.string(),
  kind: z.string(), // 'import' | 'pull.s3' | 'pull.cloudwatch'
  state: JobState,
  summary: JobSummary.optional(),
  error: z.string().optional(),
});
export type JobInfo = z.infer<typeof JobInfo>;

/** How far a piece of work has come: imports, pulls and the jobs that run them all report this one shape. */
export const WorkProgress = z.object({
  /** What is being worked on now: a file path, an object key, a stream window. */
  current: z.string().optional(),
  bytesDone: z.number(),
  bytesTotal: z.number().nullable(),
  itemsDone: z.number(),
  itemsTotal: z.number().nullable(),
  records: z.number(),
  rejected: z.number(),
});
export type WorkProgress = z.infer<typeof WorkProgress>;

/** A job's progress as `job.progress` carries it: the work's, with the job and what the runner derives. */
export const JobProgress = WorkProgress.extend({
  jobId: z.string(),
  kind: z.string(),
  /** Bytes per second over the job so far. */
  rate: z.number(),
  /** Estimated milliseconds left, when the total is known. */
  etaMs: z.number().nullable(),
});
export type JobProgress = z.infer<typeof JobProgress>;

export const jobChannels = {
  'job.list': { input: z.object({}), output: z.array(JobInfo) },
  'job.cancel': { input: z.object({ jobId: z.string() }), output: z.object({ cancelled: z.boolean() }) },
  /** Waits until the job ends and answers with its final state. */
  'job.wait': { input: z.object({ jobId: z.string() }), output: JobInfo },
} as const;

export const jobEvents = {
  'job.progress': JobProgress,
  'job.state': JobInfo,
} as const;
