import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { Engine } from '../../../main/engine';

const root = new URL('../../../', import.meta.url).pathname;
let dir: string;
let workspace: string;
let env: NodeJS.ProcessEnv;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowscope-serve-cli-'));
  workspace = join(dir, 'w.duckdb');
  await (await Engine.open({ workspace, create: true })).close();
  mkdirSync(join(dir, 'renderer'));
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Flowscope</title>');
  env = { ...process.env, FLOWSCOPE_RENDERER_DIR: join(dir, 'renderer') };
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('flowscope serve prints its URL as the first line, and stops cleanly on SIGTERM, releasing the workspace', async () => {
  const server = spawn(process.execPath, ['bin/flowscope.mjs', 'serve', '--workspace', workspace, '--port', '0'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const first = await new Promise<string>((resolve) =>
    createInterface({ input: server.stdout! }).once('line', resolve),
  );
  assert.match(first, /^Flowscope serving http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{20,}$/);
  const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  assert.equal(await exited, 0);
  await (await Engine.open({ workspace })).close();
});

test('a port in use and a missing workspace are refused with a clear message', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const { port } = blocker.address() as { port: number };
  try {
    const busy = spawnSync(
      process.execPath,
      ['bin/flowscope.mjs', 'serve', '--workspace', workspace, '--port', String(port)],
      { cwd: root, env, encoding: 'utf8' },
    );
    assert.equal(busy.status, 2);
    assert.match(busy.stderr, new RegExp(`Port ${port} is in use`));
    assert.equal(busy.stdout, '');
  } finally {
    blocker.close();
  }
  const missing = spawnSync(process.execPath, ['bin/flowscope.mjs', 'serve'], { cwd: root, env, encoding: 'utf8' });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /--workspace <file\.duckdb>, or --demo/);
  const noFolder = spawnSync(
    process.execPath,
    ['bin/flowscope.mjs', 'serve', '--workspace', workspace, '--workspaces', join(dir, 'nope')],
    { cwd: root, env, encoding: 'utf8' },
  );
  assert.equal(noFolder.status, 1);
  assert.match(noFolder.stderr, new RegExp(`There is no folder ${join(dir, 'nope')} \\(--workspaces\\)`));
});
