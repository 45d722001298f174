import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientFromBridge, ContractError, RpcClient, settle, type FlowscopeBridge } from '../../../preload/rpc-client';

function connected() {
  const sent: { id: number; channel: string; input: unknown }[] = [];
  const rpc = new RpcClient();
  rpc.attach((message) => sent.push(message as (typeof sent)[number]), 'connected');
  return { rpc, sent };
}

test('calls are checked against the contract before anything is sent', async () => {
  const { rpc, sent } = connected();
  await assert.rejects(rpc.call('shell.exec', {}), (err: ContractError) => err.code === 'unknown_channel');
  await assert.rejects(
    rpc.call('query.page', { resultId: 'r', offset: -5, limit: 1 }),
    (err: ContractError) => err.code === 'bad_request',
  );
  assert.deepEqual(sent, []);
});

test('responses resolve or reject the call with the same id, in any order', async () => {
  const { rpc, sent } = connected();
  const info = rpc.invoke('workspace.info', {});
  const cancel = rpc.invoke('query.cancel', { queryId: 'q' });
  const [first, second] = sent;
  rpc.receive({ id: second!.id, ok: false, error: { code: 'not_found', message: 'no such query' } });
  rpc.receive({ id: first!.id, ok: true, value: { records: 7 } });
  assert.deepEqual(await info, { records: 7 });
  await assert.rejects(cancel, (err: ContractError) => err instanceof ContractError && err.code === 'not_found');
});

test('events reach their listeners until unsubscribed', () => {
  const { rpc } = connected();
  const seen: unknown[] = [];
  const off = rpc.on('job.state', (payload) => seen.push(payload));
  rpc.receive({ event: 'job.state', payload: { jobId: 'a' } });
  off();
  rpc.receive({ event: 'job.state', payload: { jobId: 'b' } });
  assert.deepEqual(seen, [{ jobId: 'a' }]);
});

test('a lost connection fails the calls in flight and reports the state; a new one is "restarted"', async () => {
  const { rpc } = connected();
  const states: string[] = [];
  rpc.onConnection((state) => states.push(state));
  const pending = rpc.invoke('workspace.info', {});
  rpc.detach('gone');
  await assert.rejects(pending, /gone/);
  await assert.rejects(rpc.invoke('workspace.info', {}), /Not connected/);
  rpc.attach(() => undefined, 'restarted');
  assert.deepEqual(states, ['lost', 'restarted']);
});

test('errors cross the preload bridge as values and come out as ContractErrors with their code', async () => {
  const bridge: FlowscopeBridge = {
    invoke: (channel, input) =>
      settle(Promise.reject(new ContractError({ code: 'query_error', message: `bad ${channel}`, detail: input }))),
    on: () => () => undefined,
    onConnection: () => () => undefined,
    pickFiles: async () => [],
    dropFiles: async () => [],
    pickSaveTarget: async () => null,
    openWorkspace: () => undefined,
    newWorkspace: () => undefined,
  };
  const outcome = await bridge.invoke('query.run', { query: 'x' });
  assert.deepEqual(outcome, {
    ok: false,
    error: { code: 'query_error', message: 'bad query.run', detail: { query: 'x' } },
  });
  await assert.rejects(
    clientFromBridge(bridge).invoke('query.run', { query: 'x' }),
    (err: ContractError) => err.code === 'query_error' && (err.detail as { query: string }).query === 'x',
  );
});

test("the Electron client's file capabilities go through the bridge: save dialog, then export to its handle", async () => {
  const calls: unknown[][] = [];
  let chosen: string | null = 'handle-out';
  const bridge: FlowscopeBridge = {
    invoke: async (channel, input) => {
      calls.push(['invoke', channel, input]);
      return { ok: true, value: { fileName: 'q.csv', rows: 3, bytes: 30, savedTo: '/home/a/q.csv', downloadId: null } };
    },
    on: () => () => undefined,
    onConnection: () => () => undefined,
    pickFiles: async () => ['picked'],
    dropFiles: async (files) => files.map((f) => `dropped:${f.name}`),
    pickSaveTarget: async (name, extension) => {
      calls.push(['pickSaveTarget', name, extension]);
      return chosen;
    },
    openWorkspace: () => void calls.push(['openWorkspace']),
    newWorkspace: () => void calls.push(['newWorkspace']),
  };
  const client = clientFromBridge(bridge);
  assert.equal(client.hasFileDialog, true);
  assert.deepEqual(await client.pickFiles(), ['picked']);
  const file = new File(['x'], 'a.log');
  assert.deepEqual(await client.sendFiles([file]), ['dropped:a.log']);
  assert.deepEqual(await client.sendDropped({ files: [file] } as unknown as DataTransfer), ['dropped:a.log']);

  const saved = await client.saveExport({ resultId: 'r1', format: 'csv', name: 'q' });
  assert.equal(saved?.savedTo, '/home/a/q.csv');
  assert.deepEqual(calls, [
    ['pickSaveTarget', 'q', 'csv'],
    ['invoke', 'export.result', { resultId: 'r1', format: 'csv', name: 'q', target: 'handle-out' }],
  ]);
  // Cancelling the dialog exports nothing.
  chosen = null;
  calls.length = 0;
  assert.equal(await client.saveExport({ resultId: 'r1', format: 'json' }), null);
  assert.deepEqual(calls, [['pickSaveTarget', 'flowscope-result', 'json']]);
  // Workspaces open from the File menu's dialogs, each in a window of its own.
  calls.length = 0;
  assert.equal(client.workspaces.kind, 'dialogs');
  if (client.workspaces.kind === 'dialogs') {
    client.workspaces.create();
    client.workspaces.open();
  }
  assert.deepEqual(calls, [['newWorkspace'], ['openWorkspace']]);
});
