import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../../../main/serve/server';
import { contractDouble, type ContractDouble } from '../host/contract-double';

let dir: string;
let server: RunningServer;
let engine: ContractDouble;
let cookie: string;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path, headers: { Host: `127.0.0.1:${server.port}`, ...headers } },
      (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function openSocket(headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, { headers });
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
    socket.once('error', reject);
  });
}

const origin = () => `http://127.0.0.1:${server.port}`;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowscope-serve-'));
  mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Flowscope</title>');
  writeFileSync(join(dir, 'renderer', 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'outside the renderer');
  engine = contractDouble();
  server = await startServer({
    workspace: { engine },
    rendererDir: join(dir, 'renderer'),
    port: 0,
  });
});

after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the server listens on 127.0.0.1 and its URL carries a token', () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{20,}$/);
});

test('a request without the session cookie is refused', async () => {
  const reply = await get('/');
  assert.equal(reply.status, 401);
  assert.equal((await get('/assets/app.js')).status, 401);
});

test('the token is traded once for an HttpOnly SameSite=Strict cookie and removed from the URL', async () => {
  const token = new URL(server.url).searchParams.get('token')!;
  const reply = await get(`/?token=${token}`);
  assert.equal(reply.status, 303);
  assert.equal(reply.headers.location, '/');
  const setCookie = String(reply.headers['set-cookie']);
  assert.match(setCookie, /HttpOnly/);
  assert.match(setCookie, /SameSite=Strict/);
  cookie = setCookie.split(';')[0]!;
  const page = await get('/', { Cookie: cookie });
  assert.equal(page.status, 200);
  assert.match(page.body, /Flowscope/);
  assert.equal((await get(`/?token=${token}`)).status, 403, 'the token works only once');
});

test("the session cookie is named after the server's port, and another server's session is not one", async () => {
  assert.equal(cookie.split('=')[0], `flowscope_session_${server.port}`);
  const other = await startServer({ workspace: { engine }, rendererDir: join(dir, 'renderer'), port: 0 });
  try {
    const traded = await new Promise<string>((resolve, reject) =>
      request(other.url, { headers: { Host: `127.0.0.1:${other.port}` } }, (res) =>
        resolve(String(res.headers['set-cookie']).split(';')[0]!),
      )
        .on('error', reject)
        .end(),
    );
    assert.equal(traded.split('=')[0], `flowscope_session_${other.port}`);
    assert.equal((await get('/', { Cookie: traded })).status, 401, "the other server's session opens nothing here");
    assert.equal((await get('/', { Cookie: `${traded}; ${cookie}` })).status, 200);
  } finally {
    await other.close();
  }
});

test('every response carries a strict CSP without inline script or eval', async () => {
  const csp = String((await get('/', { Cookie: cookie })).headers['content-security-policy']);
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-eval|unsafe-inline/);
  assert.match(csp, /frame-ancestors 'none'/);
});

test('a foreign Host or Origin is refused even with the cookie (DNS rebinding)', async () => {
  assert.equal((await get('/', { Cookie: cookie, Host: `evil.example:${server.port}` })).status, 403);
  assert.equal((await get('/', { Cookie: cookie, Origin: 'http://evil.example' })).status, 403);
  assert.equal((await get('/', { Cookie: cookie, Origin: origin() })).status, 200);
});

test('paths outside the renderer folder are not served', async () => {
  for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%00index.html']) {
    const reply = await get(path, { Cookie: cookie });
    assert.notEqual(reply.status, 200, path);
    assert.doesNotMatch(reply.body, /outside the renderer/);
  }
  assert.equal(
    (await get('/assets/app.js', { Cookie: cookie })).headers['content-type'],
    'text/javascript; charset=utf-8',
  );
});

test('the WebSocket needs the cookie and our Origin', async () => {
  await assert.rejects(openSocket({ Origin: origin() }), /403/);
  await assert.rejects(openSocket({ Cookie: cookie, Origin: 'http://evil.example' }), /403/);
  await assert.rejects(openSocket({ Cookie: cookie }), /403/);
});

test('contract calls and engine events travel over the WebSocket; junk frames get coded errors', async () => {
  const socket = await openSocket({ Cookie: cookie, Origin: origin() });
  const received: unknown[] = [];
  socket.on('message', (data) => received.push(JSON.parse(String(data))));
  const until = async (count: number) => {
    for (let i = 0; i < 100 && received.length < count; i++) await new Promise((r) => setTimeout(r, 10));
  };
  socket.send(JSON.stringify({ id: 1, channel: 'workspace.info', input: {} }));
  await until(1);
  assert.deepEqual((received[0] as { id: number; ok: boolean }).ok, true);
  socket.send('{not json');
  socket.send(JSON.stringify({ id: 2, channel: 'shell.exec', input: {} }));
  await until(3);
  const codes = received.slice(1).map((r) => (r as { error: { code: string } }).error.code);
  assert.deepEqual(codes.sort(), ['bad_request', 'unknown_channel']);
  engine.emit({ event: 'job.progress', payload: { jobId: 'j' } });
  await until(4);
  assert.deepEqual(received[3], { event: 'job.progress', payload: { jobId: 'j' } });
  socket.close();
});
