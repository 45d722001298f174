/**
 * The plumbing the AWS JSON 1.1 test servers (Athena, CloudWatch Logs) share: real HTTP on 127.0.0.1 that
 * takes `POST /` with `X-Amz-Target: <service prefix>.<Operation>`, refuses a body that is not JSON, an
 * operation the server does not know and an unsigned request as the service does, records every request
 * (time of arrival, operation, body, status) and queues faults per operation for the server to act on.
 * What an operation answers, and what a fault does, is each server's own.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  at: number;
  operation: string;
  body: Record<string, unknown>;
  /** 0 when the client went away before it was answered. */
  status: number;
}

/** How a service words the protocol's refusals. */
export interface JsonProtocol {
  /** X-Amz-Target's prefix, with its dot: `AmazonAthena.`. */
  targetPrefix: string;
  operations: readonly string[];
  /** The error body's message key: Athena says `Message`, CloudWatch Logs `message`. */
  messageKey: 'Message' | 'message';
  /** The `__type` of each refusal, and of an error thrown without a type of its own. */
  errorTypes: { notJson: string; unknownOperation: string; unsigned: string; invalid: string };
  /** The IAM action prefix (`athena`, `logs`) and the account, for access-denied answers. */
  iamService: string;
  account: string;
  /** Refuse a request whose Content-Type is not JSON 1.1 (CloudWatch Logs checks it). */
  requireJsonContentType?: boolean;
}

/** One request, as a server's handler sees it. */
export interface JsonCall<Fault> {
  operation: string;
  body: Record<string, unknown>;
  /** Takes the next fault queued for this operation (or for '*'), if there is one. */
  takeFault(): Fault | undefined;
  res: ServerResponse;
  send(status: number, payload: unknown): void;
  /** An error answer: `{ __type, message }` in the service's spelling. */
  fail(type: string, message: string, status?: number): void;
  /** Access denied to the test account's analyst, as IAM words it. */
  denyAccess(): void;
  /** Records the request without answering (a connection the handler drops or the client left). */
  record(status: number): void;
}

export interface JsonProtocolServer<Fault> {
  endpoint: string;
  requests: RecordedRequest[];
  /** Faults taken one per request of `operation` (or of any operation with '*'), in order. */
  inject(operation: string, ...faults: Fault[]): void;
  close(): Promise<void>;
}

/** An error a handler throws to answer 400 with this `__type`. */
export function awsError(type: string, message: string): Error & { type: string } {
  return Object.assign(new Error(message), { type });
}

/**
 * Starts the server. `handle` answers a call with its payload (sent with 200), throws (`awsError`) for a
 * 400, or answers `undefined` once it has answered (or dropped) the call itself.
 */
export async function startJsonProtocolServer<Fault>(
  protocol: JsonProtocol,
  handle: (call: JsonCall<Fault>) => Promise<unknown>,
): Promise<JsonProtocolServer<Fault>> {
  const requests: RecordedRequest[] = [];
  const faults = new Map<string, Fault[]>();
  const server: Server = createServer((req, res) => {
    void serve(req, res);
  });

  function takeFault(operation: string): Fault | undefined {
    for (const key of [operation, '*']) {
      const list = faults.get(key);
      if (list?.length) return list.shift();
    }
    return undefined;
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Recorded at arrival, so that request rates are measured as the service would.
    const at = Date.now();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(protocol.targetPrefix) ? target.slice(protocol.targetPrefix.length) : target;
    let body: Record<string, unknown> = {};
    const record = (status: number): void => {
      requests.push({ at, operation, body, status });
    };
    const send = (status: number, payload: unknown): void => {
      record(status);
      const text = JSON.stringify(payload);
      res.writeHead(status, {
        'Content-Type': 'application/x-amz-json-1.1',
        'Content-Length': Buffer.byteLength(text),
        'x-amzn-RequestId': `req-${requests.length}`,
      });
      res.end(text);
    };
    const fail = (type: string, message: string, status = 400): void =>
      send(status, { __type: type, [protocol.messageKey]: message });
    const denyAccess = () =>
      fail(
        'AccessDeniedException',
        `User: arn:aws:iam::${protocol.account}:user/analyst is not authorized to perform: ${protocol.iamService}:${operation}`,
      );
    const { errorTypes } = protocol;
    try {
      body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
    } catch {
      return fail(errorTypes.notJson, 'Body is not JSON');
    }
    if (req.method !== 'POST' || !target.startsWith(protocol.targetPrefix) || !protocol.operations.includes(operation))
      return fail(errorTypes.unknownOperation, `Unknown operation ${target}`);
    if (
      protocol.requireJsonContentType &&
      !String(req.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1')
    )
      return fail(errorTypes.notJson, 'Content-Type must be application/x-amz-json-1.1');
    if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 '))
      return fail(errorTypes.unsigned, 'Request is not signed');
    try {
      const payload = await handle({
        operation,
        body,
        takeFault: () => takeFault(operation),
        res,
        send,
        fail,
        denyAccess,
        record,
      });
      if (payload !== undefined) send(200, payload);
    } catch (err) {
      const e = err as { type?: string; message: string };
      fail(e.type ?? errorTypes.invalid, e.message);
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    inject(operation, ...list) {
      faults.set(operation, [...(faults.get(operation) ?? []), ...list]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A paging token, opaque to the client, that carries the offset of the next page. */
export function pageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

/** The offset a paging token carries; a token this server did not make is refused with `invalid`. */
export function pageOffset(token: string, invalid: Error): number {
  try {
    return (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: number }).offset ?? 0;
  } catch {
    throw invalid;
  }
}
