/**
 * What the columns of a pipe query's result mean, read from the query rather than from the column
 * names: `stats sum(bytes) as total by dstPort` makes `total` a byte count and `dstPort` a port, whatever
 * they are called, so the grid, the charts and the dashboards format them by one rule. Names are followed
 * stage by stage as the compiler resolves them (a stage's own columns first, then the flow-log fields).
 * SQL results have no plan: their columns are read by name and type (`column-kind.ts`).
 */
import { baseField } from '../language/field-names';
import { runningColumn, type Expr, type Plan, type RunningFunction } from '../language/plan';
import { arithmeticAddsUp, columnAdds, ROUNDS, type AddsUp } from './adds-up';
import { kindOfFlowColumn, type ColumnKind } from './column-kind';

/** Aggregates whose result is a number of records or values, whatever they count. */
const COUNTS = new Set(['count', 'count_distinct']);
/** Aggregates whose result is in the unit of their argument (the sum of bytes is bytes). */
const SAME_UNIT = new Set(['sum', 'avg', 'min', 'max', 'pct', 'median', 'stddev', 'earliest', 'latest']);

/** What a result column of the plan means, by its name; null when the query does not say (read it by name and type). */
export function columnMeanings(plan: Plan): (name: string) => ColumnKind | null {
  let own = new Map<string, ColumnKind | null>();
  let base = true;

  const ofField = (name: string): ColumnKind | null => {
    const mine = own.get(name.toLowerCase());
    if (mine !== undefined) return mine;
    const column = base ? baseField(name)?.column : undefined;
    return column ? kindOfFlowColumn(column) : null;
  };

  const ofExpr = (e: Expr): ColumnKind | null => {
    if (e.kind === 'field') return ofField(e.name);
    if (e.kind === 'call') {
      const name = e.name.toLowerCase();
      if (COUNTS.has(name)) return 'number';
      if (SAME_UNIT.has(name) && e.args[0]) {
        const unit = ofExpr(e.args[0]);
        // A measure stays a measure; the largest port or the earliest address is still a port or an address.
        const keepsKind = name === 'min' || name === 'max' || name === 'earliest' || name === 'latest';
        return unit === 'bytes' || unit === 'number' || keepsKind ? unit : 'number';
      }
    }
    // Arithmetic on bytes (`sum(bytes)/1024/1024 as MB`) is a number in some other unit.
    if (e.kind === 'binary' && ['+', '-', '*', '/', '%', '^'].includes(e.op)) return 'number';
    return null;
  };

  for (const stage of plan.stages) {
    if (stage.kind === 'fields') {
      for (const item of stage.items) own.set(item.name.toLowerCase(), ofExpr(item.expr));
    } else if (stage.kind === 'parse') {
      for (const n of stage.names) own.set(n.name.toLowerCase(), 'text');
    } else if (stage.kind === 'stats') {
      const next = new Map<string, ColumnKind | null>();
      for (const g of stage.groupBy) next.set(g.name.toLowerCase(), ofExpr(g.expr));
      for (const a of stage.aggregates) next.set(a.name.toLowerCase(), ofExpr(a.expr));
      own = next;
      base = false;
    }
  }
  return ofField;
}

/** Aggregates whose values add up: the count or sum of two buckets is the sum of their counts or sums. */
const ADDS_UP = new Set(['count', 'sum', 'count_over_time', 'sum_over_time']);

/**
 * Whether an expression of a pipe query adds up (`adds-up.ts`): `inStats` for a `stats` aggregate, where a
 * call is an aggregate; after it, fields are the columns the stages before made (`ofField`).
 */
function expressionAddsUp(e: Expr, ofField: (name: string) => boolean | null, inStats: boolean): AddsUp {
  const of = (x: Expr) => expressionAddsUp(x, ofField, inStats);
  switch (e.kind) {
    case 'number':
      return 'constant';
    case 'field':
      return inStats ? null : ofField(e.name);
    case 'negate':
      return of(e.operand);
    case 'binary':
      return arithmeticAddsUp(e.op, of(e.left), of(e.right));
    case 'call': {
      const name = e.name.toLowerCase();
      if (inStats && ADDS_UP.has(name)) return true;
      if (ROUNDS.test(name) && e.args[0]) return of(e.args[0]);
      // Any other aggregate (an average, a maximum, a percentile, a distinct count), or a function of one.
      if (inStats) return false;
      return e.args.some((a) => typeof of(a) === 'boolean') ? false : null;
    }
    default:
      return null;
  }
}

/**
 * Sumo's running operators: `backshift` moves a column's values, the others make running sums, means,
 * spreads, changes and totals, which no longer add up across rows.
 */
const runningAddsUp = (fn: RunningFunction, source: boolean | null): boolean | null =>
  fn === 'backshift' ? source : false;

/**
 * Whether a result column's values add up, by the query (`adds-up.ts`): a chart re-binning a time series into
 * wider buckets must not add up averages or maxima (30 one-minute maxima of 84 MB drew as a bar of 2.5 GB) and
 * must add up sums, scaled or not; null where the query does not say (a group key).
 */
export function columnAddsUp(plan: Plan): (name: string) => boolean | null {
  let own = new Map<string, boolean | null>();
  const ofField = (name: string): boolean | null => own.get(name.toLowerCase()) ?? null;
  for (const stage of plan.stages) {
    if (stage.kind === 'fields') {
      const next = new Map(own);
      for (const item of stage.items)
        next.set(item.name.toLowerCase(), columnAdds(expressionAddsUp(item.expr, ofField, false)));
      own = next;
    } else if (stage.kind === 'stats') {
      const next = new Map<string, boolean | null>();
      for (const g of stage.groupBy) next.set(g.name.toLowerCase(), null);
      for (const a of stage.aggregates)
        next.set(a.name.toLowerCase(), columnAdds(expressionAddsUp(a.expr, ofField, true)));
      own = next;
    } else if (stage.kind === 'running') {
      own = new Map(own).set(runningColumn(stage).toLowerCase(), runningAddsUp(stage.fn, ofField(stage.field.name)));
    }
  }
  return ofField;
}
