#!/usr/bin/env node
// The `flowscope` command: the bundle dist/cli/flowscope.mjs on plain Node. In a checkout (the sources and
// esbuild beside it) the bundle is rebuilt first when a source is newer, so the command never runs stale
// code; an installed package runs the bundle it was packed with.
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

// Node.js 22.1 and later keep the compiled code of the bundle between runs (in the temporary folder), which
// saves most of its compile time at start; older versions have no such cache and compile it every time.
module.enableCompileCache?.();

const root = fileURLToPath(new URL('..', import.meta.url));
const checkout = existsSync(`${root}main/cli/index.ts`) && existsSync(`${root}node_modules/esbuild`);
if (checkout) {
  const { buildCli, isCliBundleStale } = await import('../build/cli-bundle.mjs');
  if (isCliBundleStale(root)) await buildCli(root);
}
const cli = await import(new URL('../dist/cli/flowscope.mjs', import.meta.url).href);
await cli.runAndExit(process.argv.slice(2));
