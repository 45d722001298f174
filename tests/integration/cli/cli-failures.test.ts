import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { writeFlowLogFile } from '../../../main/engine/ingest/generator';
import { Workspace } from '../../../main/engine/workspace';
import { holdWorkspace } from '../../support/held-workspace';
import { tempDir } from '../workspace/helpers';

const root = new URL('../../../', import.meta.url).pathname;
const cli = join(root, 'main/cli/index.ts');
const dir = tempDir('flowscope-cli-failures-');

async function flowscope(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', cli, ...args], {
      cwd: root,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function lastJson(stdout: string): Record<string, unknown> {
  const line = stdout.trimEnd().split('\n').at(-1) ?? '';
  return JSON.parse(line) as Record<string, unknown>;
}

test('with --json, a workspace in use still ends stdout with the promised JSON line, its error and code', async () => {
  const ws = join(dir, 'held.duckdb');
  const log = join(dir, 'a.log');
  await writeFlowLogFile(log, { records: 20, seed: 1 });
  const holder = await holdWorkspace(ws);
  try {
    const imported = await flowscope('import', log, '--workspace', ws, '--json');
    assert.equal(imported.code, 1);
    assert.match(imported.stderr, /in use by another Flowscope process/);
    const report = lastJson(imported.stdout);
    assert.deepEqual(report.files, []);
    assert.equal(report.records, 0);
    assert.equal(report.rejected, 0);
    assert.equal(report.code, 'workspace_in_use');
    assert.match(String(report.error), /in use by another Flowscope process/);

    const info = await flowscope('info', '--workspace', ws, '--json');
    assert.equal(info.code, 1);
    assert.equal(lastJson(info.stdout).code, 'workspace_in_use');
  } finally {
    await holder.release();
  }
});

test('info on a file that is not a workspace is refused (JSON line with --json) and leaves no folder behind', async () => {
  const notes = join(dir, 'notes.txt');
  writeFileSync(notes, 'meeting notes\n'.repeat(100));
  const run = await flowscope('info', '--workspace', notes, '--json');
  assert.equal(run.code, 1);
  assert.equal(lastJson(run.stdout).code, 'workspace_incompatible');
  assert.equal(existsSync(`${notes}.flowscope`), false);
  assert.deepEqual(
    readdirSync(dir).filter((n) => n.startsWith('notes.txt')),
    ['notes.txt'],
  );
});

test('a wrong command line with --json also ends with a JSON line, and exits 2', async () => {
  const run = await flowscope('import', '--json');
  assert.equal(run.code, 2);
  assert.equal(lastJson(run.stdout).code, 'bad_request');
  const unknown = await flowscope('info', '--json', '--no-such-option');
  assert.equal(unknown.code, 2);
  assert.equal(lastJson(unknown.stdout).code, 'bad_request');
});

test('the CLI ends quietly when the program reading its output closes the pipe', async () => {
  const ws = join(dir, 'pipe.duckdb');
  await (await Workspace.open(ws, { create: true })).close();
  for (const format of ['csv', 'table']) {
    // `| head -1` as a shell does it: the reader takes one line and goes away.
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        cli,
        'query',
        `SELECT range AS n, repeat('x', 100) AS s FROM range(100000)`,
        '--workspace',
        ws,
        '--format',
        format,
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await once(child.stdout, 'data');
    child.stdout.destroy();
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(stderr, '', `${format}: nothing on stderr`);
    assert.equal(code, 0, format);
  }
});

test('import of a folder with nothing to import names it on stderr and exits 1; --json still ends with its line', async () => {
  const ws = join(dir, 'empty-folders.duckdb');
  const empty = join(dir, 'empty-folder');
  const onlyEmptyFiles = join(dir, 'only-empty-files');
  mkdirSync(empty);
  mkdirSync(onlyEmptyFiles);
  writeFileSync(join(onlyEmptyFiles, 'zero.log'), '');
  const text = await flowscope('import', empty, onlyEmptyFiles, '--workspace', ws);
  assert.equal(text.code, 1);
  assert.equal(text.stderr, `flowscope import: no files to import in ${empty}, ${onlyEmptyFiles}\n`);

  // A folder with nothing beside a file that imports is still named.
  const log = join(dir, 'beside.log');
  await writeFlowLogFile(log, { records: 10, seed: 2 });
  const json = await flowscope('import', empty, log, '--workspace', ws, '--json');
  assert.equal(json.code, 1);
  assert.equal(json.stderr, `flowscope import: no files to import in ${empty}\n`);
  const report = lastJson(json.stdout);
  assert.equal(report.records, 10);
  assert.deepEqual(
    (report.files as { path: string; status: string }[]).map((f) => [f.path, f.status]),
    [[log, 'imported']],
  );
});

test('a path whose bytes are not UTF-8 is refused, not taken for another file (Node reads them as U+FFFD)', async () => {
  const ws = join(dir, 'latin1-paths.duckdb');
  const log = join(dir, 'latin1-paths.log');
  await writeFlowLogFile(log, { records: 20, seed: 3 });
  assert.equal((await flowscope('import', log, '--workspace', ws)).code, 0);
  // The bytes reach the command as a shell gives them; execFile would send UTF-8.
  const run = (args: string) =>
    promisify(execFile)('sh', ['-c', `exec "${process.execPath}" --import tsx "${cli}" ${args}`], { cwd: root }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
  const output = await run(`query 'SELECT 1 AS a' --workspace "${ws}" --output "${dir}/o$(printf '\\376').csv"`);
  assert.equal(output.code, 2, output.stderr);
  assert.match(output.stderr, /--output .*o\uFFFD\.csv: the path holds bytes that are not UTF-8/);
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith('.csv')),
    [],
    'nothing is written under the name Node made of it',
  );
  const created = await run(`info --json --workspace "${dir}/w$(printf '\\377').duckdb"`);
  assert.equal(created.code, 2);
  assert.equal(lastJson(created.stdout).code, 'bad_request');
  assert.match(created.stderr, /--workspace .*w\uFFFD\.duckdb: the path holds bytes that are not UTF-8/);
});
