/**
 * What `npm start` (and `npm run dist`) say when the desktop app cannot run: build/electron-binary.mjs with
 * each Node.js line and each state of the electron package, over real package folders of our own (an
 * install.js that fails as a download does offline), and `npm start` itself on a Node.js too old for it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { findElectron } from '../../../build/electron-binary.mjs';

const root = new URL('../../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'flowscope-electron-binary-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SERVE_INSTEAD = '`npm run serve` opens Flowscope in your browser instead.';

/** An electron package folder as npm installs it; `binary`: as its install.js leaves it after a download. */
function electronPackage(name: string, { binary }: { binary: boolean }): string {
  const pkg = join(dir, name);
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'electron', version: '45.5.0' }));
  // As offline: Electron's installer fails its fetch and says so on stderr.
  writeFileSync(
    join(pkg, 'install.js'),
    "console.error('RequestError: getaddrinfo ENOTFOUND github.com'); process.exit(1);\n",
  );
  if (binary) {
    writeFileSync(join(pkg, 'path.txt'), 'electron');
    writeFileSync(join(pkg, 'dist', 'electron'), '');
  }
  return pkg;
}

test('below Node.js 22.12 it says in one line that the app needs 22.12 and points to npm run serve', () => {
  for (const nodeVersion of ['20.19.0', '22.11.0']) {
    const found = findElectron({ download: true, nodeVersion, electronDir: () => assert.fail('not looked for') });
    assert.deepEqual(found, {
      missing: `Flowscope: the desktop app needs Node.js 22.12 or newer (this is v${nodeVersion}); ${SERVE_INSTEAD}`,
    });
  }
});

test('on 22.12 or newer: no electron package, no binary yet, a failed download, and a binary in place', () => {
  const nodeVersion = '22.12.0';
  assert.deepEqual(findElectron({ nodeVersion, electronDir: () => null }), {
    missing: `Flowscope: Electron is not installed; run \`npm install\` again with this Node.js, or ${SERVE_INSTEAD}`,
  });

  const offline = electronPackage('offline', { binary: false });
  assert.deepEqual(findElectron({ nodeVersion, electronDir: () => offline }), {
    missing: 'Flowscope: the Electron binary is not downloaded yet (`npm start` does it).',
  });
  let said = '';
  const failed = findElectron({
    download: true,
    nodeVersion: '24.0.0',
    electronDir: () => offline,
    progress: (text) => void (said += text),
  });
  assert.equal(said, 'Flowscope: downloading Electron 45.5.0 (once)… \n');
  assert.deepEqual(failed, {
    missing: `Flowscope: Electron 45.5.0 could not be downloaded (RequestError: getaddrinfo ENOTFOUND github.com); ${SERVE_INSTEAD}`,
  });

  const ready = electronPackage('ready', { binary: true });
  assert.deepEqual(findElectron({ download: true, nodeVersion, electronDir: () => ready }), {
    path: join(ready, 'dist', 'electron'),
  });
});

test('npm start on this Node.js, when older than 22.12, prints that one line and nothing else', (t) => {
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  if (major > 22 || (major === 22 && minor >= 12)) {
    t.skip(`Node.js ${process.version} can run the app: npm start would download Electron`);
    return;
  }
  const start = spawnSync(process.execPath, ['build/start.mjs'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  assert.equal(start.status, 1);
  assert.equal(start.stdout, '');
  assert.equal(
    start.stderr,
    `Flowscope: the desktop app needs Node.js 22.12 or newer (this is ${process.version}); ${SERVE_INSTEAD}\n`,
  );
});
