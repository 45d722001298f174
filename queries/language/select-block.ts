/**
 * The SELECT the compiler (`compile.ts`) builds stage by stage, in parts the modules that compile a command
 * share with it: a block (FROM, WHERE, GROUP BY, QUALIFY, ORDER BY, LIMIT), the columns in scope and their
 * order keys.
 */
import type { ValueType } from './field-names';
import type { SourceSpan } from './plan';
import { text as textSql } from './builtin-functions';

/** Columns the compiler keeps for itself start with this; no name a user can write does. */
export const HIDDEN = '\u0000';

/** A place in no text: for names the compiler looks up itself and for errors about the time range. */
export const NO_SPAN: SourceSpan = { offset: 0, line: 1, column: 1, length: 0 };

/** A column in scope: what the user calls it, and SQL for it in the current SELECT. */
export interface Column {
  name: string;
  sql: string;
  type: ValueType;
  /** The stored column, for base fields. */
  column?: string;
  /** SQL NULL stands for the logged text `-` (see `BaseField.dash`). */
  dash?: boolean;
  /**
   * The same value as SQL over the records themselves (the stored columns), where it is known: `stats`
   * groups the records by the columns a key reads before computing the key (`eager-stats.ts`), and a SELECT
   * in between (`wrap`) renames the column but not this.
   */
  record?: string;
  /**
   * Read by name but shown only where a stage names it: Sumo's `outlier` baseline `<field>_std`, which the
   * outlier page's own example reads (`where _count_std > 0`) though its table of result fields lists five.
   */
  unlisted?: boolean;
}

export interface OrderKey {
  sql: string;
  descending: boolean;
  /** Where missing values go ascending: first where the dialect counts them as text before numbers. */
  nullsFirst?: boolean;
}

/** An item of a SELECT list: an expression and the name it gets (none for `*`). */
export interface SelectItem {
  sql: string;
  alias?: string;
}

export function orderText(k: OrderKey, sql = k.sql): string {
  return `${sql} ${k.descending ? 'DESC' : 'ASC'} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`;
}

export interface Block {
  from: string;
  where: string[];
  groupBy: string[] | null;
  qualify: string | null;
  orderBy: OrderKey[];
  limit: number | null;
  /**
   * Where the block's rows are the records of `main.flows` that conditions select (one each, the wraps
   * between adding columns only), those conditions as SQL over the records: `outer` the wrapped blocks',
   * `own` one for each of `where`, in step (a condition added without its record form leaves `own` short,
   * and the block no longer counts as such a selection: see `selectionOf`); else null.
   */
  selection: { outer: string[]; own: string[] } | null;
}

/** The conditions over the records that select a block's rows from `main.flows`, or null (Block.selection). */
export function selectionOf(b: Block): string[] | null {
  const s = b.selection;
  if (!s || s.own.length !== b.where.length || b.groupBy !== null || b.limit !== null || b.qualify !== null)
    return null;
  return [...s.outer, ...s.own];
}

export function emptyBlock(from: string): Block {
  return { from, where: [], groupBy: null, qualify: null, orderBy: [], limit: null, selection: null };
}

/**
 * A result column as Sumo and Insights show it: a field the log wrote as `-` (stored NULL) is the text as
 * logged, so a number field becomes text too (its digits, or `-`). Aggregates and arithmetic read the
 * stored numbers before this, so they skip `-`.
 */
export function asLogged(c: Column): Column {
  if (!c.dash) return c;
  const { dash: _dash, column: _column, ...rest } = c;
  return { ...rest, sql: textSql({ ...c, expr: { kind: 'null', span: NO_SPAN } }), type: 'string' };
}
