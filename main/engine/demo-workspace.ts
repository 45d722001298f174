/**
 * The built-in demo workspace a newcomer sees on first start: made once, in the user's data folder,
 * through the same `flowscope demo` path as on the command line, then reused.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { demoCommand } from '../cli/commands/demo';
import { FlowscopeError } from './errors';

/** Where Electron's `app.getPath('userData')` points for an app named Flowscope, for hosts without Electron. */
export function userDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Flowscope');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Flowscope');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Flowscope');
}

export const DEMO_FILE = 'demo.duckdb';

/** Make the demo workspace at `path` unless it is there already; progress goes to `log`. */
export async function ensureDemoWorkspace(path: string, log: NodeJS.WritableStream): Promise<void> {
  if (existsSync(path)) return;
  await mkdir(dirname(path), { recursive: true });
  log.write('Creating the demo workspace (once)…\n');
  const code = await demoCommand.run({ positionals: [], values: { workspace: path } }, { out: log, err: log });
  if (code !== 0) throw new FlowscopeError('import_failed', `The demo workspace could not be created at ${path}.`);
}
