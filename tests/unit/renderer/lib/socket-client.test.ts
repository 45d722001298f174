import assert from 'node:assert/strict';
import { test } from 'node:test';
import WebSocket, { WebSocketServer } from 'ws';
import { LIBRARY_FILE_MAX_BYTES } from '../../../../preload/contract';
import { RpcClient } from '../../../../preload/rpc-client';
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

test('a request over the message size limit fails by itself, unsent, and the connection carries on', async () => {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  const received: number[] = [];
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      received.push(String(data).length);
      const { id } = JSON.parse(String(data));
      socket.send(JSON.stringify({ id, ok: true, value: { kind: 'query', id: 'user:x', name: 'x', trusted: false } }));
    });
  });
  const { port } = server.address() as { port: number };
  const client = socketClient(() => new WebSocket(`ws://127.0.0.1:${port}`) as unknown as SocketLike);
  try {
    await new Promise<void>((resolve) => client.onConnection((s) => s === 'connected' && resolve()));
    // Within the contract's own cap for a library file's text (in characters), but 4 bytes a character in UTF-8.
    const text = '😀'.repeat(LIBRARY_FILE_MAX_BYTES);
    await assert.rejects(client.invoke('library.import', { text, fileName: 'wide.json' }), (err: Error) => {
      assert.match(err.message, /more than the 1048576 bytes a message may have/);
      return true;
    });
    assert.deepEqual(received, []);
    const small = await client.invoke('library.import', { text: '{}', fileName: 'small.json' });
    assert.equal(small.id, 'user:x');
    assert.equal(received.length, 1);
  } finally {
    client.close();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('a call made as the page loads, before the first socket opens, waits for it; after a loss, calls fail at once', async () => {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      const { id } = JSON.parse(String(data));
      socket.send(JSON.stringify({ id, ok: true, value: { answered: true } }));
    });
  });
  const { port } = server.address() as { port: number };
  const client = socketClient(() => new WebSocket(`ws://127.0.0.1:${port}`) as unknown as SocketLike);
  try {
    // In the same tick as the client was made: its socket is still connecting.
    assert.deepEqual(await client.invoke('workspace.info', {}), { answered: true });
    const lost = new Promise<void>((resolve) => client.onConnection((s) => s === 'lost' && resolve()));
    for (const socket of server.clients) socket.terminate();
    await lost;
    await assert.rejects(client.invoke('workspace.info', {}), { message: 'Not connected to the engine.' });
  } finally {
    client.close();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('a call waiting for a first connection that does not come fails after the bound, saying so', async () => {
  const rpc = new RpcClient(null, 50);
  await assert.rejects(rpc.invoke('workspace.info', {}), {
    message: 'Not connected to the engine: no connection within 0.05 s.',
  });
  // Answered when the connection comes in time.
  const waiting = rpc.invoke('workspace.info', {});
  rpc.attach((message) => {
    const { id } = message as { id: number };
    queueMicrotask(() => rpc.receive({ id, ok: true, value: { late: true } }));
  }, 'connected');
  assert.deepEqual(await waiting, { late: true });
});

test('a server that no longer admits the page (restarted) is said once, and no more reconnects are tried', async () => {
  // A WebSocket server that takes the first connection and refuses every later upgrade, as a restarted
  // `flowscope serve` refuses the old session's cookie (401): before, the page said "Reconnecting…" for ever.
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    verifyClient: (_info, done) => done(attempts++ === 0, 401),
  });
  let attempts = 0;
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  let asked = 0;
  const client = socketClient(
    () => {
      // A browser's WebSocket fires a harmless `error` on a refused upgrade; `ws` throws without a listener.
      const socket = new WebSocket(`ws://127.0.0.1:${port}`);
      socket.on('error', () => undefined);
      return socket as unknown as SocketLike;
    },
    async () => {
      asked += 1;
      return false;
    },
  );
  const states: string[] = [];
  const refused = new Promise<void>((resolve) =>
    client.onConnection((s) => {
      states.push(s);
      if (s === 'refused') resolve();
    }),
  );
  try {
    await new Promise<void>((resolve) => client.onConnection((s) => s === 'connected' && resolve()));
    for (const socket of server.clients) socket.terminate();
    await refused;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.deepEqual([states.at(-1), asked, attempts], ['refused', 1, 2]);
    await assert.rejects(client.invoke('workspace.info', {}));
  } finally {
    client.close();
    await new Promise((resolve) => server.close(resolve));
  }
});
