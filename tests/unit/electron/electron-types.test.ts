import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import yaml from 'js-yaml';

const root = new URL('../../../', import.meta.url).pathname;
const pinned = JSON.parse(readFileSync(`${root}types/electron/pinned.json`, 'utf8'));
const declarations = readFileSync(`${root}types/electron/electron.d.ts`);
const locked = JSON.parse(readFileSync(`${root}package-lock.json`, 'utf8')).packages['node_modules/electron'];
const packageJson = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));

/** Whether a caret range (`^45.5.0`, the only form package.json uses for electron) admits a version. */
function admits(range: string, version: string): boolean {
  const base = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(range);
  assert.ok(base, `package.json names electron as ${range}, not ^MAJOR.MINOR.PATCH`);
  const [major, minor, patch] = version.split('.').map(Number) as [number, number, number];
  const [want, wantMinor, wantPatch] = base.slice(1).map(Number) as [number, number, number];
  return major === want && (minor > wantMinor || (minor === wantMinor && patch >= wantPatch));
}

test("the type check reads Electron's own electron.d.ts, of the locked version, unedited", () => {
  const tsconfig = readFileSync(`${root}tsconfig.json`, 'utf8');
  assert.match(tsconfig, /"paths": \{ "electron": \["\.\/types\/electron\/electron\.d\.ts"\] \}/);
  assert.equal(pinned.version, locked.version, 'pinned.json names the lockfile’s electron');
  assert.equal(pinned.integrity, locked.integrity, 'pinned.json names the lockfile’s tarball');
  assert.equal(createHash('sha256').update(declarations).digest('hex'), pinned.sha256, 'electron.d.ts is as pinned');
  assert.match(
    declarations.toString('utf8', 0, 200),
    new RegExp(`^// Type definitions for Electron ${pinned.version}\n`),
  );
  assert.ok(
    admits(packageJson.optionalDependencies.electron, pinned.version),
    'package.json’s electron admits the pinned one',
  );
  const builder = yaml.load(readFileSync(`${root}electron-builder.yml`, 'utf8')) as { electronVersion: string };
  assert.equal(builder.electronVersion, pinned.version, 'the packaged Electron is the one type-checked against');
});

test('where the electron package is installed, its electron.d.ts is byte for byte the pinned one', (t) => {
  const installed = `${root}node_modules/electron/electron.d.ts`;
  if (!existsSync(installed)) {
    t.skip('the optional electron package is not installed here (it needs Node.js 22.12+)');
    return;
  }
  assert.ok(readFileSync(installed).equals(declarations), 'run npm run gen:electron-types');
});
