#!/usr/bin/env node
/** `npm start`: build, then open the desktop app (on the demo workspace unless --workspace=<file> is given). */
import { spawn, spawnSync } from 'node:child_process';
import { electronOrExit } from './electron-binary.mjs';

const electron = electronOrExit();
const root = new URL('..', import.meta.url).pathname;
const built = spawnSync(process.execPath, ['build/build.mjs'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
const app = spawn(electron, ['.', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
app.on('exit', (code) => process.exit(code ?? 0));
