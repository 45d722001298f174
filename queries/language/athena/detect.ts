/**
 * Telling Athena SQL from DuckDB SQL. Both start with SELECT; a query is Athena's when it reads a table
 * the workspace does not have (`FROM vpc_flow_logs`: in DuckDB SQL the records are `flows`), or uses
 * something only Trino has (a Trino function DuckDB lacks, IPADDRESS, a backquoted name), or is an
 * Athena-only statement (MSCK REPAIR, UNLOAD, CREATE EXTERNAL TABLE). The answer says why, so the user
 * sees why the text was read as Athena SQL.
 *
 * The check reads tokens, not a parse, so a query with a mistake is still recognised (and its error then
 * comes from the Athena parser, at its position).
 */
import { tokenizeSql, type SqlToken } from '../sql-syntax/lexer';

/** Tables a DuckDB SQL query can read in a workspace (besides its own WITH queries). */
const WORKSPACE_TABLES = new Set([
  'flows',
  'imports',
  'rejected_lines',
  'meta',
  'pull_checkpoints',
  'protocol_names',
  'service_names',
]);

/** Schemas whose tables are DuckDB's own. */
const DUCKDB_SCHEMAS = new Set(['main', 'temp', 'information_schema', 'pg_catalog', 'system']);

/**
 * Trino functions (as Athena engine v3 has them) that DuckDB has no function of that name for, so a query
 * calling one cannot be DuckDB SQL. A test checks each against DuckDB's own function list.
 */
export const TRINO_ONLY_FUNCTIONS: readonly string[] = [
  'from_unixtime',
  'to_unixtime',
  'to_iso8601',
  'from_iso8601_timestamp',
  'from_iso8601_date',
  'date_format',
  'date_parse',
  'format_datetime',
  'parse_datetime',
  'day_of_week',
  'day_of_month',
  'day_of_year',
  'year_of_week',
  'week_of_year',
  'last_day_of_month',
  'approx_distinct',
  'approx_percentile',
  'regexp_like',
  'regexp_count',
  'regexp_split',
  'cardinality',
  'array_join',
  'array_max',
  'array_min',
  'any_match',
  'all_match',
  'none_match',
  'codepoint',
  'is_nan',
  'is_finite',
  'is_infinite',
  'arbitrary',
];

const TRINO_ONLY = new Set(TRINO_ONLY_FUNCTIONS);

/** Calls whose arguments are written with FROM. */
const IN_CALL_FROM = new Set(['extract', 'substring', 'trim', 'overlay', 'position']);

/** Why the text is Athena SQL rather than DuckDB SQL, or null if nothing says so. */
export function athenaReason(text: string): string | null {
  let tokens: SqlToken[];
  try {
    tokens = tokenizeSql(text).tokens;
  } catch {
    return null;
  }
  const first = tokens[0];
  const word = (i: number) => (tokens[i]?.kind === 'name' ? tokens[i]!.value : '');
  if (first?.kind === 'name') {
    if (first.value === 'msck') return 'MSCK REPAIR TABLE is an Athena statement';
    if (first.value === 'unload') return 'UNLOAD is an Athena statement';
    if (first.value === 'create' && word(1) === 'external') return 'CREATE EXTERNAL TABLE is Athena DDL';
  }
  if (/`/.test(text) && tokens.some((t) => t.kind === 'quoted' && text[t.span.offset] === '`'))
    return 'backquoted names are Athena DDL quoting';
  // WITH query names are tables of the query itself.
  const ctes = new Set<string>();
  tokens.forEach((t, i) => {
    if ((t.kind === 'name' || t.kind === 'quoted') && word(i + 1) === 'as' && tokens[i + 2]?.value === '(') {
      const before = tokens[i - 1];
      if (before && (before.value === 'with' || before.value === ',' || before.value === 'recursive'))
        ctes.add(t.value.toLowerCase());
    }
  });
  // The word before each open parenthesis: FROM inside EXTRACT(… FROM x) names no table.
  const opened: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.value === '(' && t.kind === 'op') opened.push(word(i - 1));
    if (t.value === ')' && t.kind === 'op') opened.pop();
    if (t.kind === 'name' && t.value === 'ipaddress') return 'IPADDRESS is a Trino type';
    if (t.kind === 'name' && TRINO_ONLY.has(t.value) && tokens[i + 1]?.value === '(' && tokens[i - 1]?.value !== '.')
      return `${t.value}() is a Trino function`;
    if (t.kind !== 'name' || (t.value !== 'from' && t.value !== 'join')) continue;
    if (word(i - 1) === 'distinct' || IN_CALL_FROM.has(opened[opened.length - 1] ?? '')) continue;
    const nameToken = tokens[i + 1];
    if (!nameToken || (nameToken.kind !== 'name' && nameToken.kind !== 'quoted')) continue;
    const parts = [nameToken.value.toLowerCase()];
    let j = i + 2;
    while (tokens[j]?.value === '.' && (tokens[j + 1]?.kind === 'name' || tokens[j + 1]?.kind === 'quoted')) {
      parts.push(tokens[j + 1]!.value.toLowerCase());
      j += 2;
    }
    if (tokens[j]?.value === '(') continue; // a table function: range(10), read_csv(…)
    const table = parts[parts.length - 1]!;
    // A name still being typed at the end of the text (`FROM fl`) may become `flows`.
    const typing = tokens[j]?.kind === 'eof' && [...WORKSPACE_TABLES].some((w) => w.startsWith(table));
    if (typing) continue;
    if (parts.length === 1 && (WORKSPACE_TABLES.has(table) || ctes.has(table))) continue;
    if (parts.length > 1 && DUCKDB_SCHEMAS.has(parts[0]!)) continue;
    if (['select', 'lateral', 'unnest', 'values'].includes(table) && nameToken.kind === 'name') continue;
    return `it reads from \`${parts.join('.')}\`, not \`flows\``;
  }
  return null;
}
