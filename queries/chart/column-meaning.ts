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
