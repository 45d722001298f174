import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { FlowscopeError } from '../../../main/engine/errors';
import { Workspace } from '../../../main/engine/workspace';
import { holdWorkspace } from '../../support/held-workspace';
import { tempDir } from './helpers';

test('a workspace open in another process is refused as in use, and opens once that process is gone', async () => {
  const path = join(tempDir(), 'shared.duckdb');
  const holder = await holdWorkspace(path);
  try {
    await assert.rejects(
      Workspace.open(path),
      (err: unknown) =>
        err instanceof FlowscopeError &&
        err.code === 'workspace_in_use' &&
        err.message === `The workspace ${path} is in use by another Flowscope process (process id ${holder.pid}).`,
    );
  } finally {
    await holder.release();
  }
  const ws = await Workspace.open(path);
  assert.equal((await ws.info()).records, 0);
  await ws.close();
});
