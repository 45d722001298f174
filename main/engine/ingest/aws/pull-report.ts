/**
 * What both pulls report while they run and when they end. `records` and `rejected` count what this run
 * added to the workspace (an object that replaced an older version of itself adds the difference).
 */
import type { WorkProgress } from '../../../../preload/contract';
import { FlowscopeError } from '../../errors';
import type { RejectsByUnit } from '../index';
import type { TimeBounds } from './s3-layout';
import { isoTimeMs, NOT_AN_ISO_TIME } from '../../../../queries/catalog/iso-time';

export interface PullSummary extends RejectsByUnit {
  records: number;
  /** Objects or stream windows whose records this run imported. */
  objects: number;
  /** Objects or stream windows already in the workspace, not fetched again or not counted twice. */
  skipped: number;
  failed: Array<{ key: string; error: string }>;
  /** Subscription deliveries (Firehose objects): CloudWatch's CONTROL_MESSAGE payloads, skipped. */
  controlMessages?: number;
  /**
   * Records earlier imports already held, stored once, not counted (for a CloudWatch window: imports that are
   * not pulled windows; ledger.dropRecordsHeldBefore).
   */
  heldBefore?: number;
  /** S3: objects passed over as not flow logs (empty, by their name, or refused before and unchanged). */
  passedOver?: number;
  /** S3: the same counts per account and region the keys name (null where a key names none). */
  sources?: SourceCounts[];
}

export interface SourceCounts {
  account: string | null;
  region: string | null;
  objects: number;
  skipped: number;
  failed: number;
  records: number;
  rejected: number;
}

export interface PullHooks {
  signal: AbortSignal;
  progress?: (p: WorkProgress) => void;
  /** A sentence for the analyst: the plan before a large fetch, a custom endpoint, a retry. */
  notice?: (message: string) => void;
}

export function emptySummary(): PullSummary {
  return { records: 0, rejected: 0, objects: 0, skipped: 0, failed: [] };
}

/** Runs tasks one after another in the order they were queued, whoever queues them. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.tail.then(task, task);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/** `--from` / `--to` as ms since the epoch; ISO 8601, UTC when without an offset; absent is open. */
export function requestBounds(from: string | null | undefined, to: string | null | undefined): TimeBounds {
  const parse = (s: string | null | undefined) => {
    if (!s) return null;
    const ms = isoTimeMs(s);
    if (ms === null) throw new FlowscopeError('bad_request', `"${s}" is ${NOT_AN_ISO_TIME}.`);
    return ms;
  };
  const bounds = { from: parse(from), to: parse(to) };
  if (bounds.from !== null && bounds.to !== null && bounds.from > bounds.to) {
    throw new FlowscopeError('bad_request', `The time range starts (${from}) after it ends (${to}).`, {
      option: 'from',
    });
  }
  return bounds;
}
