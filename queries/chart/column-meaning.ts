/**
 * What the columns of a pipe query's result mean, read from the query rather than from the column
 * names: `stats sum(bytes) as total by dstPort` makes `total` a byte count and `dstPort` a port, whatever
 * they are called, so the grid, the charts and the dashboards format them by one rule. Names are followed
 * stage by stage as the compiler resolves them (a stage's own columns first, then the flow-log fields).
 * SQL results have no plan: their columns are read by name and type (`column-kind.ts`).
 */
import { baseField } from '../language/field-names';
import type { Expr, Plan } from '../language/plan';
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
 * Whether a result column's values add up, by the query: false for an aggregate that is no count or sum (an
 * average, a maximum, a percentile, a distinct count, a ratio of two), which a chart re-binning a time series
 * into wider buckets must not add up (30 one-minute maxima of 84 MB drew as a bar of 2.5 GB); true for a count
 * or a sum; null where the query does not say (a group key, a field computed after the stats).
 */
export function columnAddsUp(plan: Plan): (name: string) => boolean | null {
  let own = new Map<string, boolean | null>();
  const ofField = (name: string): boolean | null => own.get(name.toLowerCase()) ?? null;
  for (const stage of plan.stages) {
    if (stage.kind === 'fields') {
      const next = new Map(own);
      for (const item of stage.items)
        next.set(item.name.toLowerCase(), item.expr.kind === 'field' ? ofField(item.expr.name) : null);
      own = next;
    } else if (stage.kind === 'stats') {
      const next = new Map<string, boolean | null>();
      for (const g of stage.groupBy) next.set(g.name.toLowerCase(), null);
      for (const a of stage.aggregates)
        next.set(a.name.toLowerCase(), a.expr.kind === 'call' && ADDS_UP.has(a.expr.name.toLowerCase()));
      own = next;
    }
  }
  return ofField;
}
