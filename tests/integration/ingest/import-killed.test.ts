import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { importFile } from '../../../main/engine/ingest';
import { writeFlowLogFile } from '../../../main/engine/ingest/generator';
import { Workspace } from '../../../main/engine/workspace';

const dir = mkdtempSync(join(tmpdir(), 'flowscope-kill-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function state(ws: Workspace) {
  return (
    await ws.all(`SELECT (SELECT count(*) FROM flows) AS flows, (SELECT sum(bytes) FROM flows) AS bytes,
    (SELECT count(*) FROM imports) AS imports, (SELECT count(*) FROM rejected_lines) AS rejected`)
  )[0];
}

test('an import killed with SIGKILL in the middle of a file leaves the workspace as it was before that file', async () => {
  const file = join(dir, 'workspace.duckdb');
  const big = join(dir, 'big.log.gz');
  await writeFlowLogFile(big, { records: 500_000, gzip: true, seed: 5 });
  let ws = await Workspace.open(file, { create: true });
  const first = await importFile(
    ws,
    join(import.meta.dirname, '..', '..', 'fixtures', 'ingest', 'malformed-lines.log'),
    {},
  );
  assert.equal(first.status, 'imported');
  const before = await state(ws);
  await ws.close();

  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'import-child.ts'), file, big], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  while (!out.includes('in-transaction')) {
    assert.equal(child.exitCode, null, `the child ended early: ${out}`);
    await sleep(20);
  }
  await sleep(400);
  child.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');
  assert.doesNotMatch(out, /done/, 'the import was still running when it was killed');

  ws = await Workspace.open(file);
  try {
    assert.deepEqual(await state(ws), before);
    assert.deepEqual(
      (await ws.all('SELECT path FROM imports')).map((r) => r.path),
      [first.path],
      'no partial import in the ledger',
    );
    assert.deepEqual(readdirSync(ws.stagingDir), [], 'the staged copy left by the killed process is cleared');
    const again = await importFile(ws, big, {});
    assert.equal(again.status, 'imported', again.error);
    assert.equal(again.records, 500_000);
  } finally {
    await ws.close();
  }
});
