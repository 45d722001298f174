/**
 * How long a query text may be. Apart from the schemas (no zod here), so the renderer can say it before a run
 * without evaluating the contract's schemas ahead of the client's zod settings (`preload/zod-jitless.ts`).
 */

/** The longest query text the engine takes (the workbench refuses a longer one before it runs). */
export const QUERY_MAX_CHARS = 100_000;

/** Why a longer text is refused, in the app's own words wherever it is said. */
export const QUERY_TOO_LONG =
  'A query has at most 100,000 characters here; a long list of addresses is better kept as a lookup table (Reference data).';
