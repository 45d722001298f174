/**
 * The three ways a contract message reaches the engine, each behind the same `send`: in-process
 * dispatch, a WebSocket to a real `flowscope serve` process, and the utility-process entry point
 * running in a worker_threads worker with a MessageChannel port (as Electron hands it a MessagePort),
 * both from source and as the bundle Electron runs.
 */
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { ResponseMessage } from '../../../preload/contract';
import { dispatch } from '../../../main/engine/dispatch';
import { startServe } from '../../support/serve-process';
import { Engine } from '../../../main/engine';
import type { ParentReply } from '../../../main/engine/host/parent-protocol';

export interface Transport {
  name: string;
  send(message: unknown): Promise<ResponseMessage>;
  close(): Promise<void>;
}

/** Matches replies to requests by id; replies to unreadable messages (id -1) go to the oldest such wait. */
class Replies {
  private readonly waiting = new Map<unknown, ((reply: ResponseMessage) => void)[]>();

  expect(id: unknown): Promise<ResponseMessage> {
    const key = typeof id === 'number' || typeof id === 'string' ? id : -1;
    return new Promise((resolve) => this.waiting.set(key, [...(this.waiting.get(key) ?? []), resolve]));
  }

  deliver(reply: ResponseMessage): void {
    if (!('id' in reply)) return; // an engine event
    const queue = this.waiting.get(reply.id);
    queue?.shift()?.(reply);
  }
}

function idOf(message: unknown): unknown {
  return typeof message === 'object' && message !== null ? (message as { id?: unknown }).id : undefined;
}

export async function inProcess(workspace: string): Promise<Transport> {
  const engine = await Engine.open({ workspace });
  return {
    name: 'in-process',
    send: (message) => dispatch(engine, message),
    close: () => engine.close(),
  };
}

export async function webSocket(
  workspace: string,
  rendererDir: string,
): Promise<Transport & { sendText(text: string): Promise<ResponseMessage> }> {
  const serve = await startServe(workspace, { FLOWSCOPE_RENDERER_DIR: rendererDir });
  const socket = await serve.openSocket();
  const replies = new Replies();
  socket.on('message', (data) => replies.deliver(JSON.parse(String(data))));
  return {
    name: 'websocket',
    send(message) {
      const reply = replies.expect(idOf(message));
      socket.send(JSON.stringify(message));
      return reply;
    },
    sendText(text) {
      const reply = replies.expect(-1);
      socket.send(text);
      return reply;
    },
    async close() {
      socket.close();
      await serve.close();
    },
  };
}

/**
 * The utility-process entry point in a worker: from its TypeScript source (through tsx), or, given
 * `bundle`, the esbuild bundle Electron would start.
 */
export async function utilityWorker(workspace: string, bundle?: string): Promise<Transport> {
  const worker = bundle
    ? new Worker(bundle)
    : new Worker(new URL('./worker-boot.mjs', import.meta.url), {
        workerData: { entry: new URL('../../../main/engine/host/utility-entry.ts', import.meta.url).href },
      });
  const parentReplies: ParentReply[] = [];
  const nextParentReply = () =>
    new Promise<ParentReply>((resolve, reject) => {
      const take = () => (parentReplies.length ? resolve(parentReplies.shift()!) : setTimeout(take, 5));
      worker.once('error', reject);
      take();
    });
  worker.on('message', (reply: ParentReply) => parentReplies.push(reply));

  worker.postMessage({ type: 'open', workspace });
  const opened = await nextParentReply();
  if (opened.type !== 'opened')
    throw new Error(`The utility host did not open the workspace: ${JSON.stringify(opened)}`);
  const { port1, port2 } = new MessageChannel();
  worker.postMessage({ type: 'connect', port: port2 }, [port2]);
  const connected = await nextParentReply();
  if (connected.type !== 'connected')
    throw new Error(`The utility host did not take the port: ${JSON.stringify(connected)}`);

  const replies = new Replies();
  const port: MessagePort = port1;
  port.on('message', (reply: ResponseMessage) => replies.deliver(reply));
  return {
    name: bundle ? 'utility-process bundle (worker_threads)' : 'utility-process entry (worker_threads)',
    send(message) {
      const reply = replies.expect(idOf(message));
      port.postMessage(message);
      return reply;
    },
    async close() {
      worker.postMessage({ type: 'shutdown' });
      await new Promise((resolve) => worker.once('exit', resolve));
      port.close();
    },
  };
}
