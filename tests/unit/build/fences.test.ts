/**
 * The layering fences of ARCHITECTURE.md fail when crossed: each forbidden import is written into a
 * fixture at a path inside a layer and handed to the project's own lint configuration and to queries/'s
 * own tsconfig (in memory: nothing is written into the tree), and the check must refuse it. The allowed
 * arrows are checked too, so a fence that refuses everything would fail here.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import ts from 'typescript';

const root = new URL('../../../', import.meta.url).pathname;
const eslint = new ESLint({ cwd: root });

/** The lint errors of `code` as if it were the file at `path`, as `rule: message` lines. */
async function lintErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  return result!.messages.filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
}

const importing = (spec: string) => `import * as m from '${spec}';\nexport const n = Object.keys(m).length;\n`;

test('lint refuses an engine file that imports a host (the CLI, serve or Electron)', async () => {
  for (const spec of ['../cli/commands/demo', '../serve/server', '../electron/menu']) {
    const errors = await lintErrors('main/engine/fixture.ts', importing(spec));
    assert.ok(
      errors.some((e) => e.startsWith('flowscope/layers:') && e.includes('never depends on its hosts')),
      `${spec}: ${errors.join('; ')}`,
    );
  }
  const deeper = await lintErrors('main/engine/host/fixture.ts', importing('../../cli/commands/demo'));
  assert.ok(
    deeper.some((e) => e.includes('main/cli/commands/demo')),
    deeper.join('; '),
  );
  assert.deepEqual(await lintErrors('main/cli/fixture.ts', importing('../engine/demo-workspace')), []);
});

test('lint refuses the workspace importing ingest, and lets ingest import the workspace', async () => {
  const errors = await lintErrors('main/engine/workspace/fixture.ts', importing('../ingest/import-file'));
  assert.ok(
    errors.some((e) => e.startsWith('flowscope/layers:') && e.includes('main/engine/ingest')),
    errors.join('; '),
  );
  assert.deepEqual(await lintErrors('main/engine/ingest/fixture.ts', importing('../workspace/ledger')), []);
});

test('lint refuses queries/ importing the contract or the engine, and catalog importing the languages', async () => {
  for (const spec of ['../../preload/contract', '../../preload/contract/query', '../../main/engine/errors']) {
    const errors = await lintErrors('queries/language/fixture.ts', importing(spec));
    assert.ok(
      errors.some((e) => e.startsWith('flowscope/layers:') && e.includes('lowest layer')),
      `${spec}: ${errors.join('; ')}`,
    );
  }
  const upward = await lintErrors('queries/catalog/fixture.ts', importing('../language/compile'));
  assert.ok(
    upward.some((e) => e.includes('catalog is data')),
    upward.join('; '),
  );
  assert.deepEqual(await lintErrors('queries/language/fixture.ts', importing('../catalog/ip')), []);
  assert.deepEqual(await lintErrors('preload/contract/fixture.ts', importing('../../queries/language/types')), []);
});

test('lint refuses every Node built-in in the pure layers, with and without node:', async () => {
  for (const name of ['util', 'url', 'events', 'http', 'net', 'buffer', 'fs/promises', 'string_decoder']) {
    for (const spec of [name, `node:${name}`]) {
      for (const path of [
        'queries/language/fixture.ts',
        'preload/contract/fixture.ts',
        'renderer/src/lib/fixture.ts',
      ]) {
        const errors = await lintErrors(path, importing(spec));
        assert.ok(
          errors.some((e) => e.startsWith('no-restricted-imports:') && e.includes('no Node built-ins')),
          `${spec} in ${path}: ${errors.join('; ')}`,
        );
      }
    }
  }
  assert.deepEqual(await lintErrors('main/engine/fixture.ts', importing('node:util')), []);
});

/** The type errors of `code` compiled as the file at `path` under the tsconfig at `config`. */
function typeErrors(config: string, path: string, code: string): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(root, config),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')),
    },
  )!;
  const fixture = join(root, path);
  const host = ts.createCompilerHost(parsed.options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => f === fixture || fileExists.call(host, f);
  host.readFile = (f) => (f === fixture ? code : readFile.call(host, f));
  host.getSourceFile = (f, language, ...rest) =>
    f === fixture ? ts.createSourceFile(f, code, language) : getSourceFile.call(host, f, language, ...rest);
  const program = ts.createProgram([fixture], parsed.options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map(
      (d) =>
        `${d.file?.fileName === fixture ? '' : `${d.file?.fileName}: `}${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
    );
}

test("queries/'s tsconfig refuses Node and DOM, which the project's tsconfig allows", () => {
  const impure = [
    "import { readFileSync } from 'node:fs';",
    "export const text = readFileSync('x', 'utf8');",
    'export const cwd = process.cwd();',
    "export const bytes = Buffer.from('x');",
    'export const title = document.title;',
  ].join('\n');
  const errors = typeErrors('queries/tsconfig.json', 'queries/language/fixture.ts', impure);
  for (const name of ["'node:fs'", "'process'", "'Buffer'", "'document'"])
    assert.ok(
      errors.some((e) => e.includes(name)),
      `${name}: ${errors.join('; ')}`,
    );
  assert.deepEqual(typeErrors('tsconfig.json', 'queries/language/fixture.ts', impure), []);

  const pure = "import { Dialect } from './types';\nexport const last = Dialect.options.at(-1);\n";
  assert.deepEqual(typeErrors('queries/tsconfig.json', 'queries/language/fixture.ts', pure), []);
});
