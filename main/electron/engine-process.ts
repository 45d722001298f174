/**
 * One engine per workspace window, as an Electron utility process. Main talks to it over the privileged
 * parent channel (open, connect, register files); the window gets its own MessagePort to it, handed to
 * that window's web contents only, and a fresh one after each reload or engine restart.
 */
import { MessageChannelMain, utilityProcess, type UtilityProcess, type WebContents } from 'electron';
import type { WorkspaceInfo } from '../../preload/contract';
import type { ParentReply, ParentRequest } from '../engine/host/parent-protocol';

export const ENGINE_PORT_CHANNEL = 'flowscope:engine-port';
export const ENGINE_LOST_CHANNEL = 'flowscope:engine-lost';
/** More crashes than this within the window below and the engine is not restarted again. */
const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;

export interface EngineTarget {
  workspace: string;
  demo: boolean;
  /** A new workspace the user named in a save dialog. */
  create?: boolean;
}

export class EngineProcess {
  private child: UtilityProcess | null = null;
  private ready: Promise<WorkspaceInfo> | null = null;
  private stopping = false;
  private crashes: number[] = [];
  private nextRequest = 1;
  private readonly fileRequests = new Map<
    number,
    { resolve: (handles: string[]) => void; reject: (error: Error) => void }
  >();

  constructor(
    private readonly entry: string,
    private readonly target: EngineTarget,
    private readonly contents: WebContents,
  ) {}

  start(): Promise<WorkspaceInfo> {
    const child = utilityProcess.fork(this.entry, [], { serviceName: 'Flowscope engine', stdio: 'inherit' });
    this.child = child;
    this.ready = new Promise((resolve, reject) => {
      child.on('message', (reply: ParentReply) => {
        if (reply.type === 'opened') resolve(reply.info);
        else if (reply.type === 'open-failed') reject(new Error(reply.error.message));
        else this.settleFiles(reply);
      });
      child.once('exit', () => reject(new Error('The engine stopped before the workspace opened.')));
    });
    child.once('exit', (code) => this.exited(child, code));
    this.post({
      type: 'open',
      workspace: this.target.workspace,
      demo: this.target.demo,
      create: this.target.create ?? false,
    });
    return this.ready;
  }

  /** Hand the window a fresh port to the engine (on every load of the page). */
  async connect(restarted = false): Promise<void> {
    await this.ready;
    const { port1, port2 } = new MessageChannelMain();
    this.child?.postMessage({ type: 'connect' } satisfies ParentRequest, [port1]);
    if (!this.contents.isDestroyed()) this.contents.postMessage(ENGINE_PORT_CHANNEL, { restarted }, [port2]);
  }

  /** Paths the user picked in a native dialog, as handles the engine knows; the renderer sees only handles. */
  async registerFiles(paths: string[]): Promise<string[]> {
    await this.ready;
    const requestId = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.fileRequests.set(requestId, { resolve, reject });
      this.post({ type: 'files.register', requestId, paths });
    });
  }

  stop(): void {
    this.stopping = true;
    this.post({ type: 'shutdown' });
  }

  private post(message: ParentRequest): void {
    this.child?.postMessage(message);
  }

  private settleFiles(reply: ParentReply): void {
    if (reply.type !== 'files.registered' && reply.type !== 'files.failed') return;
    const waiter = this.fileRequests.get(reply.requestId);
    this.fileRequests.delete(reply.requestId);
    if (reply.type === 'files.registered') waiter?.resolve(reply.handles);
    else waiter?.reject(new Error(reply.error.message));
  }

  /** An engine that dies unasked is restarted and the window reconnected, a few times at most. */
  private exited(child: UtilityProcess, code: number): void {
    if (child !== this.child || this.stopping) return;
    for (const waiter of this.fileRequests.values()) waiter.reject(new Error('The engine stopped.'));
    this.fileRequests.clear();
    if (!this.contents.isDestroyed()) this.contents.send(ENGINE_LOST_CHANNEL, { code });
    const now = Date.now();
    this.crashes = [...this.crashes.filter((t) => now - t < RESTART_WINDOW_MS), now];
    if (this.crashes.length > MAX_RESTARTS) return;
    void this.start().then(
      () => this.connect(true),
      () => undefined,
    );
  }
}
