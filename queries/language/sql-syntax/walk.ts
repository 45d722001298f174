/**
 * Visiting a parsed query: every expression of a statement (sub-queries included), or the expressions
 * of one expression tree (sub-queries excluded).
 */
import type { Expr, Query, QueryBody, Relation, Statement } from './ast';

/** The direct sub-expressions of `e` (not those inside its sub-queries). */
function childExprs(e: Expr): Expr[] {
  const kids: (Expr | null | undefined)[] = [];
  switch (e.kind) {
    case 'unary':
    case 'is-null':
    case 'is-bool':
    case 'cast':
    case 'extract':
    case 'field':
      kids.push(e.operand);
      break;
    case 'binary':
    case 'is-distinct':
      kids.push(e.left, e.right);
      break;
    case 'between':
      kids.push(e.operand, e.low, e.high);
      break;
    case 'in':
      kids.push(e.operand, ...(Array.isArray(e.list) ? e.list : []));
      break;
    case 'like':
      kids.push(e.operand, e.pattern, e.escape);
      break;
    case 'case':
      kids.push(e.operand, ...e.whens.flatMap((w) => [w.when, w.then]), e.else);
      break;
    case 'call':
      kids.push(
        ...e.args,
        e.filter,
        ...e.orderBy.map((o) => o.expr),
        ...(e.over ? [...e.over.partitionBy, ...e.over.orderBy.map((o) => o.expr)] : []),
      );
      break;
    case 'array':
    case 'row':
      kids.push(...e.items);
      break;
    case 'subscript':
      kids.push(e.operand, e.index);
      break;
    case 'lambda':
      kids.push(e.body);
      break;
    case 'at-time-zone':
      kids.push(e.operand, e.zone);
      break;
    default:
      break;
  }
  return kids.filter((k): k is Expr => k !== null && k !== undefined);
}

/** Visits `e` and its sub-expressions, not entering sub-queries. */
export function walkExpr(e: Expr, visit: (e: Expr) => void): void {
  visit(e);
  for (const k of childExprs(e)) walkExpr(k, visit);
}

/** The sub-queries an expression holds directly. */
function subqueries(e: Expr): Query[] {
  if (e.kind === 'subquery' || e.kind === 'exists') return [e.query];
  if (e.kind === 'in' && !Array.isArray(e.list)) return [e.list];
  return [];
}

/** Visits every expression of a statement, in sub-queries, WITH queries and join conditions too. */
export function walkStatement(s: Statement, visit: (e: Expr) => void): void {
  walkQuery(s.query, visit);
}

function walkQuery(q: Query, visit: (e: Expr) => void): void {
  for (const cte of q.with?.ctes ?? []) walkQuery(cte.query, visit);
  walkBody(q.body, visit);
  const exprs = [...q.orderBy.map((o) => o.expr), ...(q.limit ? [q.limit] : []), ...(q.offset ? [q.offset] : [])];
  for (const e of exprs) walkDeep(e, visit);
}

function walkDeep(e: Expr, visit: (e: Expr) => void): void {
  walkExpr(e, (x) => {
    visit(x);
    for (const sub of subqueries(x)) walkQuery(sub, visit);
  });
}

function walkBody(b: QueryBody, visit: (e: Expr) => void): void {
  switch (b.kind) {
    case 'select': {
      for (const item of b.items) if (item.kind === 'expr') walkDeep(item.expr, visit);
      for (const r of b.from) walkRelation(r, visit);
      const rest = [b.where, b.having].filter((e): e is Expr => e !== null);
      for (const g of b.groupBy?.elements ?? [])
        rest.push(...(g.kind === 'expr' ? [g.expr] : g.kind === 'sets' ? g.sets.flat() : g.exprs));
      for (const e of rest) walkDeep(e, visit);
      return;
    }
    case 'set':
      walkBody(b.left, visit);
      walkBody(b.right, visit);
      return;
    case 'values':
      for (const e of b.rows.flat()) walkDeep(e, visit);
      return;
    case 'nested':
      walkQuery(b.query, visit);
  }
}

function walkRelation(r: Relation, visit: (e: Expr) => void): void {
  switch (r.kind) {
    case 'derived':
      walkQuery(r.query, visit);
      return;
    case 'unnest':
      for (const e of r.args) walkDeep(e, visit);
      return;
    case 'join':
      walkRelation(r.left, visit);
      walkRelation(r.right, visit);
      if (r.on) walkDeep(r.on, visit);
      return;
    case 'table':
      return;
  }
}
