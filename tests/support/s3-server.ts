/**
 * A real S3-compatible server for pull tests: `s3rver` on 127.0.0.1, a free port, a temp directory, one
 * bucket, path-style addressing. Objects go in through the real SDK client, so their ETags and listings
 * are what the server itself computes. s3rver knows one key pair, S3RVER/S3RVER, which the tests pass as
 * ordinary environment credentials.
 *
 * Pulls talk to it through a small pass-through proxy (`endpoint`) that records every request and can
 * inject faults into object downloads: a body cut off in the middle (connection reset), a 500, a 503 SlowDown.
 */
import { Agent, createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
// @ts-expect-error s3rver ships no type declarations
import S3rver from 's3rver';

export const S3RVER_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  AWS_REGION: 'us-east-1',
} as const;

export type S3Fault = 'cut' | 'error500' | 'slowDown';

export interface S3TestServer {
  /** The proxy in front of s3rver, for pulls. */
  endpoint: string;
  /** Requests that went through the proxy: method, path with query, answered status. */
  requests: Array<{ method: string; path: string; status: number }>;
  /** Faults for the next object downloads (GET of a key), one per request, in order. */
  inject(...faults: S3Fault[]): void;
  /** The most object downloads that were in flight at once (reset `peak` when you like); `delayMs` holds each one back. */
  downloads: { inFlight: number; peak: number; delayMs: number };
  bucket: string;
  client: S3Client;
  put(key: string, body: Buffer | string): Promise<string>;
  remove(key: string): Promise<void>;
  close(): Promise<void>;
}

interface S3rverInstance {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}

export async function startS3Server(bucket = 'flow-logs'): Promise<S3TestServer> {
  const directory = mkdtempSync(join(tmpdir(), 'flowscope-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  }) as S3rverInstance;
  const { port } = await server.run();
  const direct = `http://127.0.0.1:${port}`;
  const proxy = await startProxy(port);
  const client = new S3Client({
    endpoint: direct,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    endpoint: proxy.endpoint,
    requests: proxy.requests,
    inject: (...faults) => proxy.faults.push(...faults),
    downloads: proxy.downloads,
    bucket,
    client,
    async put(key, body) {
      const out = await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      return out.ETag ?? '';
    },
    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    async close() {
      client.destroy();
      await proxy.close();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

async function startProxy(upstreamPort: number) {
  const requests: S3TestServer['requests'] = [];
  const faults: S3Fault[] = [];
  const downloads = { inFlight: 0, peak: 0, delayMs: 0 };
  // Its own agent, so that closing the proxy can end every connection it opened to s3rver. A download the
  // client gave up on (a cancelled pull, a killed CLI) otherwise left a half-read response open between the
  // proxy and s3rver, both in the test's process, and the file never exited.
  const agent = new Agent({ keepAlive: false });
  const isObjectGet = (req: IncomingMessage) =>
    req.method === 'GET' && /^\/[^/]+\/.+/.test((req.url ?? '').split('?')[0]!);
  const xmlError = (res: ServerResponse, status: number, code: string, message: string) => {
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
    res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };
  const server = createServer((req, res) => {
    if (isObjectGet(req)) {
      downloads.peak = Math.max(downloads.peak, ++downloads.inFlight);
      res.on('close', () => downloads.inFlight--);
    }
    const fault = isObjectGet(req) ? faults.shift() : undefined;
    const entry = { method: req.method ?? '', path: req.url ?? '', status: 0 };
    requests.push(entry);
    if (fault === 'error500')
      return (
        (entry.status = 500),
        xmlError(res, 500, 'InternalError', 'We encountered an internal error. Please try again.')
      );
    if (fault === 'slowDown')
      return ((entry.status = 503), xmlError(res, 503, 'SlowDown', 'Please reduce your request rate.'));
    // The Host header is passed on unchanged: the request was signed for it.
    const forward = () => {
      if (res.destroyed) return;
      const upstream = httpRequest(
        { agent, host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers },
        (up) => {
          entry.status = up.statusCode ?? 0;
          res.writeHead(up.statusCode ?? 502, up.headers);
          if (fault !== 'cut') return void up.pipe(res);
          const chunks: Buffer[] = [];
          up.on('data', (c: Buffer) => chunks.push(c));
          up.on('end', () => {
            const body = Buffer.concat(chunks);
            res.write(body.subarray(0, Math.floor(body.length / 2)));
            setTimeout(() => res.socket?.destroy(), 20);
          });
        },
      );
      upstream.on('error', () => res.destroy());
      res.on('close', () => upstream.destroy());
      req.pipe(upstream);
    };
    if (isObjectGet(req) && downloads.delayMs > 0) setTimeout(forward, downloads.delayMs);
    else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    faults,
    downloads,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}
