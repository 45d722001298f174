/**
 * How deep a query may nest, for the parsers and for what follows them. Parsing, compiling and
 * translating are recursive, and a text deep enough (thousands of parentheses, or a left-deep tree of
 * thousands of `or`) overflowed the stack: the analyst saw an internal error instead of the place to fix.
 * - A chain of `and` or `or` becomes a balanced tree, so that an indicator list of 3,000 addresses joined by
 *   `or` (a real way to ask "did any of these talk to us") compiles: its depth is log2 of its length.
 * - Parentheses, calls, `not`, signs and subqueries may nest `MAX_NESTING` deep; deeper is a mistake at
 *   the position where the limit was passed.
 * - Anything still too deep for the stack (a chain of 10,000 `+`) is a diagnostic over the whole text.
 */
import { QueryProblem, SourceText } from './source';
import type { SourceSpan } from './types';

/** Far deeper than a query written or generated for flow logs nests; shallow enough for every dialect's steps. */
export const MAX_NESTING = 200;

function nestingProblem(span: SourceSpan): QueryProblem {
  return new QueryProblem(
    `The query nests more than ${MAX_NESTING} levels deep here (parentheses, calls, subqueries or NOT).`,
    span,
    'Flatten it: a list of alternatives can be one `or` after another, however long.',
  );
}

/** A reader's nesting depth, one per parse: `within` reads one level deeper, refusing to pass MAX_NESTING. */
export class NestingDepth {
  private depth = 0;

  /** What `read` reads, one level deeper; past the limit, a diagnostic at `at` (the token that went deeper). */
  within<T>(at: SourceSpan, read: () => T): T {
    if (this.depth >= MAX_NESTING) throw nestingProblem(at);
    this.depth++;
    try {
      return read();
    } finally {
      this.depth--;
    }
  }
}

/**
 * The items joined pairwise into a balanced tree: `join(left, right, at)` joins the items before index `at`
 * with those from it (the operator between items `at - 1` and `at` joins them). Only for an operator whose
 * grouping does not change the answer (`and`, `or`).
 */
export function balancedTree<T>(items: readonly T[], join: (left: T, right: T, at: number) => T): T {
  const build = (from: number, to: number): T => {
    if (to - from === 1) return items[from]!;
    const mid = (from + to) >> 1;
    return join(build(from, mid), build(mid, to), mid);
  };
  if (items.length === 0) throw new Error('balancedTree needs at least one item');
  return build(0, items.length);
}

/** The diagnostic for a text the stack could not follow, or null for any other error. */
export function tooDeepForTheStack(err: unknown, text: string): QueryProblem | null {
  if (!(err instanceof RangeError) || !/call stack/i.test(err.message)) return null;
  return new QueryProblem(
    'The query is nested or chained too deeply to compile.',
    new SourceText(text).span(0, text.length),
    `Split long chains of operators and keep nesting under ${MAX_NESTING} levels.`,
  );
}

/** A compile that failed at a place in the text: the message there, and whether the query is refused (not wrong). */
export interface ProblemAnswer {
  ok: false;
  refused: boolean;
  message: string;
  span: SourceSpan;
  hint?: string;
}

/**
 * Runs `compile` over `text`, answering the `QueryProblem` it throws (or a text too deep for the stack) as a
 * failure at its span, `refused` as given; any other error is a bug, and thrown.
 */
export function answeringProblems<T>(text: string, refused: boolean, compile: () => T): T | ProblemAnswer {
  try {
    return compile();
  } catch (caught) {
    const err = tooDeepForTheStack(caught, text) ?? caught;
    if (err instanceof QueryProblem)
      return { ok: false, refused, message: err.message, span: err.span, ...(err.hint ? { hint: err.hint } : {}) };
    throw err;
  }
}
