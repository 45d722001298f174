/**
 * A CloudWatch Logs test server: real HTTP on 127.0.0.1 speaking the service's JSON 1.1 protocol
 * (`POST /`, `Content-Type: application/x-amz-json-1.1`, `X-Amz-Target: Logs_20140328.<Operation>`),
 * serving FilterLogEvents, GetLogEvents, DescribeLogGroups and DescribeLogStreams from seeded groups, and
 * Logs Insights queries (StartQuery, GetQueryResults, StopQuery, DescribeQueries): a query is Running for the configured
 * number of polls, answering the first rows found so far, then runs through `insights` (the tests run it
 * with the local Insights dialect on the same records) and is Complete, with at most `limit` rows (the
 * service's default 1,000, its maximum 10,000) as lists of `{field, value}` without the empty fields.
 *
 * Faults are queued per operation and taken one per request: throttling, 500, access denied, a connection
 * reset in the middle of the body, a slow answer, an empty page that still carries a `nextToken`. Every
 * request is recorded (time, operation, body, status) so tests can check pagination and request rates.
 * The protocol's plumbing (routing, refusals, recording, the fault queue) is aws-json-server.ts.
 */
import {
  awsError,
  pageOffset,
  pageToken,
  startJsonProtocolServer,
  type JsonCall,
  type JsonProtocolServer,
} from './aws-json-server';

export interface SeedEvent {
  timestamp: number;
  message: string;
  /** When the service received it; defaults to the timestamp. Late delivery is simulated by seeding later. */
  ingestionTime?: number;
}

export type Fault =
  | { kind: 'throttle' }
  | { kind: 'error500' }
  | { kind: 'accessDenied' }
  | { kind: 'notFound' }
  | { kind: 'reset' }
  | { kind: 'slow'; delayMs: number }
  /** The request is carried out and its answer lost (the connection drops): StartQuery starts a query unheard of. */
  | { kind: 'lostAnswer' }
  | { kind: 'emptyPage' }
  /** StartQuery: the service cannot parse the query; `location` its character offsets in the query. */
  | { kind: 'malformed'; message: string; location?: { startCharOffset: number; endCharOffset: number } }
  /** GetQueryResults: the query ends Failed. */
  | { kind: 'queryFailed' }
  /** GetQueryResults: the query ends Timeout (the service's 60-minute limit), answering the rows found so far. */
  | { kind: 'queryTimedOut' }
  /** GetQueryResults: this status, without rows (the service answers Unknown when it has lost track). */
  | { kind: 'status'; status: string };

/** An Insights answer: rows of fields in the query's order, null for a field without a value. */
export interface InsightsAnswer {
  rows: [field: string, value: string | null][][];
  bytesScanned: number;
}

/** Runs a query over the events from `fromMs` up to, not including, `toMs`. */
export type InsightsExecutor = (
  query: string,
  logGroups: string[],
  fromMs: number,
  toMs: number,
) => Promise<InsightsAnswer>;

interface InsightsQuery {
  id: string;
  query: string;
  logGroups: string[];
  createTime: number;
  status: 'Running' | 'Complete' | 'Failed' | 'Cancelled' | 'Timeout';
  polls: number;
  limit: number;
  answer: Promise<InsightsAnswer>;
}

interface Stream {
  name: string;
  creationTime: number;
  events: Array<Required<SeedEvent> & { eventId: string }>;
}

interface Group {
  name: string;
  creationTime: number;
  streams: Map<string, Stream>;
}

export interface CloudWatchLogsTestServer extends JsonProtocolServer<Fault> {
  addGroup(name: string): void;
  /** Appends events to a stream (created when new); they are sorted by timestamp as the service keeps them. */
  addEvents(group: string, stream: string, events: SeedEvent[]): void;
  /** Sends ThrottlingException when more than `perSecond` requests of an operation arrive within a second. */
  throttleAbove(operation: string, perSecond: number): void;
  pageSize: number;
  /** Runs a Logs Insights query; queries are refused without one. */
  insights?: InsightsExecutor;
  /** GetQueryResults polls a query stays Running (with partial rows) before it is Complete. */
  insightsPolls: number;
  /** Insights queries as received, in order. */
  insightsQueries: string[];
  /**
   * Lists `count` finished queries of others on `group` in DescribeQueries (ids `h-…`), run before now;
   * answers the function that takes them out again.
   */
  addQueryHistory(group: string, count: number): () => void;
}

const OPERATIONS = [
  'FilterLogEvents',
  'GetLogEvents',
  'DescribeLogGroups',
  'DescribeLogStreams',
  'StartQuery',
  'GetQueryResults',
  'StopQuery',
  'DescribeQueries',
] as const;

export async function startCloudWatchLogsServer(
  options: { pageSize?: number; accountId?: string; region?: string } = {},
): Promise<CloudWatchLogsTestServer> {
  const account = options.accountId ?? '123456789012';
  const region = options.region ?? 'us-east-1';
  const groups = new Map<string, Group>();
  const limits = new Map<string, number>();
  let nextEventId = 1n;
  const queries = new Map<string, InsightsQuery>();

  const server = await startJsonProtocolServer<Fault>(
    {
      targetPrefix: 'Logs_20140328.',
      operations: OPERATIONS,
      iamService: 'logs',
      account,
      messageKey: 'message',
      errorTypes: {
        notJson: 'SerializationException',
        unknownOperation: 'UnknownOperationException',
        unsigned: 'MissingAuthenticationTokenException',
        invalid: 'InvalidParameterException',
      },
      requireJsonContentType: true,
    },
    handle,
  );
  const { requests } = server;

  const state: CloudWatchLogsTestServer = {
    ...server,
    pageSize: options.pageSize ?? 10_000,
    insightsPolls: 1,
    insightsQueries: [],
    addQueryHistory(group, count) {
      const done: Promise<InsightsAnswer> = Promise.resolve({ rows: [], bytesScanned: 0 });
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const id = `h-${queries.size + 1}`;
        ids.push(id);
        queries.set(id, {
          id,
          query: 'stats count(*) by action',
          logGroups: [group],
          createTime: Date.now(),
          status: 'Complete',
          polls: 0,
          limit: 1000,
          answer: done,
        });
      }
      return () => ids.forEach((id) => queries.delete(id));
    },
    addGroup(name) {
      if (!groups.has(name)) groups.set(name, { name, creationTime: Date.UTC(2026, 0, 1), streams: new Map() });
    },
    addEvents(groupName, streamName, events) {
      state.addGroup(groupName);
      const group = groups.get(groupName)!;
      let stream = group.streams.get(streamName);
      if (!stream)
        group.streams.set(streamName, (stream = { name: streamName, creationTime: Date.UTC(2026, 0, 1), events: [] }));
      for (const e of events) {
        // Event ids are long digit strings in the service; these are unique and as long.
        const eventId = (nextEventId++).toString().padStart(56, '0');
        stream.events.push({
          timestamp: e.timestamp,
          message: e.message,
          ingestionTime: e.ingestionTime ?? e.timestamp,
          eventId,
        });
      }
      stream.events.sort((a, b) => a.timestamp - b.timestamp);
    },
    throttleAbove(operation, perSecond) {
      limits.set(operation, perSecond);
    },
  };

  async function handle(call: JsonCall<Fault>): Promise<unknown> {
    const { operation, body, res, send, fail, record } = call;
    const limit = limits.get(operation);
    if (limit !== undefined) {
      const now = Date.now();
      const recent = requests.filter((r) => r.operation === operation && now - r.at < 1000).length;
      if (recent >= limit) return fail('ThrottlingException', 'Rate exceeded');
    }
    const fault = call.takeFault();
    switch (fault?.kind) {
      case 'throttle':
        return fail('ThrottlingException', 'Rate exceeded');
      case 'error500':
        return fail('ServiceUnavailableException', 'The service is unavailable', 500);
      case 'accessDenied':
        return call.denyAccess();
      case 'notFound':
        return fail('ResourceNotFoundException', 'The specified log group does not exist.');
      case 'reset':
        return resetMidBody(call);
      case 'slow':
        await new Promise((r) => setTimeout(r, fault.delayMs));
        if (res.destroyed) return record(0);
        break;
      case 'lostAnswer':
        await insightsAnswer(operation, body);
        record(0);
        res.socket?.destroy();
        return;
      case 'malformed':
        return send(400, {
          __type: 'MalformedQueryException',
          message: fault.message,
          ...(fault.location ? { queryCompileError: { location: fault.location, message: fault.message } } : {}),
        });
      case 'queryFailed':
      case 'queryTimedOut': {
        const q = queries.get(String(body.queryId));
        if (q) q.status = fault.kind === 'queryFailed' ? 'Failed' : 'Timeout';
        break;
      }
      case 'status':
        return send(200, { status: fault.status, results: [], statistics: {} });
      case 'emptyPage':
        if (operation === 'GetQueryResults') return send(200, { status: 'Running', results: [], statistics: {} });
        return send(200, {
          events: [],
          searchedLogStreams: [],
          nextToken: String(body.nextToken ?? pageToken(0)),
        });
    }
    const insights = ['StartQuery', 'GetQueryResults', 'StopQuery', 'DescribeQueries'].includes(operation);
    return insights ? await insightsAnswer(operation, body) : answer(operation, body);
  }

  /** Promises a full page, sends a part of it, then drops the connection. */
  function resetMidBody({ operation, body, res, record }: JsonCall<Fault>): void {
    record(200);
    const text = JSON.stringify(answer(operation, body));
    res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1', 'Content-Length': Buffer.byteLength(text) });
    res.write(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
    setTimeout(() => res.socket?.destroy(), 20);
  }

  function answer(operation: string, body: Record<string, unknown>): unknown {
    switch (operation) {
      case 'DescribeLogGroups': {
        const prefix = String(body.logGroupNamePrefix ?? '');
        const all = [...groups.values()]
          .filter((g) => g.name.startsWith(prefix))
          .sort((a, b) => a.name.localeCompare(b.name));
        const { items, nextToken } = paginate(all, body, 50);
        return {
          logGroups: items.map((g) => ({
            logGroupName: g.name,
            creationTime: g.creationTime,
            arn: `arn:aws:logs:${region}:${account}:log-group:${g.name}:*`,
            storedBytes: [...g.streams.values()].reduce(
              (n, s) => n + s.events.reduce((m, e) => m + e.message.length, 0),
              0,
            ),
          })),
          ...(nextToken ? { nextToken } : {}),
        };
      }
      case 'DescribeLogStreams': {
        const group = groupOf(body);
        const prefix = String(body.logStreamNamePrefix ?? '');
        const all = [...group.streams.values()]
          .filter((s) => s.name.startsWith(prefix))
          .sort((a, b) => a.name.localeCompare(b.name));
        const { items, nextToken } = paginate(all, body, 50);
        return {
          logStreams: items.map((s) => ({
            logStreamName: s.name,
            creationTime: s.creationTime,
            arn: `arn:aws:logs:${region}:${account}:log-group:${group.name}:log-stream:${s.name}`,
            ...(s.events.length
              ? {
                  firstEventTimestamp: s.events[0]!.timestamp,
                  lastEventTimestamp: s.events.at(-1)!.timestamp,
                  lastIngestionTime: Math.max(...s.events.map((e) => e.ingestionTime)),
                }
              : {}),
            storedBytes: 0,
          })),
          ...(nextToken ? { nextToken } : {}),
        };
      }
      case 'FilterLogEvents': {
        const group = groupOf(body);
        const names = body.logStreamNames as string[] | undefined;
        const prefix = body.logStreamNamePrefix as string | undefined;
        if (names && prefix)
          throw awsError('InvalidParameterException', 'logStreamNames and logStreamNamePrefix are exclusive');
        const streams = [...group.streams.values()].filter((s) =>
          names ? names.includes(s.name) : prefix ? s.name.startsWith(prefix) : true,
        );
        const start = typeof body.startTime === 'number' ? body.startTime : -Infinity;
        const end = typeof body.endTime === 'number' ? body.endTime : Infinity;
        const events = streams
          .flatMap((s) =>
            s.events
              .filter((e) => e.timestamp >= start && e.timestamp <= end)
              .map((e) => ({ ...e, logStreamName: s.name })),
          )
          .sort((a, b) => a.timestamp - b.timestamp || a.eventId.localeCompare(b.eventId));
        const { items, nextToken } = paginate(events, body, state.pageSize);
        return {
          events: items.map((e) => ({
            logStreamName: e.logStreamName,
            timestamp: e.timestamp,
            message: e.message,
            ingestionTime: e.ingestionTime,
            eventId: e.eventId,
          })),
          searchedLogStreams: streams.map((s) => ({ logStreamName: s.name, searchedCompletely: true })),
          ...(nextToken ? { nextToken } : {}),
        };
      }
      case 'GetLogEvents': {
        const group = groupOf(body);
        const stream = group.streams.get(String(body.logStreamName));
        if (!stream) throw awsError('ResourceNotFoundException', 'The specified log stream does not exist.');
        const start = typeof body.startTime === 'number' ? body.startTime : -Infinity;
        const end = typeof body.endTime === 'number' ? body.endTime : Infinity;
        const events = stream.events.filter((e) => e.timestamp >= start && e.timestamp < end);
        const offset = body.nextToken ? pageOffset(String(body.nextToken).slice(2), invalidToken()) : 0;
        const size = Math.min(Number(body.limit ?? state.pageSize), state.pageSize);
        const items = events.slice(offset, offset + size);
        // The service always answers with a forward token, the same one again once the end is reached.
        const forward = `f/${pageToken(Math.min(events.length, offset + size))}`;
        return {
          events: items.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
          nextForwardToken: forward,
          nextBackwardToken: `b/${pageToken(offset)}`,
        };
      }
    }
    throw new Error(`unhandled ${operation}`);
  }

  async function insightsAnswer(operation: string, body: Record<string, unknown>): Promise<unknown> {
    const invalid = (message: string, type = 'InvalidParameterException') => awsError(type, message);
    if (operation === 'StartQuery') {
      const names = (body.logGroupNames as string[] | undefined) ?? [];
      for (const n of names)
        if (!groups.has(n)) throw invalid(`Log group '${n}' does not exist`, 'ResourceNotFoundException');
      const [start, end, limit] = [body.startTime, body.endTime, body.limit ?? 1000];
      if (typeof start !== 'number' || typeof end !== 'number' || start > end)
        throw invalid('startTime and endTime are required, in seconds, startTime before endTime');
      if (typeof limit !== 'number' || limit < 1 || limit > 10_000) throw invalid('limit must be between 1 and 10000');
      if (!state.insights) throw invalid('This test server runs no Insights queries');
      const query = String(body.queryString ?? '');
      state.insightsQueries.push(query);
      const id = `q-${state.insightsQueries.length}`;
      // The service's range includes endTime ("The range is inclusive"): every event of its second.
      const answer = state.insights(query, names, start * 1000, (end + 1) * 1000);
      answer.catch(() => undefined);
      queries.set(id, {
        id,
        query,
        logGroups: names,
        createTime: Date.now(),
        status: 'Running',
        polls: 0,
        limit,
        answer,
      });
      return { queryId: id };
    }
    if (operation === 'DescribeQueries') {
      const group = body.logGroupName as string | undefined;
      const max = body.maxResults ?? 1000;
      if (typeof max !== 'number' || max < 1 || max > 1000) throw invalid('maxResults must be between 1 and 1000');
      // The service documents no order: these are listed in the order they started, a page at a time.
      const listed = [...queries.values()].filter((q) => !group || q.logGroups.includes(group));
      const { items, nextToken } = paginate(listed, { ...body, limit: max }, 1000);
      return {
        queries: items.map((q) => ({
          queryId: q.id,
          queryString: q.query,
          status: q.status,
          createTime: q.createTime,
          logGroupName: q.logGroups[0],
        })),
        ...(nextToken ? { nextToken } : {}),
      };
    }
    const q = queries.get(String(body.queryId));
    if (!q) throw invalid('Query does not exist', 'ResourceNotFoundException');
    if (operation === 'StopQuery') {
      if (q.status !== 'Running') throw invalid(`Query ${q.id} is not running`);
      q.status = 'Cancelled';
      return { success: true };
    }
    let answer: InsightsAnswer;
    try {
      answer = await q.answer;
    } catch (err) {
      q.status = 'Failed';
      throw invalid((err as Error).message, 'MalformedQueryException');
    }
    if (q.status === 'Running' && ++q.polls > state.insightsPolls) q.status = 'Complete';
    const rows = answer.rows.slice(0, q.limit);
    // Running, and ended at the time limit, it answers the rows found so far: half of them here.
    const sofar = q.status === 'Running' || q.status === 'Timeout';
    const shown = q.status === 'Complete' ? rows : sofar ? rows.slice(0, rows.length >> 1) : [];
    // An answer of log events (no stats) carries each event's pointer.
    const events = !/\bstats\b/.test(q.query);
    return {
      status: q.status,
      results: shown.map((row, i) => [
        ...row.flatMap(([field, value]) => (value === null ? [] : [{ field, value }])),
        ...(events ? [{ field: '@ptr', value: `ptr-${q.id}-${i}` }] : []),
      ]),
      statistics: {
        // What matched, before the limit cut the rows answered.
        recordsMatched: answer.rows.length,
        recordsScanned: answer.rows.length,
        bytesScanned: q.status === 'Complete' ? answer.bytesScanned : answer.bytesScanned / 2,
      },
    };
  }

  function groupOf(body: Record<string, unknown>): Group {
    const name = String(body.logGroupName ?? body.logGroupIdentifier ?? '');
    const group = groups.get(name);
    if (!group) throw awsError('ResourceNotFoundException', 'The specified log group does not exist.');
    return group;
  }

  return state;
}

function invalidToken(): Error {
  return awsError('InvalidParameterException', 'The specified nextToken is invalid.');
}

function paginate<T>(all: T[], body: Record<string, unknown>, pageSize: number): { items: T[]; nextToken?: string } {
  const offset = body.nextToken ? pageOffset(String(body.nextToken), invalidToken()) : 0;
  const size = Math.min(Number(body.limit ?? pageSize), pageSize);
  const items = all.slice(offset, offset + size);
  return offset + size < all.length ? { items, nextToken: pageToken(offset + size) } : { items };
}
