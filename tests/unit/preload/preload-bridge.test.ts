/**
 * The preload as Electron runs it: the bundle build/build.mjs makes (esbuild, CommonJS, only `electron`
 * left to require), run with doubles of Electron's preload modules (contextBridge, ipcRenderer, webUtils),
 * of the window it listens on and of `navigator.userActivation`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build } from 'esbuild';
import { electronBundles } from '../../../build/bundles.mjs';
import { shellEvents, shellInvokes, shellSends } from '../../../preload/shell-channels';

const root = new URL('../../../', import.meta.url).pathname;
const { preload } = electronBundles(root, 'dist');
const bundled = await build({ ...preload, write: false });
const code = bundled.outputFiles[0]!.text;

interface FileDouble {
  path: string;
}
type Listener = (...args: unknown[]) => void;

/** Load the bundle once; `replies` answers ipcRenderer.invoke by channel. */
function loadPreload(replies: Record<string, unknown> = {}) {
  const exposed: Record<string, unknown> = {};
  const sent: unknown[][] = [];
  const invoked: unknown[][] = [];
  const ipcListeners = new Map<string, Listener>();
  const windowListeners: { type: string; listener: Listener; capture: unknown }[] = [];
  const userActivation = { isActive: false };
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
    ipcRenderer: {
      on: (channel: string, listener: Listener) => void ipcListeners.set(channel, listener),
      send: (...args: unknown[]) => void sent.push(args),
      invoke: async (...args: unknown[]) => {
        invoked.push(args);
        return replies[args[0] as string];
      },
    },
    webUtils: { getPathForFile: (file: FileDouble) => file.path },
  };
  const window = {
    addEventListener: (type: string, listener: Listener, capture: unknown) =>
      void windowListeners.push({ type, listener, capture }),
  };
  const requireElectron = (name: string) => {
    if (name !== 'electron') throw new Error(`The sandboxed preload required ${name}.`);
    return electron;
  };
  const module = { exports: {} };
  new Function('require', 'module', 'exports', 'window', 'navigator', code)(
    requireElectron,
    module,
    module.exports,
    window,
    { userActivation },
  );
  return {
    bridge: exposed.flowscope as Record<string, (...args: unknown[]) => Promise<unknown>>,
    exposed,
    sent,
    invoked,
    ipcListeners,
    windowListeners,
    userActivation,
  };
}

/** A drop event as Chromium delivers it: items of kind 'file', each a File and a file-system entry. */
function dropEvent(isTrusted: boolean, items: { path: string; folder: boolean }[]) {
  return {
    isTrusted,
    dataTransfer: {
      items: [
        { kind: 'string', getAsFile: () => null, webkitGetAsEntry: () => null },
        ...items.map(({ path, folder }) => ({
          kind: 'file',
          getAsFile: () => ({ path }),
          webkitGetAsEntry: () => ({ isDirectory: folder }),
        })),
      ],
    },
  };
}

test('the page gets window.flowscope with eight members and nothing else; main hears the page is ready', () => {
  const { exposed, bridge, sent } = loadPreload();
  assert.deepEqual(Object.keys(exposed), ['flowscope']);
  assert.deepEqual(Object.keys(bridge).sort(), [
    'dropFiles',
    'invoke',
    'newWorkspace',
    'on',
    'onConnection',
    'openWorkspace',
    'pickFiles',
    'pickSaveTarget',
  ]);
  assert.deepEqual(sent, [[shellSends.ready.channel]]);
  (bridge.openWorkspace as () => void)();
  (bridge.newWorkspace as () => void)();
  assert.deepEqual(sent.slice(1), [[shellSends.openWorkspace.channel], [shellSends.newWorkspace.channel]]);
});

test('contract calls go to the engine port; AWS calls never do, and need a click before main is asked', async () => {
  const confirmed = { ok: true, value: { buckets: [] } };
  const preloadRun = loadPreload({ [shellInvokes.awsCall.channel]: confirmed });
  const posted: unknown[] = [];
  const port = {
    onmessage: null,
    start: () => undefined,
    close: () => undefined,
    postMessage: (m: unknown) => posted.push(m),
  };
  preloadRun.ipcListeners.get(shellEvents.enginePort.channel)!({ ports: [port] }, { restarted: false });

  void preloadRun.bridge.invoke!('workspace.info', {});
  assert.deepEqual(posted, [{ id: 1, channel: 'workspace.info', input: {} }]);

  const withoutClick = (await preloadRun.bridge.invoke!('aws.buckets', { profile: 'prod' })) as {
    ok: boolean;
    error: { message: string };
  };
  assert.equal(withoutClick.ok, false);
  assert.match(withoutClick.error.message, /must follow a click/);
  assert.deepEqual(preloadRun.invoked, []);

  preloadRun.userActivation.isActive = true;
  assert.deepEqual(await preloadRun.bridge.invoke!('aws.buckets', { profile: 'prod' }), confirmed);
  assert.deepEqual(preloadRun.invoked, [[shellInvokes.awsCall.channel, 'aws.buckets', { profile: 'prod' }]]);
  assert.equal(posted.length, 1, 'no AWS call went to the engine port');
});

test('only trusted drops are recorded for main, each item as a file or a folder', () => {
  const { windowListeners, sent } = loadPreload();
  const drop = windowListeners.find((l) => l.type === 'drop');
  assert.ok(drop, 'the preload listens for drops');
  assert.equal(drop.capture, true, 'in the capture phase, before the page');
  drop.listener(dropEvent(false, [{ path: '/home/me/.ssh', folder: true }]));
  drop.listener(
    dropEvent(true, [
      { path: '/data/flows.log', folder: false },
      { path: '/data/AWSLogs', folder: true },
    ]),
  );
  assert.deepEqual(sent.slice(1), [
    [
      shellSends.dropped.channel,
      [
        { path: '/data/flows.log', kind: 'file' },
        { path: '/data/AWSLogs', kind: 'folder' },
      ],
    ],
  ]);
});

test('file capabilities send main only what their schemas allow and accept only handles back', async () => {
  const run = loadPreload({
    [shellInvokes.dropFiles.channel]: ['fh_abcdefgh'],
    [shellInvokes.pickFiles.channel]: ['/etc/passwd'],
    [shellInvokes.pickSaveTarget.channel]: 'fh_outfile1',
  });
  assert.deepEqual(await run.bridge.dropFiles!([{ path: '/data/flows.log' }, { path: '' }]), ['fh_abcdefgh']);
  assert.deepEqual(await run.bridge.dropFiles!([{ path: '' }]), [], 'a File without a path is never sent');
  assert.deepEqual(await run.bridge.pickFiles!(), [], 'a reply that is not handles is refused');
  assert.equal(await run.bridge.pickSaveTarget!('result', 'csv'), 'fh_outfile1');
  assert.equal(await run.bridge.pickSaveTarget!('result', '../x'), null, 'a bad extension is not even sent');
  assert.deepEqual(run.invoked, [
    [shellInvokes.dropFiles.channel, ['/data/flows.log']],
    [shellInvokes.pickFiles.channel],
    [shellInvokes.pickSaveTarget.channel, 'result', 'csv'],
  ]);
});
