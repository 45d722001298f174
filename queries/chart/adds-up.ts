/**
 * Whether a result column's values add up across rows, from how the query computed it: a count or a sum
 * does, and so does a sum scaled by a constant (`sum(bytes) / 1048576`), two sums added, or a sum rounded; an
 * average, a maximum, a distinct count or a ratio of two sums does not. A chart that merges rows into wider
 * time buckets adds the first kind up and draws the highest of the second (`chart-data.ts`).
 * `null`: the expression holds no aggregate (a group key) and says nothing; `'constant'`: a number as written.
 */
export type AddsUp = boolean | 'constant' | null;

/** Rounding a sum keeps it a sum, to within its rounding. */
export const ROUNDS = /^(round|floor|ceil|ceiling|trunc)$/i;

/** Whether `left op right` adds up, by whether its two sides do. */
export function arithmeticAddsUp(op: string, left: AddsUp, right: AddsUp): AddsUp {
  if (left === 'constant' && right === 'constant') return 'constant';
  if (op === '+' || op === '-') {
    if (left === true && right === true) return true;
  } else if (op === '*') {
    if ((left === true && right === 'constant') || (left === 'constant' && right === true)) return true;
  } else if (op === '/') {
    if (left === true && right === 'constant') return true;
  }
  // Anything else made of an aggregate (a ratio, a sum plus a constant per row, a comparison) does not add up.
  return typeof left === 'boolean' || typeof right === 'boolean' ? false : null;
}

/** What a column's reading says to the chart: a constant column says nothing either. */
export function columnAdds(adds: AddsUp): boolean | null {
  return adds === 'constant' ? null : adds;
}
