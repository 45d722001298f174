/**
 * The SQL that moves staged files into `flows`. DuckDB does the reading (read_csv / read_parquet), the
 * typing and the derived columns in one INSERT … SELECT, so records never pass through JavaScript.
 */
import { FLOW_FIELDS, type FlowField } from '../../../queries/catalog/fields';
import { mappedIpv4IntegerSql } from '../../../queries/catalog/ip';
import { sqlIdent, sqlString } from '../../../queries/catalog/sql-quote';
import type { KeptRange } from '../workspace';
import { extraMapSql, RECORD_TABLE } from '../workspace/schema';
import { DERIVED_NAMES, type RecordLayout } from './log-format';
import { AS_LOGGED, MAX_UNIX, numberWhy, recordChecks, type RecordChecks, type RecordFile } from './record-checks';

/** Temporary tables DuckDB's CSV reader fills with the lines it could not read (per connection). */
const REJECTS_TABLE = 'flowscope_rejects';
const REJECTS_SCAN_TABLE = 'flowscope_reject_scans';

export interface TimeBounds {
  /** Keep only records whose `start` is at or after this (Unix seconds). */
  timeFrom?: number;
  /** Keep only records whose `start` is before this (Unix seconds). */
  timeTo?: number;
}

/** The records bounds ask for, as the ledger keeps ranges. */
export function keptRange(bounds: TimeBounds): KeptRange {
  return { from: bounds.timeFrom ?? null, to: bounds.timeTo ?? null };
}

/** A kept range as bounds on the records' start. */
export function timeBounds(kept: KeptRange): TimeBounds {
  return {
    ...(kept.from !== null ? { timeFrom: kept.from } : {}),
    ...(kept.to !== null ? { timeTo: kept.to } : {}),
  };
}

/**
 * An integer form of a dotted IPv4 address, and of an IPv4-mapped IPv6 one (`::ffff:10.0.0.9`, which is its
 * IPv4 address, ip.ts), NULL for other IPv6, '-' or anything else. A plain expression (DuckDB computes the
 * repeated string_split once): a scalar subquery here became a join that held the whole file in memory.
 * The dotted form stays outside any CASE branch, where DuckDB split the text once per octet again (2.5 M
 * addresses: 0.8 s of CPU against 0.3 s); the mapped form's regular expression runs only where it is NULL.
 */
function ip4Expr(col: string): string {
  const octet = (i: number) => `try_cast(string_split(${col}, '.')[${i}] AS UTINYINT)::UINTEGER`;
  const dotted = `CASE WHEN len(string_split(${col}, '.')) = 4 THEN (${octet(1)} << 24) + (${octet(2)} << 16) + (${octet(3)} << 8) + ${octet(4)} END`;
  return `coalesce(${dotted}, CASE WHEN contains(${col}, ':') THEN (${mappedIpv4IntegerSql(col)})::UINTEGER END)`;
}

/** Impossible times are refused by the checks; the guard keeps make_timestamp from failing on them first. */
function timeExpr(col: string): string {
  return `CASE WHEN ${col} BETWEEN 0 AND ${MAX_UNIX} THEN make_timestamp(${col} * 1000000) END`;
}

/** What a source relation holds, as SQL over its columns. */
export interface Projection {
  /** Each known field of the source → its typed value. */
  fields: Map<FlowField, string>;
  /** Fields Flowscope does not know, kept in `extra`: AWS name → value. */
  unknown: [string, string][];
  /** For fields cast by us (Parquet): their text, '-' as NULL, so that a failed cast is a rejected record. */
  texts: Map<FlowField, string>;
  /** What kind of file the source is, for the words of a rejected record's reason. */
  file: RecordFile;
}

function emptyProjection(file: RecordFile): Projection {
  return { fields: new Map(), unknown: [], texts: new Map(), file };
}

/**
 * The records of a source as a relation with every known field under its `flows` column name, the unknown
 * ones as `unknown_<i>`, `src_ip4`/`dst_ip4`, `import_id`, and the `passthrough` expressions (`expr AS
 * name`), together with the checks of a record (record-checks.ts) over that relation's columns.
 */
function recordsRelation(
  p: Projection,
  source: string,
  importId: string,
  passthrough: readonly string[] = [],
): { sql: string; checks: RecordChecks } {
  const of = (aws: string) => [...p.fields].find(([f]) => f.aws === aws)?.[1];
  const inner = [
    ...[...p.fields].map(([f, e]) => `${e} AS ${sqlIdent(f.column)}`),
    ...p.unknown.map(([, e], i) => `${e} AS unknown_${i}`),
    ...[...p.texts].map(([f, e]) => `${e} AS ${sqlIdent(`text_${f.column}`)}`),
    `${of('srcaddr') ? ip4Expr(of('srcaddr')!) : 'NULL'} AS src_ip4`,
    `${of('dstaddr') ? ip4Expr(of('dstaddr')!) : 'NULL'} AS dst_ip4`,
    `${importId} AS import_id`,
    ...passthrough,
  ];
  const ip4Of: Record<string, string> = { srcaddr: 'src_ip4', dstaddr: 'dst_ip4' };
  const checks = recordChecks(
    [...p.fields.keys()].map((f) => {
      const value = sqlIdent(f.column);
      return {
        field: f,
        value,
        ip4: ip4Of[f.aws] ?? ip4Expr(value),
        ...(p.texts.has(f) ? { text: sqlIdent(`text_${f.column}`) } : {}),
      };
    }),
    p.file,
  );
  return { sql: `(SELECT ${inner.join(', ')} FROM ${source}) records`, checks };
}

/**
 * The INSERT of every record of a source into `flows` (its record table), with derived columns. An impossible record goes in
 * with its import id negated, so that the same scan that stores the good records also marks the others
 * (moveImpossibleRecordsSql then takes them out again), instead of a second read of the file. A source
 * with no impossible-record pass of its own (OCSF, `marksImpossible` false) has every record stored.
 */
export function insertFlows(
  p: Projection,
  source: string,
  importId: string,
  bounds: TimeBounds,
  marksImpossible = true,
): string {
  const { sql: records, checks } = recordsRelation(p, source, importId);
  const has = (aws: string) => [...p.fields.keys()].some((f) => f.aws === aws);
  const sparse = [...p.fields.keys()].filter((f) => f.sparse);
  const stored: [string, string][] = [
    ...[...p.fields.keys()].filter((f) => !f.sparse).map((f): [string, string] => [f.column, sqlIdent(f.column)]),
    ['start_time', has('start') ? timeExpr('"start"') : 'NULL'],
    ['end_time', has('end') ? timeExpr('"end"') : 'NULL'],
    ['src_ip4', 'src_ip4'],
    ['dst_ip4', 'dst_ip4'],
    [
      'extra',
      extraMapSql([
        ...sparse.map((f): [string, string] => [f.aws, `${sqlIdent(f.column)}::VARCHAR`]),
        ...p.unknown.map(([name], i): [string, string] => [name, `unknown_${i}::VARCHAR`]),
      ]),
    ],
    ['import_id', marksImpossible ? `CASE WHEN ${checks.invalid} THEN -import_id ELSE import_id END` : 'import_id'],
  ];
  const inBounds: string[] = [];
  if (bounds.timeFrom !== undefined && has('start')) inBounds.push(`"start" >= ${Math.trunc(bounds.timeFrom)}`);
  if (bounds.timeTo !== undefined && has('start')) inBounds.push(`"start" < ${Math.trunc(bounds.timeTo)}`);
  return (
    `INSERT INTO ${RECORD_TABLE} (${stored.map(([c]) => sqlIdent(c)).join(', ')}) ` +
    `SELECT ${stored.map(([, e]) => e).join(', ')} FROM ${records}` +
    (inBounds.length ? ` WHERE ${marksImpossible ? `${checks.invalid} OR ` : ''}(${inBounds.join(' AND ')})` : '')
  );
}

/** How many impossible records each of these imports marked (see insertFlows). */
export function impossibleCountsSql(importIds: readonly number[]): string {
  return `SELECT (-import_id)::INTEGER AS import_id, count(*) AS n FROM flows WHERE import_id IN (${importIds.map((id) => -id).join(', ')}) GROUP BY import_id`;
}

/** Takes the marked impossible records of these imports out of `flows`, once their rejected lines are kept. */
export function deleteImpossibleSql(importIds: readonly number[]): string {
  return `DELETE FROM ${RECORD_TABLE} WHERE import_id IN (${importIds.map((id) => -id).join(', ')})`;
}

/** Where a transaction collects the impossible records of its files, with line and reason, before they join rejected_lines. */
const IMPOSSIBLE_TABLE = 'flowscope_impossible';

export const createImpossibleTableSql: readonly string[] = [
  `DROP TABLE IF EXISTS temp.${IMPOSSIBLE_TABLE}`,
  `CREATE TEMPORARY TABLE ${IMPOSSIBLE_TABLE} (import_id INTEGER, path VARCHAR, line BIGINT, reason VARCHAR, raw VARCHAR)`,
];

/** A staged text file and the import it belongs to. */
export interface StagedText {
  staged: string;
  importId: number;
  /** The name the user knows the file by, for rejected lines. */
  path: string;
}

/** The files of a batch as a relation (staged path, import id, path), to join DuckDB's rejected lines with. */
function filesRelation(files: readonly StagedText[]): string {
  return `(VALUES ${files.map((f) => `(${sqlString(f.staged)}, ${f.importId}, ${sqlString(f.path)})`).join(', ')}) AS batch_files(staged, import_id, path)`;
}

/** How a text file is read: gzip'd or not, and what comes before its first record. */
export interface TextReading {
  gzip: boolean;
  header: boolean;
  /** Blank lines before the header or first record. */
  blankLines?: number;
  /** Log events Flowscope staged as lines (CloudWatch JSON, subscription deliveries): see StagedEventsText. */
  events?: StagedEventsText;
}

/**
 * Log events staged one a line, in order, with `prefix` fields Flowscope wrote in front of each message (its
 * log stream; a subscription's event number, owner, group and stream). A rejected one is kept as the message
 * as logged, at its event's place: the number in front where `numbered`, else the staged line's (one event a
 * line). The import's format says the place is an event's (ledger.listRejected).
 */
export interface StagedEventsText {
  prefix: number;
  numbered: boolean;
  /** The prefix holds (after the number) the log group's owner, the group and the stream: named in the reason. */
  logGroup?: boolean;
}

/**
 * A staged event's rejected line as logged: the message without the prefix, at the event's place, the field
 * counts of a reason without the prefix's fields, and (a subscription's) the log group and stream it came from.
 */
function asLoggedEvent(events: StagedEventsText): { line: string; reason: string; raw: string } {
  const k = events.prefix;
  const field = (i: number) => `url_decode(nullif(string_split(raw, ' ')[${i}], '-'))`;
  const counts = `regexp_extract(reason, '^Expected fields: ([0-9]+) Found: ([0-9]+)', ['e', 'f'])`;
  let reason =
    `CASE WHEN ${counts}.e <> '' THEN 'Expected fields: ' || (${counts}.e::INTEGER - ${k}) || ' Found: ' || ` +
    `(${counts}.f::INTEGER - ${k}) || regexp_replace(reason, '^Expected fields: [0-9]+ Found: [0-9]+', '') ELSE reason END`;
  if (events.logGroup) {
    const [owner, group, stream] = [2, 3, 4].map(field);
    const where = `concat_ws(', ', 'log group ' || coalesce(${owner} || ':', '') || ${group}, 'stream ' || ${stream})`;
    reason = `${reason} || CASE WHEN ${where} <> '' THEN ' (' || ${where} || ')' ELSE '' END`;
  }
  return {
    line: events.numbered ? `coalesce(try_cast(regexp_extract(raw, '^([0-9]+) ', 1) AS BIGINT), line)` : 'line',
    reason,
    raw: k ? `regexp_replace(raw, '^([^ ]* ){${k}}', '')` : 'raw',
  };
}

/** The lines before a text file's first record (its blank lines and header), which the reader skips. */
const linesBefore = (t: TextReading) => (t.blankLines ?? 0) + (t.header ? 1 : 0);

/**
 * Text records of one or more files with the same layout, read by DuckDB's CSV reader in one statement
 * with fixed columns (c0, c1, … in the layout's order), '-' as NULL, and every line it cannot read (wrong
 * field count, a value of the wrong type) kept in REJECTS_TABLE with its file and line, instead of failing.
 * Run clearRejectsSql first: the reader adds to the tables a previous read on the connection left.
 */
export function textInsertSql(
  files: readonly StagedText[],
  layout: RecordLayout,
  opts: TextReading & TimeBounds,
): string {
  // A CSV's values are read as text and cast by csvProjection: DuckDB's own cast takes 1.23457E+11 as a number.
  const columns = layout.fields.map(
    (f, i) => `${sqlString(`c${i}`)}: ${sqlString(f.kind === 'known' && !layout.csv ? f.field.type : 'VARCHAR')}`,
  );
  const skip = linesBefore(opts);
  const batch = files.length > 1;
  const split = layout.csv
    ? `delim = '${layout.csv}', quote = '"', escape = '"', nullstr = ['-', '']`
    : `delim = ' ', quote = '', escape = '', nullstr = '-'`;
  const reader =
    `read_csv([${files.map((f) => sqlString(f.staged)).join(', ')}], columns = {${columns.join(', ')}}, ${split}, ` +
    `header = false, skip = ${skip}, auto_detect = false, compression = '${opts.gzip ? 'gzip' : 'none'}', ` +
    `store_rejects = true, rejects_table = '${REJECTS_TABLE}', rejects_scan = '${REJECTS_SCAN_TABLE}', rejects_limit = 0)`;
  // In a batch, the reader's file_index is the file's place in the list it was given.
  const importId = batch
    ? `[${files.map((f) => f.importId).join(', ')}][file_index::BIGINT + 1]`
    : String(files[0]!.importId);
  return insertFlows(layoutProjection(layout), reader, importId, opts);
}

/** The projection of a text layout's columns c0, c1, …: typed by the reader, or (CSV) text cast here. */
function layoutProjection(layout: RecordLayout): Projection {
  return layout.csv ? csvProjection(layout) : textProjection(layout, (i) => `c${i}`);
}

/** Text as a number only when written as flow logs write numbers, digits (DuckDB's cast reads 443.7 as 444). */
const digitsAs = (text: string, type: string) =>
  `CASE WHEN regexp_full_match(${text}, '-?[0-9]+') THEN try_cast(${text} AS ${type}) END`;

/**
 * A CSV's columns c0, c1, … (text) cast to their fields' types only when written as flow logs write them:
 * digits for a number, 12 digits for an account id (AS_LOGGED). Anything else (1.23457E+11, 1.5, a date a
 * spreadsheet reformatted) is NULL with its text kept, so the record is rejected with the reason, never
 * stored changed.
 */
function csvProjection(layout: RecordLayout): Projection {
  const p = textProjection(layout, (i) => `c${i}`);
  for (const [field, text] of p.fields) {
    const asLogged = AS_LOGGED[field.aws];
    if (field.type !== 'VARCHAR') p.fields.set(field, digitsAs(text, field.type));
    else if (asLogged)
      p.fields.set(field, `CASE WHEN regexp_full_match(${text}, ${sqlString(asLogged.pattern)}) THEN ${text} END`);
    else continue;
    p.texts.set(field, text);
  }
  return p;
}

/** Known fields of a layout by their position's value (`value(i)`), the others kept for `extra`. */
function textProjection(layout: RecordLayout, value: (i: number) => string): Projection {
  const p = emptyProjection('text');
  layout.fields.forEach((f, i) => {
    if (f.kind === 'known') p.fields.set(f.field, value(i));
    else if (f.kind === 'extra') p.unknown.push([f.name, f.urlEncoded ? `url_decode(${value(i)})` : value(i)]);
  });
  return p;
}

/**
 * Writes the impossible records of one text file into IMPOSSIBLE_TABLE with their line numbers and
 * reasons: run only when the insert marked some. The reader does not number the lines it reads, so the
 * file is read again as numbered lines (one thread, in order), split and typed as the reader does; the
 * lines the reader itself rejected are left out.
 */
export function textImpossibleSql(
  file: StagedText,
  layout: RecordLayout,
  opts: TextReading,
  overlong: readonly number[],
): string {
  const n = layout.fields.length;
  const typed = layout.fields.map((f, i) => {
    const text = layout.csv ? `nullif(nullif(f[${i + 1}], '-'), '')` : `nullif(f[${i + 1}], '-')`;
    const cast = f.kind === 'known' && f.field.type !== 'VARCHAR' && !layout.csv;
    return `${cast ? `try_cast(${text} AS ${f.field.type})` : text} AS c${i}`;
  });
  // A CSV line's values: at its separator outside double quotes, a quoted value unquoted (`""` is `"`), as the reader splits it.
  const split = layout.csv
    ? `list_transform(regexp_extract_all(raw, '(?:^|${layout.csv})("(?:[^"]|"")*"|[^${layout.csv}]*)', 1), x -> CASE WHEN starts_with(x, '"') THEN replace(x[2:-2], '""', '"') ELSE x END)`
    : `string_split(rtrim(raw, ' '), ' ')`; // blanks at the end are nothing to the reader
  // Lines over the reader's maximum length were rejected by it (`overlong`, in order); this read passes over
  // them too rather than fail the file (a 3 MB line did), so a line read is numbered on by those before it:
  // the i-th of them (from 1) comes after `line - i` lines read. Only they may be passed over.
  const shift = overlong.map((line, i) => ` + (n > ${line - i - 1})::INTEGER`).join('');
  const lines =
    `SELECT n${shift} AS line, raw FROM (SELECT row_number() OVER () AS n, l AS raw FROM read_csv(${sqlString(file.staged)}, ` +
    `columns = {'l': 'VARCHAR'}, delim = '\\0', quote = '', escape = '', header = false, auto_detect = false, ` +
    `strict_mode = false, parallel = false, ignore_errors = ${overlong.length > 0}, compression = '${opts.gzip ? 'gzip' : 'none'}'))`;
  const readerRejected =
    `SELECT r.line FROM ${REJECTS_TABLE} r JOIN ${REJECTS_SCAN_TABLE} sc ON r.scan_id = sc.scan_id AND r.file_id = sc.file_id ` +
    `WHERE sc.file_path = ${sqlString(file.staged)}`;
  const source =
    `(SELECT line, raw, ${typed.join(', ')} FROM (SELECT line, raw, ${split} AS f FROM (${lines}) WHERE line > ${linesBefore(opts)}) ` +
    `WHERE len(f) = ${n} AND line NOT IN (${readerRejected}))`;
  const { sql, checks } = recordsRelation(layoutProjection(layout), source, String(file.importId), ['line', 'raw']);
  return (
    `INSERT INTO ${IMPOSSIBLE_TABLE} SELECT import_id, ${sqlString(file.path)}, line, ${checks.reason}, raw ` +
    `FROM ${sql} WHERE ${checks.invalid}`
  );
}

/** The lines of each staged file the reader rejected as over its maximum length, in order. */
export const overlongLinesSql =
  `SELECT DISTINCT sc.file_path AS staged, r.line FROM ${REJECTS_TABLE} r JOIN ${REJECTS_SCAN_TABLE} sc ` +
  `ON r.scan_id = sc.scan_id AND r.file_id = sc.file_id WHERE r.error_type = 'LINE SIZE OVER MAXIMUM' ORDER BY r.line`;

/** Empties the CSV reader's rejected-line tables of this connection before a read. */
export const clearRejectsSql: readonly string[] = [REJECTS_TABLE, REJECTS_SCAN_TABLE].map(
  (t) => `DROP TABLE IF EXISTS temp.${t}`,
);

/** DuckDB's rejected-line errors with the file each came from. */
function rejectedWithFiles(files: readonly StagedText[]): string {
  return (
    `${REJECTS_TABLE} r JOIN ${REJECTS_SCAN_TABLE} sc ON r.scan_id = sc.scan_id AND r.file_id = sc.file_id ` +
    `JOIN ${filesRelation(files).replace('batch_files', 'b')} ON sc.file_path = b.staged`
  );
}

/**
 * A line of field names (`version account-id …`, or a CSV's `"version","account_id",…`): no token starts with
 * a digit or `-` (every record has numbers), and one is `start`, which every header Flowscope reads names
 * (a stray line of words, `this is not a record`, is not one).
 */
const HEADER_LINE = '(?i)\\x{FEFF}?(?:"?[a-z][a-z0-9_-]*"?[ ,])*"?start"?(?:[ ,]"?[a-z][a-z0-9_-]*"?)*\\r?';
/** Files joined one after another (`cat` of two S3 deliveries) have a header line where the second begins. */
const HEADER_AGAIN = 'a header line (field names, not a record): files joined one after another each start with one';

/**
 * The reader's rejected lines: how many per import (`counts`), and their rows (`lines`: import_id, path,
 * line, reason, raw). DuckDB reports one error per faulty column; a line over the maximum length gets that
 * reason, a header line again says so (HEADER_AGAIN), a line with the wrong number of fields one reason (its first), and the reader's column names (c0,
 * c1, …) become the field names.
 */
export function readerRejectsSql(
  files: readonly StagedText[],
  layout: RecordLayout,
): { counts: string; lines: string } {
  const names = layout.fields.map(
    (f, i) => `(${sqlString(`c${i}`)}, ${sqlString(`"${f.kind === 'known' ? f.field.aws : f.name}"`)})`,
  );
  const perLine =
    `SELECT b.import_id, any_value(b.path) AS path, r.line, any_value(r.csv_line) AS raw, coalesce(` +
    `any_value(r.error_message) FILTER (WHERE r.error_type = 'LINE SIZE OVER MAXIMUM'), ` +
    `CASE WHEN regexp_full_match(any_value(r.csv_line), ${sqlString(HEADER_LINE)}) THEN ${sqlString(HEADER_AGAIN)} END, ` +
    (layout.csv ? '' : `${doubleBlankSql(layout, 'any_value(r.csv_line)', "r.error_type = 'TOO MANY COLUMNS'")}, `) +
    `arg_min(r.error_message, r.column_idx) FILTER (WHERE r.error_type IN ('MISSING COLUMNS', 'TOO MANY COLUMNS')), ` +
    `string_agg(DISTINCT coalesce(${castReason(layout)}, replace(r.error_message, 'column "' || m.col || '"', 'field ' || m.name)), '; ')) AS reason ` +
    `FROM ${rejectedWithFiles(files)} LEFT JOIN (VALUES ${names.join(', ')}) m(col, name) ON r.column_name = m.col GROUP BY b.import_id, r.line`;
  return {
    counts: `SELECT b.import_id, count(DISTINCT r.line) AS n FROM ${rejectedWithFiles(files)} GROUP BY b.import_id`,
    lines: `SELECT import_id, path, line, replace(reason, 'Expected Number of Columns', 'Expected fields') AS reason, raw FROM (${perLine})`,
  };
}

/**
 * Why the reader could not read a number field of a text record, in the words of the other checks (`field
 * "bytes" is 18446744073709551616: more than a flow log's 64-bit counter holds`), where DuckDB says `Error
 * when converting column "c9". Could not convert string "…" to 'BIGINT'`; NULL for any other error.
 */
function castReason(layout: RecordLayout): string {
  const value = `nullif(regexp_extract(r.error_message, ${sqlString(`Could not convert string "(.*)" to '`)}, 1), '')`;
  const cases = layout.fields.flatMap((f, i) =>
    f.kind === 'known' && !layout.csv && f.field.type !== 'VARCHAR'
      ? [
          `WHEN ${sqlString(`c${i}`)} THEN ${sqlString(`field "${f.field.aws}" is `)} || ${value} || ${numberWhy(f.field, value)}`,
        ]
      : [],
  );
  return cases.length ? `CASE WHEN r.error_type = 'CAST' THEN CASE r.column_name ${cases.join(' ')} END END` : 'NULL';
}

/**
 * Why a line of too many fields has them, when two blanks in a row made an empty one (AWS's own "TCP flag
 * sequence" example has `5001 43638  10.0.0.62`): which field the first pair follows, by name and place. `raw`
 * is the line; `tooMany`, the condition of a line rejected for too many fields (an aggregate's filter).
 */
function doubleBlankSql(layout: RecordLayout, raw: string, tooMany: string): string {
  const names = layout.fields.map((f) => sqlString(f.kind === 'known' ? f.field.aws : f.name));
  // The fields before the pair: the blanks before it, plus one.
  const before = `length(regexp_replace(left(${raw}, strpos(${raw}, '  ') - 1), '[^ ]', '', 'g')) + 1`;
  return (
    `CASE WHEN bool_or(${tooMany}) AND strpos(rtrim(${raw}), '  ') > 1 THEN ` +
    `'two blanks in a row after field "' || [${names.join(', ')}][${before}] || '" (field ' || (${before}) || '), ` +
    `where flow logs write one: read as an empty field, one too many' END`
  );
}

/**
 * Each different header line (HEADER_LINE) among the lines of these files that the read rejected, as read
 * or as an impossible record (a CSV's header of as many fields, all read as text), at its first line number.
 * Run after the impossible records of the files are in IMPOSSIBLE_TABLE.
 */
export function headerLinesSql(files: readonly StagedText[]): string {
  const lines =
    `SELECT b.import_id, r.line, r.csv_line AS raw FROM ${rejectedWithFiles(files)} ` +
    `UNION ALL SELECT import_id, line, raw FROM ${IMPOSSIBLE_TABLE}`;
  return (
    `SELECT import_id, raw, min(line) AS line FROM (${lines}) WHERE regexp_full_match(raw, ${sqlString(HEADER_LINE)}) ` +
    `GROUP BY import_id, raw ORDER BY line`
  );
}

/**
 * Keeps at most `keep` rejected lines per import, the first by line number, from the reader's rejects
 * (`readerLines`, text only) and the impossible records collected in IMPOSSIBLE_TABLE; staged log events
 * (`events`) as their messages at their events' places.
 */
export function keepRejectedLinesSql(keep: number, readerLines?: string, events?: StagedEventsText): string {
  const all = [
    `SELECT import_id, path, line, reason, raw FROM ${IMPOSSIBLE_TABLE}`,
    ...(readerLines ? [readerLines] : []),
  ];
  const { line, reason, raw } = events ? asLoggedEvent(events) : { line: 'line', reason: 'reason', raw: 'raw' };
  return (
    `INSERT INTO rejected_lines (import_id, path, line, reason, raw) SELECT import_id, path, line, reason, raw ` +
    `FROM (SELECT import_id, path, ${line} AS line, ${reason} AS reason, ${raw} AS raw FROM (${all.join(' UNION ALL ')})) ` +
    `QUALIFY row_number() OVER (PARTITION BY import_id ORDER BY line) <= ${keep} ORDER BY import_id, line`
  );
}

/**
 * Flowscope's own derived columns in a Parquet file it exported (`SELECT * FROM flows`): read past, as in a
 * CSV's header (log-format.ts, DERIVED_NAMES).
 */
const isDerived = (column: string) => DERIVED_NAMES.has(column.toLowerCase().replace(/_/g, '-'));

/** A column of a Parquet file: its name and DuckDB's type for it. */
export interface ParquetColumn {
  name: string;
  type: string;
}

/** The columns of a Parquet file that are the records' fields: all but Flowscope's derived ones. */
const fieldColumns = (fileColumns: readonly ParquetColumn[]) => fileColumns.filter((c) => !isDerived(c.name));

const INTEGER_TYPE = /^U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$/;
const FRACTION_TYPE = /^(FLOAT|DOUBLE|DECIMAL\b)/;

/**
 * Columns of a Parquet file as AWS writes them (Athena names, or AWS names), cast to the workspace's types.
 * An integer column (AWS writes INT_32 and INT_64) is cast as it is: only a value out of the field's range
 * fails, and its text is needed for the reason only. A double or decimal counts when it is whole (pandas
 * writes an integer column with missing values as doubles), and text only when written as flow logs write
 * it, digits, as a CSV's (csvProjection): DuckDB's cast would take 2.5 packets as 3, `443.7` as 444, `0x10`
 * as 16 and `1e3` as 1000, storing a value the file does not hold.
 */
function parquetProjection(fileColumns: readonly ParquetColumn[]): Projection {
  const p = emptyProjection('parquet');
  const known = new Map<string, FlowField>(FLOW_FIELDS.map((f) => [f.column, f]));
  for (const { name, type } of fieldColumns(fileColumns)) {
    const field = known.get(name) ?? known.get(name.replace(/-/g, '_'));
    const column = sqlIdent(name);
    const text = `nullif(${column}::VARCHAR, '-')`;
    if (!field) p.unknown.push([name.replace(/_/g, '-'), text]);
    else if (field.type === 'VARCHAR') p.fields.set(field, text);
    else if (INTEGER_TYPE.test(type) || FRACTION_TYPE.test(type)) {
      const whole = INTEGER_TYPE.test(type) ? column : `CASE WHEN ${column} = trunc(${column}) THEN ${column} END`;
      p.fields.set(field, `try_cast(${whole} AS ${field.type})`);
      p.texts.set(field, column);
    } else {
      p.fields.set(field, digitsAs(text, field.type));
      p.texts.set(field, text);
    }
  }
  return p;
}

/**
 * Why a Parquet file cannot be flow logs, or undefined: it has none of the flow-log columns, or no `start`
 * (its records could never be found by time).
 */
export function parquetRefusal(fileColumns: readonly ParquetColumn[]): string | undefined {
  const known = [...parquetProjection(fileColumns).fields.keys()];
  const names = fileColumns.map((c) => c.name);
  if (known.length === 0)
    return `it has none of the flow-log columns (version, srcaddr, dstaddr, start, …); its columns are ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''}`;
  if (!known.some((f) => f.aws === 'start')) return 'it has no start column, so its records have no time';
  return undefined;
}

function parquetSource(stagedPath: string, rowNumbers = false): string {
  return `read_parquet(${sqlString(stagedPath)}, hive_partitioning = false${rowNumbers ? ', file_row_number = true' : ''})`;
}

export function parquetInsertSql(
  stagedPath: string,
  fileColumns: readonly ParquetColumn[],
  importId: number,
  bounds: TimeBounds,
): string {
  return insertFlows(parquetProjection(fileColumns), parquetSource(stagedPath), String(importId), bounds);
}

/** The impossible records of a Parquet file into IMPOSSIBLE_TABLE: line is the row number from 1, raw the field values joined by spaces. */
export function parquetImpossibleSql(
  stagedPath: string,
  fileColumns: readonly ParquetColumn[],
  importId: number,
  path: string,
): string {
  const raw = `concat_ws(' ', ${fieldColumns(fileColumns)
    .map((c) => `coalesce(${sqlIdent(c.name)}::VARCHAR, '-')`)
    .join(', ')}) AS raw`;
  const { sql, checks } = recordsRelation(
    parquetProjection(fileColumns),
    parquetSource(stagedPath, true),
    String(importId),
    ['file_row_number + 1 AS line', raw],
  );
  return (
    `INSERT INTO ${IMPOSSIBLE_TABLE} SELECT import_id, ${sqlString(path)}, line, ${checks.reason}, raw ` +
    `FROM ${sql} WHERE ${checks.invalid}`
  );
}

export function parquetColumnsSql(stagedPath: string): string {
  return `SELECT column_name AS name, column_type AS type FROM (DESCRIBE SELECT * FROM ${parquetSource(stagedPath)})`;
}
