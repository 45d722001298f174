/**
 * What rejected records are, in words every count of them uses (the CLI, the job card, the Imports view).
 * Imports nothing but types, so the command line's output helpers can take it without loading the schemas.
 */
import type { JobSummary } from './jobs';
import type { RejectedLine } from './workspace';

/** What a rejected record is: a line of text, a log event, a Parquet row (`RejectedLine.unit`). */
export type RejectUnit = NonNullable<RejectedLine['unit']>;

/**
 * What an import's rejected records are, by where it came from (the ledger's `source` and `format`): log events
 * when it was read from JSON (CloudWatch exports, subscription deliveries) or pulled from CloudWatch, numbered by
 * their place among its events; a Parquet file's rows; else lines of text.
 */
export function rejectUnit(source: string, format: string): RejectUnit {
  if (source === 'cloudwatch' || /^cloudwatch-(json|subscription)/.test(format)) return 'event';
  return format.endsWith('parquet') ? 'row' : 'line';
}

/** A summary's rejected records by what they are, lines first: a count and a unit for each kind it has. */
export function rejectsByUnit(
  s: Pick<JobSummary, 'rejected' | 'rejectedEvents' | 'rejectedRows'>,
): [number, RejectUnit][] {
  const events = s.rejectedEvents ?? 0;
  const rows = s.rejectedRows ?? 0;
  const parts: [number, RejectUnit][] = [
    [s.rejected - events - rows, 'line'],
    [events, 'event'],
    [rows, 'row'],
  ];
  return parts.filter(([n]) => n > 0);
}
