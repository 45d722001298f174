#!/usr/bin/env node
/**
 * Builds what the app runs, into dist/:
 *   renderer   dist/renderer/             the Svelte app (Vite), served by app:// and by `flowscope serve`
 *   electron   dist/electron/main.cjs     Electron's main process
 *              dist/electron/preload.cjs  the sandboxed preload (CommonJS, everything but `electron` inlined)
 *              dist/engine/utility.mjs    the engine's utility-process entry point
 * `node build/build.mjs [renderer] [electron]` builds the parts named, or all of them.
 */
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';

const root = new URL('..', import.meta.url).pathname;
const asked = process.argv.slice(2);
const want = (part) => asked.length === 0 || asked.includes(part);
const NODE_TARGET = 'node22';

if (want('renderer')) {
  await viteBuild({ configFile: `${root}renderer/vite.config.ts`, logLevel: 'warn' });
  console.log('built dist/renderer');
}

if (want('electron')) {
  const common = { absWorkingDir: root, bundle: true, platform: 'node', target: NODE_TARGET, logLevel: 'warning', legalComments: 'none' };
  await Promise.all([
    esbuild({ ...common, entryPoints: ['main/electron/main.ts'], outfile: 'dist/electron/main.cjs', format: 'cjs', external: ['electron'], packages: 'external' }),
    // A sandboxed preload may require nothing but `electron`: everything else is inlined.
    esbuild({ ...common, entryPoints: ['preload/index.ts'], outfile: 'dist/electron/preload.cjs', format: 'cjs', external: ['electron'], minify: true }),
    esbuild({ ...common, entryPoints: ['main/engine/host/utility-entry.ts'], outfile: 'dist/engine/utility.mjs', format: 'esm', packages: 'external' }),
  ]);
  console.log('built dist/electron and dist/engine');
}
