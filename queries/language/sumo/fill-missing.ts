/**
 * Sumo's `fillmissing`, read as Sumo Logic documents it:
 *
 *   fillmissing <generator> [, <generator>] [with <value> for <field>, …] [takeLast]
 *
 * where a generator is `timeslice[(15m)] [in <field>]` (the time slices of the query's range, in
 * `_timeslice` unless named; without a period, the one of the `timeslice` operator before it) or
 * `values("a", "b") in <field>` / `values all in <field>` (the values listed, or those the result has).
 * The compiler gives it its meaning (`Compiler.fillMissing`, whose SQL is `missingRowsSql` in `../fill-missing.ts`).
 */
import type { Token } from '../lexer';
import type { FillGenerator, FillValue, Name, Stage } from '../plan';
import { QueryProblem } from '../source';
import type { OperatorReader } from '../expression-parser';

const asName = (t: Token): Name => ({ name: t.value, span: t.span });

/** `fillmissing …`; `sliceMs` is the period of the last `timeslice` operator before it, if any. */
export function fillMissingStage(r: OperatorReader, t: Token, sliceMs: number | null): Stage {
  const generators: FillGenerator[] = [];
  do {
    if (generators.length) r.next();
    generators.push(generator(r, sliceMs));
  } while (r.isOp(','));
  const fills: FillValue[] = [];
  if (r.isKeyword('with')) {
    r.next();
    do {
      if (fills.length) r.next();
      fills.push(fillValue(r));
    } while (r.isOp(','));
  }
  let end = (fills.at(-1) ?? generators.at(-1)!).span;
  const takeLast = r.isKeyword('takelast');
  if (takeLast) {
    end = r.next().span;
    if (!generators.some((g) => g.kind === 'timeslice'))
      throw new QueryProblem(
        '`takeLast` fills a field with its value in the time slice before: it needs a `timeslice` generator.',
        end,
        'for example: fillmissing timeslice, values all in action takeLast',
      );
  }
  return { kind: 'fillmissing', generators, fills, takeLast, span: r.span(t.span, end) };
}

function generator(r: OperatorReader, sliceMs: number | null): FillGenerator {
  const word = r.peek();
  if (r.isKeyword('timeslice')) {
    r.next();
    let stepMs = sliceMs;
    let end = word.span;
    if (r.isOp('(')) {
      r.next();
      const d = r.peek();
      if (d.kind !== 'duration') throw r.unexpected(d, 'a time period such as 15m');
      r.next();
      stepMs = d.ms!;
      end = r.peek().span;
      if (!r.isOp(')')) throw r.unexpected(r.peek(), '`)`');
      r.next();
    }
    if (stepMs === null)
      throw new QueryProblem(
        'Which time slices? No `timeslice` operator with a period (such as `timeslice 15m`) comes before this one.',
        word.span,
        'give the period: fillmissing timeslice(15m)',
      );
    let field: Name | null = null;
    if (r.isKeyword('in')) {
      r.next();
      field = asName(r.name('the field that holds the time slice'));
      end = field.span;
    }
    return { kind: 'timeslice', stepMs, field, span: r.span(word.span, end) };
  }
  if (r.isKeyword('values')) {
    r.next();
    let values: string[] | 'all';
    if (r.isKeyword('all')) {
      r.next();
      values = 'all';
    } else {
      if (!r.isOp('(')) throw r.unexpected(r.peek(), '`(` and the values, or `all`', 'values("a", "b") in field');
      r.next();
      values = [];
      do {
        if (values.length) r.next();
        const v = r.peek();
        // Sumo takes only quoted values here.
        if (v.kind !== 'string') throw r.unexpected(v, 'a quoted value such as "ACCEPT"');
        values.push(r.next().value);
      } while (r.isOp(','));
      if (!r.isOp(')')) throw r.unexpected(r.peek(), '`)` to end the values');
      r.next();
    }
    if (!r.isKeyword('in')) throw r.unexpected(r.peek(), '`in` and the field they go in', 'values("a", "b") in field');
    r.next();
    const field = asName(r.name('the field the values go in'));
    return { kind: 'values', values, field, span: r.span(word.span, field.span) };
  }
  throw r.unexpected(word, 'a generator: timeslice or values', 'for example: fillmissing timeslice(1m)');
}

/** `0 for _count`, `-1 for _count`, `"none" for name`, `null for name`. */
function fillValue(r: OperatorReader): FillValue {
  const first = r.peek();
  const negative = r.isOp('-');
  if (negative) r.next();
  const t = r.peek();
  let value: FillValue['value'];
  if (t.kind === 'number') {
    const text = negative ? `-${t.value}` : t.value;
    value = { kind: 'number', value: Number(text), text, span: r.span(first.span, t.span) };
  } else if (t.kind === 'string' && !negative) value = { kind: 'string', value: t.value, span: t.span };
  else if (t.kind === 'name' && t.value.toLowerCase() === 'null' && !negative) value = { kind: 'null', span: t.span };
  else throw r.unexpected(t, 'a number, a quoted text or null', 'for example: with 0 for _count');
  r.next();
  if (!r.isKeyword('for')) throw r.unexpected(r.peek(), '`for` and a field', 'for example: with 0 for _count');
  r.next();
  const field = asName(r.name('the field the value goes in'));
  return { value, field, span: r.span(first.span, field.span) };
}
