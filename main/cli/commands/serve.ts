/**
 * `flowscope serve --workspace <file> [--workspaces <folder>] [--port N]`: Flowscope in a browser. Its first
 * stdout line is `Flowscope serving http://127.0.0.1:PORT/?token=…` (scripts and tests read it); it runs
 * until interrupted, then closes the workspace cleanly. The page may switch to, or create, a workspace of
 * the folder (by default the starting workspace's own).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FlowscopeError } from '../../engine/errors';
import { packageRoot } from '../../engine/package-root';
import { openEngine, workspaceOption, write, type Command } from '../command';

/** The built renderer: FLOWSCOPE_RENDERER_DIR when set (packagers, tests), else `dist/renderer` of the package. */
function rendererDir(): string {
  const dir = process.env.FLOWSCOPE_RENDERER_DIR ?? join(packageRoot(import.meta.url), 'dist', 'renderer');
  if (!existsSync(join(dir, 'index.html')))
    throw new FlowscopeError(
      'not_found',
      'The renderer is not built yet: run `npm run build` (or `npm run serve`, which builds it).',
    );
  return dir;
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Open a workspace in your browser (served on 127.0.0.1 only).',
  usage:
    'serve --workspace <file> [--workspaces <folder>] [--port N]\n       flowscope serve --demo [--workspaces <folder>] [--port N]',
  options: {
    ...workspaceOption,
    workspaces: { type: 'string' },
    port: { type: 'string', short: 'p' },
    demo: { type: 'boolean' },
  },
  async run(args, io) {
    const port = Number(args.values.port ?? 0);
    if (!Number.isInteger(port) || port < 0 || port > 65_535)
      throw new FlowscopeError('bad_request', '--port must be a port number (0 picks a free one).');
    // Loaded now rather than with the command line: the engine, DuckDB and the WebSocket server.
    const [
      { DEMO_FILE, ensureDemoWorkspace },
      { userDataDir },
      { startServer },
      { WorkspaceFolder },
      { servedEngine },
      { keepPort, keptPort },
    ] = await Promise.all([
      import('../../engine/demo-workspace'),
      import('../../engine/user-data-dir'),
      import('../../serve/server'),
      import('../../serve/workspace-folder'),
      import('../../serve/served-engine'),
      import('../../serve/kept-port'),
    ]);
    let workspace = args.values.workspace;
    if (args.values.demo) {
      workspace = join(userDataDir(), DEMO_FILE);
      await ensureDemoWorkspace(workspace, io.err);
    }
    if (typeof workspace !== 'string' || workspace === '')
      throw new FlowscopeError('bad_request', 'Give the workspace file with --workspace <file.duckdb>, or --demo.');
    const given = args.values.workspaces;
    if (typeof given === 'string' && !statSync(given, { throwIfNoEntry: false })?.isDirectory())
      throw new FlowscopeError('not_found', `There is no folder ${given} (--workspaces).`);
    const engineOptions = { warmDashboards: process.env.FLOWSCOPE_WARM_DASHBOARDS !== '0' };
    // The workspace first: that it is missing matters more to a newcomer than an unbuilt renderer.
    const folder = await WorkspaceFolder.serve(
      typeof given === 'string' ? given : dirname(workspace),
      workspace,
      (path, create) => servedEngine(openEngine({ ...engineOptions, workspace: path, create }, io)),
    ).catch((err: unknown) => {
      throw withBrowserHint(err);
    });
    folder.onSwitch((name) => void write(io.err, `Now serving the workspace ${name}.\n`).catch(() => undefined));
    const inUse = (err: unknown) => (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
    // Without --port, the port of the last start, so the page's kept tabs and history are there (kept-port.ts).
    const kept = args.values.port === undefined ? keptPort(workspace) : 0;
    const start = (on: number) => startServer({ workspace: folder, rendererDir: rendererDir(), port: on });
    let server;
    try {
      server = await start(kept || port).catch((err: unknown) => {
        if (kept && inUse(err)) return start(0);
        throw err;
      });
    } catch (err) {
      await folder.close();
      throw inUse(err)
        ? new FlowscopeError('bad_request', `Port ${port} is in use; pick another or use --port 0.`)
        : err;
    }
    if (args.values.port === undefined) keepPort(workspace, Number(new URL(server.url).port));
    // Listen for the stop signals before the URL is out: whoever reads the first line may stop us at once.
    const stopped = new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    await write(io.out, `Flowscope serving ${server.url}\n`);
    await write(io.err, 'Open the link above in your browser (it works once). Press Ctrl+C to stop.\n');
    await stopped;
    await server.close();
    await folder.close();
    return 0;
  },
};

/** A missing workspace can also be made in the browser, from a server started on the demo. */
function withBrowserHint(err: unknown): unknown {
  const missing = err instanceof FlowscopeError && (err.detail as { missingWorkspace?: string })?.missingWorkspace;
  if (!missing) return err;
  return new FlowscopeError(
    err.code,
    `${err.message} Or make it in the browser: \`flowscope serve --demo --workspaces ${dirname(missing)}\`, then Switch… → New workspace.`,
    err.detail,
  );
}
