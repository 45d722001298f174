/**
 * Whether a text without a Sumo scope is still Sumo: it starts with `*` or `|` (an empty scope), or one of
 * its pipe segments opens with an operator Insights does not have (`where`, `json`, `count by`,
 * `sort by`, `timeslice`, ...). Insights commands that Sumo lacks (`stats`, `filter`, `display`, `dedup`)
 * keep a text Insights.
 */
import { SUMO_OPERATORS } from './vocabulary';

const SUMO_ONLY = new Set(SUMO_OPERATORS.filter((o) => o.sumoOnly).map((o) => o.name));
const INSIGHTS_ONLY = new Set(['stats', 'filter', 'display', 'dedup']);

/** The `//` of a URL (`https://…` in a lookup), which does not start a comment. */
function isUrlSlashes(text: string, i: number): boolean {
  return /[A-Za-z][A-Za-z0-9+.-]*:$/.test(text.slice(Math.max(0, i - 16), i));
}

/** The offsets of the `|` outside quotes and, with `skipComments`, outside `//` comments. */
export function pipeOffsets(text: string, skipComments: boolean): number[] {
  const out: number[] = [];
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (skipComments && c === '/' && text[i + 1] === '/' && !isUrlSlashes(text, i)) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '|') out.push(i);
  }
  return out;
}

function segments(text: string): string[] {
  const bounds = [-1, ...pipeOffsets(text, false), text.length];
  return bounds.slice(1).map((end, i) =>
    text
      .slice(bounds[i]! + 1, end)
      .replace(/^(\s|(#|\/\/)[^\n]*\n)+/, '')
      .trim(),
  );
}

export function looksLikeSumo(text: string): boolean {
  const parts = segments(text);
  const words = parts.map((p) => /^[A-Za-z_]+/.exec(p)?.[0].toLowerCase() ?? '');
  if (words.some((w) => INSIGHTS_ONLY.has(w))) return false;
  if (parts.length > 1 && (parts[0] === '' || parts[0] === '*')) return true;
  return words.some(
    (w, i) =>
      SUMO_ONLY.has(w) ||
      (w === 'sort' && /^sort\s+by\b/i.test(parts[i]!)) ||
      (w === 'parse' && /^parse\s+(regex|field\s*=)/i.test(parts[i]!)),
  );
}
