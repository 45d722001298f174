/**
 * Writes `queries/library/flowdash.schema.json`, the JSON Schema of dashboard files, from the zod schema the
 * engine validates them with (`queries/library/dashboard.ts`), so the two cannot drift apart.
 *   npm run gen:flowdash-schema
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { Dashboard } from '../../queries/library/dashboard';

export const FLOWDASH_SCHEMA_PATH = fileURLToPath(
  new URL('../../queries/library/flowdash.schema.json', import.meta.url),
);

export function flowdashSchemaText(): string {
  const schema = z.toJSONSchema(Dashboard, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
  const described = {
    ...schema,
    $id: 'https://flowscope.dev/schemas/flowdash.schema.json',
    title: 'Flowscope dashboard (*.flowdash.json)',
    description:
      'A dashboard: one time range and one set of filters for all panels; each panel a saved query (inline or a library reference) with its chart, on a 12-column grid.',
  };
  return `${JSON.stringify(described, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(FLOWDASH_SCHEMA_PATH, flowdashSchemaText());
  console.log(`wrote ${FLOWDASH_SCHEMA_PATH}`);
}
