/**
 * The Sumo Logic vocabulary, once: every operator Flowscope knows (what it does, or why it is refused),
 * the keywords inside operators, and the metadata fields of a scope. The parser, the dialect detector,
 * completion and the editor's highlighting all read this table, so they cannot disagree about a word.
 */
import { CLOUD_SERVICE_REASONS } from './lookup-tables';

export interface SumoOperator {
  name: string;
  syntax: string;
  doc: string;
  /** An aggregate (`count`, `sum`, …): a stage that groups, written `op(x) [as n] [by …]`. */
  aggregate?: true;
  /** Why Flowscope refuses it; absent for operators that run. */
  refused?: string;
  /**
   * A text without a scope that uses it is Sumo (`where`, `json`, `count by`, …). Words both dialects have
   * (`fields`, `sort`, `parse`, `limit`, `count_frequent`) are not; `where` is, though CloudWatch's current
   * reference has it as an alias of `filter`, since a pasted `where` is far more often Sumo's.
   */
  sumoOnly: boolean;
}

const op = (name: string, syntax: string, doc: string, sumoOnly = true): SumoOperator => ({
  name,
  syntax,
  doc,
  sumoOnly,
});
const aggregate = (name: string, syntax: string, doc: string): SumoOperator => ({
  ...op(name, syntax, doc),
  aggregate: true,
});
const refused = (name: string, refusal: string): SumoOperator => ({
  ...op(name, name, `Not available: ${refusal}`),
  refused: refusal,
});

export const SUMO_OPERATORS: readonly SumoOperator[] = [
  op('where', 'where condition', 'Keep the records for which the condition is true'),
  op(
    'json',
    'json "message", "logStream", "logGroup" [as …] [nodrop]',
    'Accepted for the CloudWatch envelope keys (the workspace holds the flow records already)',
  ),
  op(
    'parse',
    'parse [field=f] "* * …" as a, b [nodrop] | parse regex "(?<name>…)" [multi] [nodrop]',
    'Extract fields from text; the 14-star flow-log pattern binds the default-format fields',
    false,
  ),
  op('extract', 'extract [field=f] "(?<name>…)" [multi] [nodrop]', 'parse regex by its other name'),
  op(
    'split',
    "split field [delim=',', quote='\"', escape='\\'] extract 1 as a, b, _, 5 as e",
    'Extract the values at positions of a delimited text (a quoted value may hold the delimiter)',
  ),
  op('csv', 'csv field [extract] 1 as a, 2 as b', 'split with a comma: the values of a comma-separated text'),
  aggregate('count', 'count [as name] [by field, …]', 'Number of records, in _count'),
  op(
    'count_frequent',
    'count_frequent field[, field …]',
    'Each combination of the fields with its count in _approxcount, most frequent first (the 10,000 most frequent)',
    false,
  ),
  aggregate('count_distinct', 'count_distinct(field) [by …]', 'Number of distinct values, in _count_distinct'),
  aggregate('sum', 'sum(field) [as name] [by|group by field, …]', 'Sum, in _sum'),
  aggregate('avg', 'avg(field) [by …]', 'Average, in _avg'),
  aggregate('min', 'min(field) [by …]', 'Smallest value, in _min'),
  aggregate('max', 'max(field) [by …]', 'Largest value, in _max'),
  aggregate('pct', 'pct(field, 95[, 99 …]) [by …]', 'Percentiles, in _<field>_pct_<n>'),
  aggregate('stddev', 'stddev(field) [by …]', 'Standard deviation, in _stddev'),
  aggregate('first', 'first(field) [by …]', 'The value in the earliest record, in _first'),
  aggregate('last', 'last(field) [by …]', 'The value in the latest record, in _last'),
  aggregate('most_recent', 'most_recent(field) [by …]', 'The value in the latest record, in _most_recent'),
  aggregate('values', 'values(field) [by …]', 'The distinct values, one a line, in _values'),
  aggregate('median', 'median(field) [by …]', 'The middle value, in _median'),
  aggregate('least_recent', 'least_recent(field) [by …]', 'The value in the earliest record, in _least_recent'),
  op('sort', 'sort [by] [+]field [asc|desc], …', 'Order the results (descending unless asc or +)', false),
  op('order', 'order by field [asc|desc], …', 'Same as sort'),
  op('top', 'top N field[, field] [by value]', 'The N most frequent values (or the N rows with the largest value)'),
  op(
    'topk',
    'topk(N, field[, field …]) [by group, …]',
    'The N rows with the largest values of the fields (in each group), numbered in _rank',
  ),
  op('limit', 'limit N', 'Keep the first N results', false),
  op('head', 'head N', 'Same as limit'),
  op('fields', 'fields a, b, … | fields - a, b', 'Show only these fields, or all but these', false),
  op('timeslice', 'timeslice 5m [as name]', 'Adds _timeslice: the record time rounded down to the period'),
  op(
    'lookup',
    'lookup name from protocols on protocol=Protocol | lookup Keyword from https://s3.amazonaws.com/sumologic-app-data/protocol-numbers.csv on Decimal=Protocol',
    "Add columns from the built-in protocol and service tables, also under the addresses of Sumo Logic's published protocol-numbers.csv and port-numbers.csv (read offline)",
  ),
  op('if', 'if(condition, then, else) as name', 'Compute a field'),
  op(
    'geoip',
    'geoip src_ip',
    'Adds latitude, longitude, country_code, country_name, city, state: the country from the open data Flowscope ships, finer places null',
  ),
  op(
    'threatip',
    'threatip src_ip',
    'Adds actor, malicious_confidence, raw_threat, type from the threat list imported into the workspace',
  ),
  refused(
    'threatlookup',
    `${CLOUD_SERVICE_REASONS.threat}; the imported threat list answers \`threatip <field>\` and \`lookup … from sumo://threat/cs\``,
  ),
  refused('asn', 'ASNs come from `lookup asn, organization from asn://default on ip=<field>`'),
  op(
    'transpose',
    'transpose row _timeslice column field [as a, b, *]',
    'One row per row value, one column per value of the column field (at most 300, alphabetical)',
  ),
  op(
    'outlier',
    'outlier field [by group] [window=10, threshold=3, consecutive=1, direction=+-]',
    'Marks points outside mean ± threshold × standard deviation of the window before them: field_upper, field_lower, field_indicator, field_violation',
  ),
  op(
    'predict',
    'predict field by 1m [forecast=5]',
    'A linear forecast of a time series: field_predicted, field_error, and forecast rows after the last slice',
  ),
  op(
    'compare',
    'compare with timeshift 1d [3] [avg|min|max] [as name], …',
    'The query again over time ranges shifted back, joined on the time slice: field_1d, field_2d, …',
  ),
  op(
    'fillmissing',
    'fillmissing timeslice[(15m)] [in field], values("a", "b") in field [with 0 for field] [takeLast]',
    'Adds the time slices and values the result lacks, with 0 (or the value given) in its other fields',
  ),
  op(
    'dedup',
    'dedup [consecutive] [n] [by field, …]',
    'The latest record (or n) of each combination of the fields (of each run of it, consecutive; the whole line without fields)',
    false,
  ),
  op(
    'accum',
    'accum field [as name] [by group, …]',
    'The running sum of a field in the order of the results, in _accum',
  ),
  op('diff', 'diff field [as name] [by group, …]', 'The change of a field from the row before, in _diff', false),
  op(
    'smooth',
    'smooth field[, 10] [as name] [by group, …]',
    'The mean of the field over the last rows (10 unless given), in _smooth',
  ),
  op(
    'rollingstd',
    'rollingstd field[, 10] [as name] [by group, …]',
    'The standard deviation of the field over the last rows (10 unless given), in _rollingstd',
  ),
  op(
    'total',
    'total field [as name] [by group, …]',
    "The sum of the field over the results (each group's), on every row, in _total",
  ),
  op(
    'backshift',
    'backshift field[, 1] [as name] [by group, …]',
    'The value of the field the given number of rows before (1 unless given), in _backshift',
  ),
  refused('save', 'results cannot be written from a query'),
  refused('join', 'Flowscope does not join result sets in the Sumo dialect (use SQL)'),
  refused('subquery', 'Flowscope does not run subqueries in the Sumo dialect (use SQL)'),
  refused('logreduce', "it needs Sumo Logic's pattern clustering"),
  refused('logcompare', "it needs Sumo Logic's pattern clustering"),
];

const BY_NAME = new Map(SUMO_OPERATORS.map((o) => [o.name, o]));

/** The operator of that name (any case), if Flowscope knows it. */
export function sumoOperator(name: string): SumoOperator | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** Operators that run, for completion and suggestions. */
export const RUNNING_OPERATORS: readonly SumoOperator[] = SUMO_OPERATORS.filter((o) => o.refused === undefined);

/** Words inside operators: never field names where they stand. */
export const SUMO_KEYWORDS: readonly string[] = [
  'and',
  'or',
  'not',
  'in',
  'matches',
  'as',
  'by',
  'group',
  'asc',
  'desc',
  'nodrop',
  'regex',
  'field',
  'from',
  'on',
];

/** Keywords of one operator's syntax (`group by`, `parse regex`, `parse field=`, `lookup … from … on`), which
 * elsewhere may be an operand. */
const OPERAND_KEYWORDS: ReadonlySet<string> = new Set(['group', 'regex', 'field', 'from', 'on']);

/** The words an operand cannot be. */
export const RESERVED: ReadonlySet<string> = new Set(SUMO_KEYWORDS.filter((w) => !OPERAND_KEYWORDS.has(w)));

/** Metadata fields of a scope (`_sourceCategory=…`): what the workspace is already limited to. */
export const SCOPE_METADATA: readonly string[] = [
  '_sourceCategory',
  '_source',
  '_collector',
  '_sourceHost',
  '_sourceName',
  '_index',
  '_view',
  '_dataTier',
  '_sourceId',
  '_collectorId',
];

/**
 * Sumo's built-in field names and the names the field-extraction rule of Sumo's VPC app gives flow-log
 * fields, with the flow-log field each one is: they resolve without a `parse`, in any case.
 */
export const FIELD_EXTRACTION_NAMES: readonly { name: string; field: string }[] = [
  { name: 'src_ip', field: 'srcaddr' },
  { name: 'dest_ip', field: 'dstaddr' },
  { name: 'dst_ip', field: 'dstaddr' },
  { name: 'src_port', field: 'srcport' },
  { name: 'dest_port', field: 'dstport' },
  { name: 'dst_port', field: 'dstport' },
  { name: 'interfaceID', field: 'interface_id' },
  { name: 'accountID', field: 'account_id' },
  { name: 'status', field: 'log_status' },
  { name: 'StartSample', field: 'start' },
  { name: 'EndSample', field: 'end' },
  { name: '_raw', field: '@message' },
  { name: '_messageTime', field: '@timestamp' },
  { name: '_receiptTime', field: '@ingestionTime' },
];
