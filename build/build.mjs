#!/usr/bin/env node
/**
 * Builds what the app runs, into dist/:
 *   renderer   dist/renderer/   the Svelte app (Vite), served by app:// and by `flowscope serve`
 *   electron   dist/electron/ and dist/engine/: main, preload and the engine's utility process (bundles.mjs)
 *   cli        dist/cli/        the `flowscope` command (cli-bundle.mjs; bin/flowscope.mjs also rebuilds it when stale)
 * `node build/build.mjs [renderer] [electron]` builds the parts named, or all of them.
 */
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { electronBundles } from './bundles.mjs';
import { buildCli } from './cli-bundle.mjs';

const root = new URL('..', import.meta.url).pathname;
const asked = process.argv.slice(2);
const want = (part) => asked.length === 0 || asked.includes(part);

if (want('renderer')) {
  await viteBuild({ configFile: `${root}renderer/vite.config.ts`, logLevel: 'warn' });
  console.log('built dist/renderer');
}

if (want('electron')) {
  await Promise.all(Object.values(electronBundles(root)).map((options) => esbuild(options)));
  console.log('built dist/electron and dist/engine');
}

if (want('cli')) {
  await buildCli(root);
  console.log('built dist/cli');
}
