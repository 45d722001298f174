/**
 * `flowscope serve`: the engine over HTTP + WebSocket for a browser, on 127.0.0.1 only. The page and
 * its assets come from the built renderer; contract calls and engine events travel over one WebSocket
 * at `/ws`. Every request needs the session cookie (or, once, the printed token), a `Host` naming this
 * server and, where a browser sends one, our own `Origin`. Beside the socket, three HTTP routes: uploads,
 * downloads of exports, and the workspace folder (`workspace-folder.ts`: list, create, switch).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import {
  MAX_MESSAGE_BYTES,
  UPLOAD_PATH,
  WORKSPACES_PATH,
  type EventMessage,
  type WireError,
} from '../../preload/contract';
import { FlowscopeError, toWireError } from '../engine/errors';
import { serveEndpoint } from '../engine/host/endpoint';
import { websocketEndpoint } from '../engine/host/websocket-endpoint';
import { contentSecurityPolicy } from './csp';
import { OriginGuard } from './origin-guard';
import { SessionGate } from './session';
import { readStatic } from './static-files';
import { receiveUpload, type UploadTarget } from './upload';
import { serveDownload } from './download';
import { WorkspaceFolder, type ServedWorkspace } from './workspace-folder';

const SOCKET_PATH = '/ws';

export interface ServeOptions {
  /** One workspace, or a folder's: then the page may switch it, and every request takes the current one. */
  workspace: ServedWorkspace | WorkspaceFolder;
  rendererDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
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

/** What the requests are served from: the built renderer and the workspace served at the time. */
interface Served {
  rendererDir: string;
  current(): ServedWorkspace;
  folder: WorkspaceFolder | null;
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  // Both know the port, so they are made once the server listens, before any request can arrive.
  let gate: SessionGate | null = null;
  let guard: OriginGuard | null = null;
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const folder = options.workspace instanceof WorkspaceFolder ? options.workspace : null;
  const served: Served = {
    rendererDir: options.rendererDir,
    current: () => folder?.current() ?? (options.workspace as ServedWorkspace),
    folder,
  };
  sockets.on('connection', (socket) => serveEndpoint(served.current().engine, websocketEndpoint(socket)));
  // After a switch every page hears it, then loses its connection to the engine it had: what it shows
  // belongs to the workspace it left, and its calls must not reach the engine that is closing.
  const stopFollowing = folder?.onSwitch((name) => {
    const switched: EventMessage = { event: 'workspace.switched', payload: { name } };
    for (const client of sockets.clients) {
      client.send(JSON.stringify(switched));
      client.close(1012, 'The workspace was switched.');
    }
  });
  // A failed handshake answers the client itself; nothing of it may reach the process as an uncaught error.
  sockets.on('wsClientError', (_err, socket) => socket.destroy());
  sockets.on('error', () => undefined);

  const http = createServer((req, res) => {
    void handleRequest(req, res, guard!, gate!, served).catch(() => refuse(res, 500, 'Internal error.'));
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
      gate!.admits(req.headers.cookie);
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
  gate = new SessionGate(port);
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${gate.pendingToken!}`,
    origin,
    port,
    close: () =>
      new Promise<void>((resolveClose) => {
        stopFollowing?.();
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
  served: Served,
) {
  if (!guard.hostAllowed(req.headers.host)) return refuse(res, 403, 'Unknown host.');
  if (!guard.originAllowed(req.headers.origin, false)) return refuse(res, 403, 'Cross-origin requests are refused.');
  if (req.method === 'POST' && req.url === UPLOAD_PATH) return upload(req, res, guard, gate, served.current().uploads);
  if (req.url === WORKSPACES_PATH) return workspaces(req, res, guard, gate, served.folder);
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
      'Set-Cookie': gate.cookie(session),
      Location: `${url.pathname}${url.search}`,
    });
    return res.end();
  }
  if (!gate.admits(req.headers.cookie)) return refuse(res, 401, 'Open the link that flowscope serve printed.');
  const { downloads } = served.current();
  if (downloads && (await serveDownload(url.pathname, req, res, downloads, SECURITY_HEADERS))) return;

  const file = await readStatic(served.rendererDir, url.pathname === '/' ? '/index.html' : url.pathname);
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

/** Largest body `POST /workspaces` reads: a name and a flag. */
const MAX_SWITCH_BYTES = 4096;

/**
 * `GET /workspaces` lists the folder; `POST /workspaces` switches (creating first when asked). A switch
 * changes which file the server holds, so like an upload it needs our own `Origin` besides the cookie.
 */
async function workspaces(
  req: IncomingMessage,
  res: ServerResponse,
  guard: OriginGuard,
  gate: SessionGate,
  folder: WorkspaceFolder | null,
) {
  const post = req.method === 'POST';
  if (!gate.admits(req.headers.cookie) || (post && !guard.originAllowed(req.headers.origin, true)))
    return refuse(res, 403, 'Workspaces need the session of this page.');
  if (!folder) return refuse(res, 404, 'This server serves one workspace.');
  if (!post && req.method !== 'GET') return refuse(res, 405, 'Only GET and POST are served here.');
  try {
    const answer = post ? await folder.switchTo(await readJson(req, MAX_SWITCH_BYTES)) : await folder.list();
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'application/json' });
    res.end(JSON.stringify(answer));
  } catch (err) {
    // The answer is the coded error itself, so the page's client throws what a contract call would.
    const error = toWireError(err);
    res.writeHead(STATUS_OF[error.code] ?? 409, { ...SECURITY_HEADERS, 'Content-Type': 'application/json' });
    res.end(JSON.stringify(error));
  }
}

/** Refusals are 409 (in use, not a workspace) unless one of these says better (a job running: bad_request). */
const STATUS_OF: Partial<Record<WireError['code'], number>> = { bad_request: 400, not_found: 404, internal: 500 };

async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  let body = '';
  for await (const chunk of req as AsyncIterable<Buffer>) {
    body += chunk.toString('utf8');
    if (body.length > maxBytes) throw new FlowscopeError('bad_request', 'The request is too large.');
  }
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new FlowscopeError('bad_request', 'The request is not JSON.');
  }
}

function refuse(res: ServerResponse, status: number, message: string) {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(message);
}
