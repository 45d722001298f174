/**
 * An Amazon Athena test server: real HTTP on 127.0.0.1 speaking the service's JSON 1.1 protocol
 * (`POST /`, `X-Amz-Target: AmazonAthena.<Operation>`), for the real `@aws-sdk/client-athena`.
 *
 * StartQueryExecution queues the query; it stays QUEUED then RUNNING for the configured number of
 * GetQueryExecution polls, then runs through `execute` (the tests run it with the Athena dialect on a
 * fixture workspace, so the answer is the one the local engine gives) and is SUCCEEDED or FAILED.
 * GetQueryResults pages the answer as Athena does: strings, the first row of the first page the column
 * names. StopQueryExecution cancels. GetTableMetadata describes the tables it is given.
 *
 * Faults are queued per operation and taken one per request: throttling (TooManyRequestsException), a
 * 500, access denied, an empty page that still carries a NextToken, a slow answer, a 500 after the request
 * was carried out (its answer lost on the way). StartQueryExecution is idempotent on its ClientRequestToken,
 * as the service is: the same token answers the same query. Every request is recorded so tests can check
 * polling, paging and cancellation.
 * The protocol's plumbing (routing, refusals, recording, the fault queue) is aws-json-server.ts.
 */
import { awsError, pageOffset, pageToken, startJsonProtocolServer, type JsonProtocolServer } from './aws-json-server';

export interface ExecutedAnswer {
  columns: { name: string; type: string }[];
  rows: (string | null)[][];
  scannedBytes: number;
}

export type AthenaFault =
  | { kind: 'throttle' }
  | { kind: 'error500' }
  | { kind: 'accessDenied' }
  | { kind: 'emptyPage' }
  | { kind: 'slow'; delayMs: number }
  /** The request is carried out, then answered with a 500, as when the answer is lost on the way. */
  | { kind: 'doneThen500' };

interface Execution {
  id: string;
  query: string;
  database: string | undefined;
  workgroup: string;
  output: string;
  state: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  reason?: string;
  polls: number;
  answer?: ExecutedAnswer;
  submitted: number;
}

export interface TableDescription {
  columns: { name: string; type: string }[];
  partitionKeys: { name: string; type: string }[];
  parameters: Record<string, string>;
}

/**
 * A table of flow logs as AWS's guide creates it for a bucket: text columns, one partition `day` found by
 * partition projection (`yyyy/MM/dd`) under `location` (the S3 folder of the account and Region).
 */
export function dayProjectedTable(columns: readonly string[], location: string): TableDescription {
  return {
    columns: columns.map((name) => ({ name, type: 'string' })),
    partitionKeys: [{ name: 'day', type: 'string' }],
    parameters: {
      'projection.enabled': 'true',
      'projection.day.type': 'date',
      'projection.day.format': 'yyyy/MM/dd',
      'storage.location.template': `${location}/\${day}`,
    },
  };
}

export interface AthenaTestServer extends JsonProtocolServer<AthenaFault> {
  /** Queries as the server received them, in order. */
  queries: string[];
  /** GetQueryExecution polls a query stays QUEUED, then RUNNING, before it runs. */
  pollsBeforeRunning: number;
  pollsBeforeDone: number;
  /** Rows per GetQueryResults page at most (the service allows 1000). */
  pageSize: number;
  /** Fail the next query with this message, as Athena fails on a query it cannot run. */
  failNext(message: string): void;
  /** Answer the next query with these columns (Athena's types) and text rows instead of running it. */
  answerNext(answer: ExecutedAnswer): void;
  addTable(database: string, table: string, description: TableDescription): void;
}

const OPERATIONS = [
  'StartQueryExecution',
  'GetQueryExecution',
  'GetQueryResults',
  'StopQueryExecution',
  'GetTableMetadata',
] as const;

export async function startAthenaServer(
  execute: (query: string, database: string | undefined) => Promise<ExecutedAnswer>,
  options: { account?: string; region?: string } = {},
): Promise<AthenaTestServer> {
  const account = options.account ?? '123456789012';
  const executions = new Map<string, Execution>();
  const tables = new Map<string, TableDescription>();
  /** Each ClientRequestToken's query, for the idempotent start. */
  const started = new Map<string, string>();
  let failure: string | null = null;
  let given: ExecutedAnswer | null = null;
  let counter = 0;

  const server = await startJsonProtocolServer<AthenaFault>(
    {
      targetPrefix: 'AmazonAthena.',
      operations: OPERATIONS,
      iamService: 'athena',
      account,
      messageKey: 'Message',
      errorTypes: {
        notJson: 'InvalidRequestException',
        unknownOperation: 'InvalidRequestException',
        unsigned: 'UnrecognizedClientException',
        invalid: 'InvalidRequestException',
      },
    },
    async ({ operation, body, takeFault, res, send, fail, denyAccess, record }) => {
      const fault = takeFault();
      switch (fault?.kind) {
        case 'throttle':
          return send(400, {
            __type: 'TooManyRequestsException',
            Message: 'Rate exceeded',
            Reason: 'CONCURRENT_QUERY_LIMIT_EXCEEDED',
          });
        case 'error500':
          return fail('InternalServerException', 'Internal error', 500);
        case 'accessDenied':
          return denyAccess();
        case 'emptyPage':
          return send(200, {
            ResultSet: { Rows: [], ResultSetMetadata: { ColumnInfo: [] } },
            NextToken: String(body.NextToken ?? pageToken(0)),
          });
        case 'slow':
          await new Promise((r) => setTimeout(r, fault.delayMs));
          if (res.destroyed) return record(0);
          break;
        case 'doneThen500':
          await answer(operation, body);
          return fail('InternalServerException', 'Internal error', 500);
      }
      return answer(operation, body);
    },
  );
  const state: AthenaTestServer = {
    ...server,
    queries: [],
    pollsBeforeRunning: 1,
    pollsBeforeDone: 1,
    pageSize: 1000,
    failNext(message) {
      failure = message;
    },
    answerNext(answer) {
      given = answer;
    },
    addTable(database, table, description) {
      tables.set(`${database}.${table}`, description);
    },
  };

  const invalid = (message: string) => awsError('InvalidRequestException', message);

  function execution(body: Record<string, unknown>): Execution {
    const e = executions.get(String(body.QueryExecutionId));
    if (!e) throw invalid(`QueryExecution ${String(body.QueryExecutionId)} was not found`);
    return e;
  }

  async function advance(e: Execution): Promise<void> {
    if (e.state !== 'QUEUED' && e.state !== 'RUNNING') return;
    e.polls++;
    if (e.polls <= state.pollsBeforeRunning) return;
    e.state = 'RUNNING';
    if (e.polls <= state.pollsBeforeRunning + state.pollsBeforeDone) return;
    if (failure !== null) {
      e.state = 'FAILED';
      e.reason = failure;
      failure = null;
      return;
    }
    if (given !== null) {
      e.answer = given;
      e.state = 'SUCCEEDED';
      given = null;
      return;
    }
    try {
      e.answer = /^\s*CREATE\s+EXTERNAL\s+TABLE/i.test(e.query)
        ? createTable(e.query)
        : await execute(e.query, e.database);
      e.state = 'SUCCEEDED';
    } catch (err) {
      e.state = 'FAILED';
      e.reason = err instanceof Error ? err.message : String(err);
    }
  }

  /**
   * Athena's DDL, as far as GetTableMetadata needs it: the table's columns, partition keys and properties
   * (a Hive DDL grammar checks the statement first in the tests).
   */
  function createTable(ddl: string): ExecutedAnswer {
    const name = /TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?`?(\w+)`?\.`?(\w+)`?/i.exec(ddl);
    if (!name) throw new Error(`FAILED: line 1:1: the table needs a database-qualified name`);
    const list = (text: string) =>
      text
        .split(',')
        .map((c) => /^\s*`?([\w-]+)`?\s+(\w+)/.exec(c))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => ({ name: m[1]!, type: m[2]! }));
    const columns = list(/\(([\s\S]*?)\)\s*PARTITIONED BY/i.exec(ddl)?.[1] ?? '');
    const partitionKeys = list(/PARTITIONED BY \(([^)]*)\)/i.exec(ddl)?.[1] ?? '');
    const parameters: Record<string, string> = {};
    for (const m of ddl.matchAll(/"([^"]+)"\s*=\s*"([^"]*)"/g)) parameters[m[1]!] = m[2]!;
    const location = /LOCATION\s+'([^']+)'/i.exec(ddl)?.[1];
    if (location) parameters.location = location;
    state.addTable(name[1]!, name[2]!, { columns, partitionKeys, parameters });
    return { columns: [], rows: [], scannedBytes: 0 };
  }

  function describe(e: Execution): unknown {
    return {
      QueryExecution: {
        QueryExecutionId: e.id,
        Query: e.query,
        StatementType: 'DML',
        ResultConfiguration: { OutputLocation: `${e.output.replace(/\/?$/, '/')}${e.id}.csv` },
        QueryExecutionContext: e.database ? { Database: e.database } : {},
        WorkGroup: e.workgroup,
        Status: {
          State: e.state,
          ...(e.reason ? { StateChangeReason: e.reason } : {}),
          ...(e.state === 'FAILED'
            ? { AthenaError: { ErrorCategory: 2, ErrorType: 1006, Retryable: false, ErrorMessage: e.reason } }
            : {}),
          SubmissionDateTime: e.submitted / 1000,
        },
        Statistics: {
          DataScannedInBytes: e.answer?.scannedBytes ?? 0,
          EngineExecutionTimeInMillis: 42,
          TotalExecutionTimeInMillis: 50,
        },
      },
    };
  }

  async function answer(operation: string, body: Record<string, unknown>): Promise<unknown> {
    switch (operation) {
      case 'StartQueryExecution': {
        const query = String(body.QueryString ?? '');
        if (!query) throw invalid('QueryString is required');
        const token = typeof body.ClientRequestToken === 'string' ? body.ClientRequestToken : undefined;
        const again = token === undefined ? undefined : started.get(token);
        if (again) return { QueryExecutionId: again };
        const workgroup = String(body.WorkGroup ?? 'primary');
        const output = (body.ResultConfiguration as { OutputLocation?: string } | undefined)?.OutputLocation;
        if (!output && workgroup === 'primary')
          throw invalid(
            'No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.',
          );
        const id = `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;
        const database = (body.QueryExecutionContext as { Database?: string } | undefined)?.Database;
        executions.set(id, {
          id,
          query,
          database,
          workgroup,
          output: output ?? `s3://aws-athena-query-results-${account}/${workgroup}/`,
          state: 'QUEUED',
          polls: 0,
          submitted: Date.now(),
        });
        state.queries.push(query);
        if (token !== undefined) started.set(token, id);
        return { QueryExecutionId: id };
      }
      case 'GetQueryExecution': {
        const e = execution(body);
        await advance(e);
        return describe(e);
      }
      case 'StopQueryExecution': {
        const e = execution(body);
        if (e.state === 'QUEUED' || e.state === 'RUNNING') {
          e.state = 'CANCELLED';
          e.reason = 'Query cancelled by user';
        }
        return {};
      }
      case 'GetQueryResults': {
        const e = execution(body);
        if (e.state !== 'SUCCEEDED') throw invalid(`Query has not yet finished. Current state: ${e.state}`);
        const answer = e.answer!;
        // The header row counts as a row of the first page, as in the service.
        const all = [answer.columns.map((c) => c.name), ...answer.rows];
        const offset = body.NextToken ? pageOffset(String(body.NextToken), invalid('The NextToken is invalid.')) : 0;
        const size = Math.min(Number(body.MaxResults ?? 1000), state.pageSize, 1000);
        const rows = all.slice(offset, offset + size);
        return {
          UpdateCount: 0,
          ResultSet: {
            Rows: rows.map((r) => ({ Data: r.map((v) => (v === null ? {} : { VarCharValue: v })) })),
            ResultSetMetadata: {
              ColumnInfo: answer.columns.map((c) => ({
                CatalogName: 'hive',
                SchemaName: '',
                TableName: '',
                Name: c.name,
                Label: c.name,
                Type: c.type,
                Precision: 0,
                Scale: 0,
                Nullable: 'UNKNOWN',
                CaseSensitive: c.type === 'varchar',
              })),
            },
          },
          ...(offset + size < all.length ? { NextToken: pageToken(offset + size) } : {}),
        };
      }
      case 'GetTableMetadata': {
        const key = `${String(body.DatabaseName)}.${String(body.TableName)}`;
        const t = tables.get(key);
        if (!t) throw awsError('MetadataException', `Table ${key} not found`);
        return {
          TableMetadata: {
            Name: String(body.TableName),
            TableType: 'EXTERNAL_TABLE',
            Columns: t.columns.map((c) => ({ Name: c.name, Type: c.type })),
            PartitionKeys: t.partitionKeys.map((c) => ({ Name: c.name, Type: c.type })),
            Parameters: t.parameters,
          },
        };
      }
    }
    throw invalid(`unhandled ${operation}`);
  }

  return state;
}
