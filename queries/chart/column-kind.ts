/**
 * What a result column holds, read from its name and DuckDB type: the workbench formats, charts and drills
 * down by it. A result column keeps the name its query gave it, so a flow-log field is recognised by its
 * Insights name (`srcAddr`), its Athena name (`srcaddr`), the `@` names Insights adds or the names Sumo's
 * VPC field extraction gives (`src_ip`, `dest_port`, in any case, as Sumo reads them).
 */
import { baseField } from '../language/field-names';
import { FIELD_EXTRACTION_NAMES } from '../language/sumo/vocabulary';

/** A result column as the engine describes it: its name, DuckDB type and, when the query says, what it holds. */
export interface Column {
  name: string;
  type: string;
  kind?: ColumnKind | undefined;
  /** False where the query says its values do not add up (an average, a maximum): `column-meaning.ts`. */
  addsUp?: false | undefined;
}

export const COLUMN_KINDS = [
  'time',
  'ip',
  'port',
  'protocol',
  'eni',
  'action',
  'bytes',
  'number',
  'text',
  'other',
] as const;
export type ColumnKind = (typeof COLUMN_KINDS)[number];

const NUMERIC_TYPE =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL)/i;
const TIME_TYPE = /^(TIMESTAMP|DATE)/i;
const TEXT_TYPE = /^(VARCHAR|UUID|ENUM|BOOLEAN)/i;

/** Sumo's names of flow-log fields, lower-cased, with the stored column each one is (`dest_port` → `dstport`). */
const SUMO_COLUMN = new Map(
  FIELD_EXTRACTION_NAMES.flatMap(({ name, field }) => {
    const column = baseField(field)?.column;
    return column ? [[name.toLowerCase(), column] as const] : [];
  }),
);

/**
 * The flow-log column a result column is (`srcAddr`, `dest_port` → `srcaddr`, `dstport`), or null for a
 * computed column.
 */
export function flowColumnOf(name: string): string | null {
  return baseField(name)?.column ?? SUMO_COLUMN.get(name.toLowerCase()) ?? null;
}

const KIND_OF_FLOW_COLUMN: Record<string, ColumnKind> = {
  srcaddr: 'ip',
  dstaddr: 'ip',
  pkt_srcaddr: 'ip',
  pkt_dstaddr: 'ip',
  srcport: 'port',
  dstport: 'port',
  protocol: 'protocol',
  interface_id: 'eni',
  action: 'action',
  bytes: 'bytes',
};

/**
 * Names SQL gives computed columns, read as the fields they stand for: `dstport AS port` (the built-in
 * "ports and services"), a `peer` address (the entity view's), so a port reads "3389 ms-wbt-server" and an
 * address offers its entity view there too.
 */
const KIND_OF_NAME: Record<string, { kind: ColumnKind; type: RegExp }> = {
  port: { kind: 'port', type: /^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/i },
  peer: { kind: 'ip', type: /^VARCHAR$/i },
};

export function isNumericType(type: string): boolean {
  return NUMERIC_TYPE.test(type);
}

const NUMBER_KINDS: ReadonlySet<ColumnKind> = new Set(['port', 'protocol', 'bytes', 'number']);

/**
 * Whether a column's values are numbers to sort and align: a numeric type, or a text column the query says
 * holds ports, protocols, bytes or counts (Sumo and Insights show such a field as logged: `443` or `-`).
 */
export function readsAsNumbers(column: Column): boolean {
  if (isNumericType(column.type)) return true;
  return column.type === 'VARCHAR' && column.kind !== undefined && NUMBER_KINDS.has(column.kind);
}

/** Flow-log fields that count something; the other numeric ones (version, start, tcp_flags, …) are codes. */
const FLOW_MEASURE = /^(packets|packets_lost_.*)$/;

/** What a stored flow-log column holds: an address, a port, bytes, a count (packets), or a code. */
export function kindOfFlowColumn(column: string): ColumnKind {
  return KIND_OF_FLOW_COLUMN[column] ?? (FLOW_MEASURE.test(column) ? 'number' : 'other');
}

/**
 * What a result column holds: what its query says (`kind`, from `column-meaning.ts`) when it says, else
 * read from its name (a flow-log field under any of its names) and its type.
 */
export function columnKind(column: Column): ColumnKind {
  if (TIME_TYPE.test(column.type)) return 'time';
  if (column.kind) return column.kind;
  const flow = flowColumnOf(column.name);
  if (flow) return kindOfFlowColumn(flow);
  const named = KIND_OF_NAME[column.name.toLowerCase()];
  if (named?.type.test(column.type)) return named.kind;
  if (isNumericType(column.type)) return /bytes/i.test(column.name) ? 'bytes' : 'number';
  if (TEXT_TYPE.test(column.type)) return 'text';
  return 'other';
}

/** Kinds whose values an analyst adds to a query as a filter with one click. */
export const DRILLABLE_KINDS: ReadonlySet<ColumnKind> = new Set(['ip', 'port', 'protocol', 'eni', 'action']);

/** Columns that are measured quantities, as opposed to identifiers that happen to be numbers (ports). */
export function isMeasure(column: Column): boolean {
  const kind = columnKind(column);
  return kind === 'number' || kind === 'bytes';
}
