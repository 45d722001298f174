/**
 * Once per Playwright run: build the renderer (unless FLOWSCOPE_RENDERER_DIR names a built one), make a small demo workspace in a temp folder, start
 * `flowscope serve` on it, trade the printed token for the session cookie, and tell the tests (through
 * environment variables, which the workers inherit) where the server is and where the cookie is kept.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from '@playwright/test';
import { E2E_ENV } from './e2e-env';
import { spawnServe } from './serve-child';

const root = new URL('../../../', import.meta.url).pathname;
const DEMO_RECORDS = '30000';

function runOrThrow(args: string[]) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed with ${result.status}`);
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'flowscope-e2e-'));
  const workspace = join(dir, 'demo.duckdb');
  // FLOWSCOPE_RENDERER_DIR (read by `flowscope serve` too) tests a renderer built elsewhere, as is.
  if (!process.env.FLOWSCOPE_RENDERER_DIR) runOrThrow(['build/build.mjs', 'renderer']);
  runOrThrow(['bin/flowscope.mjs', 'demo', '--workspace', workspace, '--records', DEMO_RECORDS]);

  const { server, url } = await spawnServe(workspace);
  const origin = new URL(url).origin;

  const context = await request.newContext();
  const first = await context.get(url);
  if (!first.ok()) throw new Error(`The token exchange failed with ${first.status()}`);
  const state = join(dir, 'session.json');
  await context.storageState({ path: state });
  await context.dispose();

  process.env[E2E_ENV.origin] = origin;
  process.env[E2E_ENV.usedUrl] = url;
  process.env[E2E_ENV.storageState] = state;
  process.env[E2E_ENV.workspace] = workspace;

  return async () => {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  };
}
