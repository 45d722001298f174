/**
 * The syntax tree of a SQL query as `parser.ts` reads it: Trino's grammar for SELECT (what Athena runs),
 * plus the few DuckDB forms the other dialects compile to. Every node carries the span of its text, so
 * that a translation can point at the user's words. Names are as the lexer gives them (unquoted ones
 * lower-cased).
 */
import type { SourceSpan } from '../plan';

export interface Ident {
  name: string;
  quoted: boolean;
  span: SourceSpan;
}

/** A type as written: `varchar`, `decimal(10, 2)`, `array(varchar)`, `timestamp(3) with time zone`. */
export interface TypeName {
  name: string;
  params: (number | TypeName)[];
  span: SourceSpan;
}

export type IntervalUnit = 'year' | 'month' | 'week' | 'day' | 'hour' | 'minute' | 'second' | 'millisecond';

export interface WindowSpec {
  partitionBy: Expr[];
  orderBy: OrderItem[];
  /** The frame as written (`ROWS BETWEEN … AND …`), kept as text: both engines read it alike. */
  frame: string | null;
  span: SourceSpan;
}

export type Expr =
  | { kind: 'column'; parts: Ident[]; span: SourceSpan }
  | { kind: 'string'; value: string; span: SourceSpan }
  | { kind: 'number'; text: string; span: SourceSpan }
  | { kind: 'boolean'; value: boolean; span: SourceSpan }
  | { kind: 'null'; span: SourceSpan }
  /** `DATE '2020-01-01'`, `TIMESTAMP '…'`, `IPADDRESS '10.0.0.1'`: a literal of a named type. */
  | { kind: 'typed'; type: TypeName; value: string; span: SourceSpan }
  /** `INTERVAL '7' DAY`, `INTERVAL '1-2' YEAR TO MONTH`. */
  | {
      kind: 'interval';
      value: string;
      negative: boolean;
      /** Null for DuckDB's `INTERVAL '5 minutes'`, its unit inside the text. */
      from: IntervalUnit | null;
      to: IntervalUnit | null;
      span: SourceSpan;
    }
  | { kind: 'unary'; op: '-' | '+' | 'not'; operand: Expr; span: SourceSpan }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; span: SourceSpan; opSpan: SourceSpan }
  | { kind: 'between'; operand: Expr; low: Expr; high: Expr; negated: boolean; span: SourceSpan }
  | { kind: 'in'; operand: Expr; list: Expr[] | Query; negated: boolean; span: SourceSpan }
  | {
      kind: 'like';
      operand: Expr;
      pattern: Expr;
      escape: Expr | null;
      negated: boolean;
      /** DuckDB's ILIKE. */
      caseInsensitive?: boolean;
      span: SourceSpan;
    }
  | { kind: 'is-null'; operand: Expr; negated: boolean; span: SourceSpan }
  | { kind: 'is-distinct'; left: Expr; right: Expr; negated: boolean; span: SourceSpan }
  /** `IS [NOT] TRUE/FALSE`. */
  | { kind: 'is-bool'; operand: Expr; value: boolean; negated: boolean; span: SourceSpan }
  | { kind: 'case'; operand: Expr | null; whens: { when: Expr; then: Expr }[]; else: Expr | null; span: SourceSpan }
  | { kind: 'cast'; operand: Expr; type: TypeName; try: boolean; span: SourceSpan }
  | {
      kind: 'call';
      name: Ident;
      args: Expr[];
      distinct: boolean;
      star: boolean;
      /** Written without parentheses (`current_date`). */
      bare: boolean;
      orderBy: OrderItem[];
      filter: Expr | null;
      over: WindowSpec | null;
      span: SourceSpan;
    }
  | { kind: 'extract'; field: Ident; operand: Expr; span: SourceSpan }
  | { kind: 'subquery'; query: Query; span: SourceSpan }
  | { kind: 'exists'; query: Query; span: SourceSpan }
  | { kind: 'array'; items: Expr[]; span: SourceSpan }
  | { kind: 'row'; items: Expr[]; span: SourceSpan }
  | { kind: 'subscript'; operand: Expr; index: Expr; span: SourceSpan }
  /** `(expr).field`: a field of a row value (a dotted name is a `column` until resolved). */
  | { kind: 'field'; operand: Expr; field: Ident; span: SourceSpan }
  | { kind: 'lambda'; params: Ident[]; body: Expr; span: SourceSpan }
  | { kind: 'at-time-zone'; operand: Expr; zone: Expr; span: SourceSpan };

export type BinaryOp =
  | 'and'
  | 'or'
  | '='
  | '<>'
  | '<'
  | '<='
  | '>'
  | '>='
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '||'
  /** DuckDB only: integer division and power. */
  | '//'
  | '**';

export interface OrderItem {
  expr: Expr;
  descending: boolean;
  nulls: 'first' | 'last' | null;
  span: SourceSpan;
}

export type SelectItem =
  | { kind: 'star'; qualifier: Ident[] | null; span: SourceSpan }
  | { kind: 'expr'; expr: Expr; alias: Ident | null; span: SourceSpan };

export type Relation =
  | { kind: 'table'; name: Ident[]; alias: Ident | null; columns: Ident[] | null; span: SourceSpan }
  | { kind: 'derived'; query: Query; lateral: boolean; alias: Ident | null; columns: Ident[] | null; span: SourceSpan }
  | {
      kind: 'unnest';
      args: Expr[];
      ordinality: boolean;
      alias: Ident | null;
      columns: Ident[] | null;
      span: SourceSpan;
    }
  | {
      kind: 'join';
      type: 'inner' | 'left' | 'right' | 'full' | 'cross';
      natural: boolean;
      left: Relation;
      right: Relation;
      on: Expr | null;
      using: Ident[] | null;
      span: SourceSpan;
    };

export interface GroupBy {
  distinct: boolean;
  /** Plain expressions; ROLLUP/CUBE/GROUPING SETS as sets of expressions. */
  elements: GroupingElement[];
  /** DuckDB's `GROUP BY ALL`: every select item without an aggregate; `elements` is empty. */
  all?: boolean;
  span: SourceSpan;
}

export type GroupingElement =
  | { kind: 'expr'; expr: Expr }
  | { kind: 'rollup' | 'cube'; exprs: Expr[]; span: SourceSpan }
  | { kind: 'sets'; sets: Expr[][]; span: SourceSpan };

export interface Select {
  kind: 'select';
  distinct: boolean;
  items: SelectItem[];
  from: Relation[];
  where: Expr | null;
  groupBy: GroupBy | null;
  having: Expr | null;
  /** DuckDB only: a condition on window functions' values. */
  qualify: Expr | null;
  span: SourceSpan;
}

export type QueryBody =
  | Select
  | {
      kind: 'set';
      op: 'union' | 'intersect' | 'except';
      all: boolean;
      left: QueryBody;
      right: QueryBody;
      span: SourceSpan;
    }
  | { kind: 'values'; rows: Expr[][]; span: SourceSpan }
  | { kind: 'nested'; query: Query; span: SourceSpan };

export interface Cte {
  name: Ident;
  columns: Ident[] | null;
  query: Query;
  span: SourceSpan;
}

export interface Query {
  with: { recursive: boolean; ctes: Cte[] } | null;
  body: QueryBody;
  orderBy: OrderItem[];
  limit: Expr | null;
  offset: Expr | null;
  span: SourceSpan;
}

/** A whole statement: a query, or `EXPLAIN [ANALYZE]` of one. */
export interface Statement {
  query: Query;
  explain: null | { analyze: boolean };
  span: SourceSpan;
}
