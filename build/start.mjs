#!/usr/bin/env node
/** `npm start`: build, then open the desktop app (on the demo workspace unless --workspace=<file> is given). */
import { spawn, spawnSync } from 'node:child_process';
import { findElectron } from './electron-binary.mjs';

const electron = findElectron({ download: true });
if ('missing' in electron) {
  console.error(electron.missing);
  process.exit(1);
}
const root = new URL('..', import.meta.url).pathname;
const built = spawnSync(process.execPath, ['build/build.mjs'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
const app = spawn(electron.path, ['.', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
app.on('exit', (code) => process.exit(code ?? 0));
