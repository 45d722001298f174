/* eslint-disable @typescript-eslint/no-require-imports -- electron-builder loads this hook as CommonJS */
/** electron-builder afterPack hook: flip the fuses of build/fuses.cjs in the packed Electron binary. */
const { join } = require('node:path');
const { flipFuses } = require('@electron/fuses');
const fuses = require('./fuses.cjs');

exports.default = async function afterPack(context) {
  const platform = context.electronPlatformName;
  const name = context.packager.appInfo.productFilename;
  const binary =
    platform === 'darwin'
      ? join(context.appOutDir, `${name}.app`)
      : platform === 'win32'
        ? join(context.appOutDir, `${name}.exe`)
        : join(context.appOutDir, context.packager.executableName);
  // Flipping fuses breaks an ad-hoc signature on Apple silicon; reset it (real signing comes after).
  await flipFuses(binary, { ...fuses, resetAdHocDarwinSignature: platform === 'darwin' });
};
