/**
 * The intermediate plan every query dialect parses into (Insights, Sumo), and that `compile.ts` turns
 * into DuckDB SQL. A plan is a pipeline of stages over the flow records of the chosen time range, in
 * the order the user wrote them; each stage sees the columns the stages before it produced.
 *
 * Names in a plan are as the user wrote them: the compiler resolves field names against the scope of
 * each stage (the flow-log fields under all their names first, then what `parse`, `fields` and `stats`
 * added), so an unknown name is reported at its own position with a "did you mean".
 *
 * Every node carries the span of its text, for diagnostics. Front ends build plain object literals of
 * these types; functions (scalar and aggregate) live in one registry, `functions.ts`, that each dialect
 * can extend with entries tagged for it.
 */
import type { SourceSpan } from './types';

export type { SourceSpan };

export type BinaryOp = 'and' | 'or' | '=' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%' | '^';

export type Expr =
  /** A field by name: a flow-log field (any of its names), `@timestamp` & co, or a column an earlier stage made. */
  | { kind: 'field'; name: string; span: SourceSpan }
  /** A quoted text; `regex` for Sumo's `/re/` where a function takes one (`replace(x, /re/, y)`), `value` its RE2 text. */
  | { kind: 'string'; value: string; regex?: boolean; span: SourceSpan }
  | { kind: 'number'; value: number; text: string; span: SourceSpan }
  | { kind: 'boolean'; value: boolean; span: SourceSpan }
  | { kind: 'null'; span: SourceSpan }
  /**
   * A time span such as `5m` or `1h` (bin(), datefloor()), in milliseconds; a calendar period (Insights'
   * `1mo`, `1q`, `1y`) has `months` instead, and `ms` NaN.
   */
  | { kind: 'duration'; ms: number; months?: number; text: string; span: SourceSpan }
  /** A function call, scalar or aggregate, looked up by name in the function registry (`functions.ts`). `star` for `count(*)`. */
  | { kind: 'call'; name: string; args: Expr[]; star?: boolean; span: SourceSpan; nameSpan: SourceSpan }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; span: SourceSpan }
  | { kind: 'not'; operand: Expr; span: SourceSpan }
  | { kind: 'negate'; operand: Expr; span: SourceSpan }
  | { kind: 'in'; operand: Expr; list: Expr[]; negated: boolean; span: SourceSpan }
  /** `like "text"` (Insights: substring match; `%`/`_` wildcards if present) or Sumo `matches "a*b"` (`glob`). */
  | {
      kind: 'like';
      operand: Expr;
      pattern: Expr;
      mode: 'substring' | 'sql' | 'glob';
      negated: boolean;
      caseInsensitive?: boolean;
      span: SourceSpan;
    }
  /** Insights `field in (query)`: whether the value is among the first column's values of a query over the same records. */
  | { kind: 'subquery'; operand: Expr; plan: Plan; negated: boolean; span: SourceSpan }
  /** `=~ /re/` or `like /re/`: a regular expression (RE2 syntax) that matches anywhere in the text. */
  | { kind: 'regex'; operand: Expr; pattern: string; caseInsensitive: boolean; negated: boolean; span: SourceSpan };

/** An expression with the name its result column gets (the alias, or the text as written). */
export interface Named {
  expr: Expr;
  name: string;
  span: SourceSpan;
}

export type Stage =
  /** Keep the records (or groups) for which `where` is true. */
  | { kind: 'filter'; where: Expr; span: SourceSpan }
  /**
   * Add or replace columns (`fields a, b, x * 2 as c`). `select` true also makes them the displayed columns
   * (Insights `fields` adds to them, `display` with `replace` sets them); Sumo's assignments use `select: false`.
   */
  | {
      kind: 'fields';
      items: Named[];
      select: boolean;
      replace?: boolean;
      /**
       * Sumo's 14-star `parse` of the flow-log line: item i is the default format's i-th field, whatever the
       * record's format, so the compiler says where a format puts another field there (`parse-positions.ts`).
       */
      line?: boolean;
      span: SourceSpan;
    }
  /** Extract named parts of a text with a regular expression (RE2, capturing groups in `names` order). */
  | {
      kind: 'parse';
      source: Expr;
      regex: string;
      names: { name: string; span: SourceSpan }[];
      /** The `*` pattern as written (Insights), so the compiler can see a whole record split at its blanks. */
      glob?: string;
      /** Sumo `parse regex … multi`: a record for each match in the text, not only the first. */
      multi?: boolean;
      span: SourceSpan;
    }
  /**
   * Group (by `groupBy`, maybe none) and aggregate: the columns become the group keys then the aggregates.
   * Insights' `… by bin(5m) offset 1h`: each bin holds the records one offset earlier (`offsetMs`).
   */
  | { kind: 'stats'; aggregates: Named[]; groupBy: Named[]; offsetMs?: number; span: SourceSpan }
  | { kind: 'sort'; keys: { expr: Expr; descending: boolean; span: SourceSpan }[]; span: SourceSpan }
  | { kind: 'limit'; count: number; span: SourceSpan }
  /**
   * Keep the first `keep` (1 unless given) records for each distinct combination of the expressions (in the
   * current order); `consecutive` (Sumo): of each run of rows in a row with the same combination.
   */
  | { kind: 'dedup'; keys: Expr[]; keep?: number; consecutive?: boolean; span: SourceSpan }
  /**
   * Sumo `topk(n, f[, g …]) [by k, …]`: the `n` rows with the largest `f` (then `g` …) in each group of the
   * `by` fields, numbered in `_rank`.
   */
  | { kind: 'topk'; count: number; keys: Name[]; by: Name[]; span: SourceSpan }
  /** Leave these fields out of what is shown (Sumo `fields - a, b`); names that are not shown are ignored. */
  | { kind: 'drop'; names: Name[]; span: SourceSpan }
  /**
   * Sumo `outlier f [by g] window= threshold= consecutive= direction=`: each point of the time series of
   * `field` (per group) against the mean and standard deviation of the `window` points before it.
   */
  | {
      kind: 'outlier';
      field: Name;
      by: Name[];
      window: number;
      threshold: number;
      consecutive: number;
      direction: '+-' | '+' | '-';
      span: SourceSpan;
    }
  /** Sumo `predict f by 1m forecast=n`: a least-squares line through the series, `forecast` points more. */
  | { kind: 'predict'; field: Name; by: Name[]; stepMs: number; forecast: number; span: SourceSpan }
  /**
   * Sumo `compare with timeshift 1d 3 [avg]`: the stages before it run again over time ranges shifted back,
   * joined to the result on its keys (a time key shifted by the same amount).
   */
  | { kind: 'compare'; shifts: TimeShift[]; span: SourceSpan }
  /**
   * Sumo's running operators over the result in its order, per `by` group: `accum` (running sum), `diff`
   * (the change from the row before), `smooth` (the mean of the last `window` rows), `rollingstd` (their
   * standard deviation), `total` (the group's sum on every row), `backshift` (the value `window` rows
   * before). Non-numbers are skipped.
   */
  | {
      kind: 'running';
      fn: RunningFunction;
      field: Name;
      window: number;
      as: Name | null;
      by: Name[];
      span: SourceSpan;
    }
  /**
   * Sumo `fillmissing timeslice(15m), values("a", "b") in f [with 0 for g] [takeLast]` (and Insights'
   * `fillmissing [with 0 for g]`, the bins of its `bin()` for each of the other keys): every combination
   * the generators enumerate that the result lacks is appended, its other fields a default (0 for
   * numbers, false, else null), the `with` value, or with `takeLast` the previous time slice's value.
   */
  | {
      kind: 'fillmissing';
      generators: FillGenerator[];
      fills: FillValue[];
      takeLast: boolean;
      /** Insights: the other fields of an added row are empty, not Sumo's 0 and false. */
      empty?: boolean;
      span: SourceSpan;
    }
  /** Sumo `transpose row r column c`: one row per r, one column per value of c (made after the query runs). */
  | { kind: 'transpose'; rows: Name[]; columns: Name[]; outputs?: Name[]; span: SourceSpan }
  /** One record per item of a list, the item named `into`; any other value is a list of one (Insights `unnest`). */
  | { kind: 'unnest'; source: Expr; into: { name: string; span: SourceSpan }; span: SourceSpan }
  /**
   * Add the `outputs` columns of a table the analyst imported, from its row whose `keys` columns equal the
   * record's fields (Insights `lookup`); a record with no such row gets nulls.
   */
  | {
      kind: 'lookup';
      table: { name: string; span: SourceSpan };
      keys: { column: string; field: Expr; span: SourceSpan }[];
      /** `as`: the field the column goes in, when it is not the column's own name (cidrlookup). */
      outputs: { name: string; as?: string; span: SourceSpan }[];
      /**
       * Insights `cidrlookup`: the one key is an address matched against the CIDR ranges in its column (`column`
       * empty: the table's column named `cidr`, else its first), the most specific range answering; with
       * `onlyEmpty` (OUTPUTNEW) a field that has a value keeps it.
       */
      cidr?: { onlyEmpty: boolean };
      span: SourceSpan;
    }
  /**
   * Group the records by the shape of a text: its words, with those that vary from record to record
   * (numbers, addresses, IDs) replaced by `<*>` (Insights `pattern`).
   */
  | { kind: 'pattern'; source: Expr; span: SourceSpan }
  /**
   * Compare the patterns of the query's time range with those of the range before it (`previous`, of the
   * same length) or the same range a day, week or month earlier (Insights `diff`).
   */
  | { kind: 'diff'; period: 'previous' | 'day' | 'week' | 'month' | number; span: SourceSpan }
  /**
   * Insights `appendcols`: the columns of another query over the same records, its first row beside the
   * result's first and so on (`max` of its rows at most); `override` lets its columns replace ones of the same name.
   */
  | { kind: 'appendcols'; plan: Plan; override: boolean; max: number; span: SourceSpan }
  /** Insights `filldown [f …]`: each null replaced by the last value above it that is not (every field if none named; `cpu*` a pattern). */
  | { kind: 'filldown'; fields: Name[]; span: SourceSpan }
  /**
   * Insights `addtotals`: `row` adds `fieldname`, the sum of the numeric fields of each row (the `fields`
   * only, when named); `col` appends a row of each numeric field's sum.
   */
  | { kind: 'addtotals'; fieldname: string; row: boolean; col: boolean; fields: Name[]; span: SourceSpan }
  /**
   * Insights `sessionize f, … maxspan 30m as session_id`: in time order, the events of one combination of the
   * fields are one session until a gap longer than `maxspanMs`; each session gets a number.
   */
  | { kind: 'sessionize'; by: Name[]; maxspanMs: number; as: Name; span: SourceSpan }
  /**
   * Insights `outlier`: a value above Q3 + param × IQR (or, with `useLower`, below Q1 − param × IQR) is an
   * outlier; `remove` drops its row, `transform` clamps it to the bound; `mark` adds `<field>_outlier`.
   */
  | {
      kind: 'iqrOutlier';
      fields: Name[];
      action: 'remove' | 'transform';
      param: number;
      useLower: boolean;
      mark: boolean;
      span: SourceSpan;
    };

/** A `fillmissing` generator: the time slices of the range (in `field`, `_timeslice` unless named), or values. */
export type FillGenerator =
  | { kind: 'timeslice'; stepMs: number; field: Name | null; span: SourceSpan }
  | { kind: 'values'; values: string[] | 'all'; field: Name; span: SourceSpan };

/** `with <value> for <field>`: what an appended row holds in a field that is not a key. */
export interface FillValue {
  value: Extract<Expr, { kind: 'number' | 'string' | 'null' }>;
  field: Name;
  span: SourceSpan;
}

export type RunningFunction = 'accum' | 'diff' | 'smooth' | 'rollingstd' | 'total' | 'backshift';

/** The column a running operator writes: the name after its `as`, else Sumo's `_accum`, `_diff`, …. */
export function runningColumn(stage: { fn: RunningFunction; as: Name | null }): string {
  return stage.as?.name ?? `_${stage.fn}`;
}

/** A name as written, with its place. */
export interface Name {
  name: string;
  span: SourceSpan;
}

/** One `timeshift` of a compare: `count` copies shifted by 1, 2, … times `ms`, or their `aggregate`. */
export interface TimeShift {
  ms: number;
  /** The shift as written (`1d`), for column names. */
  text: string;
  count: number;
  aggregate?: 'avg' | 'min' | 'max';
  alias?: string;
  span: SourceSpan;
}

export interface Plan {
  dialect: 'insights' | 'sumo';
  stages: Stage[];
}
