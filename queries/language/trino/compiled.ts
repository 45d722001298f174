/**
 * What compiling a query to Trino answers, from either local dialect (`from-athena.ts`, `from-duckdb.ts`), and
 * the one way both refuse: a `QueryProblem` thrown anywhere in the compile is the refusal, at its span.
 */
import type { SourceSpan } from '../plan';
import type { CopiedRun } from './error-place';
import { answeringProblems } from '../nesting';
import { QueryProblem } from '../source';
import type { Statement } from '../sql-syntax/ast';

export type TrinoCompiled =
  /** `copied`: the runs of `sql` that are the analyst's text unchanged, to place Athena's errors in it. */
  | { ok: true; sql: string; columns?: string[]; copied?: CopiedRun[] }
  | { ok: false; refused: boolean; message: string; span: SourceSpan; hint?: string };

/**
 * Runs `compile` over `text`, answering the `QueryProblem` it throws (or a text too deep for the stack) as a
 * refusal; any other error is a bug, and thrown.
 */
export function refusingProblems(text: string, compile: () => TrinoCompiled): TrinoCompiled {
  return answeringProblems(text, true, compile);
}

/** EXPLAIN describes the local plan: it has no meaning on Athena. */
export function refuseExplain(statement: Statement): void {
  if (statement.explain)
    throw new QueryProblem('EXPLAIN runs locally; remove it to run the query on Athena.', statement.span);
}
