/**
 * How a query's table writes its text partitions, read from the text the query compares them with.
 * AWS's DDL makes `date` a DATE (`date = DATE('2020-05-04')`, `date > current_date - interval '7' day`);
 * tables published with a projected `date string` (`"projection.date.format" = "yyyy/MM/dd"`) compare it
 * with text (`date = '2026/02/12'`), which against a DATE Trino refuses. `dt` is text in every DDL, its
 * values written `yyyy-MM-dd` by most and `yyyy/MM/dd` by some. So a partition compared with text is text
 * in the layout that text shows (slashes or dashes); otherwise `date` is the DATE and `dt` `yyyy-MM-dd`.
 * `day` is `yyyy/MM/dd` in AWS's projected tables and the day of the month in Hive's (`year`, `month`,
 * `day`, `hour`): compared with text, it is what that text shows (`'2026/03/03'`, `'03'`); otherwise Hive's
 * where the query names another Hive partition (record.ts).
 */
import type { Expr, Statement } from '../sql-syntax/ast';
import { walkStatement } from '../sql-syntax/walk';

export type DayFormat = '%Y/%m/%d' | '%Y-%m-%d';

/** The text partitions whose layout the query shows; one not named keeps its default. */
export interface TextPartitions {
  date?: DayFormat;
  dt?: DayFormat;
  /** `day` is a whole date in AWS's projected tables, the day of the month (`dd`) in Hive's. */
  day?: DayFormat | '%d';
}

const COMPARISONS = new Set(['=', '<>', '!=', '<', '<=', '>', '>=']);

/** Functions whose text a query compares a day partition with (`date_format(current_date, '%Y/%m/%d')`). */
const FORMATTING = new Set(['date_format', 'format_datetime']);

/** The text a comparison operand shows: a string, or the pattern of a formatting call; undefined otherwise. */
function shownText(e: Expr): string | undefined {
  if (e.kind === 'string') return e.value;
  if (e.kind === 'call' && FORMATTING.has(e.name.name.toLowerCase()) && e.args[1]?.kind === 'string')
    return e.args[1].value;
  return undefined;
}

/** The day layout a text operand shows, null when it shows none, undefined when it is not text. */
function shownLayout(e: Expr): DayFormat | null | undefined {
  const text = shownText(e);
  if (text === undefined) return undefined;
  if (/^(\d{4}|%Y|yyyy)\/(\d\d|%m|MM)/.test(text)) return '%Y/%m/%d';
  if (/^(\d{4}|%Y|yyyy)-(\d\d|%m|MM)/.test(text)) return '%Y-%m-%d';
  return null;
}

/** Whether a text operand is a day of the month, as Hive's `day` is written (`'03'`, `'%d'`). */
function showsDayOfMonth(e: Expr): boolean {
  return /^(\d\d|%d|dd)$/.test(shownText(e) ?? '');
}

export function textPartitions(statement: Statement): TextPartitions {
  const shown: Record<'date' | 'dt' | 'day', (DayFormat | '%d' | null)[]> = { date: [], dt: [], day: [] };
  const partition = (e: Expr) => {
    if (e.kind !== 'column') return null;
    const name = e.parts[e.parts.length - 1]!.name;
    return name === 'date' || name === 'dt' || name === 'day' ? name : null;
  };
  const compare = (column: Expr, others: Expr[]) => {
    const name = partition(column);
    if (!name) return;
    for (const o of others) {
      const layout = name === 'day' && showsDayOfMonth(o) ? '%d' : shownLayout(o);
      if (layout !== undefined) shown[name].push(layout);
    }
  };
  walkStatement(statement, (e) => {
    if (e.kind === 'binary' && COMPARISONS.has(e.op)) {
      compare(e.left, [e.right]);
      compare(e.right, [e.left]);
    } else if (e.kind === 'between') compare(e.operand, [e.low, e.high]);
    else if (e.kind === 'in' && Array.isArray(e.list)) compare(e.operand, e.list);
  });
  const out: TextPartitions = {};
  // `date` compared with any text is text, with slashes as the published projections write it unless the text shows dashes.
  if (shown.date.length)
    out.date = shown.date.includes('%Y-%m-%d') && !shown.date.includes('%Y/%m/%d') ? '%Y-%m-%d' : '%Y/%m/%d';
  if (shown.dt.includes('%Y/%m/%d') && !shown.dt.includes('%Y-%m-%d')) out.dt = '%Y/%m/%d';
  // `day` compared with text reads the layout that text shows, whatever other partitions the query names:
  // `day = '2026/03/03' AND hour = '05'` (a projected day and an hour) is not Hive's day of the month.
  const day = [...new Set(shown.day.filter((l) => l !== null))];
  if (day.length === 1) out.day = day[0];
  return out;
}
