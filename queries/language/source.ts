/**
 * Positions and diagnostics over a query text: spans with 1-based line and column, and the one error
 * type every front end and the compiler raise (`QueryProblem`), carried out as `QueryDiagnostic` values.
 */
import type { QueryDiagnostic, SourceSpan } from './types';

/** The longest dotted IPv4 address, `255.255.255.255`. */
const ADDRESS_CHARS = 15;

export class SourceText {
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
  }

  span(offset: number, length: number): SourceSpan {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { offset, line: lo + 1, column: offset - this.lineStarts[lo]! + 1, length };
  }

  /** The span from the start of `a` to the end of `b`. */
  join(a: SourceSpan, b: SourceSpan): SourceSpan {
    return this.span(a.offset, b.offset + b.length - a.offset);
  }

  slice(span: SourceSpan): string {
    return this.text.slice(span.offset, span.offset + span.length);
  }

  /**
   * The hint for a token nothing expects at `span`: an address written without quotes (`10.0.0.1` reads as the
   * number 10.0, then `.0`) is named, written as the text it must be; else `otherwise`.
   */
  unexpectedHint(span: SourceSpan, otherwise: string): string {
    // An address is at most 15 characters: one more either side is read, and a run of digits and dots longer
    // than that is no address. (Read from the whole text before the span, the regex went over every
    // digit of a long run again from each of them: 0.25 s at 20,000 digits, growing as their square.)
    const from = Math.max(0, span.offset - ADDRESS_CHARS - 1);
    const to = span.offset + ADDRESS_CHARS + 1;
    const before = /[\d.]*$/.exec(this.text.slice(from, span.offset))![0];
    const after = /^[\d.]*/.exec(this.text.slice(span.offset, to))![0];
    const address = before + after;
    const whole = address.length <= ADDRESS_CHARS;
    return whole && /^\d+(?:\.\d+){3}$/.test(address) ? `an address is text: write "${address}", in quotes` : otherwise;
  }
}

/** A mistake in a query, at a position. Thrown inside the language code, returned to callers as a diagnostic. */
export class QueryProblem extends Error {
  constructor(
    message: string,
    readonly span: SourceSpan,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'QueryProblem';
  }

  toDiagnostic(): QueryDiagnostic {
    return this.hint === undefined
      ? { message: this.message, span: this.span }
      : { message: this.message, hint: this.hint, span: this.span };
  }
}

/** How much of a query line is shown above a caret: a generated query can be one line of 100,000 characters. */
const EXCERPT_CHARS = 100;

/**
 * The line a span is on, cut to the part around the span when it is long (`…` where it was cut), and the
 * caret line under the span, for the CLI and the app's error box.
 */
export function spanExcerpt(query: string, span: SourceSpan): { line: string; caret: string } {
  const line = query.split('\n')[span.line - 1] ?? '';
  const start = span.column - 1;
  const from =
    line.length <= EXCERPT_CHARS ? 0 : Math.max(0, Math.min(start - EXCERPT_CHARS / 2, line.length - EXCERPT_CHARS));
  const to = Math.min(line.length, from + EXCERPT_CHARS);
  const [before, after] = [from > 0 ? '…' : '', to < line.length ? '…' : ''];
  const width = Math.max(1, Math.min(span.length, to - start));
  return {
    line: `${before}${line.slice(from, to)}${after}`,
    // The caret line keeps the tabs before the span, so a pasted, tab-indented line lines up at any tab width.
    caret: `${' '.repeat(before.length)}${line.slice(from, start).replace(/[^\t]/g, ' ')}${'^'.repeat(width)}`,
  };
}

/** Levenshtein distance, for "did you mean". */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The closest candidate to `word` (ignoring case), if it is close enough to be a likely typo. Of two as close,
 * the one that starts as the word does: a typo seldom hits the first letter (`dsc` is `desc`, not `asc`).
 */
function closest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  const sameStart = (c: string) => c.toLowerCase().startsWith(lower.charAt(0));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance || (d === bestDistance && !sameStart(best!) && sameStart(candidate))) {
      best = candidate;
      bestDistance = d;
    }
  }
  const allowed = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  return bestDistance <= allowed ? best : undefined;
}

export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const suggestion = closest(word, candidates);
  return suggestion === undefined ? undefined : `did you mean \`${suggestion}\`?`;
}
