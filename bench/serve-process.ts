/**
 * What the browser benchmarks share: a real `flowscope serve` (started on a workspace, its URL read,
 * stopped), the renderer built, and Debian's Chromium launched headless.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { chromium, type Browser } from '@playwright/test';
import { chromiumLaunch } from '../tests/support/chromium';

export async function startServe(
  workspace: string,
  env: NodeJS.ProcessEnv,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['bin/flowscope.mjs', 'serve', '--workspace', workspace, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`flowscope serve exited with ${code}`)));
  });
  const url = /^Flowscope serving (\S+)$/.exec(line)?.[1];
  if (!url) throw new Error(`unexpected first line: ${line}`);
  return { url, child };
}

export async function stop(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}

/** Builds the renderer unless a build is there and FLOWSCOPE_BENCH_BUILD=0 says to keep it. */
export function buildRenderer(): void {
  if (existsSync('dist/renderer/index.html') && process.env.FLOWSCOPE_BENCH_BUILD === '0') return;
  const built = spawnSync(process.execPath, ['build/build.mjs', 'renderer'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('the renderer did not build');
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch(chromiumLaunch());
}
