/**
 * The privileged channel between Electron's main process and an engine's utility process (the
 * utility process's `parentPort`). Only main can write to it, so it is where trusted things happen:
 * opening the workspace, handing over the renderer's port, and registering the paths the user picked in
 * a native dialog as opaque file handles, and the contract calls only main may make (those acting with AWS
 * credentials, after the user confirmed). The renderer never sees this channel. Both ends parse what
 * they receive by these schemas.
 */
import { z } from 'zod';
import { credentialChannels, WireError, WorkspaceInfo } from '../../../preload/contract';
import { Settled } from '../../../preload/shell-channels';

export const ParentRequest = z.discriminatedUnion('type', [
  /** `demo`: make the built-in demo workspace at that path first, if it is not there yet; `create`: a new, empty one. */
  z.object({
    type: z.literal('open'),
    workspace: z.string().min(1),
    demo: z.boolean().default(false),
    create: z.boolean().default(false),
  }),
  /** Carries the renderer's port (Electron: in the event's `ports`; worker_threads: as `port`). */
  z.object({ type: z.literal('connect') }),
  z.object({
    type: z.literal('files.register'),
    requestId: z.number().int(),
    paths: z.array(z.string().min(1)).max(10_000),
  }),
  /** A contract call the renderer's port refuses: main makes it once the user has confirmed it. */
  z.object({
    type: z.literal('call'),
    requestId: z.number().int(),
    channel: z.enum(credentialChannels),
    input: z.unknown(),
  }),
  z.object({ type: z.literal('shutdown') }),
]);
export type ParentRequest = z.input<typeof ParentRequest>;

export const ParentReply = z.discriminatedUnion('type', [
  z.object({ type: z.literal('opened'), info: WorkspaceInfo }),
  z.object({ type: z.literal('open-failed'), error: WireError }),
  z.object({ type: z.literal('connected') }),
  z.object({ type: z.literal('files.registered'), requestId: z.number().int(), handles: z.array(z.string()) }),
  z.object({ type: z.literal('files.failed'), requestId: z.number().int(), error: WireError }),
  z.object({ type: z.literal('called'), requestId: z.number().int(), outcome: Settled }),
  z.object({ type: z.literal('protocol-error'), error: WireError }),
]);
export type ParentReply = z.infer<typeof ParentReply>;
