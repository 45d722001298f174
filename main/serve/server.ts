/**
 * `flowscope serve`: the engine over HTTP + WebSocket for a browser, on 127.0.0.1 only. The page and
 * its assets come from the built renderer; contract calls and engine events travel over one WebSocket
 * at `/ws`. Every request needs the session cookie (or, once, the printed token), a `Host` naming this
 * server and, where a browser sends one, our own `Origin`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { MAX_MESSAGE_BYTES } from '../../preload/contract';
import { serveEndpoint, type HostedEngine } from '../engine/host/endpoint';
import { websocketEndpoint } from '../engine/host/websocket-endpoint';
import { contentSecurityPolicy } from './csp';
import { OriginGuard } from './origin-guard';
import { SessionGate, sessionCookie } from './session';
import { readStatic } from './static-files';
import { receiveUpload, UPLOAD_PATH, type UploadTarget } from './upload';
import { serveDownload, type DownloadSource } from './download';

export const SOCKET_PATH = '/ws';

export interface ServeOptions {
  engine: HostedEngine;
  rendererDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Where `POST /upload` puts files; without it uploads are refused. */
  uploads?: UploadTarget;
  /** Finished exports, fetched once each at `GET /export/<id>`. */
  downloads?: DownloadSource;
}

export interface RunningServer {
  /** The URL to open once, with the one-time token. */
  url: string;
  origin: string;
  port: number;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': contentSecurityPolicy("'self'"),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const gate = new SessionGate();
  const token = gate.pendingToken!;
  let guard: OriginGuard | null = null;
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  sockets.on('connection', (socket) => serveEndpoint(options.engine, websocketEndpoint(socket)));
  // A failed handshake answers the client itself; nothing of it may reach the process as an uncaught error.
  sockets.on('wsClientError', (_err, socket) => socket.destroy());
  sockets.on('error', () => undefined);

  const http = createServer((req, res) => {
    void handleRequest(req, res, guard!, gate, options).catch(() => refuse(res, 500, 'Internal error.'));
  });
  // A client that resets or sends a request Node cannot parse ends its own connection, never the server.
  http.on('clientError', (_err, socket: Duplex) => socket.destroy());
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const allowed =
      url.pathname === SOCKET_PATH &&
      guard!.hostAllowed(req.headers.host) &&
      guard!.originAllowed(req.headers.origin, true) &&
      gate.admits(req.headers.cookie);
    if (!allowed) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws, req));
  });

  await new Promise<void>((resolveListen, rejectListen) => {
    http.once('error', rejectListen);
    http.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  const port = (http.address() as AddressInfo).port;
  guard = new OriginGuard(port);
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    close: () =>
      new Promise<void>((resolveClose) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        http.closeAllConnections();
        http.close(() => resolveClose());
      }),
  };
}

async function handleRequest(
  req: IncomingMessage,
  res: ServerResponse,
  guard: OriginGuard,
  gate: SessionGate,
  options: ServeOptions,
) {
  if (!guard.hostAllowed(req.headers.host)) return refuse(res, 403, 'Unknown host.');
  if (!guard.originAllowed(req.headers.origin, false)) return refuse(res, 403, 'Cross-origin requests are refused.');
  if (req.method === 'POST' && req.url === UPLOAD_PATH) return upload(req, res, guard, gate, options.uploads);
  if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Only GET is served.');

  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const token = url.searchParams.get('token');
  if (token !== null) {
    const session = gate.exchange(token);
    if (!session)
      return refuse(res, 403, 'This link is not valid or was already used. Restart flowscope serve for a new one.');
    url.searchParams.delete('token');
    res.writeHead(303, {
      ...SECURITY_HEADERS,
      'Set-Cookie': sessionCookie(session),
      Location: `${url.pathname}${url.search}`,
    });
    return res.end();
  }
  if (!gate.admits(req.headers.cookie)) return refuse(res, 401, 'Open the link that flowscope serve printed.');
  if (options.downloads && (await serveDownload(url.pathname, req, res, options.downloads, SECURITY_HEADERS))) return;

  const file = await readStatic(options.rendererDir, url.pathname === '/' ? '/index.html' : url.pathname);
  if (!file) return refuse(res, 404, 'Not found.');
  res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': file.contentType, 'Content-Length': file.body.length });
  res.end(req.method === 'HEAD' ? undefined : file.body);
}

/** Uploads change the workspace's disk, so they need our own `Origin` (a browser always sends it on a POST). */
async function upload(
  req: IncomingMessage,
  res: ServerResponse,
  guard: OriginGuard,
  gate: SessionGate,
  target: UploadTarget | undefined,
) {
  if (!guard.originAllowed(req.headers.origin, true) || !gate.admits(req.headers.cookie))
    return refuse(res, 403, 'Uploads need the session of this page.');
  if (!target) return refuse(res, 404, 'This server takes no uploads.');
  try {
    const received = await receiveUpload(req, target);
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'application/json' });
    res.end(JSON.stringify(received));
  } catch (err) {
    refuse(res, 400, err instanceof Error ? err.message : 'The upload failed.');
  }
}

function refuse(res: ServerResponse, status: number, message: string) {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(message);
}
