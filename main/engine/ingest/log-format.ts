/**
 * Flow-log record layouts: the header line AWS writes at the top of each delivered text file
 * (`version account-id interface-id …`) and the `${version} ${srcaddr} …` format string a user gives for
 * headerless records. Both become the same thing: the ordered list of fields of each record.
 */
import {
  DEFAULT_FORMAT,
  DERIVED_COLUMNS,
  FLOW_FIELDS,
  fieldByAwsName,
  type FlowField,
} from '../../../queries/catalog/fields';
import { didYouMean } from '../../../queries/language/source';
import { FlowscopeError } from '../errors';

/**
 * One position in a record: a field Flowscope knows (stored in its column), one it keeps in `extra`
 * (`urlEncoded`: the text holds it URL-encoded, so that a value with spaces stays one field), or one it reads
 * past (`skip`: a CloudWatch export's event time, which the record's own `start` says better).
 */
export type LayoutField =
  | { kind: 'known'; field: FlowField }
  | { kind: 'extra'; name: string; urlEncoded?: boolean }
  | { kind: 'skip'; name: string };

export interface RecordLayout {
  fields: LayoutField[];
  /**
   * The layout as AWS names it, for the import ledger: `default`, or the field names joined by spaces; after
   * `csv ` for comma-separated values.
   */
  description: string;
  /**
   * Comma-separated values, quoted or not (a spreadsheet's CSV, Athena's downloaded results), not AWS's
   * spaces: their separator, `;` where a spreadsheet saved them in a locale whose decimal mark is a comma.
   */
  csv?: CsvSeparator;
}

export type CsvSeparator = ',' | ';';

/**
 * The CloudWatch log stream in front of a staged event's message, kept in `extra` as `log-stream` (Insights'
 * `@logStream`), URL-encoded so that a space in a stream name stays one field.
 */
export const LOG_STREAM_FIELD: LayoutField = { kind: 'extra', name: 'log-stream', urlEncoded: true };

const FIELD_NAME = /^[a-z][a-z0-9-]*$/;

function layoutOf(names: readonly string[]): RecordLayout {
  const seen = new Set<string>();
  const fields = names.map((name): LayoutField => {
    if (seen.has(name))
      throw new FlowscopeError('import_failed', `The field "${name}" appears twice in the record format.`);
    seen.add(name);
    const field = fieldByAwsName(name);
    return field ? { kind: 'known', field } : { kind: 'extra', name };
  });
  const isDefault = names.length === DEFAULT_FORMAT.length && names.every((n, i) => n === DEFAULT_FORMAT[i]);
  return { fields, description: isDefault ? 'default' : names.join(' ') };
}

export const DEFAULT_LAYOUT: RecordLayout = layoutOf(DEFAULT_FORMAT);

/**
 * The lines of a CloudWatch Logs export to S3 (`aws logs create-export-task`): each event's time in ISO 8601
 * UTC, a space, and its message, a record of `message`'s layout.
 */
export function exportLayout(message: RecordLayout): RecordLayout {
  return {
    fields: [{ kind: 'skip', name: 'timestamp' }, ...message.fields],
    description: `cloudwatch-export ${message.description}`,
  };
}

/** `${version} ${account-id} …` as the AWS console and CLI write it. */
export function parseLogFormat(format: string): RecordLayout {
  const tokens = format.trim().split(/\s+/).filter(Boolean);
  if (tokens.length === 0) throw new FlowscopeError('bad_request', 'The log format is empty.');
  const names = tokens.map((token) => {
    const m = /^\$\{([a-z][a-z0-9-]*)\}$/.exec(token);
    if (!m) throw new FlowscopeError('bad_request', `"${token}" in the log format is not a field like \${srcaddr}.`);
    return m[1]!;
  });
  // AWS takes only its own field names in a format: a name next to one of them is a typo, which would
  // otherwise read that field's values as a field no query asks for. Other names (a newer field) are kept.
  for (const name of names) {
    const meant = fieldByAwsName(name) ? undefined : didYouMean(name, KNOWN_NAMES);
    if (meant)
      throw new FlowscopeError('bad_request', `\${${name}} in the log format is not a flow-log field: ${meant}`);
  }
  return layoutOf(names);
}

const KNOWN_NAMES = FLOW_FIELDS.map((f) => f.aws);

/**
 * A header's name as the field it names: AWS's spelling (`account-id`) or Athena's (`account_id`, the columns
 * Flowscope itself shows), in any case. Every header form is read by it, so a header names the same fields
 * whether its names are separated by blanks, commas or semicolons.
 */
function headerName(token: string): string {
  return token.trim().toLowerCase().replace(/_/g, '-');
}

/**
 * The layout a header's names give, or undefined when they are not all field names or name no field Flowscope
 * knows. Fields it does not know are kept in `extra` under their AWS-style name, Athena's partitions and
 * Flowscope's own derived columns read past (READ_PAST); the description (the ledger's format, which `@message` writes again) leaves those out.
 */
function headerLayout(tokens: readonly string[]): { fields: LayoutField[]; description: string } | undefined {
  const names = tokens.map(headerName);
  if (names.length === 0 || !names.every((n) => FIELD_NAME.test(n)) || !names.some((n) => fieldByAwsName(n)))
    return undefined;
  const fields = layoutOf(names).fields.map((f): LayoutField =>
    f.kind === 'extra' && READ_PAST.has(f.name) ? { kind: 'skip', name: f.name } : f,
  );
  const logged = layoutOf(names.filter((_, i) => fields[i]!.kind !== 'skip'));
  return { fields, description: logged.description };
}

/**
 * The header line AWS writes, or undefined when the line is a record. A header has only field-name tokens
 * and names at least one field Flowscope knows; unknown names in it (a newer format) are kept as extras.
 * Athena's underscore names (`account_id … log_status`, a table saved as space-separated text) name the same
 * fields, as in a CSV's header (parseCsvHeader), and its partitions are read past likewise.
 */
export function parseHeaderLine(line: string): RecordLayout | undefined {
  return headerLayout(line.trim().split(' ').filter(Boolean));
}

/**
 * The header of comma-separated flow-log records, or undefined: a log opened in a spreadsheet and saved as CSV
 * (AWS's names, `account-id`) or a query's results downloaded from Athena (its table's columns, `account_id`,
 * and partition columns such as `date` or `region`), each name maybe quoted. A CSV names its fields in any
 * order; those Flowscope does not know are kept in `extra` under their AWS-style name, Athena's partitions read
 * past (ATHENA_PARTITIONS). Its separator is the
 * one its header is split at: a comma, or the semicolon of Excel in most of Europe.
 */
export function parseCsvHeader(line: string): RecordLayout | undefined {
  for (const separator of [',', ';'] as const) {
    if (!line.includes(separator)) continue;
    const layout = headerLayout(csvValues(line, separator));
    if (layout) return { fields: layout.fields, description: `csv ${layout.description}`, csv: separator };
  }
  return undefined;
}

/**
 * A line of blank-separated field names as the reader's rejected-line check sees one (flows-sql.ts,
 * HEADER_LINE: no token starts with a digit or `-`, and one is `start`). A comma-separated one that is no
 * header is refused by the names it gives (sniff.ts).
 */
const NAMES_LINE = /^(?:"?[a-z][a-z0-9_-]*"? )*"?start"?(?: "?[a-z][a-z0-9_-]*"?)*$/i;

/**
 * Why a file's first line, which names fields as a header does, is no header Flowscope can read (neither
 * parseHeaderLine nor parseCsvHeader took it), or undefined when it does not look like one. Read as a record
 * instead, its file's records would be taken for the default format's fields, whatever order the line names.
 */
export function unreadHeader(line: string): string | undefined {
  const text = line.replace(/^\uFEFF/, '').trim();
  if (!NAMES_LINE.test(text)) return undefined;
  const shown = text.length > 120 ? `${text.slice(0, 120)} …` : text;
  const why = text.includes('"')
    ? 'its names are quoted, which a header of blank-separated names never is'
    : 'its names are not field names as AWS (account-id) or Athena (account_id) write them';
  return (
    `its first line names fields as a header does (${shown}), but cannot be read as one: ${why}. ` +
    "Write the header as AWS does (names separated by single blanks) or save the file as CSV (names separated by commas); it is never read as the default format's fields"
  );
}

/**
 * Columns of Athena's flow-log tables that are partitions, not fields of the line as logged: AWS's DDLs
 * (`date`, `day`; `year` … `hour` with `aws-account-id`, `aws-service`, `aws-region` of the integration's
 * Hive layout; `accid` of the docs' projection) and the `dt` of many. Read past in its downloaded results:
 * the record's `start` says its time. (`region` is a field too, so it stays.)
 */
const ATHENA_PARTITIONS = new Set([
  'date',
  'dt',
  'year',
  'month',
  'day',
  'hour',
  'accid',
  'aws-account-id',
  'aws-service',
  'aws-region',
]);

/**
 * The columns Flowscope adds to every record (`start_time`, `src_ip4`, `extra`, `import_id`: DERIVED_COLUMNS),
 * as a header names them: no field of the line as logged, so a file Flowscope exported (`SELECT * FROM flows`
 * as CSV or Parquet) imports back with its records' fields only. Read past like the partitions: the import
 * derives its own, and `import_id` named the other workspace's import.
 */
export const DERIVED_NAMES: ReadonlySet<string> = new Set(
  Object.keys(DERIVED_COLUMNS).map((c) => c.replace(/_/g, '-')),
);

/** Names a header may hold that are no field of the line as logged: read past, neither stored nor in `@message`. */
const READ_PAST: ReadonlySet<string> = new Set([...ATHENA_PARTITIONS, ...DERIVED_NAMES]);

/**
 * What files read in one statement must share: every position (a partition read past too) and the separator.
 * The description leaves partitions out, and is the same for a comma and a semicolon.
 */
export function layoutKey(layout: RecordLayout): string {
  const name = (f: LayoutField) => (f.kind === 'known' ? f.field.aws : f.kind === 'skip' ? `(${f.name})` : f.name);
  return `${layout.csv ?? ' '}${layout.fields.map(name).join(' ')}`;
}

/** The values of one CSV line: split at the separator outside double quotes, the quotes taken off (`""` is `"`). */
export function csvValues(line: string, separator: CsvSeparator = ','): string[] {
  const values: string[] = [];
  let value = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted && c === '"' && line[i + 1] === '"') {
      value += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (c === separator && !quoted) {
      values.push(value);
      value = '';
    } else value += c;
  }
  values.push(value);
  return values;
}

/**
 * Whether a header line found among a file's records (files joined one after another each start with one)
 * names other fields than `layout`, or the same in another order or with another separator: false for the
 * file's own header again, and for a line not read as a header at all. One naming a field twice is another.
 */
export function namesOtherFields(line: string, layout: RecordLayout): boolean {
  const text = line.replace(/^\uFEFF/, '').replace(/\r$/, '');
  let named: RecordLayout | undefined;
  try {
    named = parseHeaderLine(text) ?? parseCsvHeader(text);
  } catch {
    return true;
  }
  const names = (l: RecordLayout) => l.fields.map((f) => (f.kind === 'known' ? f.field.aws : f.name)).join(' ');
  return named !== undefined && (named.csv !== layout.csv || names(named) !== names(layout));
}

/**
 * Why records of this layout cannot be imported, or undefined: a record without `start` could never be found by
 * time. Such a file is a flow log all the same (AWS takes any fields), so the refusal says what it is and what
 * to do, not that it is no flow log.
 */
export function layoutRefusal(layout: RecordLayout, path: string): FlowscopeError | undefined {
  if (layout.fields.some((f) => f.kind === 'known' && f.field.aws === 'start')) return undefined;
  return new FlowscopeError(
    'import_failed',
    `${path} is a flow log whose format has no \${start}, so its records could never be found by time: ` +
      'Flowscope places every record at the start of its flow. Records of a flow log whose format has ${start} ' +
      "(and ${end}) can be imported; a flow log's format cannot be changed, so add one with them " +
      '(aws ec2 create-flow-logs --log-format).',
    { path },
  );
}
