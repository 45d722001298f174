/**
 * Milliseconds of a `last` span (`15m`, `24h`, `7d`, `2w`), the saved time range of a query, a dashboard or a
 * panel. Apart from the file schemas (`saved-query.ts` re-exports it) so the renderer reads it without zod,
 * whose start-up probe for `new Function` the page's CSP reports.
 */
export function spanMs(last: string): number {
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[last.slice(-1) as 'm' | 'h' | 'd' | 'w'];
  return Number(last.slice(0, -1)) * unit;
}
