/**
 * Regular expressions run in DuckDB, whose engine is RE2. A pattern RE2 cannot read fails the query only as
 * it runs, in RE2's words with the piece at fault and no place (`Invalid Input Error: missing ): (a`). Said
 * here as a query error at that piece of the query's text, where it is found once, and, for what RE2 does
 * not have (lookahead, lookbehind, backreferences), with that named: CloudWatch, Sumo and Athena take them.
 */
import { SourceText } from './source';
import type { QueryDiagnostic } from './types';

const RE2_ERROR =
  /^(?:Invalid Input Error|Binder Error): (?:Pattern failed to parse: )?(invalid escape sequence|invalid character class range|invalid character class|missing \]|missing \)|unexpected \)|trailing \\|no argument for repetition operator|invalid repetition size|bad repetition operator|invalid perl operator|invalid UTF-8|invalid named capture group): (.*)$/s;

/** What other engines read where RE2 stopped: `from` is the piece RE2 names and, where known, the text after it. */
function missingFeature(from: string): string | undefined {
  const re2 = 'RE2, which runs regular expressions here,';
  if (/^\(\?[=!]/.test(from)) return `${re2} has no lookahead`;
  if (/^\(\?<[=!]/.test(from)) return `${re2} has no lookbehind`;
  if (/^\(\?<\w/.test(from)) return `${re2} writes a named group (?P<name>…)`;
  if (/^\\[1-9]/.test(from)) return `${re2} has no backreferences`;
  return undefined;
}

/** The regular expression a DuckDB `message` says is not valid, as a message and, where found, a place in `text`. */
export function regexProblem(message: string, text: string): { message: string; diagnostic?: QueryDiagnostic } | null {
  const m = RE2_ERROR.exec(message.trim());
  if (!m) return null;
  const [, reason, piece] = m as unknown as [string, string, string];
  const said = `The regular expression is not valid: ${reason} at \`${piece}\`.`;
  const at = piece ? text.indexOf(piece) : -1;
  if (at < 0 || text.indexOf(piece, at + 1) >= 0) {
    const hint = missingFeature(piece);
    return { message: hint ? `${said} (${hint})` : said };
  }
  const hint = missingFeature(text.slice(at, at + piece.length + 2));
  const diagnostic = { message: said, span: new SourceText(text).span(at, piece.length), ...(hint ? { hint } : {}) };
  return { message: said, diagnostic };
}
