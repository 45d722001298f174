/**
 * Regular expressions run in DuckDB, whose engine is RE2.
 *
 * A named group is `(?<name>…)` to CloudWatch, Sumo and Trino, and only `(?P<name>…)` to the RE2 DuckDB
 * carries: `re2Pattern` writes it so, which matches the same text (`parse`, which reads the names, makes its
 * own groups: expression-parser.ts, `namedGroups`).
 *
 * A pattern RE2 cannot read fails the query only as it runs, in RE2's words with the piece at fault and no
 * place (`Invalid Input Error: missing ): (a`). `regexProblem` says it as a query error at that piece of the
 * query's text, where it is found once, and, for what RE2 does not have (lookahead, lookbehind,
 * backreferences), with that named: the services take them.
 */
import { SourceText } from './source';
import type { QueryDiagnostic } from './types';

const RE2_ERROR =
  /^(?:Invalid Input Error|Binder Error): (?:Pattern failed to parse: )?(invalid escape sequence|invalid character class range|invalid character class|missing \]|missing \)|unexpected \)|trailing \\|no argument for repetition operator|invalid repetition size|bad repetition operator|invalid perl operator|invalid UTF-8|invalid named capture group): (.*)$/s;

/**
 * A regular expression with its group openings rewritten: `open(at)` answers what to write for the `(` at
 * `at` and how many characters of the pattern that replaces, or null to keep it. Escapes and character
 * classes, where `(` opens nothing, are copied as they are.
 */
export function rewriteGroupOpenings(
  pattern: string,
  open: (at: number) => { text: string; length: number } | null,
): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    const opening = c === '(' && !inClass ? open(i) : null;
    if (opening) {
      out += opening.text;
      i += opening.length - 1;
    } else if (c === '\\') {
      out += c + (pattern[i + 1] ?? '');
      i++;
    } else {
      if (c === '[') inClass = true;
      else if (c === ']') inClass = false;
      out += c;
    }
  }
  return out;
}

/** `pattern` with each named group `(?<name>` written `(?P<name>`. */
export function re2Pattern(pattern: string): string {
  return rewriteGroupOpenings(pattern, (at) =>
    /^\(\?<[A-Za-z_]/.test(pattern.slice(at, at + 4)) ? { text: '(?P<', length: 3 } : null,
  );
}

/** What other engines read where RE2 stopped: `from` is the piece RE2 names and, where known, the text after it. */
function missingFeature(from: string): string | undefined {
  const re2 = 'RE2, which runs regular expressions here,';
  if (/^\(\?[=!]/.test(from)) return `${re2} has no lookahead`;
  if (/^\(\?<[=!]/.test(from)) return `${re2} has no lookbehind`;
  if (/^\\[1-9]/.test(from)) return `${re2} has no backreferences`;
  return undefined;
}

/** A quoted string or pattern of a query: SQL's '…' (and "…"), the languages' "…" and Insights' /…/. */
const QUOTED = /'(?:[^']|'')*'|"(?:[^"\\]|\\.)*"|\/(?:[^/\\\n]|\\.)+\//g;

/** A group's opening as the text or DuckDB's rewrite of it may have it: `(`, `(?<name>`, `(?P<name>`. */
const GROUP_OPENING = /^\((?:\?P?<[A-Za-z_][A-Za-z0-9_]*>)?/;

/**
 * Where RE2's `piece` is in `text`, once, and as written there. RE2 names a piece of the pattern it was
 * given, which may be a rewrite (`parse` takes the names out of its groups, re2Pattern writes `(?P<name>`):
 * so each group opening of the piece stands for one with or without a name.
 */
function pieceInText(piece: string, text: string): { at: number; written: string } | undefined {
  if (!piece) return undefined;
  const at = text.indexOf(piece);
  if (at >= 0) {
    if (text.indexOf(piece, at + 1) < 0) return { at, written: piece };
    // Written more than once (`(`, in a query full of calls): the one inside a quoted pattern, if only one is.
    const quoted = [...text.matchAll(QUOTED)].flatMap((q) => {
      const inner = q[0].slice(1, -1);
      const places: number[] = [];
      for (let i = inner.indexOf(piece); i >= 0; i = inner.indexOf(piece, i + 1)) places.push(q.index + 1 + i);
      return places;
    });
    return quoted.length === 1 ? { at: quoted[0]!, written: piece } : undefined;
  }
  const OPENING = '\u0000';
  const bare = rewriteGroupOpenings(piece, (i) => ({
    text: OPENING,
    length: GROUP_OPENING.exec(piece.slice(i))![0].length,
  }));
  const escaped = bare.split(OPENING).map((part) => part.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'));
  const found = [...text.matchAll(new RegExp(escaped.join(GROUP_OPENING.source.slice(1)), 'g'))];
  return found.length === 1 ? { at: found[0]!.index, written: found[0]![0] } : undefined;
}

/** The regular expression a DuckDB `message` says is not valid, as a message and, where found, a place in `text`. */
export function regexProblem(message: string, text: string): { message: string; diagnostic?: QueryDiagnostic } | null {
  const m = RE2_ERROR.exec(message.trim());
  if (!m) return null;
  const [, reason, piece] = m as unknown as [string, string, string];
  const found = pieceInText(piece, text);
  const said = `The regular expression is not valid: ${reason} at \`${found?.written ?? piece}\`.`;
  if (!found) {
    const hint = missingFeature(piece);
    return { message: hint ? `${said} (${hint})` : said };
  }
  const hint = missingFeature(text.slice(found.at, found.at + found.written.length + 2));
  const diagnostic = {
    message: said,
    span: new SourceText(text).span(found.at, found.written.length),
    ...(hint ? { hint } : {}),
  };
  return { message: said, diagnostic };
}
