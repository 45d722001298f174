/**
 * The browser host's workspace folder end to end: a real `startServer` over real engines on real DuckDB files,
 * driven over HTTP and the WebSocket as the page drives it. Listing, creating and switching; what the page
 * may not name (paths, dots, reserved names, existing files); files that are not workspaces; a workspace
 * held by another process; a switch while a job runs; and every page hearing of a switch.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import type { WorkspaceFolder as Listing } from '../../../preload/contract';
import { Engine } from '../../../main/engine';
import { createDemoWorkspace } from '../../../main/engine/demo-workspace';
import { servedEngine } from '../../../main/serve/served-engine';
import { startServer, type RunningServer } from '../../../main/serve/server';
import { WorkspaceFolder } from '../../../main/serve/workspace-folder';
import { holdWorkspace } from '../../support/held-workspace';

let dir: string;
let server: RunningServer;
let folder: WorkspaceFolder;
let cookie: string;
/** Every engine the folder opened, newest last: the one served now, for a test to start a job on. */
const engines: Engine[] = [];
const fakeBytes = 'not a database, just text that ends in .duckdb\n';

interface Reply {
  status: number;
  body: string;
}

function call(
  method: 'GET' | 'POST',
  body?: unknown,
  headers: Record<string, string> = { Cookie: cookie, Origin: origin() },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        method,
        path: '/workspaces',
        headers: { Host: `127.0.0.1:${server.port}`, 'Content-Type': 'application/json', ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
  });
}

const origin = () => `http://127.0.0.1:${server.port}`;
const list = async () => JSON.parse((await call('GET')).body) as Listing;
const switchTo = (name: string, create = false) => call('POST', { name, create });

function openSocket(): Promise<WebSocket> {
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, { headers: { Cookie: cookie, Origin: origin() } });
  return once(socket, 'open').then(() => socket);
}

/** One contract call over a socket. */
async function invoke(socket: WebSocket, channel: string, input: unknown = {}): Promise<unknown> {
  const id = Math.floor(Math.random() * 1e9);
  socket.send(JSON.stringify({ id, channel, input }));
  for (;;) {
    const [data] = (await once(socket, 'message')) as [Buffer];
    const message = JSON.parse(data.toString()) as { id?: number; ok: boolean; value: unknown; error: unknown };
    if (message.id === id) {
      assert.ok(message.ok, JSON.stringify(message.error));
      return message.value;
    }
  }
}

async function servedInfo(): Promise<{ path: string; records: number }> {
  const socket = await openSocket();
  try {
    return (await invoke(socket, 'workspace.info')) as { path: string; records: number };
  } finally {
    socket.close();
  }
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowscope-folder-'));
  const renderer = join(dir, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Flowscope</title>');
  const cases = join(dir, 'cases');
  mkdirSync(cases);
  await createDemoWorkspace(join(cases, 'first.duckdb'), { records: 3 });
  await (await Engine.open({ workspace: join(cases, 'second.duckdb'), create: true })).close();
  writeFileSync(join(cases, 'fake.duckdb'), fakeBytes);
  writeFileSync(join(cases, 'notes.txt'), 'not listed');
  writeFileSync(join(cases, '.hidden.duckdb'), 'not listed');
  mkdirSync(join(cases, 'folder.duckdb'));
  writeFileSync(join(dir, 'outside.duckdb'), 'outside the folder');
  symlinkSync(join(dir, 'outside.duckdb'), join(cases, 'link.duckdb'));

  folder = await WorkspaceFolder.serve(cases, join(cases, 'first.duckdb'), (path, create) =>
    servedEngine(
      Engine.open({ workspace: path, create }).then((engine) => {
        engines.push(engine);
        return engine;
      }),
    ),
  );
  server = await startServer({ workspace: folder, rendererDir: renderer });
  const exchanged = await new Promise<string>((resolve, reject) => {
    const token = new URL(server.url).search;
    request({ host: '127.0.0.1', port: server.port, path: `/${token}`, headers: { Host: `127.0.0.1:${server.port}` } })
      .on('response', (res) => resolve(String(res.headers['set-cookie']).split(';')[0]!))
      .on('error', reject)
      .end();
  });
  cookie = exchanged;
});

after(async () => {
  await server.close();
  await folder.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the folder lists its workspace files by name, the current one marked; nothing else of the folder', async () => {
  const listing = await list();
  assert.equal(listing.folder, join(dir, 'cases'));
  assert.equal(listing.current, 'first');
  assert.deepEqual(
    listing.workspaces.map((w) => [w.name, w.current]),
    [
      ['fake', false],
      ['first', true],
      ['second', false],
    ],
    'no text file, hidden file, folder or link to elsewhere',
  );
  const first = listing.workspaces.find((w) => w.name === 'first')!;
  assert.equal(first.bytes, statSync(join(dir, 'cases', 'first.duckdb')).size);
  assert.ok(!Number.isNaN(Date.parse(first.modified)));
});

test('the page names workspaces, never paths: separators, dots, absolute paths and reserved names are refused', async () => {
  const refusals: [string, RegExp][] = [
    ['../outside', /cannot hold \/ \\/],
    ['..', /cannot start or end with a dot/],
    ['/etc/passwd', /cannot hold \//],
    [join(dir, 'outside'), /cannot hold \//],
    ['C:\\Windows\\x', /cannot hold/],
    ['.hidden', /cannot start or end with a dot/],
    ['con', /reserved for a device/],
    ['', /Give the workspace a name/],
    ['a'.repeat(101), /at most 100 characters/],
  ];
  for (const [name, message] of refusals) {
    for (const create of [false, true]) {
      const reply = await switchTo(name, create);
      assert.equal(reply.status, 400, `${name} (create ${create})`);
      const error = JSON.parse(reply.body) as { code: string; message: string };
      assert.equal(error.code, 'bad_request');
      assert.match(error.message, message, name);
    }
  }
  assert.equal((await call('POST', { name: 'x', create: true, path: '/tmp/x' })).status, 400, 'no other keys');
  assert.equal((await call('POST', 'not json')).status, 400);
  assert.equal((await call('POST', { name: 'x'.repeat(5000) })).status, 400, 'a large body is refused');
  assert.ok(!existsSync(join(dir, 'outside.duckdb.flowscope')), 'nothing was opened outside the folder');
  assert.equal(readFileSync(join(dir, 'outside.duckdb'), 'utf8'), 'outside the folder');
  assert.equal((await list()).current, 'first');
});

test('what the folder does not list cannot be opened: a link to elsewhere, a folder, a missing name', async () => {
  for (const name of ['link', 'folder', 'notes', 'missing']) {
    const reply = await switchTo(name);
    assert.equal(reply.status, 404, name);
    assert.match(JSON.parse(reply.body).message, new RegExp(`There is no workspace called "${name}"`));
  }
  assert.equal(readFileSync(join(dir, 'outside.duckdb'), 'utf8'), 'outside the folder');
});

test('a name that is taken is not created over, typed with its suffix or without', async () => {
  for (const name of ['second', 'second.duckdb', 'fake']) {
    const reply = await switchTo(name, true);
    assert.equal(reply.status, 400, name);
    assert.match(JSON.parse(reply.body).message, /There is already a workspace or file called/);
  }
  assert.equal(readFileSync(join(dir, 'cases', 'fake.duckdb'), 'utf8'), fakeBytes);
  assert.equal((await list()).current, 'first');
});

test('a .duckdb file that is not a workspace is refused unchanged, and the workspace served stays', async () => {
  const reply = await switchTo('fake');
  assert.equal(reply.status, 409);
  const error = JSON.parse(reply.body) as { code: string; message: string };
  assert.equal(error.code, 'workspace_incompatible');
  assert.match(error.message, /is not a Flowscope workspace/);
  assert.equal(readFileSync(join(dir, 'cases', 'fake.duckdb'), 'utf8'), fakeBytes);
  assert.ok(!existsSync(join(dir, 'cases', 'fake.duckdb.flowscope')));
  assert.equal((await servedInfo()).records, 3);
});

test('creating switches to the new, empty workspace; every connected page hears it and loses its old engine', async () => {
  const pages = [await openSocket(), await openSocket()];
  const heard = pages.map(async (socket) => {
    const events: unknown[] = [];
    socket.on('message', (data: Buffer) => events.push(JSON.parse(data.toString())));
    const [code] = (await once(socket, 'close')) as [number];
    return { events, code };
  });
  const reply = await switchTo('Case B', true);
  assert.equal(reply.status, 200, reply.body);
  const listing = JSON.parse(reply.body) as Listing;
  assert.equal(listing.current, 'Case B');
  assert.ok(listing.workspaces.some((w) => w.name === 'Case B' && w.current));
  for (const page of await Promise.all(heard)) {
    assert.deepEqual(page.events, [{ event: 'workspace.switched', payload: { name: 'Case B' } }]);
    assert.equal(page.code, 1012);
  }
  const info = await servedInfo();
  assert.equal(info.path, join(dir, 'cases', 'Case B.duckdb'));
  assert.equal(info.records, 0);
  // The workspace left is closed: another process (here, this one) may open it.
  await (await Engine.open({ workspace: join(dir, 'cases', 'first.duckdb') })).close();

  const back = await switchTo('first');
  assert.equal(back.status, 200);
  assert.equal((await servedInfo()).records, 3, 'its data is there again');
  assert.equal((await switchTo('first')).status, 200, 'switching to the current workspace does nothing');
});

test('uploads land in the staging folder of the workspace served now', async () => {
  assert.equal((await switchTo('second')).status, 200);
  const uploaded = await new Promise<string>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path: '/upload',
        headers: {
          Host: `127.0.0.1:${server.port}`,
          Cookie: cookie,
          Origin: origin(),
          'x-flowscope-file-name': 'a.log',
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve(text));
      },
    );
    req.on('error', reject);
    req.end('hello');
  });
  assert.match(uploaded, /"handle":"fh_/);
  const staged = join(dir, 'cases', 'second.duckdb.flowscope', 'staging', 'uploads');
  assert.ok(existsSync(staged), 'in second.duckdb.flowscope/staging/uploads');
  assert.equal((await switchTo('first')).status, 200);
});

test('a switch is refused while a job runs in the workspace served, and works once it ended', async () => {
  let finish!: () => void;
  const engine = engines.at(-1)!;
  engine.jobs.start(
    'import',
    () => new Promise((resolve) => (finish = () => resolve({ records: 0, rejected: 0, files: [] }))),
  );
  await new Promise((resolve) => setImmediate(resolve));
  const refused = await switchTo('second');
  assert.equal(refused.status, 400);
  assert.match(
    JSON.parse(refused.body).message,
    /^An import is still running in first: wait for it to finish or cancel it, then switch\.$/,
  );
  assert.equal((await list()).current, 'first');
  finish();
  while (engine.jobs.list().some((job) => job.state === 'running')) await new Promise((r) => setTimeout(r, 10));
  assert.equal((await switchTo('second')).status, 200);
  assert.equal((await switchTo('first')).status, 200);
});

test('a workspace held by another process is "in use", and the workspace served stays', async () => {
  const locked = join(dir, 'cases', 'locked.duckdb');
  const holder = await holdWorkspace(locked);
  try {
    const reply = await switchTo('locked');
    assert.equal(reply.status, 409);
    assert.deepEqual(JSON.parse(reply.body), {
      code: 'workspace_in_use',
      message: `The workspace ${locked} is in use by another Flowscope process (process id ${holder.pid}).`,
      detail: JSON.parse(reply.body).detail,
    });
    assert.equal((await list()).current, 'first');
    assert.equal((await servedInfo()).records, 3);
  } finally {
    await holder.release();
  }
});

test('the folder needs the page: its session cookie, and our Origin to switch', async () => {
  assert.equal((await call('GET', undefined, {})).status, 403);
  assert.equal((await call('POST', { name: 'second' }, { Cookie: cookie })).status, 403, 'no Origin');
  assert.equal((await call('POST', { name: 'second' }, { Cookie: cookie, Origin: 'http://evil.example' })).status, 403);
  assert.equal((await list()).current, 'first');
});
