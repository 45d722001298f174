/**
 * A `flowscope serve` of a test's own, on a tiny fresh workspace (three demo records) in a temp folder,
 * for tests that change the workspace (imports) and must not disturb the shared demo server.
 */
import type { Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServe } from './serve-child';

const root = new URL('../../../', import.meta.url).pathname;

export interface OwnServer {
  /** The one-time URL with its token: opening it sets the session cookie. */
  url: string;
  close(): Promise<void>;
}

export interface OwnServerOptions {
  /** Added to the server's environment (e.g. where AWS's ip-ranges.json is kept and fetched from). */
  env?: Record<string, string>;
  /** Runs on the workspace (in the server's temp folder) before the server opens it, e.g. an import. */
  prepare?: (workspace: string, dir: string) => void | Promise<void>;
}

export async function startOwnServer(options: OwnServerOptions = {}): Promise<OwnServer> {
  const dir = mkdtempSync(join(tmpdir(), 'flowscope-e2e-own-'));
  const workspace = join(dir, 'own.duckdb');
  const made = spawnSync(process.execPath, ['bin/flowscope.mjs', 'demo', '--workspace', workspace, '--records', '3'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (made.status !== 0) throw new Error(`flowscope demo failed: ${made.stderr}`);
  await options.prepare?.(workspace, dir);
  const { server, url } = await spawnServe(workspace, { ...process.env, ...options.env });
  return {
    url,
    async close() {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs `visit` against a server of its own, then closes the server. A visit that ends well leaves the page
 * first, as a page left open reports its socket's failed reconnects as console errors; a failed one leaves the
 * page as it was, so the page snapshot Playwright saves for the failure shows what was on screen.
 */
export async function visitOwnServer(
  page: Page,
  options: OwnServerOptions,
  visit: (server: OwnServer) => Promise<void>,
): Promise<void> {
  const server = await startOwnServer(options);
  try {
    await visit(server);
    await page.goto('about:blank');
  } finally {
    await server.close();
  }
}
