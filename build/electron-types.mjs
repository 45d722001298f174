#!/usr/bin/env node
/**
 * `npm run gen:electron-types [-- --check]`: pins Electron's own `electron.d.ts` in types/electron/.
 *
 * Why a pinned copy: the type check must use Electron's declarations, but the `electron` package (an
 * optional dependency whose engines field wants Node 22.12+) is not installed by `npm ci` on Node 20.
 * This script takes the file from the very tarball package-lock.json names: it packs
 * `electron@<locked version>`, refuses a tarball whose sha512 is not the lockfile's `integrity`, and
 * copies `package/electron.d.ts` byte for byte. types/electron/pinned.json records the version, the
 * tarball's integrity and the file's sha256, which a unit test checks against the lockfile and the file.
 * With `--check` it changes nothing and fails when the pinned file is not the package's.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const pinnedDir = join(root, 'types', 'electron');
const check = process.argv.includes('--check');

const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
const locked = lock.packages['node_modules/electron'];
if (!locked) throw new Error('package-lock.json has no node_modules/electron entry.');

const work = mkdtempSync(join(tmpdir(), 'flowscope-electron-types-'));
try {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const [packed] = JSON.parse(
    execFileSync(npm, ['pack', `electron@${locked.version}`, '--json', '--pack-destination', work], {
      cwd: work,
      encoding: 'utf8',
      shell: process.platform === 'win32',
    }),
  );
  const tarball = join(work, packed.filename);
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  if (integrity !== locked.integrity)
    throw new Error(
      `electron@${locked.version}: the tarball's ${integrity} is not the lockfile's ${locked.integrity}.`,
    );
  execFileSync('tar', ['-xzf', tarball, '-C', work, 'package/electron.d.ts']);
  const declarations = readFileSync(join(work, 'package', 'electron.d.ts'));
  const pinned = {
    version: locked.version,
    integrity,
    sha256: createHash('sha256').update(declarations).digest('hex'),
  };
  if (check) {
    const current = readFileSync(join(pinnedDir, 'electron.d.ts'));
    if (!current.equals(declarations)) {
      console.error(`types/electron/electron.d.ts is not electron@${locked.version}'s; run npm run gen:electron-types`);
      process.exit(1);
    }
    console.log(`types/electron/electron.d.ts is electron@${locked.version}'s own`);
  } else {
    writeFileSync(join(pinnedDir, 'electron.d.ts'), declarations);
    writeFileSync(join(pinnedDir, 'pinned.json'), `${JSON.stringify(pinned, null, 2)}\n`);
    console.log(`pinned electron.d.ts of electron@${locked.version}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
