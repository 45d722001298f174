import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import yaml from 'js-yaml';
import { FuseV1Options, FuseVersion } from '@electron/fuses';

const root = new URL('../../../', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const config = yaml.load(readFileSync(`${root}electron-builder.yml`, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a YAML document
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));

test("electron-builder.yml is valid by electron-builder's own JSON schema", () => {
  const schema = JSON.parse(readFileSync(`${root}node_modules/app-builder-lib/scheme.json`, 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validate = ajv.compile(schema);
  assert.ok(validate(config), JSON.stringify(validate.errors, null, 2));
});

test('the packages are a dmg, an NSIS installer, an AppImage and a deb', () => {
  const targets = (os: string) => (config[os].target as { target: string }[]).map((t) => t.target);
  assert.deepEqual(targets('mac'), ['dmg']);
  assert.deepEqual(targets('win'), ['nsis']);
  assert.deepEqual(targets('linux'), ['AppImage', 'deb']);
});

test('the Electron version is pinned and matches the optional dependency', () => {
  assert.match(config.electronVersion, /^\d+\.\d+\.\d+$/);
  const major = /(\d+)/.exec(pkg.optionalDependencies.electron)![1];
  assert.equal(config.electronVersion.split('.')[0], major);
});

test("DuckDB's native binding is unpacked from the ASAR and the app is loaded from its ASAR", () => {
  assert.equal(config.asar, true);
  assert.ok((config.asarUnpack as string[]).some((glob) => glob.startsWith('node_modules/@duckdb/node-bindings')));
  assert.equal(config.extraMetadata.main, pkg.main);
});

test('macOS builds use the hardened runtime with entitlements that keep library validation on', () => {
  assert.equal(config.mac.hardenedRuntime, true);
  const plist = readFileSync(`${root}${config.mac.entitlements}`, 'utf8');
  assert.match(plist, /com\.apple\.security\.cs\.allow-jit/);
  assert.doesNotMatch(
    plist,
    /disable-library-validation|allow-dyld-environment-variables|allow-unsigned-executable-memory/,
  );
  assert.equal(config.mac.entitlementsInherit, config.mac.entitlements);
});

test('the afterPack hook flips all seven fuses: no run-as-node, NODE_OPTIONS, inspect or file:// privileges; cookie encryption, ASAR integrity and ASAR-only on', () => {
  assert.ok(existsSync(`${root}${config.afterPack}`));
  assert.match(readFileSync(`${root}${config.afterPack}`, 'utf8'), /flipFuses\(binary, \{ \.\.\.fuses,/);
  assert.deepEqual(require(`${root}build/fuses.cjs`), {
    version: FuseVersion.V1,
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  });
  // @electron/fuses knows eight; the eighth only picks which V8 snapshot file loads and stays at its
  // default. A fuse added in a later version must be decided on here, not left at its default.
  assert.deepEqual(
    Object.keys(FuseV1Options).filter(
      (key) => Number.isNaN(Number(key)) && key !== 'LoadBrowserProcessSpecificV8Snapshot',
    ).length,
    7,
  );
});

test('the renderer is served with a CSP that forbids inline script and eval', async () => {
  const { contentSecurityPolicy } = await import('../../../main/serve/csp');
  for (const csp of [contentSecurityPolicy("'self'"), contentSecurityPolicy("'none'")]) {
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-(eval|inline)|\*/);
  }
  assert.match(readFileSync(`${root}main/electron/app-protocol.ts`, 'utf8'), /'Content-Security-Policy': csp/);
});
