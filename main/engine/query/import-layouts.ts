/**
 * The formats the workspace's imports were read in, from the ledger: the custom ones for `@message` to write
 * each record's line as it was logged (`ImportLayout` in `queries/language/field-names.ts`), and every format
 * that holds records for `parse`'s check of names against places (`queries/language/parse-positions.ts`).
 */
import { DEFAULT_FORMAT } from '../../../queries/catalog/fields';
import type { ImportLayout } from '../../../queries/language/field-names';
import type { Workspace } from '../workspace';

/** A ledger format that is one line's fields: the names a header or `--log-format` gave (`log-format.ts`). */
const FIELD_LIST = /^[a-z][a-z0-9-]*(?: [a-z][a-z0-9-]*)+$/;
/**
 * How the messages came, before their layout (`cloudwatch-json default`, `csv account-id …`): taken off first, so that it is never
 * read as two field names of the line (it was, and every record of a CloudWatch export read `- -`).
 */
const CAME_AS = /^(?:cloudwatch-(?:json|subscription|export)|csv) /;
/** A ledger format whose records may hold fields beyond the default format's (`ImportLayout.open`). */
const OPEN = /^(?:ocsf-)?parquet$| \| /;

export interface WorkspaceFormats {
  /**
   * The imports of each custom format. `default`, Parquet (no line) and a subscription delivery of several
   * formats (`a … | b …`: which line is whose is not kept) are left out, so their records read in the default format.
   */
  layouts: ImportLayout[];
  /**
   * The formats of the imports that hold records, the default one (everything else) among them, with the
   * imports of a Parquet file or a delivery of several formats as its `open` ones.
   */
  records: ImportLayout[];
}

export async function workspaceFormats(ws: Workspace): Promise<WorkspaceFormats> {
  const rows = await ws.all<{ format: string | null; ids: number[]; held: number[] | null }>(
    'SELECT format, list(id::INTEGER ORDER BY id) AS ids, list(id::INTEGER ORDER BY id) FILTER (WHERE records > 0) AS held ' +
      'FROM main.imports GROUP BY format',
  );
  const layouts: ImportLayout[] = [];
  const records = new Map<string, number[]>();
  const open: number[] = [];
  for (const { format, ids, held } of rows) {
    const fields = format?.replace(CAME_AS, '') ?? '';
    const custom = format !== 'default' && FIELD_LIST.test(fields);
    if (custom) layouts.push({ fields: fields.split(' '), imports: ids });
    const line = custom ? fields : DEFAULT_FORMAT.join(' ');
    if (held?.length) records.set(line, [...(records.get(line) ?? []), ...held]);
    if (held?.length && OPEN.test(fields)) open.push(...held);
  }
  return {
    layouts,
    records: [...records].map(([line, imports]) => ({
      fields: line.split(' '),
      imports: imports.sort((a, b) => a - b),
      ...(line === DEFAULT_FORMAT.join(' ') && open.length ? { open: open.sort((a, b) => a - b) } : {}),
    })),
  };
}
