/**
 * A CloudWatch Logs test server: real HTTP on 127.0.0.1 speaking the service's JSON 1.1 protocol
 * (`POST /`, `Content-Type: application/x-amz-json-1.1`, `X-Amz-Target: Logs_20140328.<Operation>`),
 * serving FilterLogEvents, GetLogEvents, DescribeLogGroups and DescribeLogStreams from seeded groups.
 *
 * Faults are queued per operation and taken one per request: throttling, 500, access denied, a connection
 * reset in the middle of the body, a slow answer, an empty page that still carries a `nextToken`. Every
 * request is recorded (time, operation, body, status) so tests can check pagination and request rates.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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
  | { kind: 'emptyPage' };

export interface RecordedRequest {
  at: number;
  operation: string;
  body: Record<string, unknown>;
  status: number;
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

export interface CloudWatchLogsTestServer {
  endpoint: string;
  requests: RecordedRequest[];
  addGroup(name: string): void;
  /** Appends events to a stream (created when new); they are sorted by timestamp as the service keeps them. */
  addEvents(group: string, stream: string, events: SeedEvent[]): void;
  /** Faults taken one per request of `operation` (or of any operation with '*'), in order. */
  inject(operation: string, ...faults: Fault[]): void;
  /** Sends ThrottlingException when more than `perSecond` requests of an operation arrive within a second. */
  throttleAbove(operation: string, perSecond: number): void;
  pageSize: number;
  close(): Promise<void>;
}

const OPERATIONS = ['FilterLogEvents', 'GetLogEvents', 'DescribeLogGroups', 'DescribeLogStreams'] as const;

export async function startCloudWatchLogsServer(
  options: { pageSize?: number; accountId?: string; region?: string } = {},
): Promise<CloudWatchLogsTestServer> {
  const account = options.accountId ?? '123456789012';
  const region = options.region ?? 'us-east-1';
  const groups = new Map<string, Group>();
  const faults = new Map<string, Fault[]>();
  const limits = new Map<string, number>();
  const requests: RecordedRequest[] = [];
  let nextEventId = 1n;

  const state: CloudWatchLogsTestServer = {
    endpoint: '',
    requests,
    pageSize: options.pageSize ?? 10_000,
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
    inject(operation, ...list) {
      faults.set(operation, [...(faults.get(operation) ?? []), ...list]);
    },
    throttleAbove(operation, perSecond) {
      limits.set(operation, perSecond);
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

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    arrivals.set(res, Date.now());
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.replace(/^Logs_20140328\./, '');
    let body: Record<string, unknown> = {};
    try {
      body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
    } catch {
      return send(res, operation, body, 400, { __type: 'SerializationException', message: 'Body is not JSON' });
    }
    if (
      req.method !== 'POST' ||
      !target.startsWith('Logs_20140328.') ||
      !(OPERATIONS as readonly string[]).includes(operation)
    ) {
      return send(res, operation, body, 400, {
        __type: 'UnknownOperationException',
        message: `Unknown operation ${target}`,
      });
    }
    if (!String(req.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1')) {
      return send(res, operation, body, 400, {
        __type: 'SerializationException',
        message: 'Content-Type must be application/x-amz-json-1.1',
      });
    }
    if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) {
      return send(res, operation, body, 400, {
        __type: 'MissingAuthenticationTokenException',
        message: 'Request is not signed',
      });
    }
    const limit = limits.get(operation);
    if (limit !== undefined) {
      const now = Date.now();
      const recent = requests.filter((r) => r.operation === operation && now - r.at < 1000).length;
      if (recent >= limit)
        return send(res, operation, body, 400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
    }
    const fault = takeFault(operation);
    if (fault) {
      switch (fault.kind) {
        case 'throttle':
          return send(res, operation, body, 400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
        case 'error500':
          return send(res, operation, body, 500, {
            __type: 'ServiceUnavailableException',
            message: 'The service is unavailable',
          });
        case 'accessDenied':
          return send(res, operation, body, 400, {
            __type: 'AccessDeniedException',
            message: `User: arn:aws:iam::${account}:user/analyst is not authorized to perform: logs:${operation}`,
          });
        case 'notFound':
          return send(res, operation, body, 400, {
            __type: 'ResourceNotFoundException',
            message: 'The specified log group does not exist.',
          });
        case 'reset':
          return resetMidBody(res, operation, body);
        case 'slow':
          await new Promise((r) => setTimeout(r, fault.delayMs));
          if (res.destroyed) return record(res, operation, body, 0);
          break;
        case 'emptyPage':
          return send(res, operation, body, 200, {
            events: [],
            searchedLogStreams: [],
            nextToken: String(body.nextToken ?? token({ offset: 0 })),
          });
      }
    }
    try {
      send(res, operation, body, 200, answer(operation, body));
    } catch (err) {
      const e = err as { type?: string; message: string };
      send(res, operation, body, 400, { __type: e.type ?? 'InvalidParameterException', message: e.message });
    }
  }

  function takeFault(operation: string): Fault | undefined {
    for (const key of [operation, '*']) {
      const list = faults.get(key);
      if (list?.length) return list.shift();
    }
    return undefined;
  }

  /** Requests are recorded at their arrival, so that rates are measured as the service would. */
  const arrivals = new WeakMap<ServerResponse, number>();
  function record(res: ServerResponse, operation: string, body: Record<string, unknown>, status: number): void {
    requests.push({ at: arrivals.get(res) ?? Date.now(), operation, body, status });
  }

  function send(
    res: ServerResponse,
    operation: string,
    body: Record<string, unknown>,
    status: number,
    payload: unknown,
  ): void {
    record(res, operation, body, status);
    const text = JSON.stringify(payload);
    res.writeHead(status, {
      'Content-Type': 'application/x-amz-json-1.1',
      'Content-Length': Buffer.byteLength(text),
      'x-amzn-RequestId': `req-${requests.length}`,
    });
    res.end(text);
  }

  /** Promises a full page, sends a part of it, then drops the connection. */
  function resetMidBody(res: ServerResponse, operation: string, body: Record<string, unknown>): void {
    record(res, operation, body, 200);
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
          throw Object.assign(new Error('logStreamNames and logStreamNamePrefix are exclusive'), {
            type: 'InvalidParameterException',
          });
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
        if (!stream)
          throw Object.assign(new Error('The specified log stream does not exist.'), {
            type: 'ResourceNotFoundException',
          });
        const start = typeof body.startTime === 'number' ? body.startTime : -Infinity;
        const end = typeof body.endTime === 'number' ? body.endTime : Infinity;
        const events = stream.events.filter((e) => e.timestamp >= start && e.timestamp < end);
        const offset = body.nextToken ? (untoken(String(body.nextToken).slice(2)).offset ?? 0) : 0;
        const size = Math.min(Number(body.limit ?? state.pageSize), state.pageSize);
        const items = events.slice(offset, offset + size);
        // The service always answers with a forward token, the same one again once the end is reached.
        const forward = `f/${token({ offset: Math.min(events.length, offset + size) })}`;
        return {
          events: items.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
          nextForwardToken: forward,
          nextBackwardToken: `b/${token({ offset })}`,
        };
      }
    }
    throw new Error(`unhandled ${operation}`);
  }

  function groupOf(body: Record<string, unknown>): Group {
    const name = String(body.logGroupName ?? body.logGroupIdentifier ?? '');
    const group = groups.get(name);
    if (!group)
      throw Object.assign(new Error('The specified log group does not exist.'), { type: 'ResourceNotFoundException' });
    return group;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

function token(value: { offset: number }): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function untoken(text: string): { offset?: number } {
  try {
    return JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { offset?: number };
  } catch {
    throw Object.assign(new Error('The specified nextToken is invalid.'), { type: 'InvalidParameterException' });
  }
}

function paginate<T>(all: T[], body: Record<string, unknown>, pageSize: number): { items: T[]; nextToken?: string } {
  const offset = body.nextToken ? (untoken(String(body.nextToken)).offset ?? 0) : 0;
  const size = Math.min(Number(body.limit ?? pageSize), pageSize);
  const items = all.slice(offset, offset + size);
  return offset + size < all.length ? { items, nextToken: token({ offset: offset + size }) } : { items };
}
