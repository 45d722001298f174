/**
 * The browser's client: the contract over one WebSocket to `flowscope serve`, at `/ws` on the page's
 * own origin (the session cookie goes along by itself), and the file capabilities over its HTTP routes
 * (`browser-files.ts`, `browser-workspaces.ts`). A call made as the page loads, before its first socket
 * opens, waits for it (at most FIRST_CONNECT_MS). When the socket drops, calls in flight fail and it
 * reconnects with a growing pause; calls made meanwhile fail fast with a clear message. A message over the
 * server's size limit is refused here, since sending it would make the server close the connection.
 */
import { MAX_MESSAGE_BYTES } from '../../../preload/contract';
import { ContractError, RpcClient, type FlowscopeClient } from '../../../preload/rpc-client';
import { downloadExport, uploadDropped, uploadFiles } from './browser-files';
import { folderWorkspaces } from './browser-workspaces';

/** The subset of the WebSocket API the client uses, so tests can pass the `ws` package's socket. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

const OPEN = 1;
const REFUSED = 'flowscope serve no longer admits this page (it restarted): open the link it printed.';
const MAX_PAUSE_MS = 10_000;
/** How long a call made before the first connection waits for it; a served page connects in milliseconds. */
const FIRST_CONNECT_MS = 10_000;

/**
 * `admitted`: whether the server still admits this page, asked when a reconnect fails. A restarted
 * `flowscope serve` refuses the old session (its link has a new token): then the page says so and stops,
 * where it kept "Reconnecting…" for ever.
 */
export function socketClient(
  openSocket: () => SocketLike,
  admitted?: () => Promise<boolean>,
): FlowscopeClient & { close(): void } {
  const rpc = new RpcClient(null, FIRST_CONNECT_MS);
  let closed = false;
  let everConnected = false;
  let pauseMs = 250;
  let socket: SocketLike;

  const connect = () => {
    // A reconnect scheduled before the client was closed does not open another socket.
    if (closed) return;
    socket = openSocket();
    let opened = false;
    socket.addEventListener('open', () => {
      opened = true;
      pauseMs = 250;
      rpc.attach(
        (message) => {
          const text = JSON.stringify(message);
          const bytes = new TextEncoder().encode(text).length;
          if (bytes > MAX_MESSAGE_BYTES)
            throw new ContractError({
              code: 'bad_request',
              message: `This request is ${bytes} bytes, more than the ${MAX_MESSAGE_BYTES} bytes a message may have.`,
            });
          if (socket.readyState === OPEN) socket.send(text);
        },
        everConnected ? 'restarted' : 'connected',
      );
      everConnected = true;
    });
    socket.addEventListener('message', (event) => {
      try {
        rpc.receive(JSON.parse(String(event.data)));
      } catch {
        // A frame that is not JSON cannot answer any call; the engine never sends one.
      }
    });
    socket.addEventListener('close', () => {
      rpc.detach('The connection to the Flowscope engine was lost.');
      if (closed) return;
      const retry = () => {
        setTimeout(connect, pauseMs);
        pauseMs = Math.min(pauseMs * 2, MAX_PAUSE_MS);
      };
      if (!everConnected || opened || !admitted) return retry();
      void admitted().then((yes) => {
        if (yes) return retry();
        closed = true;
        rpc.detach(REFUSED, 'refused');
      });
    });
  };
  connect();

  const invoke: FlowscopeClient['invoke'] = (channel, input) => rpc.invoke(channel, input);
  return {
    invoke,
    on: (event, listener) => rpc.on(event, listener),
    onConnection: (listener) => rpc.onConnection(listener),
    // The page's file inputs choose files; their bytes go over HTTP, since the server cannot read the user's disk.
    hasFileDialog: false,
    pickFiles: async () => [],
    sendFiles: uploadFiles,
    sendDropped: uploadDropped,
    saveExport: (request) => downloadExport(invoke, request),
    workspaces: folderWorkspaces,
    close() {
      closed = true;
      socket.close();
    },
  };
}

/** The page's own socket URL: ws(s)://<this host>/ws. */
export function pageSocketUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}
