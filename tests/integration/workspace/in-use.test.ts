import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { test } from 'node:test';
import { FlowscopeError } from '../../../main/engine/errors';
import { Workspace } from '../../../main/engine/workspace';
import { tempDir } from './helpers';

test('a workspace open in another process is refused as in use, and opens once that process is gone', async () => {
  const path = join(tempDir(), 'shared.duckdb');
  const holder = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'hold-workspace.ts'), path], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  try {
    const [line] = (await once(holder.stdout, 'data')) as [Buffer];
    assert.equal(line.toString().trim(), 'open');
    await assert.rejects(
      Workspace.open(path),
      (err: unknown) =>
        err instanceof FlowscopeError &&
        err.code === 'workspace_in_use' &&
        err.message === `The workspace ${path} is in use by another Flowscope process (process id ${holder.pid}).`,
    );
  } finally {
    holder.kill('SIGKILL');
    await once(holder, 'exit');
  }
  const ws = await Workspace.open(path);
  assert.equal((await ws.info()).records, 0);
  await ws.close();
});
