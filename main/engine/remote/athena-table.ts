/**
 * `flowscope athena table s3://bucket/prefix/`: reads the bucket's layout from its keys (AWS or
 * Hive-compatible folders, per day or per hour, text or Parquet, the accounts and regions) and, for text,
 * the header line of the first object, and writes the `CREATE EXTERNAL TABLE` that fits it
 * (`queries/language/trino/ddl.ts`); with `create` it runs it on Athena. Only the first pages of keys are
 * read: a bucket of years is not listed whole to find its shape.
 */
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createTableDdl, type BucketLayout } from '../../../queries/language/trino/ddl';
import { FlowscopeError } from '../errors';
import { athenaClient, s3Client, type AwsTarget } from '../ingest/aws/clients';
import { isFlowLogObject, parseKey, parseS3Url } from '../ingest/aws/s3-layout';
import { tokenLoopGuard } from '../ingest/aws/retry';
import { runAthenaQuery } from './athena';
import { remoteCaller } from './remote-call';

/** Keys looked at to find the layout, accounts and regions. */
const MAX_KEYS = 5000;

/** The fields of AWS's documented Parquet DDL, for Parquet objects (whose schema is not read here). */
const DOCUMENTED_FIELDS =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action ' +
  'log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr az-id sublocation-type ' +
  'sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path';

export interface AthenaTableRequest {
  location: string;
  /** `database.table`. */
  table: string;
  create: boolean;
  workgroup?: string | undefined;
  output?: string | undefined;
  athena: AwsTarget;
  s3: AwsTarget;
  signal: AbortSignal;
}

export interface AthenaTableAnswer {
  ddl: string;
  layout: BucketLayout;
  /** Keys the layout was read from. */
  keysRead: number;
  /** Athena's query id of the CREATE, when it ran. */
  createdBy: string | null;
}

const pad = (n: number | undefined) => String(n ?? 1).padStart(2, '0');

async function firstLine(body: Readable, gzip: boolean): Promise<string> {
  const stream = gzip ? body.pipe(createGunzip()) : body;
  let text = '';
  for await (const chunk of stream) {
    text += (chunk as Buffer).toString('utf8');
    const end = text.indexOf('\n');
    if (end >= 0) {
      body.destroy();
      return text.slice(0, end).trim();
    }
    if (text.length > 64 * 1024) break;
  }
  body.destroy();
  return text.trim();
}

async function bucketLayout(
  request: Pick<AthenaTableRequest, 'location' | 's3' | 'signal'>,
): Promise<{ layout: BucketLayout; keysRead: number }> {
  const { bucket, prefix } = parseS3Url(request.location);
  const client = s3Client(request.s3);
  const call = remoteCaller(request.s3, `s3://${bucket}/${prefix}`, request.signal, () => 50);
  const keys: string[] = [];
  const guard = tokenLoopGuard(`s3://${bucket}/${prefix}: S3 answered a continuation token`, 'ListObjectsV2');
  for (let token: string | undefined; keys.length < MAX_KEYS;) {
    const page = await call('ListObjectsV2', (abortSignal) =>
      client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }),
        { abortSignal },
      ),
    );
    for (const o of page.Contents ?? []) if (o.Key && isFlowLogObject(o.Key)) keys.push(o.Key);
    token = page.NextContinuationToken;
    if (!token) break;
    guard(token);
  }
  const infos = keys
    .map((key) => ({ key, info: parseKey(key) }))
    .filter((k) => k.info.depth !== null && (k.info.service ?? 'vpcflowlogs') === 'vpcflowlogs');
  const first = infos[0];
  if (!first)
    throw new FlowscopeError(
      'bad_request',
      `No VPC flow-log objects under ${request.location} (AWSLogs/<account>/vpcflowlogs/<region>/<yyyy>/<mm>/<dd>/… or its Hive-compatible form).`,
    );
  const format = first.info.format ?? 'text';
  let fields = DOCUMENTED_FIELDS.split(' ');
  if (format === 'text') {
    const got = await call('GetObject', (abortSignal) =>
      client.send(new GetObjectCommand({ Bucket: bucket, Key: first.key }), { abortSignal }),
    );
    const header = await firstLine(got.Body as Readable, /\.gz$/i.test(first.key));
    fields = header.split(/\s+/);
    const unknown = fields.find((f) => !/^[a-z0-9-]+$/.test(f));
    if (unknown !== undefined)
      throw new FlowscopeError(
        'bad_request',
        `s3://${bucket}/${first.key}: the first line is not a flow-log header (${JSON.stringify(header.slice(0, 80))}).`,
      );
  }
  const days = infos.map(({ info }) => `${info.year}/${pad(info.month)}/${pad(info.day)}`).sort();
  const unique = (list: (string | undefined)[]) => [...new Set(list.filter((v): v is string => !!v))].sort();
  return {
    keysRead: keys.length,
    layout: {
      awsLogs: `s3://${bucket}/${first.key.slice(0, first.key.indexOf('AWSLogs/') + 'AWSLogs/'.length)}`,
      hive: first.info.dateStyle === 'hive',
      hourly: first.info.depth === 'hour',
      format,
      fields,
      accounts: unique(infos.map((k) => k.info.account)),
      regions: unique(infos.map((k) => k.info.region)),
      firstDay: days[0]!,
    },
  };
}

export async function athenaTable(request: AthenaTableRequest): Promise<AthenaTableAnswer> {
  const { layout, keysRead } = await bucketLayout(request);
  const ddl = createTableDdl(request.table, layout);
  if (!request.create) return { ddl, layout, keysRead, createdBy: null };
  const [database] = request.table.split('.') as [string];
  const ran = await runAthenaQuery(athenaClient(request.athena), ddl, {
    ...request.athena,
    database,
    workgroup: request.workgroup,
    output: request.output,
    signal: request.signal,
    maxRows: 0,
  });
  return { ddl, layout, keysRead, createdBy: ran.queryExecutionId };
}
