/**
 * The Athena SQL dialect: the team's Athena queries (Trino SQL, engine v3) run on the workspace.
 * `compileAthena` parses the text (`sql-syntax/parser.ts`) and translates it (`translate.ts`) into one
 * DuckDB SELECT; the engine then runs it through the same read-only guard as SQL. Statements that only
 * make sense against Athena's catalog or S3 (DDL, MSCK REPAIR, UNLOAD, writes) are refused with the reason.
 */
import type { TimeBounds } from '../compile';
import { QueryProblem, SourceText } from '../source';
import { answeringProblems } from '../nesting';
import type { SourceSpan } from '../plan';
import { parseSqlStatement } from '../sql-syntax/parser';
import { walkStatement } from '../sql-syntax/walk';
import { leadingWord } from '../sql';
import { AthenaTranslator } from './translate';
import { textPartitions } from './partition-layout';
import { tableRefs } from './table-refs';
import type { ImportLayout } from '../field-names';

export type AthenaCompiled =
  | { ok: true; sql: string; columns: string[] }
  | { ok: false; refused: boolean; message: string; span: SourceSpan; hint?: string };

const QUERY_WORDS = ['SELECT', 'WITH', 'VALUES', 'TABLE', 'EXPLAIN'];

/** Why a statement Athena runs cannot run on a workspace. */
const REFUSALS: Record<string, string> = {
  MSCK: 'MSCK REPAIR TABLE loads partitions into the Athena catalog; a workspace has none to load: its records are already here.',
  CREATE:
    "CREATE changes Athena's catalog; here any table name in FROM is the workspace's records, so there is nothing to create.",
  ALTER: "ALTER changes Athena's catalog (partitions, columns); a workspace's records need no partitions.",
  DROP: "DROP changes Athena's catalog; nothing can be dropped from a workspace by a query.",
  UNLOAD:
    'UNLOAD writes a result to S3; here, export the result instead (flowscope query --output, or Export in the app).',
  INSERT: 'Writes are refused: only one read-only query runs.',
  UPDATE: 'Writes are refused: only one read-only query runs.',
  DELETE: 'Writes are refused: only one read-only query runs.',
  MERGE: 'Writes are refused: only one read-only query runs.',
  OPTIMIZE: 'OPTIMIZE rewrites an Iceberg table; a workspace is compacted from its summary (workspace.compact).',
  VACUUM: 'VACUUM rewrites an Iceberg table; a workspace is compacted from its summary (workspace.compact).',
  SHOW: "SHOW reads Athena's catalog; the workspace's columns are listed in the query editor's completion.",
  DESCRIBE: "DESCRIBE reads Athena's catalog; the workspace's columns are listed in the query editor's completion.",
  USE: 'USE selects an Athena database; a workspace has one table of records, under any name.',
  PREPARE: 'Prepared statements are not supported: run the query with its values written in.',
  EXECUTE: 'Prepared statements are not supported: run the query with its values written in.',
  DEALLOCATE: 'Prepared statements are not supported.',
  GRANT: 'Permissions belong to AWS Lake Formation, not to a workspace.',
  REVOKE: 'Permissions belong to AWS Lake Formation, not to a workspace.',
};

/** Every column name a statement uses (the last part of each name), for the layout of `day` and `*`. */
function columnNames(statement: Parameters<typeof walkStatement>[0]): Set<string> {
  const names = new Set<string>();
  walkStatement(statement, (e) => {
    if (e.kind === 'column') names.add(e.parts[e.parts.length - 1]!.name);
  });
  return names;
}

/** Athena's (Trino's) own catalog: `information_schema.tables`, `awsdatacatalog.information_schema.columns`, `system.runtime.queries`. */
const isCatalogTable = (parts: readonly string[]) =>
  parts.slice(0, -1).some((p) => p.toLowerCase() === 'information_schema') ||
  (parts.length === 3 && parts[0]!.toLowerCase() === 'system');

/**
 * A query reads one flow-log table, the workspace's records, under whatever name it gives it (`flowlogs.
 * vpc_flow_logs` and `vpc_flow_logs` are one). Another name is another table, a block list or an inventory,
 * which a workspace does not hold: read as the records, a join to a block list matched every record.
 */
function oneRecordsTable(statement: Parameters<typeof tableRefs>[0]): void {
  const refs = tableRefs(statement);
  // Athena's catalog, read as the records, would answer with the flow records' count or columns.
  const catalog = refs.find((r) => isCatalogTable(r.parts));
  if (catalog)
    throw new QueryProblem(
      `'${catalog.parts.join('.')}' is Athena's catalog, which a workspace does not have: here a table name stands for the workspace's flow-log records.`,
      catalog.span,
      "the workspace's fields are listed in the sidebar; SELECT * FROM vpc_flow_logs LIMIT 10 shows them",
    );
  const [first, ...rest] = refs;
  if (!first) return;
  const same = (a: string[], b: string[]) =>
    a.at(-1) === b.at(-1) && (a.length === 1 || b.length === 1 || a.join('.') === b.join('.'));
  const other = rest.find((r) => !same(r.parts, first.parts));
  if (other)
    throw new QueryProblem(
      `Table '${other.parts.join('.')}' does not exist: ${first.parts.join('.')} is the flow-log table here (the workspace's records), and a workspace holds no other.`,
      other.span,
      'write a short list into the query (IN (…) or VALUES), or import it as a lookup table and join it in SQL as lookup_<name>',
    );
}

export function compileAthena(
  text: string,
  range?: TimeBounds | null,
  recordFormats?: readonly ImportLayout[],
): AthenaCompiled {
  const { word, offset } = leadingWord(text);
  if (!QUERY_WORDS.includes(word)) {
    const span = new SourceText(text).span(offset, Math.max(word.length, 1));
    const reason =
      REFUSALS[word] ??
      `Only one read-only query can run: SELECT, WITH, VALUES or EXPLAIN. \`${word || text.trim().slice(0, 20)}\` is refused.`;
    return { ok: false, refused: true, message: reason, span };
  }
  // A mistake in the query is an error at its place, not a refusal.
  return answeringProblems(text, false, () => {
    const { statement } = parseSqlStatement(text);
    oneRecordsTable(statement);
    const translated = new AthenaTranslator(
      range,
      columnNames(statement),
      textPartitions(statement),
      recordFormats,
    ).statement(statement);
    return { ok: true as const, ...translated };
  });
}
