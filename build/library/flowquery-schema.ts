/**
 * Writes `queries/library/flowquery.schema.json`, the JSON Schema of saved-query files, from the zod schema
 * the engine validates them with (`queries/library/saved-query.ts`), so the two cannot drift apart.
 *   npm run gen:flowquery-schema
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { SavedQuery } from '../../queries/library/saved-query';

export const FLOWQUERY_SCHEMA_PATH = fileURLToPath(
  new URL('../../queries/library/flowquery.schema.json', import.meta.url),
);

export function flowquerySchemaText(): string {
  const schema = z.toJSONSchema(SavedQuery, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
  const described = {
    ...schema,
    $id: 'https://flowscope.dev/schemas/flowquery.schema.json',
    title: 'Flowscope saved query (*.flowquery.json)',
    description:
      "One saved query: its dialect (CloudWatch Logs Insights, Sumo Logic, DuckDB SQL or Athena SQL), text, default time range, and chart in Flowscope's own small chart schema (type, x, y, series).",
  };
  return `${JSON.stringify(described, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(FLOWQUERY_SCHEMA_PATH, flowquerySchemaText());
  console.log(`wrote ${FLOWQUERY_SCHEMA_PATH}`);
}
