/**
 * The custom formats the workspace's imports were read in, from the ledger, for `@message` to write each
 * record's line as it was logged (`ImportLayout` in `queries/language/field-names.ts`).
 */
import type { ImportLayout } from '../../../queries/language/field-names';
import type { Workspace } from '../workspace';

/** A ledger format that is one line's fields: the names a header or `--log-format` gave (`log-format.ts`). */
const FIELD_LIST = /^[a-z][a-z0-9-]*(?: [a-z][a-z0-9-]*)+$/;
/**
 * How the messages came, before their layout (`cloudwatch-json default`, `csv account-id …`): taken off first, so that it is never
 * read as two field names of the line (it was, and every record of a CloudWatch export read `- -`).
 */
const CAME_AS = /^(?:cloudwatch-(?:json|subscription|export)|csv) /;

/**
 * The imports of each custom format. `default`, Parquet (no line) and a subscription delivery of several
 * formats (`a … | b …`: which line is whose is not kept) are left out, so their records read in the default format.
 */
export async function importLayouts(ws: Workspace): Promise<ImportLayout[]> {
  const rows = await ws.all<{ format: string; ids: number[] }>(
    "SELECT format, list(id::INTEGER ORDER BY id) AS ids FROM main.imports WHERE format IS NOT NULL AND format <> 'default' GROUP BY format",
  );
  const layouts: ImportLayout[] = [];
  for (const { format, ids } of rows) {
    const fields = format.replace(CAME_AS, '');
    if (FIELD_LIST.test(fields)) layouts.push({ fields: fields.split(' '), imports: ids });
  }
  return layouts;
}
