/**
 * The names a query may use for the flow-log fields, and the SQL each one stands for over the `flows` table.
 *
 * Every field answers to its Insights name (`srcAddr`, `logStatus`) and its Athena column name (`srcaddr`,
 * `log_status`). On top: `@timestamp` (the record's start time, a TIMESTAMP in UTC), `@logStream` (the
 * CloudWatch stream, where the workspace knows it: LOG_STREAM_SQL), `@message` (the record's line as logged, `-` for missing
 * values; in the default format unless the compiler is told the imports' formats), `@log` (the log group, or the file or S3 object the record came from),
 * `@ingestionTime` (when its import finished), `startTime`/`endTime` (the Unix seconds AWS writes, as Insights
 * discovers them), and the derived `start_time`/`end_time` timestamps.
 *
 * Case: Insights is case-sensitive, but a flow-log field is also found when only the case differs
 * (`SrcAddr`), because the Athena names are lower-case anyway and nothing else could be meant.
 */
import { DEFAULT_FORMAT, FLOW_FIELDS, fieldByAwsName, type FieldType, type FlowField } from '../catalog/fields';
import { sqlIdent, sqlString } from '../catalog/sql-quote';

export type ValueType = 'number' | 'string' | 'boolean' | 'time' | 'any';

export interface BaseField {
  /** The name shown in completion and used for result columns. */
  name: string;
  /** SQL over a relation that has all of the `flows` columns. */
  sql: string;
  type: ValueType;
  doc: string;
  /** The stored column, when the field is one (lets the compiler use the integer IPv4 columns). */
  column?: string;
  /**
   * SQL NULL here is the text `-` the log wrote (a NODATA record's action, addresses, ports...): the
   * fourteen fields of the default format, which every record line holds. To the query languages such a
   * field is present and holds `-` (see "The record as each dialect sees it" in ARCHITECTURE.md).
   */
  dash?: boolean;
}

function valueType(type: FieldType): ValueType {
  return type === 'VARCHAR' ? 'string' : 'number';
}

/**
 * A format other than the default that imports of the workspace were read in: the AWS names of its fields in
 * their order, and the ledger ids (`imports.id`) of those imports.
 */
export interface ImportLayout {
  fields: readonly string[];
  imports: readonly number[];
  /**
   * Of `imports`, those whose records may hold fields beyond `fields`, which then stands for the default format
   * they read in: a Parquet file's (its columns are not kept), a delivery of several formats (which line is
   * whose is not kept).
   */
  open?: readonly number[];
}

/**
 * SQL for "`@message` contains `needle`" without building the line, when the needle has no blank: then it
 * can only lie inside one field's text. Null when the line must be built (a needle with a blank).
 * `customFormats`: some records have fields beyond the default format, kept as logged in `extra`.
 */
export function messageContainsSql(
  needle: string,
  caseInsensitive: boolean,
  customFormats = false,
  line: readonly string[] = DEFAULT_FORMAT,
): string | null {
  if (needle === '' || /\s/.test(needle)) return null;
  const literal = sqlString(caseInsensitive ? needle.toLowerCase() : needle);
  const folded = (text: string) => (caseInsensitive ? `lower(${text})` : text);
  // Numbers print as digits, a missing value as `-`: other needles cannot be inside a number field.
  const inNumbers = /^[0-9-]+$/.test(needle);
  const tests = line
    .map((aws) => fieldByAwsName(aws)!)
    .filter((f) => f.type === 'VARCHAR' || inNumbers)
    .map((f) => {
      const text = `coalesce(${f.type === 'VARCHAR' ? sqlIdent(f.column) : `CAST(${sqlIdent(f.column)} AS VARCHAR)`}, '-')`;
      return `contains(${f.type === 'VARCHAR' ? folded(text) : text}, ${literal})`;
    });
  if (customFormats)
    tests.push(`contains(${folded("coalesce(array_to_string(map_values(extra), ' '), '')")}, ${literal})`);
  return `(${tests.join(' OR ')})`;
}

/** A field's text in the line: a default-format field from its column, any other from `extra`, as logged. */
function loggedSql(aws: string, rel = ''): string {
  const f = fieldByAwsName(aws);
  const text =
    f && DEFAULT_FORMAT.includes(aws)
      ? `CAST(${rel}${sqlIdent(f.column)} AS VARCHAR)`
      : `${rel}extra[${sqlString(aws)}]`;
  return `coalesce(${text}, '-')`;
}

/** How a query reads one of the record's fields (`fieldAsLogged`). */
export interface LoggedField {
  sql: string;
  /** SQL NULL is the logged `-` (`BaseField.dash`). */
  dash?: true;
  /** No import's format has the field (every import's format known): its AWS name, which every record lacks. */
  absent?: string;
}

/**
 * A field as Insights and Sumo read it, from the formats the workspace's records were logged in (`formats`,
 * the default one among them, which also stands for Parquet and deliveries of several formats; unknown when
 * not given). Where every record's format has the field, a stored NULL is the `-` its line wrote (`dash`),
 * numbers too (`tcpFlags`); where none has it, it is absent (NULL, not `-`: a Transit Gateway format's
 * missing `action`); where some have it, a text field is `-` for their records and absent for the others'.
 * A number field held by some formats only keeps the field's own reading (the compiler's `dash` is one mark
 * for all records): its `-` reads as NULL, or a default field's absence as `-`.
 */
export function fieldAsLogged(field: BaseField, formats?: readonly ImportLayout[]): LoggedField {
  const own: LoggedField = { sql: field.sql, ...(field.dash ? { dash: true } : {}) };
  const f = field.column === undefined ? undefined : FLOW_FIELDS.find((x) => x.column === field.column);
  if (!f || !formats?.length) return own;
  const { holders, lacking, open } = whoLogs(f.aws, formats);
  if (lacking.length === 0 && open.length === 0) return { sql: field.sql, dash: true };
  // Parquet's records read as the default format's, but may hold any field: absent for certain only without them.
  const known = !formats.some((l) => l.fields.join(' ') === DEFAULT_FORMAT.join(' '));
  if (holders.length === 0) return { sql: field.sql, ...(known ? { absent: f.aws } : {}) };
  if (f.type !== 'VARCHAR') return own;
  return { sql: loggedTextSql({ holders, lacking, open }, field.sql, '') };
}

/** Which imports' formats log field `aws`: `holders` do, `lacking` do not, `open` ones may (`ImportLayout.open`). */
function whoLogs(aws: string, formats: readonly ImportLayout[]) {
  const holders: number[] = [];
  const lacking: number[] = [];
  const open: number[] = [];
  for (const l of formats) {
    const holds = l.fields.includes(aws);
    const mayHold = new Set(l.open);
    for (const id of l.imports) (holds ? holders : mayHold.has(id) ? open : lacking).push(id);
  }
  return { holders, lacking, open };
}

/**
 * A text field as logged by records of several formats (`whoLogs`): `-` where a record's format has the field
 * and it holds no value, NULL where its format lacks it, and for an open import's record the `stored` value as
 * it is (`ImportLayout.open`). `rel`: the relation `import_id` is read from.
 */
function loggedTextSql(who: ReturnType<typeof whoLogs>, stored: string, rel: string): string {
  const { holders, lacking, open } = who;
  if (holders.length === 0 && open.length === 0) return 'CAST(NULL AS VARCHAR)';
  const others = [...lacking, ...open];
  const held = holders.length <= others.length ? importIdSql(holders, rel) : `NOT (${importIdSql(others, rel)})`;
  const whens = [
    ...(holders.length ? [`WHEN ${held} THEN coalesce(${stored}, '-')`] : []),
    ...(open.length ? [`WHEN ${importIdSql(open, rel)} THEN ${stored}`] : []),
  ];
  return `CASE ${whens.join(' ')} END`;
}

/**
 * A text column of an Athena table over the records (`athena/record.ts`), whose SQL shows `-` for a NULL:
 * NULL instead for records of a format without the field, as Athena reads a column a line does not have
 * (`-` still for an open import's, which may have it). Undefined where every record's format has it.
 */
export function athenaTextSql(
  aws: string,
  formats: readonly ImportLayout[],
): ((stored: string, rel: string) => string) | undefined {
  const who = whoLogs(aws, formats);
  if (who.lacking.length === 0) return undefined;
  const read = { ...who, holders: [...who.holders, ...who.open], open: [] };
  return (stored, rel) => loggedTextSql(read, stored, rel);
}

/**
 * A field of the records' formats that Flowscope does not know (a field AWS added after its catalog,
 * `encryption-status`), kept in `extra` as logged, by a name a query gives it: its AWS name, or that name
 * in camelCase or with underscores (`encryptionStatus`, `encryption_status`), as the known fields are named.
 * Its text as logged, `-` without a value; NULL for records of a format without it. Undefined for another name.
 * `rel`: the relation the columns are read from (`"_r1".`), where there are several.
 */
export function unknownFieldSql(
  name: string,
  formats: readonly ImportLayout[] | undefined,
  rel = '',
): { aws: string; sql: string } | undefined {
  const folded = (n: string) => n.toLowerCase().replace(/[-_]/g, '');
  const aws = formats?.flatMap((l) => l.fields).find((f) => !fieldByAwsName(f) && folded(f) === folded(name));
  if (!aws) return undefined;
  const lacking = formats!.filter((l) => !l.fields.includes(aws)).flatMap((l) => l.imports);
  const logged = loggedSql(aws, rel);
  return { aws, sql: lacking.length ? `CASE WHEN NOT (${importIdSql(lacking, rel)}) THEN ${logged} END` : logged };
}

const lineSql = (fields: readonly string[]) => `concat_ws(' ', ${fields.map((f) => loggedSql(f)).join(', ')})`;

/**
 * `@message` of records whose every field is a column of its own, `fields` (AWS names) in their order: an
 * Athena table's, whose definition lists the fields its flow log logs (a search of the line for a VPC or an
 * instance must look in `vpc_id` and `instance_id` too).
 */
export function columnsLineSql(fields: readonly string[]): string {
  const text = (f: FlowField) => (f.type === 'VARCHAR' ? sqlIdent(f.column) : `CAST(${sqlIdent(f.column)} AS VARCHAR)`);
  return `concat_ws(' ', ${fields.map((aws) => `coalesce(${text(fieldByAwsName(aws)!)}, '-')`).join(', ')})`;
}

/** `import_id` is one of `ids`: runs of consecutive ids (a folder's files) as ranges. */
function importIdSql(ids: readonly number[], rel = ''): string {
  const sorted = [...ids].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const id of sorted) {
    const last = runs.at(-1);
    if (last && id === last[1] + 1) last[1] = id;
    else runs.push([id, id]);
  }
  const id = `${rel}import_id`;
  return runs.map(([lo, hi]) => (lo === hi ? `${id} = ${lo}` : `${id} BETWEEN ${lo} AND ${hi}`)).join(' OR ');
}

/**
 * `@message`: the record's line as it was logged, which CloudWatch shows and Sumo parses and searches. A
 * record of a custom-format import is written in its import's format (`layouts`), `-` where a field has no
 * value; any other in the default format (Parquet holds no one line). An Athena table's: columnsLineSql.
 */
export function messageSql(layouts: readonly ImportLayout[] = []): string {
  const custom = layouts.filter((l) => l.imports.length > 0);
  if (custom.length === 0) return lineSql(DEFAULT_FORMAT);
  const whens = custom.map((l) => `WHEN ${importIdSql(l.imports)} THEN ${lineSql(l.fields)}`);
  return `CASE ${whens.join(' ')} ELSE ${lineSql(DEFAULT_FORMAT)} END`;
}

/**
 * The CloudWatch log stream of a record, where the workspace knows it: a flow log writes each interface to a
 * stream of its own named `<interface-id>-all` (`-accept`, `-reject` for a flow log of that traffic), which
 * is not the interface id. Known from a subscription delivery and `filter-log-events` JSON (the `log-stream` each
 * event names), a pulled window (the import's path, `<group>/<stream>@<window>`), and an export task's object
 * (`<task>/<stream>/000000.gz`). Anything else (S3 deliveries, text files, `get-log-events` JSON, which names no
 * stream) has no stream the workspace knows: NULL, never a name made up from the interface id.
 */
const LOG_STREAM_SQL =
  "coalesce(extra['log-stream'], (SELECT CASE " +
  "WHEN i.source = 'cloudwatch' THEN regexp_extract(i.path, '/([^/]*)@[^@]*$', 1) " +
  "WHEN i.format LIKE 'cloudwatch-export%' THEN nullif(regexp_extract(i.path, '([^/\\\\]+)[/\\\\][0-9]+\\.gz$', 1), '') " +
  'END FROM main.imports AS i WHERE i.id = import_id))';

function buildBaseFields(): BaseField[] {
  const out: BaseField[] = [
    {
      name: '@timestamp',
      sql: 'start_time',
      type: 'time',
      doc: 'Start of the flow record (UTC)',
      column: 'start_time',
    },
    {
      name: '@logStream',
      sql: LOG_STREAM_SQL,
      type: 'string',
      doc: 'The CloudWatch log stream the record was logged to (`eni-…-all`); none for records that never were in CloudWatch Logs',
    },
    { name: '@message', sql: messageSql(), type: 'string', doc: 'The record as a line of text, as it was logged' },
    {
      name: '@log',
      // `account:log-group` as CloudWatch writes it: delivered by a subscription, the payload's owner and group
      // (subscription.ts); pulled from CloudWatch, the import's path is `<group>/<stream>@<window>`. Imported
      // from any other file or S3 object: where it came from.
      sql:
        "coalesce(coalesce(extra['log-owner'], account_id) || ':' || extra['log-group'], " +
        "(SELECT CASE WHEN i.source = 'cloudwatch' THEN concat_ws(':', account_id, regexp_replace(i.path, '/[^/]*@[^@]*$', '')) " +
        'ELSE i.path END FROM main.imports AS i WHERE i.id = import_id))',
      type: 'string',
      doc: 'The log group of the record (account:group), or the file or S3 object it was imported from',
    },
    {
      name: '@ingestionTime',
      sql: '(SELECT i.finished_at FROM main.imports AS i WHERE i.id = import_id)',
      type: 'time',
      doc: 'When the record arrived: the time its import into this workspace finished (UTC)',
    },
    {
      name: 'startTime',
      sql: 'start',
      type: 'number',
      doc: 'Start of the aggregation interval, Unix seconds',
      column: 'start',
    },
    {
      name: 'endTime',
      sql: '"end"',
      type: 'number',
      doc: 'End of the aggregation interval, Unix seconds',
      column: 'end',
    },
    {
      name: 'start_time',
      sql: 'start_time',
      type: 'time',
      doc: 'Start of the flow record as a timestamp (UTC)',
      column: 'start_time',
    },
    {
      name: 'end_time',
      sql: 'end_time',
      type: 'time',
      doc: 'End of the flow record as a timestamp (UTC)',
      column: 'end_time',
    },
  ];
  const logged = new Set(DEFAULT_FORMAT);
  for (const f of FLOW_FIELDS) {
    const common = {
      sql: sqlIdent(f.column),
      type: valueType(f.type),
      doc: f.doc,
      column: f.column,
      ...(logged.has(f.aws) ? { dash: true } : {}),
    };
    out.push({ name: f.insights, ...common });
    if (f.column !== f.insights) out.push({ name: f.column, ...common });
  }
  return out;
}

export const BASE_FIELDS: readonly BaseField[] = buildBaseFields();

/** The names completion offers first: the Insights names, not their Athena twins. */
export const PREFERRED_FIELD_NAMES: readonly string[] = [
  '@timestamp',
  '@logStream',
  '@message',
  '@log',
  '@ingestionTime',
  ...FLOW_FIELDS.map((f) => f.insights).filter((n) => n !== 'start' && n !== 'end'),
  'startTime',
  'endTime',
];

/** The columns a query without `fields`/`stats` shows: the time, then the default format under Insights names. */
export const DEFAULT_DISPLAY: readonly string[] = [
  '@timestamp',
  ...DEFAULT_FORMAT.map((aws) => {
    const f = fieldByAwsName(aws)!;
    return f.insights === 'start' ? 'startTime' : f.insights === 'end' ? 'endTime' : f.insights;
  }),
];

const exact = new Map(BASE_FIELDS.map((f) => [f.name, f]));
const folded = new Map<string, BaseField>();
for (const f of BASE_FIELDS) if (!folded.has(f.name.toLowerCase())) folded.set(f.name.toLowerCase(), f);

export function baseField(name: string): BaseField | undefined {
  return exact.get(name) ?? folded.get(name.toLowerCase());
}

/** The fields CloudWatch discovers in a flow log's records, as it names them (its "Supported logs and discovered fields"). */
const DISCOVERED = new Set(['@logStream', '@message', ...DEFAULT_DISPLAY]);
const discoveredBy = new Map<string, string>();
for (const name of DISCOVERED) discoveredBy.set(baseField(name)!.column ?? name, name);

/**
 * The name CloudWatch discovers a field under, where `name` is another for it (`dstport`, `DstPort`, `start`
 * for `dstPort`, `startTime`): Insights matches names with their case, so there the query would read a field
 * no record has. Undefined for a discovered name and for fields CloudWatch does not discover.
 */
export function discoveredNameFor(name: string): string | undefined {
  if (DISCOVERED.has(name)) return undefined;
  const f = baseField(name);
  return f && discoveredBy.get(f.column ?? f.name);
}
