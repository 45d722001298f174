/**
 * The `flowscope` command runs from its bundle on plain Node (no tsx), loads the engine, DuckDB, the AWS SDK
 * and the WebSocket server only when a command needs them, and is rebuilt in a checkout when a source
 * changes. (How fast it starts is measured by `npm run bench:cli`, not here.)
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Metafile } from 'esbuild';
import { buildCli, CLI_ENTRY, isCliBundleStale } from '../../../build/cli-bundle.mjs';
import packageJson from '../../../package.json' with { type: 'json' };

const root = new URL('../../../', import.meta.url).pathname;
// Inside the checkout, so that the bundle finds DuckDB's binding in node_modules as dist/cli does.
const out = `test-results/cli-bundle-${process.pid}`;
let metafile: Metafile;

before(async () => {
  metafile = await buildCli(root, out);
});

after(() => rmSync(join(root, out), { recursive: true, force: true }));

test('the bundle runs on plain Node, without tsx', () => {
  const env = { ...process.env, NODE_OPTIONS: '' };
  const help = spawnSync(process.execPath, [join(root, out, CLI_ENTRY), 'help'], { env, encoding: 'utf8' });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stderr, /usage: flowscope <command>/);
  assert.match(help.stderr, /serve\s+Open a workspace in your browser/);
  const version = spawnSync(process.execPath, [join(root, out, CLI_ENTRY), '--version'], { env, encoding: 'utf8' });
  assert.equal(version.status, 0, version.stderr);
  assert.equal(version.stdout, `flowscope ${packageJson.version}\n`);
  const wrong = spawnSync(process.execPath, [join(root, out, CLI_ENTRY), 'import'], { env, encoding: 'utf8' });
  assert.equal(wrong.status, 2, 'a wrong command line is refused before any work');
  assert.match(wrong.stderr, /--workspace/);
});

test('the command line loads no engine, DuckDB, AWS SDK or WebSocket server until a command needs them', () => {
  const outputs = metafile.outputs;
  const entry = Object.keys(outputs).find((path) => path.endsWith(`/${CLI_ENTRY}`))!;
  // Everything the entry loads before it runs: its static imports, transitively.
  const loaded = new Set<string>();
  const visit = (path: string) => {
    if (loaded.has(path)) return;
    loaded.add(path);
    for (const i of outputs[path]!.imports) if (i.kind === 'import-statement' && !i.external) visit(i.path);
  };
  visit(entry);
  const inputs = [...loaded].flatMap((path) => Object.keys(outputs[path]!.inputs));
  for (const heavy of [
    'node_modules/@aws-sdk/',
    'node_modules/@duckdb/',
    'node_modules/ws/',
    'main/engine/index.ts',
    'main/serve/server.ts',
  ])
    assert.ok(!inputs.some((input) => input.includes(heavy)), `${heavy} is loaded with the command line`);
  assert.ok(inputs.includes('main/cli/index.ts'));
  // …and they are there for the commands that do need them.
  const all = Object.values(outputs).flatMap((o) => Object.keys(o.inputs));
  for (const needed of ['main/engine/index.ts', 'main/serve/server.ts']) assert.ok(all.includes(needed), needed);
  assert.ok(all.some((input) => input.includes('node_modules/@aws-sdk/client-s3/')));
  // DuckDB's API is bundled; only its native binding is left to load from node_modules.
  assert.ok(all.some((input) => input.includes('node_modules/@duckdb/node-api/')));
  assert.ok(!all.some((input) => input.includes('node_modules/@duckdb/node-bindings/')));
});

test('the bundle is stale when it is missing or a source is newer', () => {
  const fake = mkdtempSync(join(tmpdir(), 'flowscope-stale-'));
  try {
    mkdirSync(join(fake, 'main/engine'), { recursive: true });
    writeFileSync(join(fake, 'main/engine/x.ts'), '');
    writeFileSync(join(fake, 'package.json'), '{}');
    assert.equal(isCliBundleStale(fake), true, 'no bundle yet');
    mkdirSync(join(fake, 'dist/cli'), { recursive: true });
    writeFileSync(join(fake, 'dist/cli', CLI_ENTRY), '');
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(fake, 'main/engine/x.ts'), past, past);
    utimesSync(join(fake, 'package.json'), past, past);
    assert.equal(isCliBundleStale(fake), false, 'built after every source');
    const future = new Date(Date.now() + 60_000);
    utimesSync(join(fake, 'main/engine/x.ts'), future, future);
    assert.equal(isCliBundleStale(fake), true, 'a source changed since');
  } finally {
    rmSync(fake, { recursive: true, force: true });
  }
});
