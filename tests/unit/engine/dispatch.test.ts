import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContractHandlers } from '../../../preload/contract';
import { dispatch } from '../../../main/engine/dispatch';
import { FlowscopeError } from '../../../main/engine/errors';

/** Only the channels a test calls need to exist; the dispatcher looks methods up by channel. */
function handlers(partial: Partial<ContractHandlers>): ContractHandlers {
  return partial as ContractHandlers;
}

test('a message that is not {id, channel, input} is rejected with bad_request', async () => {
  const r = await dispatch(handlers({}), { nope: 1 });
  assert.deepEqual(r, {
    id: -1,
    ok: false,
    error: { code: 'bad_request', message: 'A message must be {id, channel, input}.' },
  });
});

test('an unknown channel is answered with unknown_channel', async () => {
  const r = await dispatch(handlers({}), { id: 7, channel: 'fs.readFile', input: {} });
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.error.code, 'unknown_channel');
  assert.equal(r.id, 7);
});

test('input is validated against the channel schema before the engine sees it', async () => {
  let called = false;
  const h = handlers({ jobCancel: async () => ((called = true), { cancelled: true }) });
  const r = await dispatch(h, { id: 1, channel: 'job.cancel', input: { jobId: 42 } });
  assert.equal(called, false);
  assert.equal(!r.ok && r.error.code, 'bad_request');
  assert.match(!r.ok ? r.error.message : '', /jobId/);
});

test('defaults are filled in and the engine method is called with parsed input', async () => {
  let seen: unknown;
  const h = handlers({ workspaceImports: async (input) => ((seen = input), { total: 0, imports: [] }) });
  const r = await dispatch(h, { id: 'a', channel: 'workspace.imports', input: {} });
  assert.deepEqual(r, { id: 'a', ok: true, value: { total: 0, imports: [] } });
  assert.deepEqual(seen, { offset: 0, limit: 100 });
});

test('an engine error becomes a coded error value, never a thrown exception', async () => {
  const h = handlers({
    workspaceInfo: async () => {
      throw new FlowscopeError('workspace_in_use', 'The workspace is in use by another Flowscope.');
    },
  });
  const r = await dispatch(h, { id: 2, channel: 'workspace.info', input: {} });
  assert.deepEqual(r, {
    id: 2,
    ok: false,
    error: { code: 'workspace_in_use', message: 'The workspace is in use by another Flowscope.' },
  });
});
