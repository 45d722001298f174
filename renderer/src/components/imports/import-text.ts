/** How the Imports view names an import, its source and format, and what a removal did. */
import type { ImportInfo } from '../../../../preload/contract';
import { fileName, formatCount } from '../../lib/format';

export const SOURCE_LABEL: Record<string, string> = {
  file: 'File',
  s3: 'S3',
  cloudwatch: 'CloudWatch',
  demo: 'Demo',
};

/** A file or S3 object by its name; a CloudWatch window (`<group>/<stream>@<from>-<to>`) whole, as it has no other. */
export function importName(i: Pick<ImportInfo, 'source' | 'path'>): string {
  return i.source === 'cloudwatch' ? i.path : fileName(i.path);
}

const FORMAT_LABEL: Record<string, string> = {
  default: 'Default',
  parquet: 'Parquet',
  text: 'Text',
  'ocsf-parquet': 'OCSF Parquet',
};

/**
 * The ledger's format in a few words: its name, or a custom log format's field count (the whole field list is
 * the cell's title); a CloudWatch export's kind before the format of its messages.
 */
export function formatLabel(format: string): string {
  const exported = /^cloudwatch-(json|export) (.*)$/.exec(format);
  if (exported) return `CloudWatch ${exported[1] === 'json' ? 'JSON' : 'export'}, ${formatLabel(exported[2]!)}`;
  const fields = format.split(' ').filter((f) => f !== '');
  if (fields.length > 1) return `Custom, ${fields.length} fields`;
  return FORMAT_LABEL[format] ?? format;
}

/** What a removal did: the records gone, and those that stay with a later overlapping CloudWatch import. */
export function removalOutcome(i: Pick<ImportInfo, 'source' | 'path' | 'records'>, removedRecords: number): string {
  const gone = `${formatCount(removedRecords)} ${removedRecords === 1 ? 'record' : 'records'}`;
  const kept = i.records - removedRecords;
  return (
    `Removed ${importName(i)}: ${gone} the workspace no longer holds` +
    (kept > 0 ? `; the other ${formatCount(kept)} stay, held now by later CloudWatch imports that overlap it.` : '.')
  );
}
