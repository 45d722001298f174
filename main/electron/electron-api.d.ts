/**
 * The part of Electron's API that main/electron and the preload use, for type checking only.
 *
 * Why a local declaration: `electron` is an optional dependency whose installer needs Node 22.12+, so
 * it (and its types) is absent on Node 20 machines and in CI, where the type check must still pass.
 * tsconfig.json maps `electron` here with `paths`, so the check is the same whether or not the package
 * is installed; at run time the bundles load the real `electron`. These declarations copy Electron 45's
 * own (electron.d.ts) for the members used; checked against it when this file was written.
 */

type Listener<A extends unknown[]> = (...args: A) => void;

export interface Event {
  preventDefault(): void;
}

export interface WebFrameMain {
  readonly url: string;
}

export interface MessagePortMain {
  postMessage(message: unknown): void;
  start(): void;
  close(): void;
  on(event: 'message', listener: (messageEvent: { data: unknown; ports: MessagePortMain[] }) => void): this;
  on(event: 'close', listener: () => void): this;
}

export declare class MessageChannelMain {
  port1: MessagePortMain;
  port2: MessagePortMain;
}

export type PermissionRequestHandler = (
  webContents: WebContents,
  permission: string,
  callback: (permissionGranted: boolean) => void,
  details: unknown,
) => void;

export interface Session {
  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void;
  setPermissionCheckHandler(
    handler:
      | ((webContents: WebContents | null, permission: string, requestingOrigin: string, details: unknown) => boolean)
      | null,
  ): void;
}

export interface HandlerDetails {
  url: string;
}

export interface WebContents {
  readonly id: number;
  readonly mainFrame: WebFrameMain;
  readonly session: Session;
  isDestroyed(): boolean;
  getURL(): string;
  postMessage(channel: string, message: unknown, transfer?: MessagePortMain[]): void;
  send(channel: string, ...args: unknown[]): void;
  setWindowOpenHandler(handler: (details: HandlerDetails) => { action: 'deny' } | { action: 'allow' }): void;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: Event, url: string) => void): this;
  on(event: 'will-attach-webview', listener: (event: Event) => void): this;
}

export interface WebPreferences {
  preload?: string;
  sandbox?: boolean;
  contextIsolation?: boolean;
  nodeIntegration?: boolean;
  nodeIntegrationInWorker?: boolean;
  nodeIntegrationInSubFrames?: boolean;
  webSecurity?: boolean;
  allowRunningInsecureContent?: boolean;
  experimentalFeatures?: boolean;
  webviewTag?: boolean;
  navigateOnDragDrop?: boolean;
  spellcheck?: boolean;
}

export interface BrowserWindowConstructorOptions {
  width?: number;
  height?: number;
  minWidth?: number;
  minHeight?: number;
  title?: string;
  show?: boolean;
  backgroundColor?: string;
  webPreferences?: WebPreferences;
}

export declare class BrowserWindow {
  constructor(options?: BrowserWindowConstructorOptions);
  static getAllWindows(): BrowserWindow[];
  static fromWebContents(webContents: WebContents): BrowserWindow | null;
  static getFocusedWindow(): BrowserWindow | null;
  readonly webContents: WebContents;
  loadURL(url: string): Promise<void>;
  show(): void;
  close(): void;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
  once(event: 'ready-to-show', listener: () => void): this;
  on(event: 'closed', listener: () => void): this;
}

export interface App {
  readonly isPackaged: boolean;
  setName(name: string): void;
  getPath(name: 'userData' | 'appData' | 'home' | 'temp'): string;
  requestSingleInstanceLock(additionalData?: Record<string, unknown>): boolean;
  whenReady(): Promise<void>;
  quit(): void;
  on(event: 'second-instance', listener: (event: Event, argv: string[], workingDirectory: string) => void): this;
  on(event: 'window-all-closed', listener: () => void): this;
  on(event: 'web-contents-created', listener: (event: Event, webContents: WebContents) => void): this;
}
export declare const app: App;

export interface CustomScheme {
  scheme: string;
  privileges?: {
    standard?: boolean;
    secure?: boolean;
    supportFetchAPI?: boolean;
    corsEnabled?: boolean;
    stream?: boolean;
  };
}

export interface Protocol {
  registerSchemesAsPrivileged(customSchemes: CustomScheme[]): void;
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
}
export declare const protocol: Protocol;

export declare const session: { readonly defaultSession: Session };

export interface IpcMainEvent {
  readonly sender: WebContents;
  readonly senderFrame: WebFrameMain | null;
}
export type IpcMainInvokeEvent = IpcMainEvent;

export declare const ipcMain: {
  on(channel: string, listener: Listener<[event: IpcMainEvent, ...args: unknown[]]>): void;
  handle(
    channel: string,
    listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown> | unknown,
  ): void;
};

export interface OpenDialogOptions {
  title?: string;
  properties?: ('openFile' | 'openDirectory' | 'multiSelections')[];
  filters?: { name: string; extensions: string[] }[];
}

export interface SaveDialogOptions {
  title?: string;
  defaultPath?: string;
  filters?: { name: string; extensions: string[] }[];
}

export declare const dialog: {
  showOpenDialog(
    window: BrowserWindow,
    options: OpenDialogOptions,
  ): Promise<{ canceled: boolean; filePaths: string[] }>;
  showSaveDialog(window: BrowserWindow, options: SaveDialogOptions): Promise<{ canceled: boolean; filePath?: string }>;
  showErrorBox(title: string, content: string): void;
};

export interface MenuItemConstructorOptions {
  label?: string;
  accelerator?: string;
  type?: 'normal' | 'separator' | 'submenu';
  role?:
    | 'appMenu'
    | 'editMenu'
    | 'windowMenu'
    | 'close'
    | 'quit'
    | 'reload'
    | 'toggleDevTools'
    | 'resetZoom'
    | 'zoomIn'
    | 'zoomOut'
    | 'togglefullscreen';
  submenu?: MenuItemConstructorOptions[];
  click?: () => void;
}

export declare class Menu {
  static buildFromTemplate(template: MenuItemConstructorOptions[]): Menu;
  static setApplicationMenu(menu: Menu | null): void;
}

export declare const shell: { openExternal(url: string): Promise<void> };

export interface UtilityProcess {
  readonly pid: number | undefined;
  postMessage(message: unknown, transfer?: MessagePortMain[]): void;
  kill(): boolean;
  on(event: 'message', listener: (message: any) => void): this; // eslint-disable-line @typescript-eslint/no-explicit-any -- as Electron declares it
  on(event: 'exit', listener: (code: number) => void): this;
  once(event: 'exit', listener: (code: number) => void): this;
}

export declare const utilityProcess: {
  fork(
    modulePath: string,
    args?: string[],
    options?: { serviceName?: string; stdio?: 'pipe' | 'ignore' | 'inherit'; env?: Record<string, string> },
  ): UtilityProcess;
};

export interface IpcRendererEvent {
  readonly ports: MessagePort[];
}

export declare const ipcRenderer: {
  on(channel: string, listener: (event: IpcRendererEvent, ...args: any[]) => void): void; // eslint-disable-line @typescript-eslint/no-explicit-any -- as Electron declares it
  send(channel: string, ...args: unknown[]): void;
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
};

export declare const webUtils: { getPathForFile(file: File): string };

export declare const contextBridge: { exposeInMainWorld(apiKey: string, api: unknown): void };
