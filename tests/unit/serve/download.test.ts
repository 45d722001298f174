import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { HostedEngine } from '../../../main/engine/host/endpoint';
import { Downloads } from '../../../main/engine/library/export-result';
import { startServer, type RunningServer } from '../../../main/serve/server';

let dir: string;
let server: RunningServer;
let cookie: string;
const downloads = new Downloads();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowscope-download-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  // Downloads never reach the engine's channels; an engine without them is enough here.
  const engine = { on: () => () => undefined } as unknown as HostedEngine;
  server = await startServer({ workspace: { engine, downloads }, rendererDir: dir });
  const first = await fetch(server.url, { redirect: 'manual' });
  cookie = first.headers.get('set-cookie')!.split(';')[0]!;
});

after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function exported(name: string, body: string): string {
  const path = join(dir, `x-${name}`);
  writeFileSync(path, body);
  return downloads.add(path, name);
}

test('an export is downloaded once, as an attachment with its name, then removed', async () => {
  const id = exported('top-talkers.csv', 'a,b\n1,2\n');
  const r = await fetch(`${server.origin}/export/${id}`, { headers: { cookie } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-disposition'), 'attachment; filename="top-talkers.csv"');
  assert.match(r.headers.get('content-type') ?? '', /^text\/csv/);
  assert.equal(await r.text(), 'a,b\n1,2\n');
  // The server removes the file once the response has ended on its side, a moment after the client has it.
  for (let i = 0; i < 50 && existsSync(join(dir, 'x-top-talkers.csv')); i++)
    await new Promise((done) => setTimeout(done, 20));
  assert.equal(existsSync(join(dir, 'x-top-talkers.csv')), false);
  const again = await fetch(`${server.origin}/export/${id}`, { headers: { cookie } });
  assert.equal(again.status, 404);
});

test('a download needs the session cookie', async () => {
  const id = exported('secret.json', '[]');
  const r = await fetch(`${server.origin}/export/${id}`);
  assert.equal(r.status, 401);
  assert.equal(existsSync(join(dir, 'x-secret.json')), true, 'a refused request does not use up the export');
});

test('ids that are not export ids are not found', async () => {
  for (const id of ['..%2F..%2Fetc%2Fpasswd', 'abc', '0'.repeat(31) + 'g']) {
    const r = await fetch(`${server.origin}/export/${id}`, { headers: { cookie } });
    assert.equal(r.status, 404, id);
  }
});
