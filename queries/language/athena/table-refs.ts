/**
 * The references to the flow-log table in an Athena statement: every table name that is not a WITH query's,
 * wherever it is read (FROM, joins, sub-queries in expressions). Locally each is the workspace's records;
 * sent to Athena, each becomes the query's view of the table it is sent to.
 */
import type { SourceSpan } from '../plan';
import type { Expr, Query, QueryBody, Relation, Statement } from '../sql-syntax/ast';
import { walkExpr } from '../sql-syntax/walk';

export interface TableRef {
  span: SourceSpan;
  alias: string | null;
  /** The name as written, each part lower-cased: `["flowlogs", "vpc_flow_logs"]`. */
  parts: string[];
}

/** The references to the table (not to WITH queries) in a statement, in text order. */
export function tableRefs(statement: Statement): TableRef[] {
  const out: TableRef[] = [];
  const query = (q: Query, ctes: string[]) => {
    let env = ctes;
    for (const cte of q.with?.ctes ?? []) {
      query(cte.query, env);
      env = [cte.name.name, ...env];
    }
    body(q.body, env);
    exprs([...q.orderBy.map((o) => o.expr)], env);
  };
  // Sub-queries in expressions (IN, EXISTS, scalar) read the table too, seeing the WITH queries around them.
  const exprs = (list: (Expr | null)[], env: string[]) => {
    for (const e of list)
      if (e)
        walkExpr(e, (x) => {
          const sub =
            x.kind === 'subquery' || x.kind === 'exists'
              ? x.query
              : x.kind === 'in' && !Array.isArray(x.list)
                ? x.list
                : null;
          if (sub) query(sub, env);
        });
  };
  const body = (b: QueryBody, env: string[]) => {
    if (b.kind === 'select') {
      b.from.forEach((r) => relation(r, env));
      const groups = (b.groupBy?.elements ?? []).flatMap((g) =>
        g.kind === 'expr' ? [g.expr] : g.kind === 'sets' ? g.sets.flat() : g.exprs,
      );
      exprs([...b.items.map((i) => (i.kind === 'expr' ? i.expr : null)), b.where, b.having, ...groups], env);
    } else if (b.kind === 'set') {
      body(b.left, env);
      body(b.right, env);
    } else if (b.kind === 'nested') query(b.query, env);
    else exprs(b.rows.flat(), env);
  };
  const relation = (r: Relation, env: string[]) => {
    if (r.kind === 'join') {
      relation(r.left, env);
      relation(r.right, env);
      exprs([r.on], env);
    } else if (r.kind === 'derived') query(r.query, env);
    else if (r.kind === 'unnest') exprs(r.args, env);
    else if (!(r.name.length === 1 && env.includes(r.name[0]!.name))) {
      const first = r.name[0]!.span;
      const last = r.name[r.name.length - 1]!.span;
      out.push({
        span: { ...first, length: last.offset + last.length - first.offset },
        alias: r.alias?.name ?? null,
        parts: r.name.map((p) => p.name.toLowerCase()),
      });
    }
  };
  query(statement.query, []);
  return out.sort((a, b) => a.span.offset - b.span.offset);
}
