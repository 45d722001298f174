/**
 * The time-range picker's choices. Flow logs are explored after the fact, so "last hour" means the last
 * hour of the data in the workspace, not of the wall clock.
 */
import type { TimeRange, WorkspaceInfo } from '../../../preload/contract';

export type RangePreset = 'all' | '1h' | '6h' | '24h' | '7d' | 'custom';

export const RANGE_PRESETS: { value: RangePreset; label: string }[] = [
  { value: 'all', label: 'Whole workspace' },
  { value: '1h', label: 'Last hour of data' },
  { value: '6h', label: 'Last 6 hours of data' },
  { value: '24h', label: 'Last 24 hours of data' },
  { value: '7d', label: 'Last 7 days of data' },
  { value: 'custom', label: 'Custom…' },
];

const HOUR = 3_600_000;
const SPANS: Record<Exclude<RangePreset, 'all' | 'custom'>, number> = { '1h': HOUR, '6h': 6 * HOUR, '24h': 24 * HOUR, '7d': 168 * HOUR };

/** The range to send with a query; null means no limit (the whole workspace). */
export function resolveRange(preset: RangePreset, span: WorkspaceInfo['timeSpan'], custom: { from: string; to: string }): TimeRange | null {
  if (preset === 'all') return null;
  if (preset === 'custom') {
    // datetime-local inputs hold minutes ("YYYY-MM-DDTHH:MM"); the picker shows them as UTC.
    const from = custom.from ? `${custom.from}:00Z` : null;
    const to = custom.to ? `${custom.to}:00Z` : null;
    return from || to ? { from, to } : null;
  }
  if (!span) return null;
  const end = Date.parse(span.to);
  return { from: new Date(end - SPANS[preset]).toISOString(), to: span.to };
}

/** `YYYY-MM-DDTHH:MM` (what a datetime-local input holds) for an ISO time, in UTC. */
export function toLocalInput(iso: string): string {
  return new Date(iso).toISOString().slice(0, 16);
}
