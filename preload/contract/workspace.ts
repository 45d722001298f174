import { z } from 'zod';
import { IsoTime } from './wire';

export const ImportInfo = z.object({
  id: z.number().int(),
  source: z.string(), // 'file' | 's3' | 'cloudwatch' | 'demo'
  path: z.string(), // file path, s3://bucket/key, or log group/stream window
  format: z.string(),
  bytes: z.number(),
  records: z.number(),
  rejected: z.number(),
  importedAt: IsoTime,
});
export type ImportInfo = z.infer<typeof ImportInfo>;

export const WorkspaceInfo = z.object({
  path: z.string(),
  records: z.number(),
  rejected: z.number(),
  /**
   * The first record's start, the last record's end, and the newest record's start, where "the last hour of
   * data" ends: a time range selects records by their start.
   */
  timeSpan: z.object({ from: IsoTime, to: IsoTime, newestStart: IsoTime }).nullable(),
  imports: z.number(),
  schemaVersion: z.number().int(),
  /**
   * The file's storage format as DuckDB tags it (`v1.0.0+`), and whether it is the one new workspaces are
   * written in: an older file groups text columns several times slower until `workspace.compact` upgrades it.
   */
  storage: z.object({ version: z.string(), current: z.boolean() }),
});
export type WorkspaceInfo = z.infer<typeof WorkspaceInfo>;

export const RejectedLine = z.object({
  importId: z.number().int(),
  path: z.string(),
  /**
   * Where it was: a line of the file from 1, or (`unit` `event`) the log event's place among the file's events,
   * or (`row`) a Parquet file's row from 1.
   */
  line: z.number(),
  reason: z.string(),
  /** The line, or the event's message, as logged. */
  raw: z.string(),
  /**
   * What `line` counts: `event` for log events read from JSON (CloudWatch exports, Logs Insights results,
   * subscription deliveries, pulled windows), whose place is no line of the file; `row` for a Parquet file's
   * records; else a line.
   */
  unit: z.enum(['line', 'event', 'row']).optional(),
});
export type RejectedLine = z.infer<typeof RejectedLine>;

/**
 * The VPC ranges `direction()` is relative to, and where they come from: set in the workspace, inferred from
 * the records (each ENI's address → its /16 or /56), or the private ranges when there are no records.
 */
export const VpcRanges = z.object({
  cidrs: z.array(z.string()),
  source: z.enum(['workspace', 'data', 'default']),
});
export type VpcRanges = z.infer<typeof VpcRanges>;

const page = { offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(10_000).default(100) };

export const workspaceChannels = {
  'workspace.info': { input: z.object({}), output: WorkspaceInfo },
  /** Oldest first, as they were made; `newestFirst` pages from the newest, as a list of what was done reads. */
  'workspace.imports': {
    input: z.object({ ...page, newestFirst: z.boolean().optional() }),
    output: z.object({ total: z.number(), imports: z.array(ImportInfo) }),
  },
  'workspace.removeImport': {
    input: z.object({ importId: z.number().int() }),
    /**
     * The records the workspace no longer holds: those the import held for later overlapping CloudWatch
     * imports (which left them out, as held) stay, theirs now, and are not counted.
     */
    output: z.object({ removedRecords: z.number() }),
  },
  'workspace.compact': { input: z.object({}), output: z.object({ bytesBefore: z.number(), bytesAfter: z.number() }) },
  'workspace.vpcRanges': { input: z.object({}), output: VpcRanges },
  /** An empty list clears the workspace's own ranges: those seen in the data apply again. */
  'workspace.setVpcRanges': {
    input: z.object({ cidrs: z.array(z.string().max(100)).max(1000) }),
    output: VpcRanges,
  },
  'workspace.rejected': {
    input: z.object({ importId: z.number().int().optional(), ...page }),
    output: z.object({ total: z.number(), lines: z.array(RejectedLine) }),
  },
} as const;
