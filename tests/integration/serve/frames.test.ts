/**
 * `flowscope serve` stays up whatever arrives on its WebSocket: frames too big, text that is not UTF-8,
 * binary, random bytes, broken framing. A bad frame may cost its own connection (the WebSocket protocol
 * closes it), never the server. Driven against a real `flowscope serve` process.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { Engine } from '../../../main/engine';

const root = new URL('../../../', import.meta.url).pathname;
let dir: string;
let server: ChildProcess;
let serverErr = '';
let url: URL;
let cookie: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowscope-frames-'));
  const workspace = join(dir, 'w.duckdb');
  await (await Engine.open({ workspace, create: true })).close();
  mkdirSync(join(dir, 'renderer'));
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Flowscope</title>');
  server = spawn(process.execPath, ['bin/flowscope.mjs', 'serve', '--workspace', workspace, '--port', '0'], {
    cwd: root,
    env: { ...process.env, FLOWSCOPE_RENDERER_DIR: join(dir, 'renderer') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stderr!.on('data', (chunk) => (serverErr += chunk));
  const first = await new Promise<string>((resolve) =>
    createInterface({ input: server.stdout! }).once('line', resolve),
  );
  url = new URL(/^Flowscope serving (\S+)$/.exec(first)![1]!);
  cookie = await new Promise<string>((resolve, reject) => {
    request({ host: url.hostname, port: url.port, path: `${url.pathname}${url.search}` }, (res) => {
      res.resume();
      resolve(String(res.headers['set-cookie']).split(';')[0]!);
    })
      .on('error', reject)
      .end();
  });
});

after(async () => {
  if (server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
  }
  rmSync(dir, { recursive: true, force: true });
});

function openSocket(): Promise<WebSocket> {
  const socket = new WebSocket(`ws://${url.host}/ws`, { headers: { Cookie: cookie, Origin: url.origin } });
  socket.on('error', () => undefined);
  return new Promise((resolve, reject) => socket.once('open', () => resolve(socket)).once('error', reject));
}

/** The server answers a contract call on a fresh connection, and is still the same process. */
async function assertAnswers(): Promise<void> {
  assert.equal(server.exitCode, null, `flowscope serve exited: ${serverErr}`);
  const socket = await openSocket();
  try {
    const reply = await new Promise<{ id: number; ok: boolean }>((resolve) => {
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as { id?: number; ok: boolean };
        if (message.id === 7) resolve(message as { id: number; ok: boolean });
      });
      socket.send(JSON.stringify({ id: 7, channel: 'workspace.info', input: {} }));
    });
    assert.equal(reply.ok, true);
  } finally {
    socket.close();
  }
}

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
  const socket = await openSocket();
  const big = JSON.stringify({
    id: 1,
    channel: 'library.import',
    input: { text: 'x'.repeat((1 << 20) + 1024), fileName: 'a' },
  });
  assert.equal(await sendAndSettle(socket, big, false), 'closed');
  await assertAnswers();
});

test('a text frame that is not UTF-8 closes that connection only, and the server keeps answering', async () => {
  const socket = await openSocket();
  assert.equal(await sendAndSettle(socket, Buffer.from([0x7b, 0xff, 0xfe, 0xc3, 0x28, 0x7d]), false), 'closed');
  await assertAnswers();
});

/** A client frame as RFC 6455 writes it, with the parts a fuzzer may get wrong chosen by the caller. */
function frame(opts: { fin?: boolean; rsv?: number; opcode: number; masked?: boolean; payload: Buffer }): Buffer {
  const { fin = true, rsv = 0, opcode, masked = true, payload } = opts;
  const head = [(fin ? 0x80 : 0) | (rsv << 4) | opcode];
  const len = payload.length;
  const maskBit = masked ? 0x80 : 0;
  if (len < 126) head.push(maskBit | len);
  else if (len < 65536) head.push(maskBit | 126, len >> 8, len & 255);
  else head.push(maskBit | 127, 0, 0, 0, 0, (len >>> 24) & 255, (len >> 16) & 255, (len >> 8) & 255, len & 255);
  const mask = randomBytes(4);
  const body = Buffer.from(payload);
  if (masked) for (let i = 0; i < body.length; i++) body[i]! ^= mask[i % 4]!;
  return Buffer.concat([Buffer.from(head), masked ? mask : Buffer.alloc(0), body]);
}

/** A raw TCP connection upgraded to a WebSocket by hand, so that any bytes at all can follow. */
function rawSocket(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    socket.on('error', () => undefined);
    socket.once('connect', () => {
      socket.write(
        `GET /ws HTTP/1.1\r\nHost: ${url.host}\r\nOrigin: ${url.origin}\r\nCookie: ${cookie}\r\n` +
          `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n\r\n`,
      );
    });
    socket.once('data', (chunk) =>
      String(chunk).startsWith('HTTP/1.1 101') ? resolve(socket) : reject(new Error(String(chunk))),
    );
  });
}

/** One of the ways a frame can be wrong (or right), picked by a seeded generator so a failure repeats. */
function fuzzFrame(random: () => number): Buffer {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
  const kind = pick([
    'random-bytes',
    'random-text',
    'invalid-utf8',
    'binary',
    'unmasked',
    'reserved-bits',
    'bad-opcode',
    'fragment-without-start',
    'big-control',
    'json-call',
    'json-garbage',
    'truncated',
  ] as const);
  switch (kind) {
    case 'random-bytes':
      return bytes(1 + Math.floor(random() * 64));
    case 'random-text':
      return frame({ opcode: 1, payload: Buffer.from(bytes(40).toString('base64')) });
    case 'invalid-utf8':
      return frame({ opcode: 1, payload: Buffer.concat([Buffer.from('{"id":'), Buffer.from([0xc0, 0xaf, 0xff])]) });
    case 'binary':
      return frame({ opcode: 2, payload: bytes(32) });
    case 'unmasked':
      return frame({ opcode: 1, masked: false, payload: Buffer.from('{}') });
    case 'reserved-bits':
      return frame({ opcode: 1, rsv: 1 + Math.floor(random() * 7), payload: Buffer.from('{}') });
    case 'bad-opcode':
      return frame({ opcode: pick([3, 4, 5, 6, 7, 11, 12, 13, 14, 15]), payload: bytes(8) });
    case 'fragment-without-start':
      return frame({ opcode: 0, payload: Buffer.from('"tail"') });
    case 'big-control':
      return frame({ opcode: 9, payload: bytes(200) });
    case 'json-call':
      return frame({
        opcode: 1,
        payload: Buffer.from(
          JSON.stringify({ id: random(), channel: pick(['workspace.info', 'query.run', 'x']), input: {} }),
        ),
      });
    case 'json-garbage':
      return frame({
        opcode: 1,
        payload: Buffer.from(pick(['null', '[]', '42', '{"id":{}}', '"a"', '{"__proto__":1}'])),
      });
    case 'truncated':
      return frame({ opcode: 1, payload: Buffer.from('{"id":1}') }).subarray(0, 3);
  }
}

test('1,000 random and malformed frames: the server keeps answering', async () => {
  let seed = 20261203;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  let socket = await rawSocket();
  let closed = false;
  const watch = (s: Socket) => s.once('close', () => (closed = true));
  watch(socket);
  let reconnects = 0;
  for (let i = 0; i < 1000; i++) {
    if (closed || socket.destroyed) {
      socket = await rawSocket();
      closed = false;
      watch(socket);
      reconnects++;
    }
    socket.write(fuzzFrame(random));
    // Give the server a moment every few frames, so that a crash is seen at the frame that caused it.
    if (i % 10 === 9) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      assert.equal(server.exitCode, null, `flowscope serve exited after frame ${i}: ${serverErr}`);
    }
  }
  socket.destroy();
  assert.ok(reconnects > 10, 'most malformed frames cost their connection');
  await assertAnswers();
});
