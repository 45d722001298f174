/**
 * The Sumo operators that work on a whole result rather than record by record, as Sumo Logic documents
 * them: `outlier`, `predict`, `compare`, `transpose` and the running ones (`accum`, `diff`, `smooth`,
 * `rollingstd`, `total`, `backshift`). Each reads its options here and becomes one plan
 * stage; the compiler (and, for transpose, the query runner) give them their meaning.
 */
import type { Token } from '../lexer';
import type { Name, RunningFunction, SourceSpan, Stage, TimeShift } from '../plan';
import type { OperatorReader } from '../expression-parser';
import { QueryProblem } from '../source';

const asName = (t: Token): Name => ({ name: t.value, span: t.span });

function names(r: OperatorReader, what: string): Name[] {
  const out: Name[] = [];
  do {
    if (out.length) r.next();
    out.push(r.field(what));
  } while (r.isOp(','));
  return out;
}

/** `key=value` options in any order, separated by commas or blanks; `by …` between them is read by `by`. */
function options(
  r: OperatorReader,
  known: readonly string[],
  by?: () => void,
): Map<string, { token: Token; text: string; span: SourceSpan }> {
  const out = new Map<string, { token: Token; text: string; span: SourceSpan }>();
  for (;;) {
    if (r.isOp(',')) {
      r.next();
      continue;
    }
    if (by && r.isKeyword('by')) {
      r.next();
      by();
      continue;
    }
    const t = r.peek();
    if (t.kind !== 'name') return out;
    const key = t.value.toLowerCase();
    if (!known.includes(key)) throw r.unexpected(t, `an option (${known.join(', ')})`);
    r.next();
    if (!r.isOp('=')) throw r.unexpected(r.peek(), '`=` and a value');
    r.next();
    // The value: a number, a duration, a name, or signs (`direction=+-`).
    let end = r.peek();
    let text = '';
    if (end.kind === 'op' && (end.value === '+' || end.value === '-')) {
      while (r.isOp('+') || r.isOp('-')) {
        end = r.next();
        text += end.value;
      }
    } else if (end.kind === 'number' || end.kind === 'duration' || end.kind === 'name') {
      r.next();
      text = end.value;
    } else throw r.unexpected(end, `a value for ${t.value}`);
    out.set(key, { token: end, text, span: r.span(t.span, end.span) });
  }
}

function positive(value: { text: string; span: SourceSpan } | undefined, fallback: number, whole: boolean): number {
  if (!value) return fallback;
  const n = Number(value.text);
  if (!(n > 0) || (whole && !Number.isInteger(n)))
    throw new QueryProblem(`\`${value.text}\` must be a ${whole ? 'whole ' : ''}number above 0.`, value.span);
  return n;
}

/** `outlier f [by g] [window=10, threshold=3, consecutive=1, direction=+-]`. */
export function outlierStage(r: OperatorReader, t: Token): Stage {
  const field = r.field('the field to watch, such as _count');
  let by: Name[] = [];
  const opts = options(r, ['window', 'threshold', 'consecutive', 'direction'], () => (by = names(r, 'a field')));
  const direction = opts.get('direction');
  if (direction && !['+-', '-+', '+', '-'].includes(direction.text))
    throw new QueryProblem('`direction` is +-, + or -.', direction.span);
  const last = [...opts.values()].at(-1)?.span ?? by.at(-1)?.span ?? field.span;
  return {
    kind: 'outlier',
    field,
    by,
    window: positive(opts.get('window'), 10, true),
    threshold: positive(opts.get('threshold'), 3, false),
    consecutive: positive(opts.get('consecutive'), 1, true),
    direction: direction?.text === '+' ? '+' : direction?.text === '-' ? '-' : '+-',
    span: r.span(t.span, last),
  };
}

/** `predict f by 1m [forecast=5|5m] [model=linear]`. */
export function predictStage(r: OperatorReader, t: Token): Stage {
  const field = r.field('the field to forecast, such as _count');
  if (!r.isKeyword('by')) throw r.unexpected(r.peek(), '`by` and the time slice, such as by 1m');
  r.next();
  const step = r.peek();
  if (step.kind !== 'duration') throw r.unexpected(step, 'the time slice, such as 1m');
  r.next();
  const opts = options(r, ['forecast', 'model', 'ar.window']);
  const model = opts.get('model');
  // Sumo documents its AR model only as "an advanced auto-regressive algorithm" that finds the data's cycles
  // itself: what it fits is not published, so no forecast here could be the one Sumo draws.
  const AR_WHY =
    "Sumo Logic describes it only as an advanced auto-regressive algorithm that detects the data's cycles itself, without publishing what it fits, so Flowscope cannot give Sumo's forecast";
  if (model && model.text.toLowerCase() === 'ar')
    throw new QueryProblem(
      `The \`ar\` model is not available: ${AR_WHY}.`,
      model.span,
      'drop model=ar to forecast with the linear model (the default)',
    );
  if (model && model.text.toLowerCase() !== 'linear')
    throw new QueryProblem(
      `Unknown model \`${model.text}\`: Sumo's predict has linear and ar.`,
      model.span,
      'model=linear',
    );
  if (opts.has('ar.window'))
    throw new QueryProblem(
      `\`ar.window\` belongs to the auto-regressive model, which is not available: ${AR_WHY}.`,
      opts.get('ar.window')!.span,
    );
  const forecast = opts.get('forecast');
  let points = 3;
  if (forecast) {
    points =
      forecast.token.kind === 'duration' ? Math.round(forecast.token.ms! / step.ms!) : positive(forecast, 3, true);
    if (!(points >= 1 && points <= 100))
      throw new QueryProblem('`forecast` is 1 to 100 points ahead.', forecast.span, 'for example forecast=5');
  }
  const last = [...opts.values()].at(-1)?.span ?? step.span;
  return { kind: 'predict', field, by: [], stepMs: step.ms!, forecast: points, span: r.span(t.span, last) };
}

/** `compare [with] timeshift 1d [3] [avg|min|max] [as name], timeshift …` (at most seven shifted copies). */
export function compareStage(r: OperatorReader, t: Token): Stage {
  if (r.isKeyword('with')) r.next();
  const shifts: TimeShift[] = [];
  do {
    if (shifts.length) r.next();
    const word = r.peek();
    if (!r.isKeyword('timeshift')) throw r.unexpected(word, '`timeshift`', 'for example: compare with timeshift 1d');
    r.next();
    // `timeshift -24h` and `timeshift 24h` both look back.
    if (r.isOp('-')) r.next();
    const d = r.peek();
    if (d.kind !== 'duration') throw r.unexpected(d, 'how far back to shift, such as 1d');
    r.next();
    let end = d.span;
    let count = 1;
    const n = r.peek();
    if (n.kind === 'number') {
      count = positive({ text: n.value, span: n.span }, 1, true);
      end = r.next().span;
    }
    const shift: TimeShift = { ms: d.ms!, text: d.value, count, span: d.span };
    const agg = r.peek();
    if (agg.kind === 'name' && ['avg', 'min', 'max'].includes(agg.value.toLowerCase())) {
      shift.aggregate = agg.value.toLowerCase() as 'avg' | 'min' | 'max';
      end = r.next().span;
    }
    if (r.isKeyword('as')) {
      r.next();
      const alias = r.name('a name for the comparison');
      shift.alias = alias.value;
      end = alias.span;
    }
    shift.span = r.span(word.span, end);
    shifts.push(shift);
  } while (r.isOp(','));
  const copies = shifts.reduce((a, s) => a + s.count, 0);
  if (copies > 7)
    throw new QueryProblem(
      `This compare runs ${copies} shifted copies of the query; Sumo allows at most 7.`,
      r.span(shifts[0]!.span, shifts.at(-1)!.span),
    );
  return { kind: 'compare', shifts, span: r.span(t.span, shifts.at(-1)!.span) };
}

/** `transpose row a[, b] column c[, d] [as x, y, *]`. */
export function transposeStage(r: OperatorReader, t: Token): Stage & { kind: 'transpose' } {
  if (!r.isKeyword('row')) throw r.unexpected(r.peek(), '`row`', 'transpose row _timeslice column field');
  r.next();
  const rows = names(r, 'a field to make the rows');
  if (!r.isKeyword('column')) throw r.unexpected(r.peek(), '`column`', 'transpose row _timeslice column field');
  r.next();
  const columns = names(r, 'a field whose values make the columns');
  let end = columns.at(-1)!.span;
  let outputs: Name[] | undefined;
  if (r.isKeyword('as')) {
    r.next();
    const bracket = r.isOp('[');
    if (bracket) r.next();
    outputs = [];
    do {
      if (outputs.length) r.next();
      if (r.isOp('*')) outputs.push({ name: '*', span: r.next().span });
      else outputs.push(asName(r.name('an output column')));
    } while (r.isOp(','));
    end = bracket ? r.next().span : outputs.at(-1)!.span;
  }
  return { kind: 'transpose', rows, columns, ...(outputs ? { outputs } : {}), span: r.span(t.span, end) };
}

/** `accum f [as n] [by …]`, `smooth f[, 5] [as n] [by …]`, …: Sumo's running operators (default window 10; backshift 1). */
export function runningStage(r: OperatorReader, t: Token, fn: RunningFunction): Stage {
  const field = r.field('a numeric field, such as _count');
  let end = field.span;
  let window = fn === 'backshift' ? 1 : 10;
  if ((fn === 'smooth' || fn === 'rollingstd' || fn === 'backshift') && r.isOp(',')) {
    r.next();
    const n = r.peek();
    if (n.kind !== 'number') throw r.unexpected(n, 'the window length, such as 5');
    window = positive({ text: n.value, span: n.span }, 10, true);
    if (fn === 'backshift' && window > 1000)
      throw new QueryProblem('`backshift` shifts by at most 1000 rows, as in Sumo Logic.', n.span);
    end = r.next().span;
  }
  let as: Name | null = null;
  if (r.isKeyword('as')) {
    r.next();
    as = asName(r.name('a name for the result'));
    end = as.span;
  }
  let by: Name[] = [];
  if (r.isKeyword('by')) {
    r.next();
    by = names(r, 'a field to group by');
    end = by.at(-1)!.span;
  }
  return { kind: 'running', fn, field, window, as, by, span: r.span(t.span, end) };
}
