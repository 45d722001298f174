/**
 * The utility process's privileged channel to whoever started it. In Electron that is
 * `process.parentPort` (messages arrive as `{data, ports}`); in tests it is a `worker_threads` parent,
 * where a transferred port travels inside the message as `port`.
 */
import { isMainThread, parentPort } from 'node:worker_threads';
import type { ParentReply } from './parent-protocol';
import type { ClosablePort, ParentChannel } from './utility-host';

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown; ports: ClosablePort[] }) => void): unknown;
}

export function currentParentChannel(): ParentChannel | null {
  const electronParent = (process as { parentPort?: ElectronParentPort }).parentPort;
  if (electronParent) {
    return {
      kind: 'electron',
      post: (reply: ParentReply) => electronParent.postMessage(reply),
      onMessage: (listener) => void electronParent.on('message', (event) => listener(event.data, event.ports ?? [])),
    };
  }
  const workerParent = isMainThread ? null : parentPort;
  if (workerParent) {
    return {
      kind: 'worker',
      post: (reply: ParentReply) => workerParent.postMessage(reply),
      onMessage: (listener) =>
        void workerParent.on('message', (data: unknown) => {
          const port = (data as { port?: ClosablePort } | null)?.port;
          listener(data, port ? [port] : []);
        }),
    };
  }
  return null;
}
