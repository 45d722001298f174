/**
 * Where the Electron binary is, or why there is none, in one line. `electron` is an optional dependency
 * (npm leaves it out below Node 22.12, its engines' floor), and Electron 45 downloads its binary on first
 * use rather than at `npm install`. Only `npm start` and `npm run dist` download it (`download`), once,
 * quietly; tests only look, so no test run ever reaches for the network.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const INSTEAD = '`npm run serve` opens Flowscope in your browser instead';

/** The installed `electron` package's folder, or null when npm left it out. */
function installedElectronDir() {
  try {
    return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/**
 * The options are for tests: which Node.js this is, where the electron package is, and where the download's
 * progress goes.
 * @param {{ download?: boolean, nodeVersion?: string, electronDir?: () => string | null,
 *   progress?: (text: string) => void }} [options]
 * @returns {{ path: string } | { missing: string }}
 */
export function findElectron({
  download = false,
  nodeVersion = process.versions.node,
  electronDir = installedElectronDir,
  progress = (text) => process.stdout.write(text),
} = {}) {
  const [major, minor] = nodeVersion.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 12))
    return {
      missing: `Flowscope: the desktop app needs Node.js 22.12 or newer (this is v${nodeVersion}); ${INSTEAD}.`,
    };
  const dir = electronDir();
  if (!dir)
    return {
      missing: `Flowscope: Electron is not installed; run \`npm install\` again with this Node.js, or ${INSTEAD}.`,
    };
  const installed = () => {
    const file = join(dir, 'path.txt');
    const path = existsSync(file) ? join(dir, 'dist', readFileSync(file, 'utf8')) : null;
    return path && existsSync(path) ? path : null;
  };
  if (installed()) return { path: installed() };
  if (!download) return { missing: `Flowscope: the Electron binary is not downloaded yet (\`npm start\` does it).` };
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  // One line whatever happens: the start of it now (the download takes a while), its end after.
  progress(`Flowscope: downloading Electron ${version} (once)… `);
  const fetched = spawnSync(process.execPath, [join(dir, 'install.js')], { encoding: 'utf8' });
  const path = installed();
  if (path) {
    progress('done.\n');
    return { path };
  }
  progress('\n');
  const why =
    `${fetched.stderr ?? ''}`.split('\n').find((line) => /error/i.test(line)) ?? `exit code ${fetched.status}`;
  return { missing: `Flowscope: Electron ${version} could not be downloaded (${why.trim()}); ${INSTEAD}.` };
}

/** For `npm start` and `npm run dist`: the binary's path (downloaded once if need be), or the process ends saying why. */
export function electronOrExit() {
  const electron = findElectron({ download: true });
  if ('missing' in electron) {
    console.error(electron.missing);
    process.exit(1);
  }
  return electron.path;
}
