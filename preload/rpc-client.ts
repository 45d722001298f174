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
export type ConnectionState = 'connecting' | 'connected' | 'lost' | 'restarted';

/** What the renderer gets, whichever host it runs in. */
export interface FlowscopeClient {
  invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  onConnection(listener: (state: ConnectionState) => void): () => void;
  /** Native file picking: only under Electron, where main turns the picked paths into handles. */
  pickFiles: (() => Promise<string[]>) | null;
  /** Files dropped on the window, as handles: only under Electron (a browser page never learns paths). */
  dropFiles: ((files: File[]) => Promise<string[]>) | null;
  /** A native save dialog whose chosen path becomes a handle (null when cancelled): only under Electron. */
  pickSaveTarget: ((suggestedName: string, extension: string) => Promise<string | null>) | null;
}

type Pending = { resolve: (value: unknown) => void; reject: (error: ContractError) => void };

export class RpcClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly eventListeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly connectionListeners = new Set<(state: ConnectionState) => void>();

  constructor(private send: ((message: unknown) => void) | null = null) {}

  /** Point the client at a (new) connection; calls made while there is none wait for it. */
  attach(send: (message: unknown) => void, state: ConnectionState): void {
    this.send = send;
    this.setState(state);
  }

  /** The connection is gone: every call in flight fails, later calls wait for `attach`. */
  detach(reason: string): void {
    this.send = null;
    for (const [id, waiter] of this.pending) {
      this.pending.delete(id);
      waiter.reject(new ContractError({ code: 'internal', message: reason }));
    }
    this.setState('lost');
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
  return {
    async invoke(channel, input) {
      const outcome = await bridge.invoke(channel, input);
      if (!outcome.ok) throw new ContractError(outcome.error);
      return outcome.value as never;
    },
    on: (event, listener) => bridge.on(event, listener as (payload: unknown) => void),
    onConnection: (listener) => bridge.onConnection(listener),
    pickFiles: () => bridge.pickFiles(),
    dropFiles: (files) => bridge.dropFiles(files),
    pickSaveTarget: (name, extension) => bridge.pickSaveTarget(name, extension),
  };
}
