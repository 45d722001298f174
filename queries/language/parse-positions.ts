/**
 * A `parse` of the whole flow-log line ("* * … *") binds each name to a stored field (Insights: the field of
 * that name; Sumo's 14-star pattern: the default format's field at its place), while CloudWatch and Sumo put
 * in each name whatever stands at its place in the record's line. Where the workspace's formats put another
 * field there, the query answers here what it would not answer in the service: this says so, once a query.
 */
import { DEFAULT_FORMAT } from '../catalog/fields';
import type { ImportLayout } from './field-names';
import type { SourceSpan } from './plan';
import type { QueryDiagnostic } from './types';

/** A name of a whole-line parse: its place among the pattern's `stars`, and the field (AWS name) it reads here. */
export interface BoundStar {
  name: string;
  span: SourceSpan;
  place: number;
  stars: number;
  reads: string;
}

function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

function formatName(format: ImportLayout, only: boolean): string {
  if (only) return "these records' format";
  if (format.fields.join(' ') === DEFAULT_FORMAT.join(' ')) return 'the default format';
  const ids = format.imports.slice(0, 3).join(', ');
  const more = format.imports.length > 3 ? ` and ${format.imports.length - 3} more` : '';
  return `the format of import${format.imports.length === 1 ? '' : 's'} ${ids}${more}`;
}

/** Where `star` reads other than the service would over records of `format`: the difference in words, or null. */
function difference(star: BoundStar, format: ImportLayout, where: string, service: string): string | null {
  const { fields } = format;
  const here = `here "${star.name}" reads the ${star.reads} field`;
  if (fields.length < star.stars)
    return `${where} has ${fields.length} fields, fewer than the pattern's ${star.stars} *, so ${service} would not match those records; ${here}`;
  const nth = `the ${ordinal(star.place + 1)} *`;
  if (star.place === star.stars - 1 && fields.length > star.stars)
    return `${nth} is the rest of the line, ${fields[star.place]} to ${fields.at(-1)}, in ${where}, so ${service} would put that text in "${star.name}"; ${here}`;
  const field = fields[star.place]!;
  if (field === star.reads) return null;
  return `${nth} is ${field} in ${where}, so ${service} would put ${field}'s value in "${star.name}"; ${here}`;
}

/**
 * The warning for the names a query reads (`stars`, in the query's order) over the workspace's record
 * formats: the first difference, and how many more; null where every name reads what the service would.
 */
export function parsePositionWarning(
  stars: readonly BoundStar[],
  formats: readonly ImportLayout[],
  service: 'CloudWatch' | 'Sumo',
): QueryDiagnostic | null {
  const found: { message: string; span: SourceSpan }[] = [];
  const short = new Set<ImportLayout>();
  for (const star of stars)
    for (const format of formats) {
      // A line too short for the pattern is one difference of that format, not one per name.
      if (format.fields.length < star.stars && short.has(format)) continue;
      if (format.fields.length < star.stars) short.add(format);
      const message = difference(star, format, formatName(format, formats.length === 1), service);
      if (message !== null) found.push({ message, span: star.span });
    }
  const first = found[0];
  if (!first) return null;
  const more = found.length - 1;
  return {
    message: `parse: ${first.message}${more ? ` (and ${more} more such difference${more === 1 ? '' : 's'})` : ''}.`,
    hint: `${service} names the parts by their place in the line: give the names in the order of the records' fields`,
    span: first.span,
  };
}
