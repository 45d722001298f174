#!/usr/bin/env node
/** `npm run dist`: build, then package the current OS's installers with electron-builder into release/. */
import { spawnSync } from 'node:child_process';
import { electronOrExit } from './electron-binary.mjs';

electronOrExit();
const root = new URL('..', import.meta.url).pathname;
for (const args of [['build/build.mjs'], ['node_modules/electron-builder/cli.js', '--publish', 'never']]) {
  const step = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (step.status !== 0) process.exit(step.status ?? 1);
}
