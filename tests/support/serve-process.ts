/**
 * A real `flowscope serve` process on a workspace, signed in: its URL, the session cookie its one-time link
 * gave, and WebSocket connections made as the page makes them (cookie and origin). Tests that drive the
 * browser host over the wire (not through a browser) start it here.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import type { ResponseMessage } from '../../preload/contract/wire';

const root = new URL('../../', import.meta.url).pathname;

export interface ServeProcess {
  child: ChildProcess;
  url: URL;
  cookie: string;
  /** What the server wrote on stderr so far. */
  stderr(): string;
  /** A signed-in WebSocket, open. */
  openSocket(): Promise<WebSocket>;
  close(): Promise<void>;
}

export async function startServe(workspace: string, env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['bin/flowscope.mjs', 'serve', '--workspace', workspace, '--port', '0'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`flowscope serve exited with ${code}: ${stderr}`)));
  });
  const url = new URL(/^Flowscope serving (\S+)$/.exec(first)![1]!);
  const cookie = await new Promise<string>((resolve, reject) => {
    request({ host: url.hostname, port: url.port, path: `${url.pathname}${url.search}` }, (res) => {
      res.resume();
      resolve(String(res.headers['set-cookie']).split(';')[0]!);
    })
      .on('error', reject)
      .end();
  });
  return {
    child,
    url,
    cookie,
    stderr: () => stderr,
    openSocket() {
      const socket = new WebSocket(`ws://${url.host}/ws`, { headers: { Cookie: cookie, Origin: url.origin } });
      socket.on('error', () => undefined);
      return new Promise((resolve, reject) => socket.once('open', () => resolve(socket)).once('error', reject));
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

let nextId = 1;

/** One contract call over a signed-in socket, answered by the reply that carries its id. */
export function callOver(socket: WebSocket, channel: string, input: unknown): Promise<ResponseMessage> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(String(data)) as Partial<ResponseMessage>;
      if (message.id !== id) return;
      socket.off('message', onMessage).off('close', onClose);
      resolve(message as ResponseMessage);
    };
    const onClose = () => reject(new Error(`the connection closed before ${channel} #${id} was answered`));
    socket.on('message', onMessage).on('close', onClose);
    socket.send(JSON.stringify({ id, channel, input }));
  });
}

/** The server is still running and answers a contract call on a fresh connection. */
export async function assertAnswers(server: ServeProcess): Promise<void> {
  assert.equal(server.child.exitCode, null, `flowscope serve exited: ${server.stderr()}`);
  const socket = await server.openSocket();
  try {
    const reply = await callOver(socket, 'workspace.info', {});
    assert.equal(reply.ok, true, JSON.stringify(reply));
  } finally {
    socket.close();
  }
}
