/**
 * What the `flowscope` command loads before it can answer, counted in modules rather than timed (a time
 * depends on the machine and its load; a module that loads at start is there on every machine). `--help`
 * needs the command line alone: not the contract's schemas (zod), not the engine, DuckDB or the AWS SDK.
 * `info` opens a workspace, so it loads the engine and DuckDB, but not what it does not use: the AWS SDK
 * (about 2 MB of code) only loads for a command that talks to AWS, the query languages, the library and the
 * contract's schemas (zod, 0.7 MB) with the first call that needs them. The bundle keeps this split (its chunks follow the sources'
 * dynamic imports), so the sources are traced here, where each module is a file with a name.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { Engine } from '../../../main/engine';
import { tempDir } from '../workspace/helpers';

const root = new URL('../../../', import.meta.url).pathname;

/**
 * Prints the URL of every module file the process loads, through a module loader hook: in the loading
 * thread where Node.js has `registerHooks` (22.15 and later, where tsx loads through it too, unseen by an
 * off-thread hook), else off-thread with `register`.
 */
const TRACE_HOOK = `data:text/javascript,${encodeURIComponent(`
import * as module from 'node:module';
function load(url, context, next) {
  if (url.startsWith('file:')) process.stderr.write('loaded ' + url + '\\n');
  return next(url, context);
}
if (module.registerHooks) module.registerHooks({ load });
else module.register('data:text/javascript,' + encodeURIComponent('export async ' + load));
`)}`;

/** The module files `flowscope <args>` loads, relative to the checkout, from its TypeScript sources. */
async function loadedModules(...args: string[]): Promise<string[]> {
  const { stderr } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--import', TRACE_HOOK, 'main/cli/index.ts', ...args],
    { cwd: root, env: { ...process.env, NODE_OPTIONS: '' } },
  );
  return [...stderr.matchAll(/^loaded file:\/\/(.+)$/gm)].map((m) => m[1]!.replace(root, ''));
}

/**
 * Modules the command line's own output needs, each a few lines that import nothing when run (the CSV rule that
 * keeps a spreadsheet from running a cell; the words for rejected records): not the query languages, catalogs
 * or schemas this test keeps out.
 */
const PURE_LEAVES = ['queries/catalog/spreadsheet-text.ts', 'preload/contract/rejects.ts'];

const under = (modules: string[], ...prefixes: string[]) =>
  modules.filter((m) => prefixes.some((p) => m.startsWith(p)));

test('flowscope --help loads the command line only: no schemas, engine, DuckDB or AWS SDK', async () => {
  const modules = await loadedModules('--help');
  assert.ok(modules.includes('main/cli/index.ts'), 'the trace sees the sources');
  assert.deepEqual(
    under(
      modules,
      'node_modules/zod/',
      'node_modules/@duckdb/',
      'node_modules/@aws-sdk/',
      'node_modules/@smithy/',
      'preload/contract',
      'main/engine/workspace/',
      'queries/',
    ).filter((m) => !PURE_LEAVES.includes(m)),
    [],
  );
  console.log(`flowscope --help: ${modules.length} modules`);
});

test('flowscope info opens DuckDB but leaves the AWS SDK, the query languages, the library and zod unloaded', async () => {
  const workspace = join(tempDir('flowscope-startup-'), 'empty.duckdb');
  await Engine.open({ workspace, create: true }).then((e) => e.close());
  const modules = await loadedModules('info', '--workspace', workspace);
  assert.ok(under(modules, 'node_modules/@duckdb/').length > 0, 'info opened the workspace');
  assert.deepEqual(
    under(
      modules,
      'node_modules/@aws-sdk/',
      'node_modules/@smithy/',
      'node_modules/zod/',
      'queries/language/',
      'queries/library/',
      'main/engine/library/service.ts',
      'main/engine/query/',
      'main/engine/ingest/files-job.ts',
    ),
    [],
  );
  console.log(`flowscope info: ${modules.length} modules`);
});
