/**
 * `flowscope serve --workspace <file> [--port N]`: Flowscope in a browser. Its first stdout line is
 * `Flowscope serving http://127.0.0.1:PORT/?token=…` (scripts and tests read it); it runs until
 * interrupted, then closes the workspace cleanly.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
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
  usage: 'serve --workspace <file> [--port N]\n       flowscope serve --demo [--port N]',
  options: { ...workspaceOption, port: { type: 'string', short: 'p' }, demo: { type: 'boolean' } },
  async run(args, io) {
    const port = Number(args.values.port ?? 0);
    if (!Number.isInteger(port) || port < 0 || port > 65_535)
      throw new FlowscopeError('bad_request', '--port must be a port number (0 picks a free one).');
    // Loaded now rather than with the command line: the engine, DuckDB and the WebSocket server.
    const [{ DEMO_FILE, ensureDemoWorkspace, userDataDir }, { startServer }] = await Promise.all([
      import('../../engine/demo-workspace'),
      import('../../serve/server'),
    ]);
    let workspace = args.values.workspace;
    if (args.values.demo) {
      workspace = join(userDataDir(), DEMO_FILE);
      await ensureDemoWorkspace(workspace, io.err);
    }
    if (typeof workspace !== 'string' || workspace === '')
      throw new FlowscopeError('bad_request', 'Give the workspace file with --workspace <file.duckdb>, or --demo.');
    // The workspace first: that it is missing matters more to a newcomer than an unbuilt renderer.
    const engine = await openEngine({ workspace, warmDashboards: process.env.FLOWSCOPE_WARM_DASHBOARDS !== '0' });
    let server;
    try {
      server = await startServer({
        engine,
        rendererDir: rendererDir(),
        port,
        uploads: { stagingDir: engine.workspace.stagingDir, register: (path) => engine.files.register(path) },
        downloads: { take: (id) => engine.takeDownload(id) },
      });
    } catch (err) {
      await engine.close();
      const inUse = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
      throw inUse ? new FlowscopeError('bad_request', `Port ${port} is in use; pick another or use --port 0.`) : err;
    }
    // Listen for the stop signals before the URL is out: whoever reads the first line may stop us at once.
    const stopped = new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    await write(io.out, `Flowscope serving ${server.url}\n`);
    await write(io.err, 'Open the link above in your browser (it works once). Press Ctrl+C to stop.\n');
    await stopped;
    await server.close();
    await engine.close();
    return 0;
  },
};
