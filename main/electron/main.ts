/**
 * Electron's main process, kept thin: one instance, one secure window per workspace, the app:// scheme,
 * an engine utility process per window, and the shell IPC (shell-ipc.ts): native file dialogs and drops
 * whose paths become engine file handles, and the AWS calls the user confirms.
 *
 * The workspace: `--workspace=<file>` on the command line, else the built-in demo workspace in the
 * user's data folder (made on first start).
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell } from 'electron';
import { join } from 'node:path';
import { registerAppScheme, serveAppScheme } from './app-protocol';
import { AwsConsent } from './aws-consent';
import { DropRecords } from './dropped-paths';
import { EngineOpenError, EngineProcess, type EngineTarget } from './engine-process';
import { appMenuTemplate } from './menu';
import { denyPermissions, lockDownWebContents } from './security';
import { registerShellIpc, type ShellWorkspace } from './shell-ipc';
import { RENDERER_URL, windowOptions } from './window';

const dist = join(__dirname, '..');
const workspaces = new Map<number, ShellWorkspace>();
const drops = new DropRecords();
const consent = new AwsConsent((window, options) => dialog.showMessageBox(window, options));

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

async function start(): Promise<void> {
  denyPermissions(session.defaultSession);
  serveAppScheme(protocol, join(dist, 'renderer'));
  registerShellIpc({
    ipcMain,
    dialog,
    workspaceOf: (contents) => workspaces.get(contents.id) ?? null,
    drops,
    consent,
    workspaceMenu: { openWorkspace: () => void openWorkspace(), newWorkspace: () => void newWorkspace() },
    warn: (message) => console.warn(message),
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

function openWorkspaceWindow(target: EngineTarget): void {
  const window = new BrowserWindow(windowOptions(join(dist, 'electron', 'preload.cjs'), 'Flowscope', app.isPackaged));
  const contents = window.webContents;
  const engine = new EngineProcess(join(dist, 'engine', 'utility.mjs'), target, contents);
  workspaces.set(contents.id, { engine, window });
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    workspaces.delete(contents.id);
    drops.forget(contents.id);
    consent.forget(contents.id);
    engine.stop();
  });
  engine.start().catch((err: Error) => {
    const hint =
      err instanceof EngineOpenError && err.code === 'not_found'
        ? '\n\nMake one with File → New Workspace…, or import files into it with `flowscope import <files> --workspace <file>`.'
        : '';
    dialog.showErrorBox('Flowscope could not open the workspace', `${target.workspace}\n\n${err.message}${hint}`);
    window.close();
  });
  void window.loadURL(RENDERER_URL);
}
