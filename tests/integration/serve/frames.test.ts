/**
 * `flowscope serve` stays up whatever arrives on its WebSocket: a frame too big, text that is not UTF-8.
 * A bad frame may cost its own connection (the WebSocket protocol closes it), never the server. Driven
 * against a real `flowscope serve` process; 1,000 random and malformed frames are the reliability suite's
 * (tests/reliability/browser-mode.test.ts).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type WebSocket from 'ws';
import { Engine } from '../../../main/engine';
import { assertAnswers, startServe, type ServeProcess } from '../../support/serve-process';

let dir: string;
let server: ServeProcess;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowscope-frames-'));
  const workspace = join(dir, 'w.duckdb');
  await (await Engine.open({ workspace, create: true })).close();
  mkdirSync(join(dir, 'renderer'));
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Flowscope</title>');
  server = await startServe(workspace, { FLOWSCOPE_RENDERER_DIR: join(dir, 'renderer') });
});

after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Sends a frame and waits until the server answered it or closed the connection. */
function sendAndSettle(socket: WebSocket, data: Buffer | string, binary: boolean): Promise<'answered' | 'closed'> {
  return new Promise((resolve) => {
    const done = (how: 'answered' | 'closed') => {
      socket.off('message', onMessage);
      socket.off('close', onClose);
      resolve(how);
    };
    const onMessage = () => done('answered');
    const onClose = () => done('closed');
    socket.on('message', onMessage);
    socket.on('close', onClose);
    socket.send(data, { binary });
  });
}

test('a text frame over the size limit closes that connection only, and the server keeps answering', async () => {
  const socket = await server.openSocket();
  const big = JSON.stringify({
    id: 1,
    channel: 'library.import',
    input: { text: 'x'.repeat((1 << 20) + 1024), fileName: 'a' },
  });
  assert.equal(await sendAndSettle(socket, big, false), 'closed');
  await assertAnswers(server);
});

test('a text frame that is not UTF-8 closes that connection only, and the server keeps answering', async () => {
  const socket = await server.openSocket();
  assert.equal(await sendAndSettle(socket, Buffer.from([0x7b, 0xff, 0xfe, 0xc3, 0x28, 0x7d]), false), 'closed');
  await assertAnswers(server);
});
