/* eslint-disable @typescript-eslint/no-require-imports -- electron-builder loads this hook as CommonJS */
/**
 * Electron fuses for packaged builds (flipped into the binary by after-pack.cjs): no running as plain
 * Node, no NODE_OPTIONS or --inspect, cookies encrypted, the app loaded only from its ASAR with its
 * integrity checked, no extra privileges for file://.
 */
const { FuseV1Options, FuseVersion } = require('@electron/fuses');

module.exports = {
  version: FuseVersion.V1,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};
