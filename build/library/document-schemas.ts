/**
 * Writes the JSON Schemas of the library's file formats, `queries/library/flowquery.schema.json` (saved
 * queries) and `flowdash.schema.json` (dashboards), from the zod schemas the engine validates them with
 * (`queries/library/saved-query.ts`, `dashboard.ts`), so the two cannot drift apart; tests keep them equal.
 *   npm run gen:library-schemas
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { Dashboard } from '../../queries/library/dashboard';
import { SavedQuery } from '../../queries/library/saved-query';

const FORMATS = {
  flowquery: {
    schema: SavedQuery,
    title: 'Flowscope saved query (*.flowquery.json)',
    description:
      "One saved query: its dialect (CloudWatch Logs Insights, Sumo Logic, DuckDB SQL or Athena SQL), text, default time range, and chart in Flowscope's own small chart schema (type, x, y, series).",
  },
  flowdash: {
    schema: Dashboard,
    title: 'Flowscope dashboard (*.flowdash.json)',
    description:
      'A dashboard: one time range and one set of filters for all panels; each panel a saved query (inline or a library reference) with its chart, on a 12-column grid.',
  },
} as const;

export type DocumentFormat = keyof typeof FORMATS;

export function schemaPath(format: DocumentFormat): string {
  return fileURLToPath(new URL(`../../queries/library/${format}.schema.json`, import.meta.url));
}

export function schemaText(format: DocumentFormat): string {
  const { schema, title, description } = FORMATS[format];
  const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
  const described = { ...json, $id: `https://flowscope.dev/schemas/${format}.schema.json`, title, description };
  return `${JSON.stringify(described, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const format of Object.keys(FORMATS) as DocumentFormat[]) {
    writeFileSync(schemaPath(format), schemaText(format));
    console.log(`wrote ${schemaPath(format)}`);
  }
}
