/**
 * The client half of the wire protocol, shared by the Electron preload (over a MessagePort) and the
 * browser (over a WebSocket): it numbers requests, matches responses to them, hands events to their
 * listeners, and validates every call against the contract before it leaves. Pure: it only needs a
 * function that sends a message and to be told about messages that arrive.
 */
import './zod-jitless';
import {
  channels,
  isChannel,
  type Channel,
  type EventName,
  type EventPayload,
  type Input,
  type Output,
  type ResponseMessage,
  type WireError,
  type WorkspaceFolder,
  type WorkspaceSwitch,
} from './contract';
import type { Settled } from './shell-channels';

/** A contract call that answered with an error: `code` is one of the contract's `ErrorCode`s. */
export class ContractError extends Error {
  readonly code: WireError['code'];
  readonly detail: unknown;

  constructor(error: WireError) {
    super(error.message);
    this.name = 'ContractError';
    this.code = error.code;
    this.detail = error.detail;
  }
}

/** Where the client stands with its engine; `restarted` means calls work again after an engine restart. */
/** `refused`: the server no longer admits this page (`flowscope serve` restarted: its link changed), for good. */
export type ConnectionState = 'connecting' | 'connected' | 'lost' | 'restarted' | 'refused';

/** Bytes sent so far of the files one call hands over (only a host that copies the bytes reports it). */
export type SendProgress = (sent: { done: number; total: number }) => void;

/** What `export.result` takes, less the destination, which the host finds out itself. */
export type ExportRequest = Omit<Input<'export.result'>, 'target'>;

/** A host that serves one workspace of a folder at a time and lets the page switch (`flowscope serve`). */
export interface FolderWorkspaces {
  kind: 'folder';
  list(): Promise<WorkspaceFolder>;
  /**
   * Serve that workspace instead (created first with `create`). Every page of the host then hears
   * `workspace.switched` and starts afresh on it; refusals (a job running, in use) are ContractErrors.
   */
  switchTo(request: WorkspaceSwitch): Promise<WorkspaceFolder>;
}

/** A host that opens each workspace in a window of its own, from its own dialogs (Electron's File menu). */
export interface DialogWorkspaces {
  kind: 'dialogs';
  /** File → Open Workspace…: the host asks which file; this window stays on its workspace. */
  open(): void;
  /** File → New Workspace…: the host asks where. */
  create(): void;
}

/**
 * What the renderer gets, whichever host it runs in: contract calls and events, and the file capabilities,
 * implemented once for the Electron bridge (`clientFromBridge`) and once for the browser host
 * (`renderer/src/lib/socket-client.ts`). The renderer reaches its host through these and nothing else.
 */
export interface FlowscopeClient {
  invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  onConnection(listener: (state: ConnectionState) => void): () => void;
  /**
   * True when the host has its own open dialog (Electron's, where main turns the picked paths into handles
   * and the page never sees them); otherwise the page's file inputs choose files for `sendFiles`.
   */
  readonly hasFileDialog: boolean;
  /** The host's open dialog: the chosen files as engine file handles, none when cancelled or without one. */
  pickFiles(): Promise<string[]>;
  /** Files the page holds (chosen in a file input) as engine file handles. */
  sendFiles(files: readonly File[], progress?: SendProgress): Promise<string[]>;
  /**
   * Files and folders dropped on the window as engine file handles. Call it from the drop handler itself:
   * what was dropped is readable only while the event is handled.
   */
  sendDropped(dropped: DataTransfer, progress?: SendProgress): Promise<string[]>;
  /**
   * A kept result exported where the user wants it: to the file chosen in a save dialog (Electron) or as
   * the browser's download. Null when the user cancelled.
   */
  saveExport(request: ExportRequest): Promise<Output<'export.result'> | null>;
  /** How this host opens and creates workspaces. */
  readonly workspaces: FolderWorkspaces | DialogWorkspaces;
}

type Pending = { resolve: (value: unknown) => void; reject: (error: ContractError) => void };

export class RpcClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly eventListeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly connectionListeners = new Set<(state: ConnectionState) => void>();

  /** Calls made before the first connection, waiting for it (see the constructor). */
  private readonly waitingForFirst = new Set<{ go: () => void; fail: (error: ContractError) => void }>();
  /** True until the first connection is attached or lost. */
  private opening: boolean;

  /**
   * `firstConnectMs`: how long a call made before the first `attach` waits for it (a page calls the engine
   * as it loads, in the instant before its socket opens). Without it, or once a connection was attached or
   * lost, a call made with no connection fails at once: after a loss the caller is told, not kept waiting.
   */
  constructor(
    private send: ((message: unknown) => void) | null = null,
    private readonly firstConnectMs = 0,
  ) {
    this.opening = send === null && firstConnectMs > 0;
  }

  /** Point the client at a (new) connection; calls waiting for the first one go out on it. */
  attach(send: (message: unknown) => void, state: ConnectionState): void {
    this.send = send;
    this.opening = false;
    this.setState(state);
    for (const waiter of [...this.waitingForFirst]) waiter.go();
  }

  /** The connection is gone: every call in flight fails, and so do calls made until the next `attach`. */
  detach(reason: string, state: 'lost' | 'refused' = 'lost'): void {
    this.send = null;
    this.opening = false;
    for (const [id, waiter] of this.pending) {
      this.pending.delete(id);
      waiter.reject(new ContractError({ code: 'internal', message: reason }));
    }
    for (const waiter of [...this.waitingForFirst])
      waiter.fail(new ContractError({ code: 'internal', message: reason }));
    this.setState(state);
  }

  /** A call made while the first connection is being opened: sent once it is, failed if it is not in time. */
  private afterFirstConnection(channel: Channel, input: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const waiter = {
        go: () => {
          settle();
          resolve(this.call(channel, input));
        },
        fail: (error: ContractError) => {
          settle();
          reject(error);
        },
      };
      const timer = setTimeout(
        () =>
          waiter.fail(
            new ContractError({
              code: 'internal',
              message: `Not connected to the engine: no connection within ${this.firstConnectMs / 1000} s.`,
            }),
          ),
        this.firstConnectMs,
      );
      const settle = () => {
        clearTimeout(timer);
        this.waitingForFirst.delete(waiter);
      };
      this.waitingForFirst.add(waiter);
    });
  }

  invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>> {
    return this.call(channel, input) as Promise<Output<C>>;
  }

  /** Like `invoke`, for untyped callers (the preload bridge): validates the channel and input first. */
  call(channel: string, input: unknown): Promise<unknown> {
    if (!isChannel(channel))
      return Promise.reject(
        new ContractError({ code: 'unknown_channel', message: `No channel is called "${channel}".` }),
      );
    const parsed = channels[channel].input.safeParse(input ?? {});
    if (!parsed.success) {
      return Promise.reject(
        new ContractError({
          code: 'bad_request',
          message: `Bad input for ${channel}: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
        }),
      );
    }
    if (!this.send && this.opening) return this.afterFirstConnection(channel, input);
    if (!this.send)
      return Promise.reject(new ContractError({ code: 'internal', message: 'Not connected to the engine.' }));
    const id = this.nextId++;
    const send = this.send;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        send({ id, channel, input });
      } catch (err) {
        // The transport refused to carry it (too large): this call fails, the connection stays.
        this.pending.delete(id);
        reject(err instanceof ContractError ? err : new ContractError({ code: 'internal', message: String(err) }));
      }
    });
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    const listeners = this.eventListeners.get(event) ?? new Set();
    this.eventListeners.set(event, listeners);
    const untyped = listener as (payload: unknown) => void;
    listeners.add(untyped);
    return () => listeners.delete(untyped);
  }

  onConnection(listener: (state: ConnectionState) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  /** Feed a message that arrived from the engine: a response to a call, or an event. */
  receive(message: unknown): void {
    if (typeof message !== 'object' || message === null) return;
    if ('event' in message) {
      const { event, payload } = message as { event: string; payload: unknown };
      this.eventListeners.get(event)?.forEach((listener) => listener(payload));
      return;
    }
    const response = message as ResponseMessage;
    const waiter = typeof response.id === 'number' ? this.pending.get(response.id) : undefined;
    if (!waiter) return;
    this.pending.delete(response.id as number);
    if (response.ok) waiter.resolve(response.value);
    else waiter.reject(new ContractError(response.error));
  }

  private setState(state: ConnectionState): void {
    this.connectionListeners.forEach((listener) => listener(state));
  }
}

export type { Settled } from './shell-channels';

/**
 * What the preload exposes as `window.flowscope`: contract calls (validated), event and connection
 * subscriptions, file picking and dropping (answering handles). Never the port itself.
 */
export interface FlowscopeBridge {
  invoke(channel: string, input: unknown): Promise<Settled>;
  on(event: string, listener: (payload: unknown) => void): () => void;
  onConnection(listener: (state: ConnectionState) => void): () => void;
  pickFiles(): Promise<string[]>;
  dropFiles(files: File[]): Promise<string[]>;
  pickSaveTarget(suggestedName: string, extension: string): Promise<string | null>;
  openWorkspace(): void;
  newWorkspace(): void;
}

export async function settle(call: Promise<unknown>): Promise<Settled> {
  try {
    return { ok: true, value: await call };
  } catch (err) {
    const error =
      err instanceof ContractError
        ? { code: err.code, message: err.message, detail: err.detail }
        : { code: 'internal' as const, message: String(err) };
    return { ok: false, error };
  }
}

/** The renderer's typed client over the preload's bridge. */
export function clientFromBridge(bridge: FlowscopeBridge): FlowscopeClient {
  const invoke: FlowscopeClient['invoke'] = async (channel, input) => {
    const outcome = await bridge.invoke(channel, input);
    if (!outcome.ok) throw new ContractError(outcome.error);
    return outcome.value as never;
  };
  return {
    invoke,
    on: (event, listener) => bridge.on(event, listener as (payload: unknown) => void),
    onConnection: (listener) => bridge.onConnection(listener),
    hasFileDialog: true,
    pickFiles: () => bridge.pickFiles(),
    // Nothing is copied: the shell registers the files' paths with the engine, and only paths the user really
    // dropped (the preload records them from the trusted drop event). Its page shows no file inputs.
    sendFiles: (files) => bridge.dropFiles([...files]),
    sendDropped: (dropped) => bridge.dropFiles([...dropped.files]),
    async saveExport(request) {
      const target = await bridge.pickSaveTarget(request.name ?? 'flowscope-result', request.format);
      return target === null ? null : invoke('export.result', { ...request, target });
    },
    workspaces: { kind: 'dialogs', open: () => bridge.openWorkspace(), create: () => bridge.newWorkspace() },
  };
}
