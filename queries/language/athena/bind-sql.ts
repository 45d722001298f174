/**
 * SQL binding `value` once as `name` inside `body`: a `let` without a macro, so that an expression used
 * several times is computed once, and none of the query connection's guarded macros (query-limits.ts) makes
 * it volatile, which DuckDB's TRY (Athena's try()) would refuse.
 */
export function bindOnce(value: string, name: string, body: string): string {
  return `list_transform([${value}], lambda ${name}: ${body})[1]`;
}
