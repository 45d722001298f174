/**
 * The commands CloudWatch Logs Insights added to its reference that work on the result row by row in its
 * order (`accum`, `autoregress`, `filldown`, `addtotals`, `sessionize`, `outlier`) and `logcompare`. Each
 * reads its options here, as the reference writes them, and becomes plan stages; the compiler gives them
 * their meaning (`filldown`, `addtotals`, `sessionize` and `outlier` in `compile-result-commands.ts`; `accum`
 * and `autoregress` are its `running` stage, `logcompare` its `pattern` and `diff`).
 */
import type { Token } from '../lexer';
import type { Expr, Name, SourceSpan, Stage } from '../plan';
import { QueryProblem } from '../source';
import type { OperatorReader } from '../expression-parser';

const asName = (t: Token): Name => ({ name: t.value, span: t.span });

/** `key=value` options before the fields: a number, a name (`true`, `remove`), or `1-4`. */
function options(r: OperatorReader, known: readonly string[]): Map<string, { text: string; span: SourceSpan }> {
  const out = new Map<string, { text: string; span: SourceSpan }>();
  for (;;) {
    const t = r.peek();
    if (t.kind !== 'name' || !known.includes(t.value.toLowerCase())) return out;
    // A field named like an option is a field unless `=` follows it.
    const next = lookahead(r);
    if (!next) return out;
    r.next();
    r.next();
    const v = r.peek();
    if (v.kind !== 'number' && v.kind !== 'name' && v.kind !== 'string')
      throw r.unexpected(v, `a value for ${t.value}`);
    r.next();
    let text = v.value;
    let end = v.span;
    if (r.isOp('-') && v.kind === 'number') {
      r.next();
      const to = r.peek();
      if (to.kind !== 'number') throw r.unexpected(to, 'the last lag, such as p=1-4');
      r.next();
      text += `-${to.value}`;
      end = to.span;
    }
    out.set(t.value.toLowerCase(), { text, span: r.span(t.span, end) });
  }
}

/** Whether the token after the current one is `=` (an option), without moving. */
function lookahead(r: OperatorReader): boolean {
  const saved = r.save();
  try {
    r.next();
    return r.isOp('=');
  } finally {
    r.restore(saved);
  }
}

function bool(o: { text: string; span: SourceSpan } | undefined, fallback: boolean): boolean {
  if (!o) return fallback;
  const v = o.text.toLowerCase();
  if (v !== 'true' && v !== 'false') throw new QueryProblem(`Expected true or false, found \`${o.text}\`.`, o.span);
  return v === 'true';
}

/** Field names separated by blanks or commas; `cpu*` is a pattern of names. */
function fieldList(r: OperatorReader, stopWords: readonly string[] = []): Name[] {
  const out: Name[] = [];
  for (;;) {
    if (out.length && r.isOp(',')) r.next();
    const t = r.peek();
    if (t.kind !== 'name' && t.kind !== 'quoted-name') return out;
    if (stopWords.includes(t.value.toLowerCase())) return out;
    r.next();
    const star = r.peek();
    if (star.kind === 'op' && star.value === '*' && star.span.offset === t.span.offset + t.span.length) {
      r.next();
      out.push({ name: `${t.value}*`, span: r.span(t.span, star.span) });
    } else out.push(asName(t));
  }
}

function alias(r: OperatorReader): Name | null {
  if (!r.isKeyword('as')) return null;
  r.next();
  return asName(r.name('a name for the result'));
}

/** `accum field [AS out]`: the running sum; without AS it replaces the field, as the reference's model (SPL). */
export function accumStage(r: OperatorReader, t: Token): Stage {
  const field = asName(r.name('a numeric field'));
  const as = alias(r);
  return {
    kind: 'running',
    fn: 'accum',
    field,
    window: 1,
    as: as ?? field,
    by: [],
    span: r.span(t.span, (as ?? field).span),
  };
}

/**
 * `autoregress field [AS alias] [p=N[-M]]`: the value N rows before, in `field_pN` (one stage per lag), or in
 * the alias when there is one lag.
 */
export function autoregressStages(r: OperatorReader, t: Token): Stage[] {
  const field = asName(r.name('the field to copy from earlier rows'));
  const as = alias(r);
  const p = options(r, ['p']).get('p');
  const [from, to] = (p?.text ?? '1').split('-').map(Number) as [number, number | undefined];
  const last = to ?? from;
  if (!Number.isInteger(from) || !Number.isInteger(last) || from < 1 || last < from || last > 1000)
    throw new QueryProblem(`\`p=${p!.text}\` must be a lag of 1 to 1000 rows, or a range such as p=1-4.`, p!.span);
  if (as && last !== from)
    throw new QueryProblem(
      'An alias names one lag: with a range of lags the fields are named field_p1, field_p2, …',
      as.span,
      'leave out AS, or give one lag: p=2',
    );
  const span = r.span(t.span, p?.span ?? as?.span ?? field.span);
  const stages: Stage[] = [];
  for (let lag = from; lag <= last; lag++)
    stages.push({
      kind: 'running',
      fn: 'backshift',
      field,
      window: lag,
      as: as ?? { name: `${field.name}_p${lag}`, span: field.span },
      by: [],
      span,
    });
  return stages;
}

/** `filldown [field …]`: the last value that is not null, carried down; every field when none is named. */
export function filldownStage(r: OperatorReader, t: Token): Stage {
  const fields = fieldList(r);
  return { kind: 'filldown', fields, span: r.span(t.span, fields.at(-1)?.span ?? t.span) };
}

/** `addtotals [fieldname=Total] [row=true] [col=false] [field, …]`. */
export function addtotalsStage(r: OperatorReader, t: Token): Stage {
  const o = options(r, ['fieldname', 'row', 'col']);
  const fields = fieldList(r);
  const last = fields.at(-1)?.span ?? [...o.values()].at(-1)?.span ?? t.span;
  return {
    kind: 'addtotals',
    fieldname: o.get('fieldname')?.text ?? 'Total',
    row: bool(o.get('row'), true),
    col: bool(o.get('col'), false),
    fields,
    span: r.span(t.span, last),
  };
}

/** `sessionize field, … [maxspan 30m] [AS session_id]`. */
export function sessionizeStage(r: OperatorReader, t: Token): Stage {
  const by = fieldList(r, ['maxspan', 'as']);
  if (by.length === 0) throw r.unexpected(r.peek(), 'the fields that say who a session is of, such as srcAddr');
  let maxspanMs = 30 * 60_000;
  let end = by.at(-1)!.span;
  const word = r.peek();
  if (word.kind === 'name' && word.value.toLowerCase() === 'maxspan') {
    r.next();
    if (r.isOp('=')) r.next();
    const d = r.peek();
    if (d.kind !== 'duration' || !(d.ms! > 0)) throw r.unexpected(d, 'a time span of fixed length, such as 30m');
    r.next();
    maxspanMs = d.ms!;
    end = d.span;
  }
  const as = alias(r);
  return {
    kind: 'sessionize',
    by,
    maxspanMs,
    as: as ?? { name: 'session_id', span: t.span },
    span: r.span(t.span, as?.span ?? end),
  };
}

/** `outlier [action=remove|transform] [param=2.5] [uselower=false] [mark=false] field …` (interquartile range). */
export function outlierStage(r: OperatorReader, t: Token): Stage {
  const o = options(r, ['action', 'param', 'uselower', 'mark']);
  const fields = fieldList(r);
  if (fields.length === 0) throw r.unexpected(r.peek(), 'a numeric field to check');
  const action = (o.get('action')?.text ?? 'transform').toLowerCase();
  if (action !== 'remove' && action !== 'transform')
    throw new QueryProblem(`\`action=${o.get('action')!.text}\` must be remove or transform.`, o.get('action')!.span);
  const param = Number(o.get('param')?.text ?? 2.5);
  if (!(param > 0)) throw new QueryProblem('`param` must be a number above 0.', o.get('param')!.span);
  return {
    kind: 'iqrOutlier',
    fields,
    action,
    param,
    useLower: bool(o.get('uselower'), false),
    mark: bool(o.get('mark'), false),
    span: r.span(t.span, fields.at(-1)!.span),
  };
}

/**
 * `logcompare timeshift 7d`: the patterns of the query's time range against those of the range shifted back
 * (Insights' `diff`, whose columns it answers in); `pattern @message` is implied when no `pattern` precedes.
 */
export function logcompareStages(r: OperatorReader, t: Token, afterPattern: boolean): Stage[] {
  const word = r.peek();
  if (word.kind !== 'name' || word.value.toLowerCase() !== 'timeshift')
    throw r.unexpected(word, '`timeshift` and how far back, such as timeshift 7d');
  r.next();
  const d = r.peek();
  if (d.kind !== 'duration' || !(d.ms! > 0)) throw r.unexpected(d, 'a time span of fixed length, such as 7d');
  r.next();
  const span = r.span(t.span, d.span);
  const message: Expr = { kind: 'field', name: '@message', span };
  return [
    ...(afterPattern ? [] : [{ kind: 'pattern' as const, source: message, span }]),
    { kind: 'diff', period: d.ms!, span },
  ];
}
