/**
 * The preload of every Flowscope window (sandboxed, context-isolated, bundled to CommonJS): trusted shell
 * code beside the page. It keeps to itself the engine port, Electron's IPC and the record of what the user
 * dropped, and exposes to the page, as `window.flowscope`, only:
 *  - contract calls, validated against the contract; those acting with AWS credentials only while the page
 *    answers a click or key press, and through main, which asks the user (main/electron/aws-consent.ts);
 *  - event and connection subscriptions;
 *  - file picking, dropping and save targets, answered with engine file handles, never paths;
 *  - the File menu's Open Workspace… and New Workspace… (main's dialogs, each workspace in its own window).
 * Every message to main is one of preload/shell-channels.ts, and main parses it by that schema again.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { isCredentialChannel } from './contract';
import { RpcClient, settle, type ConnectionState, type FlowscopeBridge } from './rpc-client';
import {
  shellEvents,
  shellInvokes,
  shellSends,
  type DroppedItem,
  type InvokeArgs,
  type InvokeReply,
  type Settled,
  type ShellInvoke,
  type ShellSend,
  type SendArgs,
} from './shell-channels';

const rpc = new RpcClient();
let port: MessagePort | null = null;

/** Ask main; what main answers is parsed by the channel's schema too (anything else counts as a refusal). */
async function invokeShell<K extends ShellInvoke>(name: K, args: InvokeArgs<K>): Promise<InvokeReply<K>> {
  const spec = shellInvokes[name];
  if (!spec.args.safeParse(args).success) return spec.refused as InvokeReply<K>;
  const reply = spec.reply.safeParse(await ipcRenderer.invoke(spec.channel, ...args));
  return (reply.success ? reply.data : spec.refused) as InvokeReply<K>;
}

function sendShell<K extends ShellSend>(name: K, args: SendArgs<K>): void {
  ipcRenderer.send(shellSends[name].channel, ...args);
}

ipcRenderer.on(shellEvents.enginePort.channel, (event, info: unknown) => {
  const fresh = event.ports[0];
  if (!fresh) return;
  port?.close();
  port = fresh;
  fresh.onmessage = (message) => rpc.receive(message.data);
  fresh.start();
  const restarted = shellEvents.enginePort.payload.safeParse(info).data?.restarted ?? false;
  rpc.attach((message) => fresh.postMessage(message), restarted ? 'restarted' : 'connected');
});

ipcRenderer.on(shellEvents.engineLost.channel, () => {
  port?.close();
  port = null;
  rpc.detach('The engine stopped; Flowscope is restarting it.');
});

// What the user dropped, read from the trusted drop event before the page sees it (capture phase, and
// this listener is registered before any page script runs). A page can dispatch drop events of its own,
// but they are never trusted, so only real drops are recorded; main accepts dropped paths only from here.
window.addEventListener(
  'drop',
  (event) => {
    if (!event.isTrusted || !event.dataTransfer) return;
    const items = droppedItems(event.dataTransfer);
    if (items.length) sendShell('dropped', [items.slice(0, 1000)]);
  },
  true,
);

function droppedItems(transfer: DataTransfer): DroppedItem[] {
  const items: DroppedItem[] = [];
  for (const item of Array.from(transfer.items)) {
    const file = item.kind === 'file' ? item.getAsFile() : null;
    const path = file ? webUtils.getPathForFile(file) : '';
    if (path) items.push({ path, kind: item.webkitGetAsEntry()?.isDirectory ? 'folder' : 'file' });
  }
  return items;
}

/**
 * An AWS call: only while the page answers a click or key press (transient user activation, which
 * script cannot fake), and then main asks the user before the engine acts.
 */
async function awsCall(channel: string, input: unknown): Promise<Settled> {
  if (!navigator.userActivation.isActive)
    return {
      ok: false,
      error: { code: 'bad_request', message: `${channel} acts with your AWS credentials: it must follow a click.` },
    };
  return invokeShell('awsCall', [channel as InvokeArgs<'awsCall'>[0], input]);
}

const bridge: FlowscopeBridge = {
  invoke: (channel: string, input: unknown) =>
    isCredentialChannel(String(channel)) ? awsCall(String(channel), input) : settle(rpc.call(String(channel), input)),
  on: (event: string, listener: (payload: unknown) => void) => rpc.on(event as never, listener),
  onConnection: (listener: (state: ConnectionState) => void) => rpc.onConnection(listener),
  pickFiles: () => invokeShell('pickFiles', []),
  // Paths come from the File objects themselves (a page cannot make a File with a path of its choosing);
  // main accepts only those the user really dropped (recorded above).
  dropFiles: async (files: File[]) => {
    const paths = Array.from(files, (file) => webUtils.getPathForFile(file)).filter((path) => path !== '');
    return paths.length ? invokeShell('dropFiles', [paths.slice(0, 1000)]) : [];
  },
  pickSaveTarget: (suggestedName: string, extension: string) =>
    invokeShell('pickSaveTarget', [String(suggestedName), String(extension)]),
  openWorkspace: () => sendShell('openWorkspace', []),
  newWorkspace: () => sendShell('newWorkspace', []),
};

contextBridge.exposeInMainWorld('flowscope', bridge);
sendShell('ready', []);
