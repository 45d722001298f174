/**
 * Main's half of the shell IPC (preload/shell-channels.ts). Every channel first checks its sender (the main
 * frame of one of our workspace windows, showing our own app:// page) and parses its arguments by the
 * channel's schema; whatever fails either is refused with the channel's `refused` answer and logged.
 * Electron's modules come in as arguments, so tests drive this with doubles.
 */
import type { BrowserWindow, Dialog, IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import { basename } from 'node:path';
import type { z } from 'zod';
import type { CredentialChannel } from '../../preload/contract';
import {
  shellInvokes,
  shellSends,
  type InvokeArgs,
  type InvokeReply,
  type SendArgs,
  type Settled,
  type ShellInvoke,
  type ShellSend,
} from '../../preload/shell-channels';
import type { AwsConsent } from './aws-consent';
import type { DropRecords } from './dropped-paths';
import { isAppUrl } from './security';

/** What main asks of a window's engine (EngineProcess is one). */
export interface ShellEngine {
  connect(): Promise<void>;
  registerFiles(paths: string[]): Promise<string[]>;
  call(channel: CredentialChannel, input: unknown): Promise<Settled>;
}

export interface ShellWorkspace {
  engine: ShellEngine;
  window: BrowserWindow;
}

export interface ShellIpcHost {
  ipcMain: Pick<IpcMain, 'on' | 'handle'>;
  dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>;
  /** The workspace window a web contents belongs to, if it is one of ours. */
  workspaceOf(contents: WebContents): ShellWorkspace | null;
  drops: DropRecords;
  consent: AwsConsent;
  /** The File menu's workspace commands, which the page's switcher asks for too. */
  workspaceMenu: { openWorkspace(): void; newWorkspace(): void };
  warn(message: string): void;
}

type ShellEvent = IpcMainEvent | IpcMainInvokeEvent;

/** Only the main frame of a web contents, showing our own page, speaks for a window. */
function isTrustedSender(event: ShellEvent): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame === event.sender.mainFrame && isAppUrl(frame.url);
}

export function registerShellIpc(host: ShellIpcHost): void {
  /** The sender's workspace and the parsed arguments, or null (logged) when either is refused. */
  const admit = (
    event: ShellEvent,
    channel: string,
    schema: z.ZodType,
    raw: unknown[],
  ): { workspace: ShellWorkspace; args: unknown } | null => {
    const workspace = isTrustedSender(event) ? host.workspaceOf(event.sender) : null;
    if (!workspace) {
      host.warn(
        `Flowscope refused ${channel} from ${event.senderFrame?.url ?? 'a closed frame'}: not a workspace window's own page.`,
      );
      return null;
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      host.warn(`Flowscope refused ${channel}: its arguments do not fit the channel (${parsed.error.message}).`);
      return null;
    }
    return { workspace, args: parsed.data };
  };

  const handle = <K extends ShellInvoke>(
    name: K,
    run: (workspace: ShellWorkspace, args: InvokeArgs<K>, contents: WebContents) => Promise<InvokeReply<K>>,
  ): void => {
    const spec = shellInvokes[name];
    host.ipcMain.handle(spec.channel, async (event, ...raw: unknown[]) => {
      const admitted = admit(event, spec.channel, spec.args, raw);
      return admitted ? run(admitted.workspace, admitted.args as InvokeArgs<K>, event.sender) : spec.refused;
    });
  };

  const listen = <K extends ShellSend>(
    name: K,
    run: (workspace: ShellWorkspace, args: SendArgs<K>, contents: WebContents) => void,
  ): void => {
    const spec = shellSends[name];
    host.ipcMain.on(spec.channel, (event, ...raw: unknown[]) => {
      const admitted = admit(event, spec.channel, spec.args, raw);
      if (admitted) run(admitted.workspace, admitted.args as SendArgs<K>, event.sender);
    });
  };

  // A workspace that failed to open is reported by main's window code; the page just gets no port.
  listen('ready', ({ engine }) => void engine.connect().catch(() => undefined));

  listen('dropped', (_workspace, [items], contents) => host.drops.record(contents.id, items));

  listen('openWorkspace', () => host.workspaceMenu.openWorkspace());
  listen('newWorkspace', () => host.workspaceMenu.newWorkspace());

  handle('pickFiles', async ({ engine, window }) => {
    const picked = await host.dialog.showOpenDialog(window, {
      title: 'Import flow logs',
      properties: ['openFile', 'multiSelections'],
      filters: [
        { name: 'Flow logs', extensions: ['log', 'gz', 'txt', 'parquet', 'json', 'csv'] },
        { name: 'All files', extensions: ['*'] },
      ],
    });
    return picked.canceled ? [] : engine.registerFiles(picked.filePaths);
  });

  handle('dropFiles', async ({ engine }, [paths], contents) => {
    const { accepted, refused } = host.drops.take(contents.id, paths);
    for (const { path, reason } of refused) host.warn(`Flowscope refused the dropped path ${path}: ${reason}.`);
    return accepted.length ? engine.registerFiles(accepted) : [];
  });

  // The export's destination: main asks the user, so the page can only write where the user chose.
  handle('pickSaveTarget', async ({ engine, window }, [name, extension]) => {
    const chosen = await host.dialog.showSaveDialog(window, {
      title: 'Export result',
      defaultPath: `${basename(name)}.${extension}`,
      filters: [{ name: extension.toUpperCase(), extensions: [extension] }],
    });
    if (chosen.canceled || !chosen.filePath) return null;
    const [handle] = await engine.registerFiles([chosen.filePath]);
    return handle ?? null;
  });

  handle('awsCall', async ({ engine, window }, [channel, input], contents) => {
    const consent = await host.consent.confirm(window, contents.id, channel, input);
    return consent.allowed ? engine.call(channel, consent.input) : consent.outcome;
  });
}
