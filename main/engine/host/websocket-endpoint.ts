/**
 * A `ws` WebSocket as a `MessageEndpoint`: JSON text frames both ways.
 *
 * A frame the protocol cannot take (over the size limit, text that is not UTF-8, broken framing) makes `ws`
 * emit `error` and close the connection with the matching status code. The error is that connection's end,
 * so it is taken here: an `error` without a listener would throw and stop the whole server.
 */
import type { WebSocket } from 'ws';
import { unreadableMessage, type MessageEndpoint } from './endpoint';

export function websocketEndpoint(socket: WebSocket): MessageEndpoint {
  socket.on('error', () => socket.terminate());
  const send = (message: unknown) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  return {
    send,
    onMessage(listener) {
      socket.on('message', (data, isBinary) => {
        if (isBinary) return send(unreadableMessage('binary frames are not accepted'));
        let parsed: unknown;
        try {
          parsed = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : String(data));
        } catch {
          return send(unreadableMessage('not JSON text'));
        }
        listener(parsed);
      });
    },
    onClose: (listener) => void socket.on('close', listener),
  };
}
