/**
 * What each column of a query's result means, by the query as written: a pipe query's plan says it
 * (`column-meaning.ts`), a SQL one its outermost SELECT (`sql-column-meaning.ts`). One rule for a result
 * however it was answered, so an answer from Athena or CloudWatch is formatted, charted and sorted as the
 * workspace's answer to the same text.
 */
import type { Plan } from '../language/plan';
import type { Dialect } from '../language/types';
import type { ColumnKind } from './column-kind';
import { columnAddsUp, columnMeanings } from './column-meaning';
import { sqlColumnAddsUp, sqlColumnMeanings } from './sql-column-meaning';

export function resultMeanings(
  text: string,
  dialect: Dialect,
  plan: Plan | null | undefined,
): ((name: string) => ColumnKind | null) | undefined {
  if (plan) return columnMeanings(plan);
  return dialect === 'sql' || dialect === 'athena' ? sqlColumnMeanings(text, dialect) : undefined;
}

/** Whether each column's values add up (counts and sums) by the query as written; null where it does not say. */
export function resultAddsUp(
  text: string,
  dialect: Dialect,
  plan: Plan | null | undefined,
): ((name: string) => boolean | null) | undefined {
  if (plan) return columnAddsUp(plan);
  return dialect === 'sql' || dialect === 'athena' ? sqlColumnAddsUp(text, dialect) : undefined;
}
