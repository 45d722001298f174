/**
 * One query on Amazon Athena: StartQueryExecution, GetQueryExecution polled with backoff until the query
 * is done, GetQueryResults through every page, StopQueryExecution when the caller cancels. Calls go through
 * the pulls' retry and rate limiting (`ingest/aws/retry.ts`), so throttling is retried as there.
 *
 * Athena answers every value as text (the first row of the first page is the header); the column types
 * come with the metadata and become the DuckDB types the answer is kept in.
 */
import { randomUUID } from 'node:crypto';
import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetTableMetadataCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type AthenaClient,
  type ColumnInfo,
} from '@aws-sdk/client-athena';
import type { QueryDiagnostic } from '../../../queries/language/types';
import { FlowscopeError } from '../errors';
import type { AwsTarget } from '../ingest/aws/clients';
import { tokenLoopGuard } from '../ingest/aws/retry';
import {
  DEFAULT_POLL,
  mayHaveStarted,
  naming,
  pollUntil,
  QueryEnded,
  remoteCaller,
  stoppingOnFailure,
  stopStartedUnheard,
  type PollTiming,
  type RemoteCall,
} from './remote-call';
import type { RemoteRetry } from './retry-notice';

export interface AthenaAnswer {
  queryExecutionId: string;
  /** Athena's types, with a decimal's precision and scale from the result metadata. */
  columns: { name: string; type: string; precision?: number | undefined; scale?: number | undefined }[];
  rows: (string | null)[][];
  scannedBytes: number;
  /** The answer had more rows than `maxRows`; the rest stays in Athena's output location. */
  capped: boolean;
}

export interface AthenaRunOptions extends AwsTarget {
  database: string;
  workgroup?: string | undefined;
  output?: string | undefined;
  signal: AbortSignal;
  /** Each call's retries: how many and how soon, and who hears of them. */
  retry?: RemoteRetry | undefined;
  /** Called once Athena has accepted the query. */
  onStarted?: (queryExecutionId: string) => void;
  /** Rows kept at most; the rest of the answer stays in S3. */
  maxRows: number;
  /** Athena's reason for failing the query, placed in the text the SQL was compiled from (`placeAthenaError`). */
  place?: (why: string) => { message: string; diagnostics: QueryDiagnostic[] };
  poll?: PollTiming;
}

/** Athena's errors for a name the query reads that is not there (or that the caller may not read). */
const NOT_FOUND = /^(COLUMN|TABLE|SCHEMA)_NOT_FOUND\b/;
/** Athena's API quotas are per account and region; stay well under them. */
const START_PER_SECOND = 5;
const READ_PER_SECOND = 20;

/** DuckDB's widest DECIMAL, as Athena's. */
const MAX_DECIMAL_DIGITS = 38;

/**
 * An Athena type (`varchar`, `bigint`, `decimal(38,0)`, `timestamp(3) with time zone`, `array(varchar)`) as
 * the DuckDB type kept. A decimal keeps its digits (its precision and scale from the type text, else from
 * the result metadata's), a zoned timestamp its zone (`… America/New_York` is read as that instant).
 */
export function duckdbTypeOf(athenaType: string, precision?: number, scale?: number): string {
  const lower = athenaType.toLowerCase();
  const t = lower.replace(/\(.*$/, '').trim();
  switch (t) {
    case 'bigint':
      return 'BIGINT';
    case 'integer':
    case 'int':
      return 'INTEGER';
    case 'smallint':
      return 'SMALLINT';
    case 'tinyint':
      return 'TINYINT';
    case 'double':
      return 'DOUBLE';
    case 'decimal': {
      const written = /^decimal\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)/.exec(lower);
      const p = written ? Number(written[1]) : precision;
      const s = written ? Number(written[2] ?? 0) : (scale ?? 0);
      return p && p <= MAX_DECIMAL_DIGITS && s <= p ? `DECIMAL(${p},${s})` : 'DOUBLE';
    }
    case 'real':
    case 'float':
      return 'FLOAT';
    case 'boolean':
      return 'BOOLEAN';
    case 'date':
      return 'DATE';
    default:
      if (!t.startsWith('timestamp')) return 'VARCHAR';
      return /with time zone/.test(lower) ? 'TIMESTAMPTZ' : 'TIMESTAMP';
  }
}

const perSecond = (operation: string) => (operation === 'StartQueryExecution' ? START_PER_SECOND : READ_PER_SECOND);

export async function runAthenaQuery(client: AthenaClient, sql: string, opts: AthenaRunOptions): Promise<AthenaAnswer> {
  const call = remoteCaller(opts, 'Athena', opts.signal, perSecond);
  // One token for every attempt: a retry after an answer lost on the way is the same query to Athena, not a
  // second one run and billed (the SDK would make a new token for each command).
  const token = randomUUID();
  let unheard = false;
  const start = (abortSignal: AbortSignal) =>
    client.send(
      new StartQueryExecutionCommand({
        ClientRequestToken: token,
        QueryString: sql,
        QueryExecutionContext: { Database: opts.database },
        ...(opts.workgroup ? { WorkGroup: opts.workgroup } : {}),
        ...(opts.output ? { ResultConfiguration: { OutputLocation: opts.output } } : {}),
      }),
      { abortSignal },
    );
  let started;
  try {
    started = await call('StartQueryExecution', (abortSignal) =>
      start(abortSignal).catch((err: unknown) => {
        unheard ||= mayHaveStarted(err);
        throw err;
      }),
    );
  } catch (err) {
    throw unheard ? await stopUnheard(client, call, start, err) : err;
  }
  const id = started.QueryExecutionId;
  if (!id) throw new FlowscopeError('aws_error', 'Athena accepted the query without a query execution id.');
  opts.onStarted?.(id);
  const scannedBytes = await stoppingOnFailure(
    'Athena',
    id,
    () =>
      pollUntil(opts.signal, opts.poll ?? DEFAULT_POLL, async () => {
        const got = await call('GetQueryExecution', (abortSignal) =>
          client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }), { abortSignal }),
        );
        const status = got.QueryExecution?.Status;
        if (status?.State === 'SUCCEEDED') return got.QueryExecution?.Statistics?.DataScannedInBytes ?? 0;
        if (status?.State === 'FAILED') {
          const why = status.AthenaError?.ErrorMessage ?? status.StateChangeReason ?? 'no reason given';
          // Athena words a column or table it cannot find "… cannot be resolved or requester is not authorized
          // …": a mistyped name, placed in the query like any error, not a matter of permissions.
          const denied = /not authorized|AccessDenied|permission/i.test(why) && !NOT_FOUND.test(why);
          if (denied)
            throw new QueryEnded(
              'aws_error',
              `Athena could not run the query (${id}): ${why.replace(/\.?$/, '.')} Check the IAM permissions for Athena, Glue and the S3 locations.`,
              { queryExecutionId: id },
            );
          const placed = opts.place?.(why) ?? { message: why, diagnostics: [] };
          throw new QueryEnded('query_error', `Athena could not run the query (${id}): ${placed.message}`, {
            queryExecutionId: id,
            ...(placed.diagnostics.length ? { diagnostics: placed.diagnostics } : {}),
          });
        }
        if (status?.State === 'CANCELLED')
          throw new QueryEnded(
            'cancelled',
            `The query was cancelled on Athena (${id})${status.StateChangeReason ? `: ${status.StateChangeReason}` : ''}.`,
          );
        return undefined;
      }),
    (signal) =>
      call(
        'StopQueryExecution',
        (abortSignal) => client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }), { abortSignal }),
        signal,
      ),
  );
  const { columns, rows, capped } = await readAnswer(call, client, id, opts.maxRows).catch((err: unknown) => {
    throw naming(err, id, `The query ${id} ran: its whole answer is in its output location.`);
  });
  return { queryExecutionId: id, columns, rows, scannedBytes, capped };
}

/**
 * The start failed (cancelled, or given up) after an attempt that may have started the query unheard of:
 * the start is sent once more with the run's token, on a signal of its own as a cancel's stop is, and the
 * query it answers is stopped. Athena answers a token it has seen with that query; one it has not seen starts
 * the query, which is stopped at once (Athena bills what a cancelled query scanned, next to nothing here),
 * rather than leave one running that Flowscope no longer waits for.
 */
async function stopUnheard(
  client: AthenaClient,
  call: RemoteCall,
  start: (abortSignal: AbortSignal) => Promise<{ QueryExecutionId?: string | undefined }>,
  err: unknown,
): Promise<unknown> {
  const signal = new AbortController().signal;
  let id: string | undefined;
  try {
    id = (await call('StartQueryExecution', start, signal)).QueryExecutionId;
  } catch {
    return naming(
      err,
      undefined,
      "It may have started the query: look for it in the workgroup's recent queries on Athena.",
    );
  }
  if (!id) return err;
  const queryId = id;
  return stopStartedUnheard(
    'Athena',
    queryId,
    (stopSignal) =>
      call(
        'StopQueryExecution',
        (abortSignal) => client.send(new StopQueryExecutionCommand({ QueryExecutionId: queryId }), { abortSignal }),
        stopSignal,
      ),
    err,
  );
}

/** Every page of a finished query's answer, up to `maxRows` rows (the header row left out). */
async function readAnswer(
  call: RemoteCall,
  client: AthenaClient,
  id: string,
  maxRows: number,
): Promise<Omit<AthenaAnswer, 'queryExecutionId' | 'scannedBytes'>> {
  const rows: (string | null)[][] = [];
  let columns: ColumnInfo[] = [];
  let header = true;
  let capped = false;
  const guard = tokenLoopGuard('Athena answered a page token', 'GetQueryResults', ': its answer does not move on');
  for (let token: string | undefined; ;) {
    const page = await call('GetQueryResults', (abortSignal) =>
      client.send(
        new GetQueryResultsCommand({
          QueryExecutionId: id,
          MaxResults: 1000,
          ...(token ? { NextToken: token } : {}),
        }),
        { abortSignal },
      ),
    );
    if (columns.length === 0) columns = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
    for (const row of page.ResultSet?.Rows ?? []) {
      // The first row of the answer is its header.
      if (header) {
        header = false;
        continue;
      }
      // A row past the last one kept: the answer is cut, which the caller is told.
      if (rows.length === maxRows) {
        capped = true;
        break;
      }
      rows.push((row.Data ?? []).map((d) => d.VarCharValue ?? null));
    }
    token = page.NextToken;
    if (!token || capped) break;
    guard(token);
  }
  return {
    columns: columns.map((c, i) => ({
      name: c.Label ?? c.Name ?? `_col${i}`,
      type: c.Type ?? 'varchar',
      precision: c.Precision,
      scale: c.Scale,
    })),
    rows,
    capped,
  };
}

/** A table's partition keys and location, from Athena's catalog. */
export async function athenaTableMetadata(
  client: AthenaClient,
  target: AwsTarget & { database: string; table: string; retry?: RemoteRetry | undefined },
  signal: AbortSignal,
): Promise<{ partitionKeys: string[]; columns: string[]; parameters: Record<string, string> }> {
  const call = remoteCaller(target, `the table ${target.database}.${target.table}`, signal, perSecond);
  const got = await call('GetTableMetadata', (abortSignal) =>
    client.send(
      new GetTableMetadataCommand({
        CatalogName: 'AwsDataCatalog',
        DatabaseName: target.database,
        TableName: target.table,
      }),
      { abortSignal },
    ),
  );
  const meta = got.TableMetadata;
  return {
    partitionKeys: (meta?.PartitionKeys ?? []).map((k) => (k.Name ?? '').toLowerCase()),
    columns: (meta?.Columns ?? []).map((k) => (k.Name ?? '').toLowerCase()),
    parameters: meta?.Parameters ?? {},
  };
}
