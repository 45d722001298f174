/**
 * `flowscope query … | head`: the reader closes the pipe while the result is still being written. The
 * command must end at once, quietly and with status 0, in every output format (it printed an EPIPE stack).
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { promisify } from 'node:util';
import { writeFlowLogFile } from '../../../main/engine/ingest/generator';
import { tempDir } from '../workspace/helpers';

const root = new URL('../../../', import.meta.url).pathname;
const dir = tempDir('flowscope-pipe-');
const workspace = join(dir, 'ws.duckdb');
const command = [join(root, 'bin/flowscope.mjs')];

before(async () => {
  await writeFlowLogFile(join(dir, 'a.log'), { records: 20_000, seed: 3 });
  await promisify(execFile)(process.execPath, [...command, 'import', join(dir, 'a.log'), '--workspace', workspace]);
});

/** Runs the query, reads its first chunk of output, closes the pipe, and answers how the command ended. */
function readThenClose(format: string): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [
      ...command,
      'query',
      'fields srcAddr, dstAddr, bytes',
      '--workspace',
      workspace,
      '--format',
      format,
    ]);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

for (const format of ['csv', 'json', 'table'])
  test(`--format ${format}: a closed output pipe ends the command quietly with status 0`, async () => {
    const ended = await readThenClose(format);
    assert.doesNotMatch(ended.stderr, /EPIPE|Error|\n {4}at /);
    assert.equal(ended.code, 0);
  });
