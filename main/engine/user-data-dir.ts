/**
 * Where Electron's `app.getPath('userData')` points for an app named Flowscope, for hosts without Electron:
 * the built-in demo workspace and AWS's ip-ranges.json live there. A module of its own, so that what needs the
 * folder (every engine, for the ip-ranges file) does not load the demo builder with it.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function userDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Flowscope');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Flowscope');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Flowscope');
}
