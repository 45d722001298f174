/**
 * The `flowscope` command's bundle, dist/cli/: `flowscope.mjs` and the chunks it loads when a command
 * needs them (the engine with DuckDB, the AWS SDK, the WebSocket server), so that it runs on plain Node and
 * starts without loading what the command at hand does not use. npm dependencies are bundled in (one file
 * to read instead of hundreds) except DuckDB's native binding, which loads from node_modules.
 *
 * `bin/flowscope.mjs` rebuilds it in a checkout whenever a source is newer (`isCliBundleStale`); files are
 * written under a temporary name and renamed, and chunks (named by their content) are never overwritten,
 * so a command already running, or starting meanwhile, never reads half a file.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const CLI_ENTRY = 'flowscope.mjs';
/** What the bundle is made of: a change to any of these makes it stale. */
const SOURCES = [
  'main',
  'preload',
  'queries',
  'package.json',
  'node_modules/.package-lock.json',
  'build/cli-bundle.mjs',
];
/** Chunks no current build names are removed once this old (a long-running command may still load one). */
const OLD_CHUNK_MS = 24 * 3600_000;

export function cliOptions(root, out = 'dist/cli') {
  return {
    absWorkingDir: root,
    entryPoints: { flowscope: 'main/cli/index.ts' },
    outdir: out,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // The native binding, and ws's optional native speed-ups (absent unless installed).
    external: ['@duckdb/*', 'bufferutil', 'utf-8-validate'],
    // Bundled CommonJS packages call require() for Node's built-ins.
    banner: {
      js: "import { createRequire as __flowscopeRequire } from 'node:module'; const require = __flowscopeRequire(import.meta.url);",
    },
    legalComments: 'none',
    logLevel: 'warning',
    write: false,
    metafile: true,
  };
}

/** Builds the bundle into `out` (relative to `root`); answers esbuild's metafile (what went where). */
export async function buildCli(root, out = 'dist/cli') {
  const { build } = await import('esbuild');
  const result = await build(cliOptions(root, out));
  const written = new Set();
  // Chunks first, the entry last: the entry names the chunks, so it must not appear before them.
  const files = [...result.outputFiles].sort(
    (a, b) => Number(a.path.endsWith(CLI_ENTRY)) - Number(b.path.endsWith(CLI_ENTRY)),
  );
  for (const file of files) {
    written.add(file.path);
    const isChunk = !file.path.endsWith(CLI_ENTRY);
    if (isChunk && existsSync(file.path)) continue;
    mkdirSync(dirname(file.path), { recursive: true });
    const temp = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temp, file.contents);
    renameSync(temp, file.path);
  }
  const chunks = join(root, out, 'chunks');
  for (const name of existsSync(chunks) ? readdirSync(chunks) : []) {
    const path = join(chunks, name);
    if (!written.has(path) && Date.now() - statSync(path).mtimeMs > OLD_CHUNK_MS) rmSync(path, { force: true });
  }
  return result.metafile;
}

/** Whether the bundle is missing or older than a file it is made of. */
export function isCliBundleStale(root, out = 'dist/cli') {
  const entry = join(root, out, CLI_ENTRY);
  if (!existsSync(entry)) return true;
  const built = statSync(entry).mtimeMs;
  const newer = (path) => {
    if (!existsSync(path)) return false;
    const stat = statSync(path);
    if (!stat.isDirectory()) return stat.mtimeMs > built;
    return readdirSync(path, { recursive: true, withFileTypes: true }).some(
      (e) => e.isFile() && statSync(join(e.parentPath ?? e.path, e.name)).mtimeMs > built,
    );
  };
  return SOURCES.some((source) => newer(join(root, source)));
}
