/**
 * Milliseconds of a `last` span (`15m`, `24h`, `7d`, `2w`), the saved time range of a query, a dashboard or a
 * panel. Apart from the file schemas (`saved-query.ts` re-exports it) so the renderer reads it without zod,
 * whose start-up probe for `new Function` the page's CSP reports.
 */
export const SPAN_PATTERN = /^[1-9]\d{0,3}(m|h|d|w)$/;
export const SPAN_EXPECTED = 'a span such as 15m, 24h, 7d or 2w';

export function spanMs(last: string): number {
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[last.slice(-1) as 'm' | 'h' | 'd' | 'w'];
  return Number(last.slice(0, -1)) * unit;
}

/**
 * The last `last` of the data: up to just after its newest record's start. A time range selects records by
 * their start, and the newest record's end lies up to its aggregation interval (ten minutes by default) later:
 * ended there, "the last 15 minutes" held some 5 minutes of records.
 */
export function lastOfData(last: string, newestStart: string): { from: string; to: string } {
  const end = afterNewest(newestStart);
  return { from: new Date(end - spanMs(last)).toISOString(), to: new Date(end).toISOString() };
}

/** Just after the newest record's start, in milliseconds: where a range that holds it ends (ends are exclusive). */
export function afterNewest(newestStart: string): number {
  return Date.parse(newestStart) + 1000;
}

/** The last `last` of the wall clock, up to `nowMs`: remote data is live, so its last hour is the clock's. */
export function lastOfClock(last: string, nowMs: number): { from: string; to: string } {
  return { from: new Date(nowMs - spanMs(last)).toISOString(), to: new Date(nowMs).toISOString() };
}
