/**
 * The workspaces `flowscope serve` can switch between: the `.duckdb` files of one folder (by default the
 * folder of the workspace it started with), and that starting workspace wherever it lies. One is served at
 * a time; the page lists them, creates one by name and switches to one.
 *
 * The page names workspaces, never paths. A name is checked by the contract (`WorkspaceName`: no separator,
 * no leading dot), resolved inside the folder and checked to be there, and only regular files are listed or
 * opened (no folders, no links to elsewhere), so the browser reaches no other file on the machine. Opening
 * goes through the engine's own checks: a file that is not a workspace is refused unchanged, one held by
 * another process is "in use".
 *
 * A switch opens the new workspace first and only then lets go of the old one, so a refusal leaves the page
 * where it was. It is refused while a job (an import, a pull) runs: stopping it would lose the analyst's work
 * halfway, and waiting could take hours. Queries that are running are interrupted; the pages reload.
 */
import { lstat, readdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import {
  WORKSPACE_SUFFIX,
  WorkspaceName,
  WorkspaceSwitch,
  type WorkspaceChoice,
  type WorkspaceFolder as FolderListing,
} from '../../preload/contract';
import type { HostedEngine } from '../engine/host/endpoint';
import { FlowscopeError } from '../engine/errors';
import type { DownloadSource } from './download';
import type { UploadTarget } from './upload';

/** An open workspace as the server serves it. */
export interface ServedWorkspace {
  engine: HostedEngine;
  /** Where `POST /upload` puts files; without it uploads are refused. */
  uploads?: UploadTarget;
  /** Finished exports, fetched once each at `GET /export/<id>`. */
  downloads?: DownloadSource;
}

/** A served workspace the folder opened, and so can close. */
export interface OpenedWorkspace extends ServedWorkspace {
  /** What still runs that a switch would stop ("An import"), or null. */
  busy(): string | null;
  close(): Promise<void>;
}

/** Opens the workspace file at `path` (creating it when asked), with the server's engine options. */
export type OpenWorkspace = (path: string, create: boolean) => Promise<OpenedWorkspace>;

export class WorkspaceFolder {
  private switching = false;
  private readonly listeners = new Set<(name: string) => void>();

  private constructor(
    /** Absolute path of the folder. */
    readonly dir: string,
    /** The workspace served at start, listed even when it lies outside the folder. */
    private readonly start: string,
    private served: OpenedWorkspace,
    private servedPath: string,
    private readonly open: OpenWorkspace,
  ) {}

  /** Opens the starting workspace (refusals as the engine's) and serves it from the folder `dir`. */
  static async serve(dir: string, workspace: string, open: OpenWorkspace): Promise<WorkspaceFolder> {
    const start = resolve(workspace);
    return new WorkspaceFolder(resolve(dir), start, await open(start, false), start, open);
  }

  current(): ServedWorkspace {
    return this.served;
  }

  /** `listener(name)` runs right after a switch, before the old workspace closes: the moment to tell pages. */
  onSwitch(listener: (name: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async list(): Promise<FolderListing> {
    const choices = await this.choices();
    return {
      folder: this.dir,
      current: nameOf(this.servedPath),
      workspaces: [...choices.values()].map(({ choice }) => choice).sort((a, b) => a.name.localeCompare(b.name)),
    };
  }

  /** The workspaces the page may open, by name: regular files only, named as the contract allows. */
  private async choices(): Promise<Map<string, { path: string; choice: WorkspaceChoice }>> {
    const choices = new Map<string, { path: string; choice: WorkspaceChoice }>();
    const add = async (path: string) => {
      const name = nameOf(path);
      const stat = await lstat(path).catch(() => null);
      if (!stat?.isFile() || choices.has(name)) return;
      const current = path === this.servedPath;
      choices.set(name, { path, choice: { name, bytes: stat.size, modified: stat.mtime.toISOString(), current } });
    };
    // The starting workspace first: where its name is also a file of the folder, the name means it.
    await add(this.start);
    const entries = await readdir(this.dir).catch((err: NodeJS.ErrnoException) => {
      throw new FlowscopeError(
        'not_found',
        `Cannot read the workspace folder ${this.dir}: ${err.code ?? err.message}.`,
      );
    });
    for (const entry of entries) {
      const path = join(this.dir, entry);
      if (entry.endsWith(WORKSPACE_SUFFIX) && WorkspaceName.safeParse(entry).data === nameOf(path)) await add(path);
    }
    return choices;
  }

  /** Switch to the named workspace (made first with `create`); answers the folder as it is then. */
  async switchTo(request: unknown): Promise<FolderListing> {
    const { name, create } = parseSwitch(request);
    if (this.switching) throw new FlowscopeError('bad_request', 'Another workspace is being opened; try again.');
    this.switching = true;
    try {
      const path = await this.pathOf(name, create);
      if (path !== this.servedPath) await this.replace(path, create);
      return await this.list();
    } finally {
      this.switching = false;
    }
  }

  /** Closes the workspace served now (the server stops). */
  close(): Promise<void> {
    return this.served.close();
  }

  private async replace(path: string, create: boolean): Promise<void> {
    const busy = this.served.busy();
    if (busy)
      throw new FlowscopeError(
        'bad_request',
        `${busy} is still running in ${nameOf(this.servedPath)}: wait for it to finish or cancel it, then switch.`,
      );
    const next = await this.open(path, create);
    const previous = this.served;
    this.served = next;
    this.servedPath = path;
    for (const listener of this.listeners) listener(nameOf(path));
    await previous.close();
  }

  /**
   * The file a name means. To open, it must be one the folder lists (so what the page names is what it was
   * shown, spelt the same, which matters where file names ignore case); to create, nothing may be there.
   */
  private async pathOf(name: string, create: boolean): Promise<string> {
    const file = `${name}${WORKSPACE_SUFFIX}`;
    const inFolder = resolve(this.dir, file);
    // The name has no separator (the contract's check); this keeps it so whatever the check becomes.
    if (dirname(inFolder) !== this.dir || basename(inFolder) !== file)
      throw new FlowscopeError('bad_request', `"${name}" is not a workspace name.`);
    const choices = await this.choices();
    if (!create) {
      const known = choices.get(name);
      if (!known) throw new FlowscopeError('not_found', `There is no workspace called "${name}" in ${this.dir}.`);
      return known.path;
    }
    const taken = choices.has(name) || (await lstat(inFolder).catch(() => null)) !== null;
    if (taken)
      throw new FlowscopeError(
        'bad_request',
        `There is already a workspace or file called "${file}" in ${this.dir}; open it or pick another name.`,
      );
    return inFolder;
  }
}

function parseSwitch(request: unknown): { name: string; create: boolean } {
  const parsed = WorkspaceSwitch.safeParse(request);
  if (!parsed.success) throw new FlowscopeError('bad_request', parsed.error.issues.map((i) => i.message).join(' '));
  return parsed.data;
}

/** A workspace's name: its file's name without `.duckdb` (a starting workspace may be called otherwise). */
function nameOf(path: string): string {
  const file = basename(path);
  return file.endsWith(WORKSPACE_SUFFIX) ? file.slice(0, -WORKSPACE_SUFFIX.length) : file;
}
