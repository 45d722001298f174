/**
 * A Sumo query's scope: the search terms before the first `|`, as one condition on the records (or none).
 *
 * What the workspace already is is a no-op: the metadata terms (`_sourceCategory=…`, `_collector=…`) and
 * the envelope keywords of the CloudWatch forwarding format (`message`, `logStream`). `key=value` tests a
 * field (a `*` in the value is a wildcard). A bare word matches whole terms of the record's text, as in
 * Sumo: one that can only be one field's value (`REJECT`, `NODATA`) tests that field, an address either
 * address of the record, an ENI its interface, and anything else is a case-insensitive test that its terms
 * stand next to each other in `@message` (`keywordPattern`). As in Sumo, `not` (or `!` before a term) binds tightest, then `and` (implied between terms), then
 * `or`, parentheses group, and every test ignores case: `action=reject` is `action=REJECT`.
 */
import { expandIpv6, parseIpv4 } from '../../catalog/ip';
import type { Expr, SourceSpan } from '../plan';
import { QueryProblem, type SourceText } from '../source';
import { SCOPE_METADATA } from './vocabulary';
import { balancedTree, NestingDepth } from '../nesting';

/** The CloudWatch envelope's keys: scope words and `json` keys that name what the workspace holds. */
export const ENVELOPE_KEYS: Record<string, string> = {
  message: '@message',
  logstream: '@logStream',
  loggroup: '',
  direction: '',
};

/** Words of the record text that are whole values of one field: `REJECT` can only be an action. */
const KNOWN_VALUES: Record<string, string> = {
  ACCEPT: 'action',
  REJECT: 'action',
  OK: 'log_status',
  NODATA: 'log_status',
  SKIPDATA: 'log_status',
};

/** Fields whose logged values are all upper case: a scope value for one is compared upper-cased, exactly. */
const UPPER_CASE_FIELDS = new Set(Object.values(KNOWN_VALUES));

const METADATA = new Set(SCOPE_METADATA.map((m) => m.toLowerCase()));

/**
 * The scope (the text before the first pipe, starting at offset 0 of `source`) as a condition, or null
 * when it asks for nothing the workspace does not already hold. `fieldName` maps a written field name to
 * the plan's (Sumo's field-extraction names to flow-log fields).
 */
export function scopeCondition(scope: string, source: SourceText, fieldName: (written: string) => string): Expr | null {
  const terms: { text: string; span: SourceSpan }[] = [];
  // A `//` after a blank starts a comment (`ACCEPT 6 // TCP = 6`); a URL's `//` follows its scheme.
  const text = scope.replace(/(^|\s)\/\/[^\n]*/g, (m) => m.replace(/[^\n]/g, ' '));
  const re = /[()]|[^\s()"]*"(?:[^"\\]|\\.)*"|[^\s()]+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) terms.push({ text: m[0], span: source.span(m.index, m[0].length) });
  // `key = value` written with blanks is one term.
  for (let i = 0; i + 2 < terms.length; i++) {
    if (terms[i + 1]!.text === '=')
      terms.splice(i, 3, {
        text: `${terms[i]!.text}=${terms[i + 2]!.text}`,
        span: source.join(terms[i]!.span, terms[i + 2]!.span),
      });
  }
  let i = 0;
  const nesting = new NestingDepth();
  const word = () => terms[i]?.text.toLowerCase();
  // A chain of one operator as a balanced tree (nesting.ts): a list of 3,000 addresses joined by OR is common.
  const chain = (op: 'and' | 'or', items: (Expr | null)[]): Expr | null => {
    const kept = items.filter((e): e is Expr => e !== null);
    if (!kept.length) return null;
    return balancedTree(kept, (left, right) => ({
      kind: 'binary',
      op,
      left,
      right,
      span: source.join(left.span, right.span),
    }));
  };
  // NOT binds tightest, then AND (also implied between terms), then OR; a term that is a no-op is null.
  const unary = (): Expr | null => {
    const t = terms[i++]!;
    // Outside quotes: `"a!=b"` is a phrase.
    const notEquals = t.text.indexOf('!=');
    if (notEquals >= 0 && !t.text.slice(0, notEquals).includes('"'))
      throw new QueryProblem(
        'The scope has no `!=`.',
        source.span(t.span.offset + notEquals, 2),
        'write `!field=value` here, or compare after a pipe: `| where field != "value"`',
      );
    const not = (operand: Expr | null): Expr | null =>
      operand === null ? null : { kind: 'not', operand, span: source.join(t.span, operand.span) };
    if (t.text.toLowerCase() === 'not' || t.text === '!')
      return not(i < terms.length ? nesting.within(t.span, unary) : null);
    // Sumo's shorthand for NOT: `!REJECT`, `!srcaddr=10.0.0.1`, `!"a phrase"`; the rest is read as a term of its own.
    if (t.text.startsWith('!')) {
      terms[--i] = { text: t.text.slice(1), span: source.span(t.span.offset + 1, t.span.length - 1) };
      return not(nesting.within(t.span, unary));
    }
    if (t.text === '(') {
      const unclosed = () =>
        new QueryProblem('This `(` is not closed in the scope.', t.span, 'close it with `)` before the first `|`');
      if (i >= terms.length) throw unclosed();
      const inner = nesting.within(t.span, or);
      if (word() !== ')') throw unclosed();
      i++;
      return inner;
    }
    return t.text === ')' ? null : scopeTerm(t.text, t.span, source, fieldName);
  };
  const and = (): Expr | null => {
    const items = [unary()];
    while (i < terms.length && word() !== 'or' && word() !== ')') {
      if (word() === 'and') i++;
      if (i < terms.length) items.push(unary());
    }
    return chain('and', items);
  };
  const or = (): Expr | null => {
    const items = [and()];
    while (word() === 'or') {
      i++;
      if (i < terms.length) items.push(and());
    }
    return chain('or', items);
  };
  const conditions: (Expr | null)[] = [];
  while (i < terms.length) {
    conditions.push(or());
    if (word() === ')') i++;
  }
  return chain('and', conditions);
}

/** A keyword's test of one field: Sumo's keywords ignore case, and `*` in them matches any text. */
function keywordMatch(field: Expr, value: string, span: SourceSpan): Expr {
  const pattern: Expr = { kind: 'string', value, span };
  return { kind: 'like', operand: field, pattern, mode: 'glob', negated: false, caseInsensitive: true, span };
}

/** One scope term as a condition, or null when it is a no-op. */
function scopeTerm(
  term: string,
  span: SourceSpan,
  source: SourceText,
  fieldName: (written: string) => string,
): Expr | null {
  const eq = term.indexOf('=');
  if (eq > 0 && !term.startsWith('"')) {
    const key = term.slice(0, eq);
    const value = unquote(term.slice(eq + 1));
    if (METADATA.has(key.toLowerCase())) return null;
    const name = fieldName(key);
    const field: Expr = { kind: 'field', name, span: source.span(span.offset, key.length) };
    // Keyword expressions ignore case. Where case cannot matter (numbers, IPv4 addresses, values of a field
    // logged in upper case) the test stays an equality, which a list of them makes one IN list.
    const caseless = value.toLowerCase() === value.toUpperCase();
    if (!value.includes('*') && (caseless || UPPER_CASE_FIELDS.has(name))) {
      const exact: Expr = { kind: 'string', value: value.toUpperCase(), span };
      return { kind: 'binary', op: '=', left: field, right: exact, span };
    }
    return keywordMatch(field, value, span);
  }
  const value = unquote(term);
  if (value === '*' || Object.hasOwn(ENVELOPE_KEYS, value.toLowerCase())) return null;
  const equals = (name: string, text: string): Expr => ({
    kind: 'binary',
    op: '=',
    left: { kind: 'field', name, span },
    right: { kind: 'string', value: text, span },
    span,
  });
  const known = KNOWN_VALUES[value.toUpperCase()];
  if (known) return equals(known, value.toUpperCase());
  if (parseIpv4(value) !== undefined)
    return { kind: 'binary', op: 'or', left: equals('srcaddr', value), right: equals('dstaddr', value), span };
  if (expandIpv6(value) !== undefined) {
    // An IPv6 address is logged in the case its writer chose (AWS: lower), and keywords ignore case.
    const either = (name: string) => keywordMatch({ kind: 'field', name, span }, value, span);
    return { kind: 'binary', op: 'or', left: either('srcaddr'), right: either('dstaddr'), span };
  }
  if (/^eni-[0-9a-f]+$/i.test(value)) return equals('interface_id', value.toLowerCase());
  const pattern = keywordPattern(value);
  if (pattern === null) return null;
  const message: Expr = { kind: 'field', name: '@message', span };
  // The longest run of letters and digits is in every matching record: a substring test of it (which each
  // field answers on its own, without building the record's text) leaves the regular expression few records.
  const literal = value.split(/[^0-9A-Za-z]+/).reduce((a, b) => (b.length > a.length ? b : a), '');
  const likely: Expr = {
    kind: 'like',
    operand: message,
    pattern: { kind: 'string', value: literal, span },
    mode: 'substring',
    negated: false,
    caseInsensitive: true,
    span,
  };
  const whole: Expr = { kind: 'regex', operand: message, pattern, caseInsensitive: true, negated: false, span };
  return { kind: 'binary', op: 'and', left: likely, right: whole, span };
}

/** What Sumo indexes as terms: runs of letters and digits; everything else (spaces, dots, dashes, colons) bounds them. */
const TERM_CHARS = '[0-9A-Za-z]';
const BOUNDARY = '[^0-9A-Za-z]';

/**
 * A keyword as a regular expression over the record's text, matching as Sumo's index does: the message is
 * broken into terms and the keyword's terms must appear next to each other, each whole (`456` finds "456" but
 * not "1234567"; `10.0.1` finds the terms 10, 0, 1 of 10.0.1.7). In a term `*` is any run of term characters
 * (`TEST*`, `*456*`) and `?` one of them; a `*` standing alone is one whole term. Null for a keyword with no
 * term at all (punctuation only), which asks for nothing.
 */
function keywordPattern(keyword: string): string | null {
  const terms = keyword.split(/[^0-9A-Za-z*?]+/).filter(Boolean);
  if (terms.length === 0) return null;
  const term = (t: string) =>
    t === '*'
      ? `${TERM_CHARS}+`
      : t.replace(/[*?]|[0-9A-Za-z]+/g, (m) => (m === '*' ? `${TERM_CHARS}*` : m === '?' ? TERM_CHARS : m));
  return `(^|${BOUNDARY})${terms.map(term).join(`${BOUNDARY}+`)}($|${BOUNDARY})`;
}

function unquote(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1).replace(/\\(.)/g, '$1') : s;
}
