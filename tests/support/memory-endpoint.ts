/** A connection held in memory, as a host serves one: what it was sent, a way to deliver a message and to close it. */
import type { MessageEndpoint } from '../../main/engine/host/endpoint';

export function memoryEndpoint() {
  const sent: unknown[] = [];
  let deliver: (message: unknown) => void = () => undefined;
  let close: () => void = () => undefined;
  const endpoint: MessageEndpoint = {
    send: (message) => sent.push(message),
    onMessage: (listener) => (deliver = listener),
    onClose: (listener) => (close = listener),
  };
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { endpoint, sent, deliver: (m: unknown) => deliver(m), close: () => close(), settle };
}
