/**
 * The preload of every Flowscope window (sandboxed, context-isolated, bundled to CommonJS). It keeps the
 * engine port to itself and exposes, as `window.flowscope`, only contract calls validated against the
 * contract, event and connection subscriptions, and file picking and dropping (main turns the paths
 * into engine file handles).
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { RpcClient, settle, type ConnectionState, type FlowscopeBridge } from './rpc-client';

// The channel names main uses (main/electron/main.ts and engine-process.ts); kept literal here so the
// preload bundle does not pull in main's modules.
const READY_CHANNEL = 'flowscope:ready';
const PICK_FILES_CHANNEL = 'flowscope:pick-files';
const DROP_FILES_CHANNEL = 'flowscope:drop-files';
const SAVE_TARGET_CHANNEL = 'flowscope:save-target';
const ENGINE_PORT_CHANNEL = 'flowscope:engine-port';
const ENGINE_LOST_CHANNEL = 'flowscope:engine-lost';

const rpc = new RpcClient();
let port: MessagePort | null = null;

ipcRenderer.on(ENGINE_PORT_CHANNEL, (event, info: { restarted?: boolean }) => {
  const fresh = event.ports[0];
  if (!fresh) return;
  port?.close();
  port = fresh;
  fresh.onmessage = (message) => rpc.receive(message.data);
  fresh.start();
  rpc.attach((message) => fresh.postMessage(message), info?.restarted ? 'restarted' : 'connected');
});

ipcRenderer.on(ENGINE_LOST_CHANNEL, () => {
  port?.close();
  port = null;
  rpc.detach('The engine stopped; Flowscope is restarting it.');
});

const bridge: FlowscopeBridge = {
  invoke: (channel: string, input: unknown) => settle(rpc.call(String(channel), input)),
  on: (event: string, listener: (payload: unknown) => void) => rpc.on(event as never, listener),
  onConnection: (listener: (state: ConnectionState) => void) => rpc.onConnection(listener),
  pickFiles: async () => handlesFrom(await ipcRenderer.invoke(PICK_FILES_CHANNEL)),
  // Paths come from the dropped File objects themselves (a page cannot make a File with a path of its
  // choosing), so the page can only hand over files the user really dropped.
  dropFiles: async (files: File[]) => {
    const paths = Array.from(files, (file) => webUtils.getPathForFile(file)).filter((path) => path !== '');
    return paths.length ? handlesFrom(await ipcRenderer.invoke(DROP_FILES_CHANNEL, paths)) : [];
  },
  pickSaveTarget: async (suggestedName: string, extension: string) =>
    handlesFrom([await ipcRenderer.invoke(SAVE_TARGET_CHANNEL, String(suggestedName), String(extension))])[0] ?? null,
};

function handlesFrom(reply: unknown): string[] {
  return Array.isArray(reply) ? reply.filter((h): h is string => typeof h === 'string') : [];
}

contextBridge.exposeInMainWorld('flowscope', bridge);
ipcRenderer.send(READY_CHANNEL);
