/**
 * The time-range picker's choices. Flow logs are explored after the fact, so "last hour" means the last
 * hour of the data in the workspace (up to its newest record), not of the wall clock. A custom range is
 * two ISO instants; brushing a time-series chart sets one.
 */
import type { TimeRange, WorkspaceInfo } from '../../../preload/contract';
import type { SavedTimeRange } from '../../../queries/library/saved-query';
import { afterNewest, lastOfClock, lastOfData } from '../../../queries/library/span';
import { formatTime, zoneName, type TimeZoneChoice } from './cell-format';

export type RangePreset = 'all' | '15m' | '1h' | '24h' | '7d' | 'custom';

export const RANGE_PRESETS: { value: RangePreset; label: string }[] = [
  { value: 'all', label: 'Whole workspace' },
  { value: '15m', label: 'Last 15 minutes of data' },
  { value: '1h', label: 'Last hour of data' },
  { value: '24h', label: 'Last 24 hours of data' },
  { value: '7d', label: 'Last 7 days of data' },
  { value: 'custom', label: 'Custom…' },
];

/** A preset's name on the engine the query runs on: remote data is live, so its last hour is the clock's. */
export function rangeLabel(
  option: { value: RangePreset; label: string },
  engine: 'local' | 'athena' | 'cloudwatch',
): string {
  if (engine === 'local' || option.value === 'custom') return option.label;
  if (option.value === 'all') return engine === 'athena' ? 'Whole table' : 'Last hour (CloudWatch default)';
  return option.label.replace(/ of data$/, '');
}

export interface CustomRange {
  from: string | null;
  to: string | null;
}

/** A custom range whose To is not after its From: it holds no instant, and the picker refuses it. */
export function endsBeforeStart(range: CustomRange): boolean {
  return range.from !== null && range.to !== null && Date.parse(range.from) >= Date.parse(range.to);
}

/** The range to send with a query; null means no limit (the whole workspace). */
export function resolveRange(
  preset: RangePreset,
  span: WorkspaceInfo['timeSpan'],
  custom: CustomRange,
): TimeRange | null {
  if (preset === 'all') return null;
  if (preset === 'custom') return custom.from || custom.to ? { from: custom.from, to: custom.to } : null;
  return span && lastOfData(preset, span.newestStart);
}

/**
 * The time range choice shared by the workbench and the dashboards: choosing a range in one shows in the
 * other (the Workbench owns it, the dashboard reads and sets the same fields).
 */
export interface RangeChoice {
  preset: RangePreset;
  custom: CustomRange;
  readonly timeRange: TimeRange | null;
  /** The workspace, for the span of its data (what "Whole workspace" is when Custom… starts from it). */
  readonly info: WorkspaceInfo | null;
}

/**
 * The two ends Custom… opens with: the range in force when it is chosen (a preset's, worked out as its query
 * would run; the whole workspace's span of data), so the analyst edits that range rather than starting blank.
 */
export function customStart(
  preset: RangePreset,
  custom: CustomRange,
  span: WorkspaceInfo['timeSpan'],
  engine: 'local' | 'athena' | 'cloudwatch',
  nowMs: number,
): CustomRange {
  const range =
    engine !== 'local'
      ? remoteRange(preset, custom, nowMs)
      : (resolveRange(preset, span, custom) ??
        (span ? { from: span.from, to: isoAt(afterNewest(span.newestStart)) } : null));
  return { from: range?.from ?? null, to: range?.to ?? null };
}

/** A range saved in a file (a dashboard's, a panel's override) as the range to send with a query. */
export function resolveSaved(saved: SavedTimeRange, span: WorkspaceInfo['timeSpan']): TimeRange | null {
  if (!('last' in saved)) return { from: saved.from, to: saved.to };
  return span && lastOfData(saved.last, span.newestStart);
}

/** A saved range as the picker shows it: one of its presets, else a custom range worked out now. */
export function choiceOfSaved(
  saved: SavedTimeRange,
  span: WorkspaceInfo['timeSpan'],
): Omit<RangeChoice, 'timeRange' | 'info'> {
  const preset = RANGE_PRESETS.find((p) => 'last' in saved && p.value === saved.last);
  if (preset) return { preset: preset.value, custom: { from: null, to: null } };
  const range = resolveSaved(saved, span);
  return range
    ? { preset: 'custom', custom: { from: range.from, to: range.to } }
    : { preset: 'all', custom: { from: null, to: null } };
}

/** A panel's own range choices (`{last}` spans); none means the dashboard's range. */
export const PANEL_RANGES: { last: string; label: string }[] = [
  { last: '15m', label: 'Last 15 minutes' },
  { last: '1h', label: 'Last hour' },
  { last: '24h', label: 'Last 24 hours' },
  { last: '7d', label: 'Last 7 days' },
];

/**
 * What a range is, in words: "Whole workspace", or its two ends in the chosen zone, named ("… → … UTC"); an
 * end in the hour a DST fall-back repeats carries its offset ("01:30 -04:00"), so the two such hours differ.
 */
export function describeRange(range: TimeRange | null, zone: TimeZoneChoice): string {
  if (!range || (!range.from && !range.to)) return 'Whole workspace';
  const end = (iso: string | null) => {
    if (!iso) return '…';
    // To the minute, keeping the offset formatTime writes after the clock at such an hour.
    const [date, clock, offset] = formatTime(iso, zone).split(' ');
    return [date, clock!.slice(0, 5), offset].filter(Boolean).join(' ');
  };
  return `${end(range.from)} → ${end(range.to)} ${zoneName(zone)}`;
}

/**
 * The range a remote query runs over: the data there is live, so the last hour is the wall clock's. The
 * whole range is no limit (Athena reads every partition; CloudWatch answers its own default, the last hour).
 */
export function remoteRange(preset: RangePreset, custom: CustomRange, nowMs: number): TimeRange | null {
  if (preset === 'all') return null;
  if (preset === 'custom') return custom.from || custom.to ? { from: custom.from, to: custom.to } : null;
  return lastOfClock(preset, nowMs);
}

/** An instant in milliseconds as ISO text (UTC). */
export function isoAt(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * An instant as the range inputs show it, ISO with a 24-hour clock in the chosen zone: `2026-03-03 23:59:58`
 * (milliseconds when it has them), and in the local zone the offset where the wall time is there twice
 * (`2024-11-03 01:30:00 -05:00`), so that `fromInputValue` reads back the same instant.
 */
export function toInputValue(iso: string | null, zone: TimeZoneChoice): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return '';
  return formatTime(iso, zone);
}

/** What the range inputs read: a date, a 24-hour time to the minute or second, and an optional offset. */
const INPUT_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?\s*(?:(Z)|([+-])(\d{2}):?(\d{2}))?$/i;

/**
 * The instant a range input's text means, as ISO; null when empty or not a time. `2026-03-03 23:59`,
 * `2026-03-03T23:59:58` (a datetime-local's value) and `… -05:00` or `…Z` are read; without an offset the
 * time is the chosen zone's wall clock.
 */
export function fromInputValue(value: string, zone: TimeZoneChoice): string | null {
  const m = INPUT_TIME.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s, ms] = [1, 2, 3, 4, 5, 6, 7].map((i) =>
    i === 7 ? Number((m[i] ?? '0').padEnd(3, '0')) : Number(m[i] ?? 0),
  ) as [number, number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const back = new Date(wall);
  // 2026-02-31 or 24:00 is no time (Date would roll it over).
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || back.getUTCHours() !== h || mi > 59 || s > 59)
    return null;
  let at: number;
  if (m[8]) at = wall;
  else if (m[9]) at = wall - (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11])) * 60_000;
  else if (zone === 'utc') at = wall;
  else {
    const local = new Date(y, mo - 1, d, h, mi, s, ms);
    // A wall time the clocks skip (02:30 the night New York springs forward) is no time here: Date would
    // silently move it on by the jump, and the range asked for would start or end elsewhere.
    if (local.getHours() !== h || local.getMinutes() !== mi) return null;
    at = local.getTime();
  }
  return new Date(at).toISOString();
}

/** Whether a range input's text is a wall time that exists, but not on this machine's clocks (a DST jump). */
export function skippedByClocks(value: string, zone: TimeZoneChoice): boolean {
  return zone === 'local' && fromInputValue(value, zone) === null && fromInputValue(value, 'utc') !== null;
}
