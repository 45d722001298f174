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
 * 500, access denied, an empty page that still carries a NextToken, a slow answer. Every request is
 * recorded so tests can check polling, paging and cancellation.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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
  | { kind: 'slow'; delayMs: number };

export interface AthenaRequest {
  at: number;
  operation: string;
  body: Record<string, unknown>;
  status: number;
}

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

export interface AthenaTestServer {
  endpoint: string;
  requests: AthenaRequest[];
  /** Queries as the server received them, in order. */
  queries: string[];
  /** GetQueryExecution polls a query stays QUEUED, then RUNNING, before it runs. */
  pollsBeforeRunning: number;
  pollsBeforeDone: number;
  /** Rows per GetQueryResults page at most (the service allows 1000). */
  pageSize: number;
  inject(operation: string, ...faults: AthenaFault[]): void;
  /** Fail the next query with this message, as Athena fails on a query it cannot run. */
  failNext(message: string): void;
  addTable(database: string, table: string, description: TableDescription): void;
  close(): Promise<void>;
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
  const faults = new Map<string, AthenaFault[]>();
  const tables = new Map<string, TableDescription>();
  const requests: AthenaRequest[] = [];
  let failure: string | null = null;
  let counter = 0;

  const state: AthenaTestServer = {
    endpoint: '',
    requests,
    queries: [],
    pollsBeforeRunning: 1,
    pollsBeforeDone: 1,
    pageSize: 1000,
    inject(operation, ...list) {
      faults.set(operation, [...(faults.get(operation) ?? []), ...list]);
    },
    failNext(message) {
      failure = message;
    },
    addTable(database, table, description) {
      tables.set(`${database}.${table}`, description);
    },
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };

  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });

  function send(
    res: ServerResponse,
    operation: string,
    body: Record<string, unknown>,
    status: number,
    payload: unknown,
  ) {
    requests.push({ at: Date.now(), operation, body, status });
    const text = JSON.stringify(payload);
    res.writeHead(status, {
      'Content-Type': 'application/x-amz-json-1.1',
      'Content-Length': Buffer.byteLength(text),
      'x-amzn-RequestId': `req-${requests.length}`,
    });
    res.end(text);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.replace(/^AmazonAthena\./, '');
    let body: Record<string, unknown> = {};
    try {
      body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
    } catch {
      return send(res, operation, body, 400, { __type: 'InvalidRequestException', Message: 'Body is not JSON' });
    }
    if (
      req.method !== 'POST' ||
      !target.startsWith('AmazonAthena.') ||
      !(OPERATIONS as readonly string[]).includes(operation)
    )
      return send(res, operation, body, 400, {
        __type: 'InvalidRequestException',
        Message: `Unknown operation ${target}`,
      });
    if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 '))
      return send(res, operation, body, 400, {
        __type: 'UnrecognizedClientException',
        Message: 'Request is not signed',
      });
    const fault = (faults.get(operation) ?? []).shift();
    if (fault) {
      switch (fault.kind) {
        case 'throttle':
          return send(res, operation, body, 400, {
            __type: 'TooManyRequestsException',
            Message: 'Rate exceeded',
            Reason: 'CONCURRENT_QUERY_LIMIT_EXCEEDED',
          });
        case 'error500':
          return send(res, operation, body, 500, { __type: 'InternalServerException', Message: 'Internal error' });
        case 'accessDenied':
          return send(res, operation, body, 400, {
            __type: 'AccessDeniedException',
            Message: `User: arn:aws:iam::${account}:user/analyst is not authorized to perform: athena:${operation}`,
          });
        case 'emptyPage':
          return send(res, operation, body, 200, {
            ResultSet: { Rows: [], ResultSetMetadata: { ColumnInfo: [] } },
            NextToken: String(body.NextToken ?? token(0)),
          });
        case 'slow':
          await new Promise((r) => setTimeout(r, fault.delayMs));
          if (res.destroyed) return;
          break;
      }
    }
    try {
      send(res, operation, body, 200, await answer(operation, body));
    } catch (err) {
      const e = err as { type?: string; message: string };
      send(res, operation, body, 400, { __type: e.type ?? 'InvalidRequestException', Message: e.message });
    }
  }

  const invalid = (message: string) => Object.assign(new Error(message), { type: 'InvalidRequestException' });

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
        const offset = body.NextToken ? untoken(String(body.NextToken)) : 0;
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
          ...(offset + size < all.length ? { NextToken: token(offset + size) } : {}),
        };
      }
      case 'GetTableMetadata': {
        const key = `${String(body.DatabaseName)}.${String(body.TableName)}`;
        const t = tables.get(key);
        if (!t) throw Object.assign(new Error(`Table ${key} not found`), { type: 'MetadataException' });
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

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

function token(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

function untoken(text: string): number {
  try {
    return (JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { offset: number }).offset;
  } catch {
    throw Object.assign(new Error('The NextToken is invalid.'), { type: 'InvalidRequestException' });
  }
}
