import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { startServer, type RunningServer } from '../../../main/serve/server';
import { safeFileName, type UploadTarget } from '../../../main/serve/upload';
import { contractDouble } from '../host/contract-double';

let dir: string;
let server: RunningServer;
let cookie: string;
const registered: string[] = [];

function send(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, method, path, headers: { Host: `127.0.0.1:${server.port}`, ...headers } },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowscope-upload-'));
  mkdirSync(join(dir, 'renderer'));
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html>');
  const staging = join(dir, 'staging');
  const uploads: UploadTarget = {
    stagingDir: staging,
    register: (path) => (registered.push(path), `fh_test${registered.length}aaaaaaaa`),
  };
  server = await startServer({
    workspace: { engine: contractDouble(), uploads },
    rendererDir: join(dir, 'renderer'),
  });
  const exchanged = await new Promise<string>((resolve, reject) => {
    request(
      {
        host: '127.0.0.1',
        port: server.port,
        path: new URL(server.url).pathname + new URL(server.url).search,
        headers: { Host: `127.0.0.1:${server.port}` },
      },
      (res) => {
        resolve(String(res.headers['set-cookie']).split(';')[0]!);
        res.resume();
      },
    )
      .on('error', reject)
      .end();
  });
  cookie = exchanged;
});

after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

test('an upload from the page lands in staging under its own name and comes back as a file handle', async () => {
  const bytes = Buffer.from('version account-id\n2 123\n');
  const reply = await send(
    'POST',
    '/upload',
    {
      Cookie: cookie,
      Origin: server.origin,
      'X-Flowscope-File-Name': encodeURIComponent('../../etc/flows 1.log'),
      'Content-Length': String(bytes.length),
    },
    bytes,
  );
  assert.equal(reply.status, 200, reply.body);
  const answer = JSON.parse(reply.body) as { handle: string; name: string; bytes: number };
  assert.equal(answer.name, 'flows 1.log');
  assert.equal(answer.bytes, bytes.length);
  const stored = registered.at(-1)!;
  assert.ok(!relative(join(dir, 'staging', 'uploads'), stored).startsWith('..'), 'inside staging/uploads');
  assert.ok(stored.endsWith('flows 1.log'));
  assert.deepEqual(readFileSync(stored), bytes);
  assert.equal(answer.handle, `fh_test${registered.length}aaaaaaaa`);
});

test('an upload without our Origin or without the session is refused', async () => {
  const before = registered.length;
  assert.equal((await send('POST', '/upload', { Cookie: cookie }, Buffer.from('x'))).status, 403);
  assert.equal(
    (await send('POST', '/upload', { Cookie: cookie, Origin: 'http://evil.example' }, Buffer.from('x'))).status,
    403,
  );
  assert.equal((await send('POST', '/upload', { Origin: server.origin }, Buffer.from('x'))).status, 403);
  assert.equal(registered.length, before);
});

test('file names are reduced to a plain name', () => {
  assert.equal(safeFileName('a/b\\c.log.gz'), 'c.log.gz');
  assert.equal(safeFileName('..'), 'upload');
  assert.equal(safeFileName(undefined), 'upload');
  assert.equal(safeFileName('x\u0000y'), 'x_y');
});
