/**
 * The `CREATE EXTERNAL TABLE` that fits a bucket of VPC flow logs (`flowscope athena table`): the layout
 * `main/engine/remote/athena-table.ts` found (text or Parquet, AWS or Hive-compatible keys, per-day or
 * per-hour folders, the header's fields) written as AWS's Athena documentation writes it, with partition
 * projection so that no partition is ever loaded and a time range prunes folders. Text columns are
 * positional, so they follow the header's order; the names are the Athena column names of `fields.ts`,
 * the types those of AWS's DDLs. The partition names are the ones `remote/index.ts` reads back
 * (`day` as `yyyy/MM/dd`, Hive's `year`/`month`/`day`), so a query on the table prunes by them.
 */
import { fieldByAwsName } from '../../catalog/fields';

export interface BucketLayout {
  /** `s3://bucket/prefix/` up to and including `AWSLogs/`. */
  awsLogs: string;
  hive: boolean;
  hourly: boolean;
  format: 'text' | 'parquet';
  /** The fields in file order, by their AWS names (`account-id`); a text file's header. */
  fields: string[];
  accounts: string[];
  regions: string[];
  /** The first day folder, `yyyy/MM/dd`. */
  firstDay: string;
}

/** AWS's DDLs type the fields so; `protocol` is a bigint there. */
function athenaType(aws: string): string {
  const field = fieldByAwsName(aws);
  if (!field) throw new Error(`${aws} is not a flow-log field`);
  if (aws === 'protocol' || field.type === 'BIGINT') return 'bigint';
  return field.type === 'VARCHAR' ? 'string' : 'int';
}

/** Every column quoted: Hive's grammar reserves `start` and `end`, which AWS's examples leave bare. */
const quoteName = (name: string) => `\`${name}\``;

/**
 * A Hive string literal: the S3 prefix comes from a key in the bucket, which may hold quotes or a backslash
 * (Hive reads `\` escapes in both quotes), so a key can neither break the statement nor add to it.
 */
const hiveString = (value: string, quote: "'" | '"') =>
  `${quote}${value.replace(/\\/g, '\\\\').replaceAll(quote, `\\${quote}`)}${quote}`;
const property = (key: string, value: string) => `  ${hiveString(key, '"')} = ${hiveString(value, '"')}`;

export function createTableDdl(name: string, layout: BucketLayout): string {
  const columns = layout.fields.map((aws) => {
    const column = fieldByAwsName(aws)?.column ?? aws;
    return `  ${quoteName(column)} ${athenaType(aws)}`;
  });
  // A `region` field and a region partition cannot share the name.
  const regionPartition = layout.fields.includes('region') ? 'aws_region' : 'region';
  const firstYear = layout.firstDay.slice(0, 4);
  let partitions: string[];
  let projection: string[];
  let template: string;
  if (layout.hive) {
    partitions = ['`aws-account-id` string', '`aws-service` string', '`aws-region` string', '`year` string'];
    partitions.push('`month` string', '`day` string', ...(layout.hourly ? ['`hour` string'] : []));
    projection = [
      property('projection.aws-account-id.type', 'enum'),
      property('projection.aws-account-id.values', layout.accounts.join(',')),
      property('projection.aws-service.type', 'enum'),
      property('projection.aws-service.values', 'vpcflowlogs'),
      property('projection.aws-region.type', 'enum'),
      property('projection.aws-region.values', layout.regions.join(',')),
      property('projection.year.type', 'integer'),
      property('projection.year.range', `${firstYear},2100`),
      property('projection.month.type', 'integer'),
      property('projection.month.range', '1,12'),
      property('projection.month.digits', '2'),
      property('projection.day.type', 'integer'),
      property('projection.day.range', '1,31'),
      property('projection.day.digits', '2'),
      ...(layout.hourly
        ? [
            property('projection.hour.type', 'integer'),
            property('projection.hour.range', '0,23'),
            property('projection.hour.digits', '2'),
          ]
        : []),
    ];
    template =
      `${layout.awsLogs}aws-account-id=\${aws-account-id}/aws-service=\${aws-service}/aws-region=\${aws-region}/` +
      `year=\${year}/month=\${month}/day=\${day}${layout.hourly ? '/hour=${hour}' : ''}`;
  } else {
    partitions = ['accid string', `${regionPartition} string`, 'day string', ...(layout.hourly ? ['hour string'] : [])];
    projection = [
      property('projection.accid.type', 'enum'),
      property('projection.accid.values', layout.accounts.join(',')),
      property(`projection.${regionPartition}.type`, 'enum'),
      property(`projection.${regionPartition}.values`, layout.regions.join(',')),
      property('projection.day.type', 'date'),
      property('projection.day.range', `${layout.firstDay},NOW`),
      property('projection.day.format', 'yyyy/MM/dd'),
      property('projection.day.interval', '1'),
      property('projection.day.interval.unit', 'DAYS'),
      ...(layout.hourly
        ? [
            property('projection.hour.type', 'integer'),
            property('projection.hour.range', '0,23'),
            property('projection.hour.digits', '2'),
          ]
        : []),
    ];
    template = `${layout.awsLogs}\${accid}/vpcflowlogs/\${${regionPartition}}/\${day}${layout.hourly ? '/${hour}' : ''}`;
  }
  const format =
    layout.format === 'text'
      ? ["ROW FORMAT DELIMITED FIELDS TERMINATED BY ' '"]
      : [
          "ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'",
          "STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'",
          "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'",
        ];
  const properties = [
    ...(layout.format === 'text' ? [property('skip.header.line.count', '1')] : [property('EXTERNAL', 'true')]),
    property('projection.enabled', 'true'),
    ...projection,
    property('storage.location.template', template),
  ];
  return [
    `CREATE EXTERNAL TABLE IF NOT EXISTS ${name
      .split('.')
      .map((p) => `\`${p}\``)
      .join('.')} (`,
    columns.join(',\n'),
    ')',
    `PARTITIONED BY (${partitions.join(', ')})`,
    ...format,
    `LOCATION ${hiveString(layout.awsLogs, "'")}`,
    'TBLPROPERTIES (',
    properties.join(',\n'),
    ')',
  ].join('\n');
}
