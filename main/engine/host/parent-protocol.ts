/**
 * The privileged channel between Electron's main process and an engine's utility process (the
 * utility process's `parentPort`). Only main can write to it, so it is where trusted things happen:
 * opening the workspace, handing over the renderer's port, and registering the paths the user picked in
 * a native dialog as opaque file handles. The renderer never sees this channel.
 */
import { z } from 'zod';
import { WireError, WorkspaceInfo } from '../../../preload/contract';

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
  z.object({ type: z.literal('shutdown') }),
]);
export type ParentRequest = z.infer<typeof ParentRequest>;

export type ParentReply =
  | { type: 'opened'; info: WorkspaceInfo }
  | { type: 'open-failed'; error: WireError }
  | { type: 'connected' }
  | { type: 'files.registered'; requestId: number; handles: string[] }
  | { type: 'files.failed'; requestId: number; error: WireError }
  | { type: 'protocol-error'; error: WireError };
