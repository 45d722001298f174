/**
 * What the status line says of a shown answer: the time range it answers, whether the analyst has since
 * changed the range or the text (so the answer on screen is not read as the answer to what the picker and
 * the editor now say), for an answer without rows, that no record matched in that range, and for a list of
 * records that Insights' implicit limit cut, that more matched.
 */
import type { Dialect, TimeRange, WorkspaceInfo } from '../../../preload/contract';
import type { TimeZoneChoice } from './cell-format';
import { formatCount } from './format';
import type { EngineChoice } from './remote-format';
import { describeRange, RANGE_PRESETS, rangeLabel, type CustomRange, type RangePreset } from './time-range';

/** Where and over which range a run was asked: the range as chosen and as sent. */
export interface RanOver {
  engine: EngineChoice;
  preset: RangePreset;
  custom: CustomRange;
  /** The range sent (null: none, the whole workspace or the remote engine's default). */
  range: TimeRange | null;
}

/** What a shown answer was asked: its text and language, and where and over which range it ran. */
export interface Asked {
  query: string;
  dialect: Dialect;
  ran: RanOver;
}

/** What the workbench says now, to compare with what the answer was asked. */
export interface Current {
  query: string;
  dialect: Dialect | 'auto';
  preset: RangePreset;
  custom: CustomRange;
  /** The range a local run would send now. */
  range: TimeRange | null;
}

const sameRange = (a: TimeRange | null, b: TimeRange | null) =>
  (a?.from ?? null) === (b?.from ?? null) && (a?.to ?? null) === (b?.to ?? null);

/**
 * What no longer matches the shown answer: its range or its text (and language). A remote answer's range
 * is the clock's, resolved when it ran, so for it the choice in the picker is compared, not the instants.
 */
export function answerChange(asked: Asked, now: Current): 'range' | 'text' | null {
  const { ran } = asked;
  const rangeMoved =
    ran.engine === 'local'
      ? !sameRange(ran.range, now.range)
      : ran.preset !== now.preset || (now.preset === 'custom' && !sameRange(ran.custom, now.custom));
  if (rangeMoved) return 'range';
  if (asked.query !== now.query || (now.dialect !== 'auto' && now.dialect !== asked.dialect)) return 'text';
  return null;
}

/** The range an answer covers, in words: its two ends, else what no range means on its engine. */
export function answeredRange(ran: RanOver, zone: TimeZoneChoice): string {
  if (ran.range) return describeRange(ran.range, zone);
  return ran.engine === 'local' ? 'the whole workspace' : rangeLabel(RANGE_PRESETS[0]!, ran.engine).toLowerCase();
}

/** Why an answer has no rows: no record matched in its range, or (a pipe query's later steps) none was left. */
export function emptyAnswer(matched: number | null | undefined, range: string, held: string | null = null): string {
  if (matched) return `No rows: ${formatCount(matched)} records matched in ${range}, and the query left none of them.`;
  if (held) return `No record in ${range}: ${held}.`;
  if (matched === 0) return `No record matched in ${range}.`;
  return `No rows in ${range}.`;
}

/**
 * Where the workspace's records are, for an answer whose time range held none of them (`scanned` 0): a range
 * picked beside the data otherwise reads as "nothing happened then". Null when the range held records or no
 * range was asked.
 */
export function recordsHeld(
  scanned: number | null | undefined,
  range: TimeRange | null,
  span: WorkspaceInfo['timeSpan'],
  zone: TimeZoneChoice,
): string | null {
  if (scanned !== 0 || !range || (!range.from && !range.to)) return null;
  if (!span) return 'the workspace holds no records';
  return `the workspace's records span ${describeRange({ from: span.from, to: span.to }, zone)}`;
}

/**
 * What the status line adds to "10,000 rows" when Insights' implicit limit cut a list of records (`query.run`'s
 * `cappedAt`, set only then): otherwise the rows look like every record that matched. Null when it did not.
 */
export function capNote(cappedAt: number | null): string | null {
  if (cappedAt === null) return null;
  return `Insights returns at most ${formatCount(cappedAt)}; more matched (add | limit N to see more)`;
}
