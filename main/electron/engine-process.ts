/**
 * One engine per workspace window, as an Electron utility process. Main talks to it over the privileged
 * parent channel (open, connect, register files, the AWS calls the user confirmed), parsing every reply by
 * its schema; the window gets its own MessagePort to it, handed to that window's web contents only, and a
 * fresh one after each reload or engine restart.
 *
 * The utility process runs without Chromium's sandbox (Electron does not sandbox utility processes): the
 * engine must read the workspace file and the files the user gives it, and reach AWS. What bounds it is
 * written in ARCHITECTURE.md ("The engine's utility process").
 */
import { MessageChannelMain, utilityProcess, type UtilityProcess, type WebContents } from 'electron';
import type { CredentialChannel, WireError, WorkspaceInfo } from '../../preload/contract';
import { shellEvents, type Settled } from '../../preload/shell-channels';
import { ParentReply, type ParentRequest } from '../engine/host/parent-protocol';
/** More crashes than this within the window below and the engine is not restarted again. */
const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;

/** Why the workspace did not open, with the contract's error code (`not_found`: no file there). */
export class EngineOpenError extends Error {
  constructor(
    message: string,
    readonly code: WireError['code'],
  ) {
    super(message);
  }
}

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
  /** Requests waiting for their reply, by request id. */
  private readonly pending = new Map<
    number,
    { resolve: (reply: ParentReply) => void; reject: (error: Error) => void }
  >();

  constructor(
    private readonly entry: string,
    private readonly target: EngineTarget,
    private readonly contents: WebContents,
    private readonly warn: (message: string) => void = console.warn,
  ) {}

  start(): Promise<WorkspaceInfo> {
    const child = utilityProcess.fork(this.entry, [], { serviceName: 'Flowscope engine', stdio: 'inherit' });
    this.child = child;
    this.ready = new Promise((resolve, reject) => {
      child.on('message', (message: unknown) => {
        const parsed = ParentReply.safeParse(message);
        if (!parsed.success) return this.warn('Flowscope ignored a malformed message from its engine.');
        const reply = parsed.data;
        if (reply.type === 'opened') resolve(reply.info);
        else if (reply.type === 'open-failed') reject(new EngineOpenError(reply.error.message, reply.error.code));
        else if ('requestId' in reply) this.settle(reply.requestId, reply);
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
    if (!this.contents.isDestroyed()) this.contents.postMessage(shellEvents.enginePort.channel, { restarted }, [port2]);
  }

  /** Paths the user picked or dropped, as handles the engine knows; the renderer sees only handles. */
  async registerFiles(paths: string[]): Promise<string[]> {
    const reply = await this.request((requestId) => ({ type: 'files.register', requestId, paths }));
    if (reply.type === 'files.registered') return reply.handles;
    throw new Error(reply.type === 'files.failed' ? reply.error.message : `Unexpected ${reply.type}.`);
  }

  /** A call the renderer's port refuses (it acts with AWS credentials), made once the user confirmed it. */
  async call(channel: CredentialChannel, input: unknown): Promise<Settled> {
    const reply = await this.request((requestId) => ({ type: 'call', requestId, channel, input }));
    if (reply.type === 'called') return reply.outcome;
    throw new Error(`Unexpected ${reply.type}.`);
  }

  stop(): void {
    this.stopping = true;
    this.post({ type: 'shutdown' });
  }

  private post(message: ParentRequest): void {
    this.child?.postMessage(message);
  }

  private async request(message: (requestId: number) => ParentRequest): Promise<ParentReply> {
    await this.ready;
    const requestId = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      this.post(message(requestId));
    });
  }

  private settle(requestId: number, reply: ParentReply): void {
    this.pending.get(requestId)?.resolve(reply);
    this.pending.delete(requestId);
  }

  /** An engine that dies unasked is restarted and the window reconnected, a few times at most. */
  private exited(child: UtilityProcess, code: number): void {
    if (child !== this.child || this.stopping) return;
    for (const waiter of this.pending.values()) waiter.reject(new Error('The engine stopped.'));
    this.pending.clear();
    if (!this.contents.isDestroyed()) this.contents.send(shellEvents.engineLost.channel, { code });
    const now = Date.now();
    this.crashes = [...this.crashes.filter((t) => now - t < RESTART_WINDOW_MS), now];
    if (this.crashes.length > MAX_RESTARTS) return;
    void this.start().then(
      () => this.connect(true),
      () => undefined,
    );
  }
}
