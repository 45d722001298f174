/**
 * A MessagePort as a `MessageEndpoint`. Electron's `MessagePortMain` (in the utility process) and
 * `worker_threads`' `MessagePort` (in tests) share this shape except for what a 'message' listener
 * receives: Electron wraps the data in an event (`{data, ports}`), worker_threads passes it bare.
 */
import type { MessageEndpoint } from './endpoint';

export interface PortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  start?(): void;
}

export type PortKind = 'electron' | 'worker';

export function portEndpoint(port: PortLike, kind: PortKind): MessageEndpoint {
  return {
    send: (message) => port.postMessage(message),
    onMessage(listener) {
      port.on('message', (event) => listener(kind === 'electron' ? (event as { data: unknown }).data : event));
      port.start?.();
    },
    onClose: (listener) => void port.on('close', listener),
  };
}
