/**
 * The browser host's workspace folder: `flowscope serve` serves one workspace at a time, and the page may
 * list the workspaces of its folder, create one there and switch to one. The page names a workspace, never a
 * path: `WorkspaceName` admits no folder separator, no leading dot and nothing a file system reserves, and
 * the server resolves the name inside its folder only. These are host routes, not engine channels (the
 * engine holds one workspace; switching replaces the engine), so they live beside the upload route.
 * Pure: imports nothing from Electron, DuckDB or Node.
 */
import { z } from 'zod';
import { IsoTime } from './wire';

/** `GET` answers the `WorkspaceFolder`; `POST` a `WorkspaceSwitch` switches (creating first when asked). */
export const WORKSPACES_PATH = '/workspaces';

/** The suffix of a workspace file: the folder's workspaces are its `<name>.duckdb` files. */
export const WORKSPACE_SUFFIX = '.duckdb';

/** Names Windows gives to devices, whatever the extension: a file cannot be called that there. */
const DEVICE_NAME = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/**
 * A workspace's name: its file's name without `.duckdb` (typed with it, the suffix is dropped). Any
 * printable characters but `/ \ : * ? " < > |`, at most 100, not starting with a dot or a space (no `..`,
 * no hidden files) nor ending with either (Windows drops them).
 */
export const WorkspaceName = z
  .string()
  .trim()
  .transform((name) => (name.toLowerCase().endsWith(WORKSPACE_SUFFIX) ? name.slice(0, -WORKSPACE_SUFFIX.length) : name))
  .pipe(
    z
      .string()
      .min(1, 'Give the workspace a name.')
      .max(100, 'A workspace name has at most 100 characters.')
      .refine((name) => ![...name].some((c) => '/\\:*?"<>|\u007f'.includes(c) || c.charCodeAt(0) < 0x20), {
        message: 'A workspace name cannot hold / \\ : * ? " < > | or control characters.',
      })
      .refine((name) => !/^[. ]|[. ]$/.test(name), {
        message: 'A workspace name cannot start or end with a dot or a space.',
      })
      .refine((name) => !DEVICE_NAME.test(name), { message: 'That name is reserved for a device on Windows.' }),
  );

export const WorkspaceChoice = z.object({
  name: z.string(),
  bytes: z.number(),
  modified: IsoTime,
  /** The workspace served now. */
  current: z.boolean(),
});
export type WorkspaceChoice = z.infer<typeof WorkspaceChoice>;

export const WorkspaceFolder = z.object({
  /** The folder's path, to show where new workspaces go. */
  folder: z.string(),
  /** The name of the workspace served now. */
  current: z.string(),
  /** The folder's workspaces by name, and the one served at start if it lies elsewhere. */
  workspaces: z.array(WorkspaceChoice),
});
export type WorkspaceFolder = z.infer<typeof WorkspaceFolder>;

/** Switch to the workspace of that name; with `create`, make it first (never over an existing file). */
export const WorkspaceSwitch = z.strictObject({ name: WorkspaceName, create: z.boolean().default(false) });
export type WorkspaceSwitch = z.input<typeof WorkspaceSwitch>;

/**
 * Sent to every page connected to the host when it switched workspaces, just before it closes their
 * connections: what a page shows belongs to the workspace it left.
 */
export const workspaceFolderEvents = {
  'workspace.switched': z.object({ name: z.string() }),
} as const;
