/**
 * The `flowscope` command's bundle, dist/cli/: `flowscope.mjs` and the chunks it loads when a command
 * needs them (the engine with DuckDB, the AWS SDK, the WebSocket server), so that it runs on plain Node and
 * starts without loading what the command at hand does not use. npm dependencies are bundled in (one file
 * to read instead of hundreds) except DuckDB's native binding, which loads from node_modules.
 *
 * `bin/flowscope.mjs` rebuilds it in a checkout whenever a source is newer (`isCliBundleStale`); files are
 * written under a temporary name and renamed, and chunks (named by their content) are never overwritten,
 * so a command already running, or starting meanwhile, never reads half a file; the chunks of the build before
 * are kept for a command still running from it.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

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

/**
 * DuckDB's API (`@duckdb/node-api`) is CommonJS, some 120 files that require each other: loaded from
 * node_modules, each is found, read and compiled at every start of a command that opens a workspace (and,
 * imported from ESM, lexed for its export names too). So it is bundled like the other dependencies, and only
 * its native binding (`@duckdb/node-bindings`, which picks the platform's `.node` file) is required at run
 * time, from where the API is installed: the binding is the API's dependency, not ours, so npm need not put it
 * beside us.
 */
const requireDuckDbBinding = {
  name: 'require-duckdb-binding',
  setup(build) {
    build.onResolve({ filter: /^@duckdb\/node-bindings$/ }, (args) => ({
      path: args.path,
      namespace: 'duckdb-binding',
    }));
    build.onLoad({ filter: /.*/, namespace: 'duckdb-binding' }, () => ({
      contents:
        "module.exports = require('node:module').createRequire(require.resolve('@duckdb/node-api'))('@duckdb/node-bindings');",
      loader: 'js',
    }));
  },
};

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
    // ws's optional native speed-ups (absent unless installed); DuckDB's binding: `requireDuckDbBinding`.
    external: ['bufferutil', 'utf-8-validate'],
    // Bundled CommonJS packages call require() for Node's built-ins.
    banner: {
      js: "import { createRequire as __flowscopeRequire } from 'node:module'; const require = __flowscopeRequire(import.meta.url);",
    },
    plugins: [requireDuckDbBinding],
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
    writeAtomically(file.path, file.contents);
  }
  // Chunks of this build and the one before stay (a command started before may still load one); older go.
  const manifest = join(root, out, 'chunks.json');
  const previous = existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')) : [];
  const current = [...written].filter((path) => !path.endsWith(CLI_ENTRY)).map((path) => basename(path));
  writeAtomically(manifest, JSON.stringify(current));
  const keep = new Set([...previous, ...current]);
  const chunks = join(root, out, 'chunks');
  for (const name of readdirSync(chunks)) {
    // Not another build's file in the middle of being written.
    if (!keep.has(name) && !name.endsWith('.tmp')) rmSync(join(chunks, name), { force: true });
  }
  return result.metafile;
}

function writeAtomically(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, contents);
  renameSync(temp, path);
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
