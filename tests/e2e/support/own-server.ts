/**
 * A `flowscope serve` of a test's own, on a tiny fresh workspace (three demo records) in a temp folder,
 * for tests that change the workspace (imports) and must not disturb the shared demo server.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const root = new URL('../../../', import.meta.url).pathname;

export interface OwnServer {
  /** The one-time URL with its token: opening it sets the session cookie. */
  url: string;
  close(): Promise<void>;
}

export async function startOwnServer(): Promise<OwnServer> {
  const dir = mkdtempSync(join(tmpdir(), 'flowscope-e2e-own-'));
  const workspace = join(dir, 'own.duckdb');
  const made = spawnSync(process.execPath, ['bin/flowscope.mjs', 'demo', '--workspace', workspace, '--records', '3'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (made.status !== 0) throw new Error(`flowscope demo failed: ${made.stderr}`);
  const server: ChildProcess = spawn(
    process.execPath,
    ['bin/flowscope.mjs', 'serve', '--workspace', workspace, '--port', '0'],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: server.stdout! }).once('line', resolve);
    server.once('exit', (code) => reject(new Error(`flowscope serve exited with ${code}`)));
  });
  return {
    url: line.replace(/^Flowscope serving /, ''),
    async close() {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
