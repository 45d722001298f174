/**
 * Electron's main process, kept thin: one instance, one secure window per workspace, the app:// scheme,
 * an engine utility process per window, and native file dialogs whose picks become engine file handles.
 *
 * The workspace: `--workspace=<file>` on the command line, else the built-in demo workspace in the
 * user's data folder (made on first start).
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  protocol,
  session,
  shell,
  type IpcMainEvent,
  type IpcMainInvokeEvent,
} from 'electron';
import { statSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import { registerAppScheme, serveAppScheme } from './app-protocol';
import { EngineProcess, type EngineTarget } from './engine-process';
import { appMenuTemplate } from './menu';
import { denyPermissions, isTrustedSender, lockDownWebContents } from './security';
import { RENDERER_URL, windowOptions } from './window';

export const READY_CHANNEL = 'flowscope:ready';
export const PICK_FILES_CHANNEL = 'flowscope:pick-files';
export const DROP_FILES_CHANNEL = 'flowscope:drop-files';
export const SAVE_TARGET_CHANNEL = 'flowscope:save-target';

const dist = join(__dirname, '..');
const engines = new Map<number, EngineProcess>();

app.setName('Flowscope');
registerAppScheme(protocol);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => app.quit());
  lockDownWebContents(app, (url) => shell.openExternal(url));
  void app.whenReady().then(start);
}

function workspaceTarget(argv: readonly string[]): EngineTarget {
  const given = argv.find((arg) => arg.startsWith('--workspace='))?.slice('--workspace='.length);
  return given
    ? { workspace: given, demo: false }
    : { workspace: join(app.getPath('userData'), 'demo.duckdb'), demo: true };
}

/** The engine of the window that sent `event`, if a trusted frame sent it. */
function engineFor(event: IpcMainEvent | IpcMainInvokeEvent): EngineProcess | null {
  return isTrustedSender(event) ? (engines.get(event.sender.id) ?? null) : null;
}

async function start(): Promise<void> {
  denyPermissions(session.defaultSession);
  serveAppScheme(protocol, join(dist, 'renderer'));

  // A workspace that failed to open is reported by openWorkspaceWindow; the page just gets no port.
  ipcMain.on(
    READY_CHANNEL,
    (event) =>
      void engineFor(event)
        ?.connect()
        .catch(() => undefined),
  );
  ipcMain.handle(PICK_FILES_CHANNEL, async (event) => {
    const engine = engineFor(event);
    const window = BrowserWindow.fromWebContents(event.sender);
    if (!engine || !window) return [];
    const picked = await dialog.showOpenDialog(window, {
      title: 'Import flow logs',
      properties: ['openFile', 'multiSelections'],
      filters: [
        { name: 'Flow logs', extensions: ['log', 'gz', 'txt', 'parquet', 'json', 'csv'] },
        { name: 'All files', extensions: ['*'] },
      ],
    });
    return picked.canceled ? [] : engine.registerFiles(picked.filePaths);
  });
  // The export's destination: main asks the user, so the page can only write where the user chose.
  ipcMain.handle(SAVE_TARGET_CHANNEL, async (event, name: unknown, extension: unknown) => {
    const engine = engineFor(event);
    const window = BrowserWindow.fromWebContents(event.sender);
    if (
      !engine ||
      !window ||
      typeof name !== 'string' ||
      typeof extension !== 'string' ||
      !/^[a-z]{1,8}$/.test(extension)
    )
      return null;
    const chosen = await dialog.showSaveDialog(window, {
      title: 'Export result',
      defaultPath: `${basename(name)}.${extension}`,
      filters: [{ name: extension.toUpperCase(), extensions: [extension] }],
    });
    if (chosen.canceled || !chosen.filePath) return null;
    const [handle] = await engine.registerFiles([chosen.filePath]);
    return handle ?? null;
  });
  ipcMain.handle(DROP_FILES_CHANNEL, async (event, paths: unknown) => {
    const engine = engineFor(event);
    if (!engine || !Array.isArray(paths)) return [];
    return engine.registerFiles(paths.filter(isDroppedFile));
  });

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(appMenuTemplate(process.platform, app.isPackaged, { openWorkspace, newWorkspace })),
  );
  openWorkspaceWindow(workspaceTarget(process.argv));
}

const WORKSPACE_FILTERS = [{ name: 'Flowscope workspace', extensions: ['duckdb'] }];

/** Workspace dialogs hang off the window in front, or the first one (the menu works with none focused). */
function frontWindow(): BrowserWindow | undefined {
  return BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
}

async function openWorkspace(): Promise<void> {
  const window = frontWindow();
  if (!window) return;
  const picked = await dialog.showOpenDialog(window, {
    title: 'Open workspace',
    properties: ['openFile'],
    filters: WORKSPACE_FILTERS,
  });
  const [workspace] = picked.canceled ? [] : picked.filePaths;
  if (workspace) openWorkspaceWindow({ workspace, demo: false });
}

async function newWorkspace(): Promise<void> {
  const window = frontWindow();
  if (!window) return;
  const chosen = await dialog.showSaveDialog(window, {
    title: 'New workspace',
    defaultPath: 'investigation.duckdb',
    filters: WORKSPACE_FILTERS,
  });
  if (!chosen.canceled && chosen.filePath)
    openWorkspaceWindow({ workspace: chosen.filePath, demo: false, create: true });
}

/** What the preload read from a dropped File: an absolute path to an existing file or folder. */
function isDroppedFile(path: unknown): path is string {
  if (typeof path !== 'string' || !isAbsolute(path)) return false;
  try {
    const stat = statSync(path);
    return stat.isFile() || stat.isDirectory();
  } catch {
    return false;
  }
}

function openWorkspaceWindow(target: EngineTarget): void {
  const window = new BrowserWindow(windowOptions(join(dist, 'electron', 'preload.cjs'), 'Flowscope'));
  const contents = window.webContents;
  const engine = new EngineProcess(join(dist, 'engine', 'utility.mjs'), target, contents);
  engines.set(contents.id, engine);
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    engines.delete(contents.id);
    engine.stop();
  });
  engine.start().catch((err: Error) => {
    dialog.showErrorBox('Flowscope could not open the workspace', `${target.workspace}\n\n${err.message}`);
    window.close();
  });
  void window.loadURL(RENDERER_URL);
}
