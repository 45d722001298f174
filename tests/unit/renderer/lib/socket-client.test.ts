import assert from 'node:assert/strict';
import { test } from 'node:test';
import WebSocket, { WebSocketServer } from 'ws';
import { socketClient, type SocketLike } from '../../../../renderer/src/lib/socket-client';

test('the browser client reconnects after the socket drops and says the engine is back', async () => {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  let connections = 0;
  server.on('connection', (socket) => {
    connections += 1;
    socket.on('message', (data) => {
      const { id } = JSON.parse(String(data));
      socket.send(JSON.stringify({ id, ok: true, value: { connection: connections } }));
    });
  });
  const { port } = server.address() as { port: number };
  const client = socketClient(() => new WebSocket(`ws://127.0.0.1:${port}`) as unknown as SocketLike);
  const states: string[] = [];
  const became = (state: string) =>
    new Promise<void>((resolve) => {
      const off = client.onConnection((s) => {
        states.push(s);
        if (s === state) {
          off();
          resolve();
        }
      });
    });
  try {
    await became('connected');
    assert.deepEqual(await client.invoke('workspace.info', {}), { connection: 1 });
    const back = became('restarted');
    for (const socket of server.clients) socket.terminate();
    await back;
    assert.deepEqual(await client.invoke('workspace.info', {}), { connection: 2 });
    assert.deepEqual(states, ['connected', 'lost', 'restarted']);
  } finally {
    client.close();
    await new Promise((resolve) => server.close(resolve));
  }
});
