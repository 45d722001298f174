/**
 * How an Athena query sees a flow record: the columns of the tables AWS tells people to create, under
 * every naming the published DDLs use, each as SQL over a row of the workspace's `flows`.
 *
 *  - AWS's Athena documentation (text and Parquet tables): the Athena column names of `fields.ts`
 *    (`srcaddr`, `log_status`, …), and the hyphenated AWS names a crawler gives a table (`"log-status"`).
 *  - The AWS Security Analytics Bootstrap's `vpcflow` table: `sourceaddress`, `numbytes`, `starttime`, …
 *  - Partition columns, derived for each record so that a partition filter selects the records it
 *    would have selected in S3: the day and hour are its delivery folder's, read from the S3 key of its
 *    import, else its start (`partitionDaySql`); `date` (DATE), `day`/`date_partition` (`yyyy/MM/dd`), `dt`
 *    (`yyyy-MM-dd`; `date` and `dt` in the layout of the text a query compares them with, as
 *    `partition-layout.ts` reads it), Hive's `year`, `month`, `day` (`dd`) and `hour`, the account (`account_partition`,
 *    `aws-account-id`, `accid`): the account folder of the object's S3 key, else the record's `account-id`
 *    (`accountPartitionSql`), and the region (`region_partition`, `aws-region`), which for records
 *    without the v4 `region` field is read from the S3 key of the object they came from.
 *
 * Text is as logged: a table over text files reads `-` where a field has no value (a NODATA record's
 * address), so every string column shows `-` where the workspace stores NULL; numbers stay NULL, as
 * Athena's text reader makes them. A column the record's line does not have (a Transit Gateway record's
 * `action`, a default-format record's `vpc_id`) is NULL, as Athena reads a line shorter than its table.
 */
import { FLOW_FIELDS, type FlowField } from '../../catalog/fields';
import type { SqlType } from './types';
import { sqlIdent } from '../../catalog/sql-quote';
import type { TextPartitions } from './partition-layout';
import { athenaTextSql, type ImportLayout } from '../field-names';

export interface RecordColumn {
  name: string;
  type: SqlType;
  /** SQL for the value over the `flows` row aliased `r` (already quoted). */
  sql: (r: string) => string;
  /** A string field shown as `-` where missing: the stored column, so a test against text that is not `-` can read it directly. */
  dashed?: string;
  /** A text column of a flow-log field: its AWS name and its text before `-` (`withRecordFormats`). */
  logged?: { aws: string; text: (r: string) => string };
  /**
   * Its text is NULL for records of a format without the field (`withRecordFormats`), so a stored NULL is not
   * always its `-`: not grouped or counted by the stored column (`dashed` stays for tests true of no NULL).
   */
  byFormat?: true;
  /** A partition whose text is a time (the record's start, or as `filed`) in this strftime format. */
  timeFormat?: string;
  /** The DATE partition (the day the record is filed under, as `filed`). */
  datePartition?: true;
  /** A day partition showing the delivery folder's day (`FOLDER_DAY`) where the record's import has one, else its start's. */
  filed?: true;
  /**
   * The account partition (`accountPartitionSql`): the import's account folder, else the record's
   * `account_id`; a comparison with a constant looks the record's import up in lists of imports.
   */
  account?: true;
  /** Unix seconds whose timestamp the workspace keeps in this column (`from_unixtime(start)` is `start_time`). */
  secondsOf?: 'start_time' | 'end_time';
  /** An address whose IPv4 integer the workspace keeps in this column. */
  ip4Column?: 'src_ip4' | 'dst_ip4';
  /**
   * Which DDL names it, for `SELECT *` (`ocsf`: a Security Lake table's, `security-lake.ts`; `hidden`: Athena's
   * `"$path"`, which `*` never shows).
   */
  naming: 'aws' | 'bootstrap' | 'hyphenated' | 'partition' | 'ocsf' | 'hidden';
  /** The field it shows, by its Athena column name (`srcaddr` for `sourceaddress`). */
  field?: string;
  /** A row's fields, each SQL of its own, so `src_endpoint.ip` reads the address without building the row. */
  fields?: ReadonlyMap<string, RecordColumn>;
}

/** The v2–v5 fields, as AWS's documented DDL lists them (`SELECT *` shows these). */
const DOCUMENTED = FLOW_FIELDS.filter((f) => f.since >= 2 && f.since <= 5);

/** Trino types of the AWS documentation's DDL where they differ from the workspace's storage type. */
const AWS_TYPES: Record<string, SqlType> = { version: 'integer', protocol: 'bigint', 'traffic-path': 'integer' };

/** The Bootstrap's names where they are not the AWS name without hyphens, and its types where they differ. */
const BOOTSTRAP_NAMES: Record<string, string> = {
  'account-id': 'account',
  srcaddr: 'sourceaddress',
  dstaddr: 'destinationaddress',
  srcport: 'sourceport',
  dstport: 'destinationport',
  packets: 'numpackets',
  bytes: 'numbytes',
  start: 'starttime',
  end: 'endtime',
};
const BOOTSTRAP_TYPES: Record<string, SqlType> = {
  version: 'integer',
  protocol: 'integer',
  packets: 'integer',
  start: 'integer',
  end: 'integer',
  'tcp-flags': 'smallint',
  'traffic-path': 'varchar',
};

function storedType(f: FlowField): SqlType {
  if (f.type === 'VARCHAR') return 'varchar';
  if (f.type === 'BIGINT') return 'bigint';
  return 'integer';
}

function fieldColumn(f: FlowField, name: string, type: SqlType, naming: RecordColumn['naming']): RecordColumn {
  const stored = sqlIdent(f.column);
  const col: RecordColumn = { name, type, naming, field: f.column, sql: (r) => `${r}.${stored}` };
  if (type === 'varchar') {
    const text =
      f.type === 'VARCHAR' ? (r: string) => `${r}.${stored}` : (r: string) => `CAST(${r}.${stored} AS VARCHAR)`;
    col.sql = (r) => `coalesce(${text(r)}, '-')`;
    // A number the table types as text (the Bootstrap's `trafficpath`) keeps `-` for a record without it too: sent
    // to Athena, it is read from the AWS table's integer column, whose NULL is either, and both answers agree.
    if (f.type === 'VARCHAR') {
      col.logged = { aws: f.aws, text };
      col.dashed = f.column;
    }
  }
  if (f.aws === 'start') col.secondsOf = 'start_time';
  if (f.aws === 'end') col.secondsOf = 'end_time';
  if (f.aws === 'srcaddr') col.ip4Column = 'src_ip4';
  if (f.aws === 'dstaddr') col.ip4Column = 'dst_ip4';
  return col;
}

/** The region of the S3 object (or file saved under its key) a record came from, for records without the field. */
const REGION_FROM_KEY = `(?:vpcflowlogs[/_]|aws-region=)([a-z]{2}(?:-gov)?-[a-z]+-[0-9]+)`;

export function regionSql(r: string): string {
  const fromKey = `(SELECT nullif(regexp_extract(i.path, '${REGION_FROM_KEY}', 1), '') FROM main.imports AS i WHERE i.id = ${r}.import_id)`;
  return `coalesce(${r}."region", ${fromKey}, '-')`;
}

/**
 * The delivery folder of the S3 object (or file saved under its key) a record came from:
 * `vpcflowlogs/<region>/yyyy/mm/dd/[HH/]` or, with Hive-compatible prefixes,
 * `aws-region=<region>/year=yyyy/month=mm/day=dd/[hour=HH/]`. Groups: the day's folders, the hour.
 */
const FOLDER_FROM_KEY = String.raw`(?:vpcflowlogs[/\\]|aws-region=)[a-z0-9-]+[/\\]((?:year=)?\d{4}[/\\](?:month=)?\d{2}[/\\](?:day=)?\d{2})[/\\](?:(?:hour=)?(\d{2})[/\\])?`;

/** A value read from the path of the record's import, once per import (DuckDB joins the ledger). */
const ofImport = (r: string, value: string) => `(SELECT ${value} FROM main.imports AS i WHERE i.id = ${r}.import_id)`;
const folderGroup = (n: number) => `regexp_extract(i.path, '${FOLDER_FROM_KEY}', ${n})`;
/** The day of an import `i`'s delivery folder, as a TIMESTAMP; NULL for a path without one. */
export const FOLDER_DAY = `try_strptime(regexp_replace(${folderGroup(1)}, '[^0-9]', '', 'g'), '%Y%m%d')`;

/**
 * The day Athena files a record under, as a TIMESTAMP: its delivery folder's (AWS writes a file into the
 * folder of its delivery time, so a record that starts before midnight can be in the next day's), else,
 * for a record of no such key (a file under another name, CloudWatch), the day it starts.
 */
function partitionDaySql(r: string): string {
  return `coalesce(${ofImport(r, FOLDER_DAY)}, ${r}.start_time)`;
}

/** The hour Athena files a record under: its hour folder's, else the hour it starts. */
function partitionHourSql(r: string): string {
  return `coalesce(${ofImport(r, `nullif(${folderGroup(2)}, '')`)}, strftime(${r}.start_time, '%H'))`;
}

/**
 * The account folder of the S3 object (or file saved under its key) a record came from:
 * `AWSLogs/<account>/vpcflowlogs/…`, Hive's `AWSLogs/aws-account-id=<account>/aws-service=vpcflowlogs/…`, or
 * an object's own name, `<account>_vpcflowlogs_<region>_…`, which names the folder it was delivered to.
 */
export const ACCOUNT_FROM_KEY = String.raw`(?:^|[/\\])(?:aws-account-id=)?([0-9]{12})(?:[/\\](?:aws-service=)?vpcflowlogs[/\\]|_vpcflowlogs_)`;
/** The account of an import `i`'s delivery folder; NULL for a path without one. */
export const FOLDER_ACCOUNT = `nullif(regexp_extract(i.path, '${ACCOUNT_FROM_KEY}', 1), '')`;

/**
 * The account partition Athena files a record under: the account folder its object was delivered to (AWS
 * writes the flow log owner's account there, while a record's own `account-id` is the network interface's
 * owner: `unknown` for an interface an AWS service made, another account's in a shared VPC), else, for a
 * record of no such path (a file under another name, CloudWatch), its own `account-id`.
 */
export function accountPartitionSql(r: string): string {
  return `coalesce(${ofImport(r, FOLDER_ACCOUNT)}, ${r}."account_id", '-')`;
}

/** A text partition: by default the day the record is filed under, in `format`. */
function timePartition(name: string, format: string, sql?: (r: string) => string): RecordColumn {
  const col = { name, type: 'varchar', naming: 'partition', timeFormat: format } as const;
  if (sql) return { ...col, sql };
  return { ...col, filed: true, sql: (r) => `strftime(${partitionDaySql(r)}, '${format}')` };
}

function build(hiveDay: boolean, text: TextPartitions): Map<string, RecordColumn> {
  const out = new Map<string, RecordColumn>();
  const add = (c: RecordColumn) => {
    if (!out.has(c.name)) out.set(c.name, c);
  };
  for (const f of FLOW_FIELDS) {
    if (f.aws === 'region') {
      add({ name: 'region', type: 'varchar', naming: 'aws', field: 'region', sql: regionSql });
      continue;
    }
    add(fieldColumn(f, f.column, AWS_TYPES[f.aws] ?? storedType(f), 'aws'));
  }
  for (const f of FLOW_FIELDS) {
    const name = BOOTSTRAP_NAMES[f.aws] ?? f.aws.replace(/-/g, '');
    if (f.aws !== 'region') add(fieldColumn(f, name, BOOTSTRAP_TYPES[f.aws] ?? storedType(f), 'bootstrap'));
  }
  for (const f of FLOW_FIELDS)
    if (f.aws.includes('-')) add(fieldColumn(f, f.aws, AWS_TYPES[f.aws] ?? storedType(f), 'hyphenated'));
  if (text.date) add(timePartition('date', text.date));
  else
    add({
      name: 'date',
      type: 'date',
      naming: 'partition',
      datePartition: true,
      filed: true,
      sql: (r) => `CAST(${partitionDaySql(r)} AS DATE)`,
    });
  add(timePartition('day', text.day ?? (hiveDay ? '%d' : '%Y/%m/%d')));
  add(timePartition('date_partition', '%Y/%m/%d'));
  add(timePartition('dt', text.dt ?? '%Y-%m-%d'));
  add(timePartition('year', '%Y'));
  add(timePartition('month', '%m'));
  add(timePartition('hour', '%H', partitionHourSql));
  // No folder holds a record's minute: `ts` is its start.
  add(timePartition('ts', '%Y-%m-%dT%H:%M:%SZ', (r) => `strftime(${r}.start_time, '%Y-%m-%dT%H:%M:%SZ')`));
  for (const name of ['region_partition', 'aws-region'])
    add({ name, type: 'varchar', naming: 'partition', sql: regionSql });
  for (const name of ['account_partition', 'aws-account-id', 'accid'])
    add({ name, type: 'varchar', naming: 'partition', sql: accountPartitionSql, account: true });
  add({ name: 'aws-service', type: 'varchar', naming: 'partition', sql: () => `'vpcflowlogs'` });
  // Athena's hidden column: the S3 object a record was read from (`s3://bucket/key`, as a pull records it; a
  // file's own path for records imported from files, a log group's window for CloudWatch's).
  add({
    name: '$path',
    type: 'varchar',
    naming: 'hidden',
    sql: (r) => `(SELECT i.path FROM main.imports AS i WHERE i.id = ${r}.import_id)`,
  });
  return out;
}

const DAY_PATH = build(false, {});

/** The Hive layout's partitions: with any of them in a query, `day` is the day of the month (`dd`). */
const HIVE_ONLY = ['year', 'month', 'hour'];

const LAYOUTS = new Map<string, Map<string, RecordColumn>>([[JSON.stringify([false, {}]), DAY_PATH]]);

/** The record's columns for a query that names `names` and compares the text partitions `text` with text. */
export function recordColumns(names: ReadonlySet<string>, text: TextPartitions = {}): Map<string, RecordColumn> {
  const hiveDay = HIVE_ONLY.some((n) => names.has(n));
  const key = JSON.stringify([hiveDay, text]);
  let columns = LAYOUTS.get(key);
  if (!columns) LAYOUTS.set(key, (columns = build(hiveDay, text)));
  return columns;
}

/**
 * The columns as the workspace's records fill them (`formats`, the compiler's `recordFormats`): a text field is
 * NULL for a record of a format without it, as Athena reads a column its line does not have (`athenaTextSql`).
 */
export function withRecordFormats(
  columns: Map<string, RecordColumn>,
  formats: readonly ImportLayout[] | undefined,
): Map<string, RecordColumn> {
  if (!formats?.length) return columns;
  return new Map(
    [...columns].map(([name, c]) => {
      const logged = c.logged;
      const text = logged && athenaTextSql(logged.aws, formats);
      if (!logged || !text) return [name, c];
      return [name, { ...c, sql: (r: string) => text(logged.text(r), `${r}.`), byFormat: true }];
    }),
  );
}

const BOOTSTRAP_PARTITIONS = ['date_partition', 'region_partition', 'account_partition'];

/** Names only the Bootstrap's table has (a name both tables have was added as the AWS one). */
const BOOTSTRAP_ONLY = new Set([
  ...[...DAY_PATH.values()].filter((c) => c.naming === 'bootstrap').map((c) => c.name),
  ...BOOTSTRAP_PARTITIONS,
]);

/**
 * The columns of `SELECT *`: the documented DDL's data columns, under the Bootstrap's names when the query
 * uses any of them, then the partition columns the query names (the Bootstrap's three always).
 */
export function starColumns(columns: Map<string, RecordColumn>, names: ReadonlySet<string>): RecordColumn[] {
  const bootstrap = [...names].some((n) => BOOTSTRAP_ONLY.has(n));
  const data = DOCUMENTED.map((f) => {
    if (!bootstrap) return columns.get(f.aws === 'region' ? 'region' : f.column)!;
    return columns.get(f.aws === 'region' ? 'region' : (BOOTSTRAP_NAMES[f.aws] ?? f.aws.replace(/-/g, '')))!;
  });
  const partitions = [...columns.values()].filter(
    (c) => c.naming === 'partition' && (names.has(c.name) || (bootstrap && BOOTSTRAP_PARTITIONS.includes(c.name))),
  );
  return [...data, ...partitions];
}
