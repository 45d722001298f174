/**
 * The tokenizer the pipe-style dialects share (Insights, Sumo). It is driven by the parser, one token at a
 * time, because `/` starts a regular expression in some places and divides in others: the parser calls
 * `regex()` where a regular expression may stand.
 *
 * `#` starts a comment to the end of the line. Names may contain letters, digits, `_`, `@`, `$` and `.`
 * (`@timestamp`, `a.b`), or be quoted with backticks (Sumo also `%"a name"`). A number followed by a time unit is a
 * duration (`5m`, `1h`).
 */
import { QueryProblem, SourceText } from './source';
import type { SourceSpan } from './plan';

export type TokenKind = 'name' | 'quoted-name' | 'string' | 'number' | 'duration' | 'regex' | 'op' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Names: the name; strings: the unescaped text; ops: the operator; numbers: the digits. */
  value: string;
  span: SourceSpan;
  /** Duration in milliseconds; NaN for a calendar unit, whose length varies (read `months`). */
  ms?: number;
  /** A calendar duration in months (`1mo` 1, `1q` 3, `1y` 12), where the dialect bins by the calendar. */
  months?: number;
  /** Regex flags (`i`). */
  flags?: string;
}

const OPERATORS = [
  '=~',
  '!=',
  '<>',
  '<=',
  '>=',
  '==',
  '|',
  ',',
  '(',
  ')',
  '[',
  ']',
  '=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '!',
  ':',
  '?',
];

/** Time units of durations, in milliseconds. */
export const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  sec: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/**
 * Sumo's size suffixes of a number, case as written (`1m` is a minute, `1M` a million): "K or k 1000, Ki 1024,
 * M 1000000, Mi 1048576, G or B 1000000000, Gi …" (Sumo's field expressions).
 */
const SIZE_UNITS: Record<string, number> = {
  K: 1e3,
  k: 1e3,
  Ki: 2 ** 10,
  M: 1e6,
  Mi: 2 ** 20,
  G: 1e9,
  B: 1e9,
  Gi: 2 ** 30,
  T: 1e12,
  Ti: 2 ** 40,
  P: 1e15,
  Pi: 2 ** 50,
};

/** CloudWatch's longer names of the same units; a name of more than one letter also takes a plural `s` (`hrs`). */
const LONG_UNITS: Record<string, string> = {
  msec: 'ms',
  millisecond: 'ms',
  second: 's',
  minute: 'm',
  hour: 'h',
  day: 'd',
  week: 'w',
};

/** Calendar units CloudWatch's `bin` knows, which are no fixed length of time, in months. */
const CALENDAR_UNITS: readonly [RegExp, number][] = [
  [/^(mo|mons?|months?)$/, 1],
  [/^(q|qtrs?|quarters?)$/, 3],
  [/^(y|yrs?|years?)$/, 12],
];

/** A calendar unit's length in months (`mo` 1, `qtrs` 3, `year` 12), or undefined. */
export function calendarUnitMonths(unit: string): number | undefined {
  return CALENDAR_UNITS.find(([re]) => re.test(unit))?.[1];
}

/** A time unit's length in milliseconds (`5m`, `2hrs`, `1day`), or undefined. */
export function durationUnitMs(unit: string): number | undefined {
  const singular = unit.length > 2 && unit.endsWith('s') && !(unit in DURATION_UNITS) ? unit.slice(0, -1) : unit;
  return DURATION_UNITS[singular] ?? DURATION_UNITS[LONG_UNITS[singular] ?? ''];
}

export class Lexer {
  readonly source: SourceText;
  private pos = 0;
  private peeked: Token | undefined;

  constructor(
    text: string,
    /** What starts a comment to the end of the line: `#` in Insights, `//` in Sumo. */
    private readonly commentPrefix = '#',
    /** Whether `%"a name"` is a quoted name (Sumo), rather than `%` and a string. */
    private readonly percentNames = false,
    /** Whether months, quarters and years are durations (Insights' `bin`, `datefloor`, `dateceil`). */
    private readonly calendarUnits = false,
    /** Whether a number may end in a size suffix (Sumo's `1k`, `1.5M`, `1Gi`: SIZE_UNITS). */
    private readonly sizeUnits = false,
  ) {
    this.source = new SourceText(text);
  }

  get text(): string {
    return this.source.text;
  }

  peek(): Token {
    this.peeked ??= this.scan();
    return this.peeked;
  }

  next(): Token {
    const token = this.peek();
    this.peeked = undefined;
    return token;
  }

  /** Where the lexer stands, to come back to with `restore` (a word whose meaning depends on what follows). */
  save(): { pos: number; peeked: Token | undefined } {
    return { pos: this.pos, peeked: this.peeked };
  }

  restore(state: { pos: number; peeked: Token | undefined }): void {
    this.pos = state.pos;
    this.peeked = state.peeked;
  }

  /** Read a `/regex/flags` at the current position (the peeked token must be the `/`). */
  regex(): Token {
    const slash = this.peek();
    if (slash.kind !== 'op' || slash.value !== '/')
      throw new QueryProblem('Expected a regular expression between slashes.', slash.span);
    this.peeked = undefined;
    const text = this.text;
    let i = slash.span.offset + 1;
    let body = '';
    let inClass = false;
    let classAt = 0;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '\n') break;
      if (c === '\\' && i + 1 < text.length) {
        // `\/` is just a slash; every other escape passes to the regex engine as written.
        body += text[i + 1] === '/' ? '/' : c + text[i + 1];
        i += 2;
        continue;
      }
      if (c === '[' && !inClass) [inClass, classAt] = [true, i];
      else if (c === ']') inClass = false;
      else if (c === '/' && !inClass) break;
      body += c;
      i++;
    }
    if (inClass)
      // A `/` inside a class is a character, so the regex runs on to the line's end: point at the `[`.
      throw new QueryProblem(
        'This `[` opens a character class that is never closed (a `/` within it is one of its characters).',
        this.source.span(classAt, 1),
        'close it with `]`, or write `\\[` for a bracket',
      );
    if (text[i] !== '/')
      throw new QueryProblem(
        'This regular expression has no closing `/`.',
        this.source.span(slash.span.offset, i - slash.span.offset),
        'end it with `/`',
      );
    i++;
    let flags = '';
    while (i < text.length && /[a-z]/i.test(text[i]!)) flags += text[i++];
    const span = this.source.span(slash.span.offset, i - slash.span.offset);
    if (flags.replace(/i/g, '') !== '')
      throw new QueryProblem(
        `Unknown regular expression flag \`${flags}\`.`,
        span,
        'only `i` (ignore case) is supported',
      );
    this.pos = i;
    return { kind: 'regex', value: body, span, flags };
  }

  /** The offset where the next token starts (after blanks and comments). */
  get offset(): number {
    return this.peek().span.offset;
  }

  private scan(): Token {
    const text = this.text;
    for (;;) {
      while (this.pos < text.length && /\s/.test(text[this.pos]!)) this.pos++;
      if (text.startsWith(this.commentPrefix, this.pos)) {
        while (this.pos < text.length && text[this.pos] !== '\n') this.pos++;
        continue;
      }
      break;
    }
    const start = this.pos;
    if (start >= text.length) return { kind: 'eof', value: '', span: this.source.span(text.length, 0) };
    const c = text[start]!;

    if (c === '"' || c === "'") return this.scanString(c);
    if (c === '%' && this.percentNames && text[start + 1] === '"') {
      this.pos = start + 1;
      const quoted = this.scanString('"');
      return { kind: 'quoted-name', value: quoted.value, span: this.source.span(start, this.pos - start) };
    }
    if (c === '`') {
      const end = text.indexOf('`', start + 1);
      if (end < 0)
        throw new QueryProblem(
          'This quoted name has no closing backtick.',
          this.source.span(start, text.length - start),
        );
      this.pos = end + 1;
      return { kind: 'quoted-name', value: text.slice(start + 1, end), span: this.source.span(start, end + 1 - start) };
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[start + 1] ?? ''))) return this.scanNumber();
    if (/[A-Za-z_@$]/.test(c)) {
      let i = start + 1;
      while (i < text.length && /[A-Za-z0-9_@.$]/.test(text[i]!)) i++;
      // A trailing dot belongs to the text after the name, not to the name.
      while (text[i - 1] === '.') i--;
      this.pos = i;
      return { kind: 'name', value: text.slice(start, i), span: this.source.span(start, i - start) };
    }
    for (const op of OPERATORS) {
      if (text.startsWith(op, start)) {
        this.pos = start + op.length;
        return { kind: 'op', value: op, span: this.source.span(start, op.length) };
      }
    }
    throw new QueryProblem(`Unexpected character \`${c}\`.`, this.source.span(start, 1));
  }

  private scanString(quote: string): Token {
    const text = this.text;
    const start = this.pos;
    let i = start + 1;
    let value = '';
    while (i < text.length && text[i] !== quote) {
      if (text[i] === '\\' && i + 1 < text.length) {
        const e = text[i + 1]!;
        value += e === 'n' ? '\n' : e === 't' ? '\t' : e === quote || e === '\\' ? e : `\\${e}`;
        i += 2;
        continue;
      }
      value += text[i++];
    }
    if (i >= text.length) {
      throw new QueryProblem(
        'This string has no closing quote.',
        this.source.span(start, text.length - start),
        `end it with ${quote}`,
      );
    }
    this.pos = i + 1;
    return { kind: 'string', value, span: this.source.span(start, i + 1 - start) };
  }

  private scanNumber(): Token {
    const text = this.text;
    const start = this.pos;
    const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(start))!;
    let i = start + m[0].length;
    const unit = /^[A-Za-z]+/.exec(text.slice(i))?.[0];
    const size = this.sizeUnits && unit !== undefined ? SIZE_UNITS[unit] : undefined;
    if (size !== undefined) {
      this.pos = i + unit!.length;
      return { kind: 'number', value: String(Number(m[0]) * size), span: this.source.span(start, this.pos - start) };
    }
    if (unit !== undefined) {
      const ms = durationUnitMs(unit);
      const span = this.source.span(start, i + unit.length - start);
      const months = ms === undefined ? calendarUnitMonths(unit) : undefined;
      if (months !== undefined && !this.calendarUnits)
        throw new QueryProblem(
          `\`${unit}\` is a calendar unit, which this dialect does not take: its time spans have one fixed length.`,
          span,
          'use days or weeks, such as 30d or 4w',
        );
      if (months !== undefined) {
        i += unit.length;
        this.pos = i;
        const count = Number(m[0]);
        if (!Number.isInteger(count))
          throw new QueryProblem(`A calendar period is a whole number of ${unit}.`, span, `for example 1${unit}`);
        return { kind: 'duration', value: text.slice(start, i), span, ms: NaN, months: count * months };
      }
      if (ms === undefined) {
        throw new QueryProblem(
          `Unknown time unit \`${unit}\`.`,
          span,
          `use one of ${[...Object.keys(DURATION_UNITS), ...(this.calendarUnits ? ['mo', 'q', 'y'] : [])].join(', ')}`,
        );
      }
      i += unit.length;
      this.pos = i;
      return { kind: 'duration', value: text.slice(start, i), span, ms: Number(m[0]) * ms };
    }
    this.pos = i;
    return { kind: 'number', value: m[0], span: this.source.span(start, i - start) };
  }
}
