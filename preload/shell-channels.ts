/**
 * The Electron shell's own IPC between the preload and main, declared once: each channel's name and the
 * zod schema of its arguments and reply (main ↔ engine is main/engine/host/parent-protocol.ts). Main parses
 * every message it gets by these schemas and refuses, with a logged reason, what does not fit; the preload
 * sends only what they allow. Pure (zod and the contract), so the sandboxed preload bundle can hold it.
 */
import { z } from 'zod';
import { credentialChannels, FileHandle, WireError } from './contract';

const ShellPath = z.string().min(1).max(4096);

/** An item of a drop the user made on the window, as the preload read it from the trusted drop event. */
export const DroppedItem = z.object({ path: ShellPath, kind: z.enum(['file', 'folder']) });
export type DroppedItem = z.infer<typeof DroppedItem>;

/** A call's outcome as a plain value: errors must cross Electron's IPC and contextBridge as data. */
export const Settled = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: WireError }),
]);
export type Settled = z.infer<typeof Settled>;

/** `ipcRenderer.invoke` → `ipcMain.handle`; `refused` is main's answer to a message it does not accept. */
export const shellInvokes = {
  /** Native open dialog; main registers the picked paths with the engine. */
  pickFiles: {
    channel: 'flowscope:pick-files',
    args: z.tuple([]),
    reply: z.array(FileHandle),
    refused: [] as string[],
  },
  /** Paths of dropped File objects; main accepts only what the drop record below holds. */
  dropFiles: {
    channel: 'flowscope:drop-files',
    args: z.tuple([z.array(ShellPath).min(1).max(1000)]),
    reply: z.array(FileHandle),
    refused: [] as string[],
  },
  /** Native save dialog for an export: (suggested name, extension). */
  pickSaveTarget: {
    channel: 'flowscope:save-target',
    args: z.tuple([z.string().min(1).max(200), z.string().regex(/^[a-z]{1,8}$/)]),
    reply: FileHandle.nullable(),
    refused: null as string | null,
  },
  /** A call that acts with the user's AWS credentials: main asks the user first, then calls the engine. */
  awsCall: {
    channel: 'flowscope:aws-call',
    args: z.tuple([z.enum(credentialChannels), z.unknown()]),
    reply: Settled,
    refused: {
      ok: false,
      error: { code: 'bad_request', message: 'The app refused this AWS call.' },
    } as Settled,
  },
} as const;

/** `ipcRenderer.send` → `ipcMain.on`, no reply. */
export const shellSends = {
  /** The page loaded: main hands it a (fresh) engine port. */
  ready: { channel: 'flowscope:ready', args: z.tuple([]) },
  /** A trusted drop event happened: what the user dropped, recorded by main for `dropFiles`. */
  dropped: { channel: 'flowscope:dropped', args: z.tuple([z.array(DroppedItem).min(1).max(1000)]) },
  /** The page's workspace switcher: main shows File → Open Workspace… (the workspace opens in a new window). */
  openWorkspace: { channel: 'flowscope:open-workspace', args: z.tuple([]) },
  /** The page's workspace switcher: main shows File → New Workspace…. */
  newWorkspace: { channel: 'flowscope:new-workspace', args: z.tuple([]) },
} as const;

/** Main → the window's preload (`webContents.postMessage` / `send`). */
export const shellEvents = {
  /** Carries the window's MessagePort to its engine in `event.ports`. */
  enginePort: { channel: 'flowscope:engine-port', payload: z.object({ restarted: z.boolean() }) },
  engineLost: { channel: 'flowscope:engine-lost', payload: z.object({ code: z.number().int() }) },
} as const;

export type ShellInvoke = keyof typeof shellInvokes;
export type ShellSend = keyof typeof shellSends;
export type InvokeArgs<K extends ShellInvoke> = z.infer<(typeof shellInvokes)[K]['args']>;
export type InvokeReply<K extends ShellInvoke> = z.infer<(typeof shellInvokes)[K]['reply']>;
export type SendArgs<K extends ShellSend> = z.infer<(typeof shellSends)[K]['args']>;
